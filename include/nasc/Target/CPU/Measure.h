//===- Measure.h - Latency of emitted code on this machine ------*- C++ -*-===//
//
// The code --emit=cpu writes, compiled by the JIT and timed through its C
// entry point on this machine's CPU (docs/cpu.md, "Measuring"): warm-up
// runs, then repeats, on one thread. Seeded weights: timings do not depend
// on their values. Like Emit.h: one context, one thread at a time (two
// timings at once would disturb each other anyway).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_CPU_MEASURE_H
#define NASC_TARGET_CPU_MEASURE_H

#include "nasc/Analysis/Costs.h"
#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/Common/TargetBackend.h"

#include <memory>
#include <string>
#include <vector>

namespace nasc::cpu {

using target::LatencyStats;
using target::LayerLatency;

/// Compiles the concrete `spec` with `weights` for the JIT.
llvm::Expected<std::unique_ptr<JitNetwork>>
compileNetwork(nas::SpecOp spec, WeightSource &weights,
               const CompileOptions &options = {});

/// Times `network` on `batch` samples of a fixed input.
LatencyStats timeNetwork(const JitNetwork &network, int64_t batch,
                         unsigned warmup, unsigned repeats);

/// Times every layer of the concrete spec alone: each leaf layer record
/// (CostKind::Layer) becomes a one-layer spec with the record's input
/// shape and the op's attributes (its `out`, bit widths and pruning as
/// resolved by the record), compiled and timed; layers with equal keys are
/// timed once. What a one-layer network spends on its boundary (NCHW to
/// NHWC and back: half of an identity network on the input shape plus half
/// of one on the output shape) is subtracted. A BN right after a conv
/// (folded into it in the emitted code) and an identity without projection
/// get 0. Residual shortcuts, adds and concatenations are not timed (no
/// entry). Entries are in record order.
llvm::Expected<std::vector<LayerLatency>>
measureLayers(mlir::ModuleOp concreteSpec, int64_t batch, unsigned warmup,
              unsigned repeats, uint64_t seed);

} // namespace nasc::cpu

#endif // NASC_TARGET_CPU_MEASURE_H
