//===- NASDialect.td - The nas dialect ---------------------*- tablegen -*-===//
//
// The `nas` dialect describes a hardware-aware neural architecture search
// problem: the architecture space, the hardware targets, the objectives and
// constraints, compression choices and the search settings.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_NASDIALECT_TD
#define NASC_DIALECT_NAS_IR_NASDIALECT_TD

include "mlir/IR/OpBase.td"

def NAS_Dialect : Dialect {
  let name = "nas";
  let cppNamespace = "::nasc::nas";
  let summary = "Hardware-aware neural architecture search spaces and goals";
  let description = [{
    A `nas.spec` holds one search problem. Its network is a structural
    description of a *space* of architectures: layer hyper-parameters may be
    `#nas.choice` or `#nas.range` attributes, `nas.choose` picks one of
    several alternatives, and `nas.cell` declares a DAG whose edges each pick
    one operation. Targets, objectives, constraints and settings sit beside it.
  }];
  let useDefaultAttributePrinterParser = 1;
}

class NAS_Op<string mnemonic, list<Trait> traits = []>
    : Op<NAS_Dialect, mnemonic, traits>;

#endif // NASC_DIALECT_NAS_IR_NASDIALECT_TD
