//===- NASEnums.td - Enumerations of the nas dialect -------*- tablegen -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASENUMS_TD
#define NASC_DIALECT_NAS_IR_NASENUMS_TD

include "mlir/IR/EnumAttr.td"

class NAS_Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::nasc::nas";
}

def NAS_TargetKind : NAS_Enum<"TargetKind", "hardware target kind", [
  I32EnumAttrCase<"cpu", 0>, I32EnumAttrCase<"gpu", 1>,
  I32EnumAttrCase<"fpga", 2>, I32EnumAttrCase<"asic", 3>,
  I32EnumAttrCase<"mobile", 4>, I32EnumAttrCase<"tiny", 5>]>;

def NAS_Metric : NAS_Enum<"Metric", "objective or constraint metric", [
  I32EnumAttrCase<"accuracy", 0>, I32EnumAttrCase<"macs", 1>,
  I32EnumAttrCase<"flops", 2>, I32EnumAttrCase<"params", 3>,
  I32EnumAttrCase<"bops", 4>, I32EnumAttrCase<"model_size", 5>,
  I32EnumAttrCase<"memory", 6>, I32EnumAttrCase<"latency", 7>,
  I32EnumAttrCase<"energy", 8>, I32EnumAttrCase<"power", 9>,
  I32EnumAttrCase<"area", 10>,
  // An FPGA design's (docs/fpga.md): cycles per image, resources and the
  // clock it reaches.
  I32EnumAttrCase<"cycles", 11>, I32EnumAttrCase<"lut", 12>,
  I32EnumAttrCase<"ff", 13>, I32EnumAttrCase<"dsp", 14>,
  I32EnumAttrCase<"bram", 15>, I32EnumAttrCase<"fmax", 16>]>;

def NAS_Direction : NAS_Enum<"Direction", "optimization direction", [
  I32EnumAttrCase<"maximize", 0>, I32EnumAttrCase<"minimize", 1>]>;

def NAS_Comparison : NAS_Enum<"Comparison", "constraint comparison", [
  I32EnumAttrCase<"lt", 0>, I32EnumAttrCase<"le", 1>,
  I32EnumAttrCase<"gt", 2>, I32EnumAttrCase<"ge", 3>]>;

def NAS_Formulation : NAS_Enum<"Formulation", "problem formulation", [
  I32EnumAttrCase<"single", 0>, I32EnumAttrCase<"two_stage", 1>,
  I32EnumAttrCase<"constrained", 2>, I32EnumAttrCase<"weighted_sum", 3>,
  I32EnumAttrCase<"weighted_product", 4>, I32EnumAttrCase<"pareto", 5>]>;

def NAS_Strategy : NAS_Enum<"Strategy", "search strategy", [
  I32EnumAttrCase<"random", 0>, I32EnumAttrCase<"grid", 1>,
  I32EnumAttrCase<"evolution", 2>, I32EnumAttrCase<"nsga2", 3>,
  I32EnumAttrCase<"reinforce", 4>, I32EnumAttrCase<"gradient", 5>]>;

def NAS_EvalMethod : NAS_Enum<"EvalMethod", "accuracy evaluation method", [
  I32EnumAttrCase<"train", 0>, I32EnumAttrCase<"weight_sharing", 1>,
  I32EnumAttrCase<"predictor", 2>, I32EnumAttrCase<"table", 3>,
  I32EnumAttrCase<"zero_cost", 4>, I32EnumAttrCase<"none", 5>]>;

def NAS_PoolKind : NAS_Enum<"PoolKind", "pooling kind", [
  I32EnumAttrCase<"avg", 0>, I32EnumAttrCase<"max", 1>]>;

def NAS_ActKind : NAS_Enum<"ActKind", "activation function", [
  I32EnumAttrCase<"relu", 0>, I32EnumAttrCase<"relu6", 1>,
  I32EnumAttrCase<"hswish", 2>, I32EnumAttrCase<"swish", 3>,
  I32EnumAttrCase<"sigmoid", 4>, I32EnumAttrCase<"tanh", 5>]>;

def NAS_Shortcut : NAS_Enum<"Shortcut", "residual shortcut", [
  I32EnumAttrCase<"identity", 0>, I32EnumAttrCase<"projection", 1>,
  I32EnumAttrCase<"avgpool_conv", 2>, I32EnumAttrCase<"identity_or_none", 3>]>;

// Every node sums its incoming edges; the cell's output is its last node
// (NAS-Bench-201) or the concatenation of its intermediate nodes (DARTS).
def NAS_CellOutput : NAS_Enum<"CellOutput", "what a cell outputs", [
  I32EnumAttrCase<"last", 0>, I32EnumAttrCase<"concat", 1>]>;

#endif // NASC_DIALECT_NAS_IR_NASENUMS_TD
