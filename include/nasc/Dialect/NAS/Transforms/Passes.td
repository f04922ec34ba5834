//===- Passes.td - Passes over the nas dialect -------------*- tablegen -*-===//

#ifndef NASC_DIALECT_NAS_TRANSFORMS_PASSES_TD
#define NASC_DIALECT_NAS_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NASQuantize : Pass<"nas-quantize", "::mlir::ModuleOp"> {
  let summary = "Apply each layer's bit widths and record its quantization";
  let description = [{
    On a concrete candidate (`nasc --candidate`), every layer with weights
    (conv, sep_conv, mbconv, fc) gets fixed `wbits` and `abits` (its own, or
    the defaults below) and a `nas.quant` record of the scheme that
    fake-quantized training and the backends follow:

    ```mlir
    nas.conv {abits = 8 : i64, nas.quant = {abits = 8 : i64,
      granularity = "per_channel", scheme = "symmetric", wbits = 4 : i64},
      out = 16 : i64, wbits = 4 : i64}
    ```

    One-bit weights use the `binary` scheme (sign and a per-channel scale).
    Layers whose widths are still searched are an error: materialize first.
  }];
  let options = [
    Option<"defaultWeightBits", "default-wbits", "int64_t", "32",
           "Weight bits of layers that set none">,
    Option<"defaultActivationBits", "default-abits", "int64_t", "32",
           "Activation bits of layers that set none">,
    Option<"scheme", "scheme", "std::string", "\"symmetric\"",
           "symmetric or asymmetric (1-bit weights are always binary)">,
    Option<"granularity", "granularity", "std::string", "\"per_channel\"",
           "per_channel or per_tensor weight scales">,
  ];
}

def NASPrune : Pass<"nas-prune", "::mlir::ModuleOp"> {
  let summary = "Structured channel pruning by each layer's ratio";
  let description = [{
    On a concrete candidate, a layer with `prune = r` (or the `nas.compress`
    default) keeps `max(1, C - floor(C * r))` of its C output channels, as
    the cost analysis computes them: its `out` is set to that count,
    `prune` is removed and `nas.pruned_from = C` records the original width.
    Consumers take their input channels from their producer, so the change
    propagates; the costs analysis checks the result. Layers whose width is
    fixed by the network (the classifier `fc`, the last layer of an
    identity-residual body, an mbconv whose own residual add needs it,
    layers on cell edges) keep it, with a warning.
  }];
}

def NASAnnotateCosts : Pass<"nas-annotate-costs", "::mlir::ModuleOp"> {
  let summary = "Fold the cost analysis into attributes";
  let description = [{
    On a concrete candidate, attaches the cost analysis's results
    (docs/analysis.md) as `nas.costs` dictionaries of `ui64` values: on
    every layer of the network (its MACs, FLOPs, params, model bytes, BOPs,
    activation bytes and output shape), on every `nas.residual` (its
    shortcut and add), on every `nas.cell_ref` (the whole instance) and on
    the `nas.spec` (the totals, with `peak_memory_bytes`, and the counting
    convention as `nas.cost_convention`). Layers on cell edges are counted
    in their cell_ref. A spec that is not concrete or is ill-shaped is an
    error.
  }];
}

def NASEliminateDeadEdges : Pass<"nas-eliminate-dead-edges", "::mlir::ModuleOp"> {
  let summary = "Turn cell edges that cannot affect the output into zero";
  let description = [{
    In a concrete cell, an edge is dead when its source node is fed only by
    `zero` edges (directly or through other such nodes), or when its target
    node does not reach the cell's output (the last node, or any
    intermediate node of a `concat` cell) through non-zero edges. A dead
    edge's option body is replaced by `nas.zero` and marked `nas.dead`, so
    its costs disappear. NAS-Bench-201 counts every edge; its published
    figures are those before this pass.
  }];
}

#endif // NASC_DIALECT_NAS_TRANSFORMS_PASSES_TD
