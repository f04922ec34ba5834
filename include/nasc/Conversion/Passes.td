//===- Passes.td - Lowerings out of the nas dialect --------*- tablegen -*-===//

#ifndef NASC_CONVERSION_PASSES_TD
#define NASC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNASToLinalg : Pass<"convert-nas-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower a concrete candidate's network to linalg on tensors";
  let description = [{
    Replaces the module's concrete `nas.spec` by one `func.func` named after
    it that computes the network's inference forward pass on a batch
    (dynamic first dimension), with linalg named ops (NHWC convolutions,
    depthwise convolutions, pooling, matmul), `linalg.generic` for
    element-wise work, `tensor.pad` for "same" padding and weights as
    `arith.constant`s. BN is folded into the convolution before it.

    ```mlir
    func.func @nb201(%arg0: tensor<?x3x32x32xf32>) -> tensor<?x10xf32>
    ```

    The weights come from the seeded initializer (docs/cpu.md); `nasc
    --emit=linalg --weights FILE` uses a trained checkpoint instead.
  }];
  let options = [
    Option<"seed", "seed", "uint64_t", "0", "Seed of the weight initializer">,
    Option<"foldBatchNorm", "fold-bn", "bool", "true",
           "Fold BN into the preceding convolution">,
    Option<"integerArithmetic", "int8", "bool", "true",
           "Compute layers quantized to at most 8 bits on int8 levels">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // NASC_CONVERSION_PASSES_TD
