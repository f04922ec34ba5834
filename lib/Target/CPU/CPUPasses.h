//===- CPUPasses.h - Steps of the CPU pipeline ------------------*- C++ -*-===//

#ifndef NASC_LIB_TARGET_CPU_CPUPASSES_H
#define NASC_LIB_TARGET_CPU_CPUPASSES_H

#include "nasc/Target/CPU/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace nasc::cpu {

/// The first steps of the CPU pipeline, on linalg on tensors: inlining,
/// canonicalization, fusion of element-wise ops, CSE (dead code goes).
mlir::LogicalResult prepareLinalg(mlir::ModuleOp module);

/// Tiles and vectorizes the linalg ops on tensors of `module`, each tile
/// within `limits`.
mlir::LogicalResult tileAndVectorize(mlir::ModuleOp module,
                                     const TileLimits &limits);

/// Moves each top-level loop nest and linalg op of the function
/// `entryPoint` (on memrefs) into a private function of its own that LLVM
/// does not inline.
mlir::LogicalResult outlineLoopNests(mlir::ModuleOp module,
                                     llvm::StringRef entryPoint);

} // namespace nasc::cpu

#endif // NASC_LIB_TARGET_CPU_CPUPASSES_H
