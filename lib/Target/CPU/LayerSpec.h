//===- LayerSpec.h - One layer of a candidate as a spec ---------*- C++ -*-===//

#ifndef NASC_LIB_TARGET_CPU_LAYERSPEC_H
#define NASC_LIB_TARGET_CPU_LAYERSPEC_H

#include "nasc/Analysis/Costs.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

namespace nasc::cpu {

/// A concrete spec (in the record's context) whose network is the layer
/// of `record` (CostKind::Layer) alone, on an input of the record's input
/// shape, with the record's output channels and bit widths.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildLayerSpec(const LayerCost &record);

/// A concrete spec whose network only passes an input of `shape` through:
/// what every one-layer network spends besides its layer (converting the
/// input to NHWC and the output back).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildIdentitySpec(mlir::MLIRContext *context, const TensorShape &shape);

/// Whether the emitted code folds the BN layer `op` into the conv before it.
bool isFoldedBatchNorm(mlir::Operation *op);

} // namespace nasc::cpu

#endif // NASC_LIB_TARGET_CPU_LAYERSPEC_H
