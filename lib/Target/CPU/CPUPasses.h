//===- CPUPasses.h - Steps of the CPU pipeline ------------------*- C++ -*-===//

#ifndef NASC_LIB_TARGET_CPU_CPUPASSES_H
#define NASC_LIB_TARGET_CPU_CPUPASSES_H

#include "mlir/IR/BuiltinOps.h"

namespace nasc::cpu {

/// Tiles and vectorizes the linalg ops on tensors of `module`.
mlir::LogicalResult tileAndVectorize(mlir::ModuleOp module);

} // namespace nasc::cpu

#endif // NASC_LIB_TARGET_CPU_CPUPASSES_H
