//===- NASToLinalg.h - A concrete candidate as linalg on tensors -*- C++ -*-===//
//
// Lowers the network of a concrete nas.spec to one func.func on tensors
// (linalg, tensor, arith, math) that computes exactly what LibTorch's
// eval-mode forward of lib/Eval/Network.cpp computes (docs/cpu.md):
//
//   func.func @NAME(%input: tensor<?xCxHxWxf32>) -> tensor<?xKxf32>
//
// The batch is dynamic; the input is NCHW as a user gives it, kept NHWC
// inside; a spatial output is returned NCHW. Weights are constants.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_CONVERSION_NASTOLINALG_NASTOLINALG_H
#define NASC_CONVERSION_NASTOLINALG_NASTOLINALG_H

#include "nasc/Conversion/NASToLinalg/Weights.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"

#include <string>
#include <vector>

namespace nasc {

struct LinalgLoweringOptions {
  /// The function's name (default: the spec's).
  std::string functionName;
  /// Fold a BN into the convolution before it (inference form).
  bool foldBatchNorm = true;
  /// Compute layers whose weights and activations are both quantized to at
  /// most 8 bits on int8 levels with int32 sums, dequantized after (else
  /// LibTorch's fake quantization in float).
  bool integerArithmetic = true;
  /// Apply the layers' bit widths (else every layer in float at full
  /// precision: the architecture's float network, with its pruning).
  bool quantize = true;
};

/// What the lowered function takes and returns, per sample.
struct LoweredSignature {
  std::vector<int64_t> inputShape;  ///< [C, H, W] or [F]
  std::vector<int64_t> outputShape; ///< [K] or [C, H, W]
  /// Whether a sample's output depends on that sample alone (false when
  /// an activation is quantized with a scale from the whole batch).
  bool samplesIndependent = true;
  int64_t inputElements() const;
  int64_t outputElements() const;
};

/// The unit attribute a lowered function carries when its samples are
/// coupled (LoweredSignature::samplesIndependent is false), for passes that
/// would otherwise compute samples apart.
inline constexpr llvm::StringLiteral kSamplesCoupledAttr =
    "nasc.samples_coupled";

/// Adds the forward function of the concrete `spec` to `module` (at its
/// end), taking parameters from `weights` in LibTorch's order. Fails after
/// a diagnostic at the offending op.
mlir::FailureOr<mlir::func::FuncOp>
lowerToLinalg(nas::SpecOp spec, mlir::ModuleOp module, WeightSource &weights,
              const LinalgLoweringOptions &options,
              LoweredSignature *signature = nullptr);

/// The dialects the lowered function uses.
void registerLinalgLoweringDialects(mlir::DialectRegistry &registry);

} // namespace nasc

#endif // NASC_CONVERSION_NASTOLINALG_NASTOLINALG_H
