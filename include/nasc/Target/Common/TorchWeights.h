//===- TorchWeights.h - Weights and reference outputs from LibTorch -*- C++ -*-===//
//
// Implemented in libNASCEval.so (lib/Eval/WeightsExport.cpp), which links
// LibTorch: nasc finds it with dlopen, tests link it.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_COMMON_TORCHWEIGHTS_H
#define NASC_TARGET_COMMON_TORCHWEIGHTS_H

#include "nasc/Conversion/NASToLinalg/Weights.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/Operation.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace nasc::target {

struct TorchExportRequest {
  /// A LibTorch archive of the network's module (a search's best.pt); empty:
  /// the network's own initialization under `seed`.
  std::string checkpoint;
  uint64_t seed = 0;
  /// Draw BN affine parameters and running statistics at random (tests: so
  /// that folding BN is exercised).
  bool randomizeBatchNorm = false;
  /// When set, the network's eval-mode forward on `batch` samples of
  /// `input` goes to `output`.
  const float *input = nullptr;
  int64_t batch = 0;
  std::vector<float> *output = nullptr;
  /// With an input and repeats > 0: the median wall time in ms of that many
  /// eager forwards on one thread (after 3 warm-up runs) goes to medianMs.
  int repeats = 0;
  double *medianMs = nullptr;
  /// Without a checkpoint: draw the parameters from this source, in the
  /// order the lowering consumes them, instead of LibTorch's initializer
  /// (so that the network holds what --emit=cpu's seeded code holds).
  WeightSource *initialWeights = nullptr;
  /// When set, the network with its weights, in inference mode, is also
  /// written there as ONNX (checked by ONNX's checker).
  std::string onnxPath;
};

/// The parameters of the concrete `spec`: those of the LibTorch archive
/// `checkpoint` when given (through libNASCEval.so: already loaded, else
/// $NASC_EVAL_LIBRARY, else ../lib/libNASCEval.so next to the executable),
/// else the seeded initializer.
llvm::Expected<std::unique_ptr<WeightSource>>
loadWeights(nas::SpecOp spec, llvm::StringRef checkpoint, uint64_t seed);

/// Writes the concrete `spec`'s network as ONNX to `path`: with the
/// parameters of the LibTorch archive `checkpoint` when given, else those
/// of SeededWeights(seed), the ones --emit=cpu uses (through
/// libNASCEval.so, as loadWeights).
llvm::Error exportOnnxModel(nas::SpecOp spec, llvm::StringRef checkpoint,
                            uint64_t seed, llvm::StringRef path);

} // namespace nasc::target

/// Builds the LibTorch network of the concrete nas.spec `spec`, loads the
/// checkpoint if any, and appends its parameters and buffers to `weights`
/// in the order lowerToLinalg consumes them (each module in pre-order: its
/// parameters, then its buffers but num_batches_tracked). False with
/// `error`.
extern "C" bool nascExportTorchWeights(mlir::Operation *spec,
                                       const nasc::target::TorchExportRequest *request,
                                       std::vector<nasc::NamedTensor> *weights,
                                       std::string *error);

#endif // NASC_TARGET_COMMON_TORCHWEIGHTS_H
