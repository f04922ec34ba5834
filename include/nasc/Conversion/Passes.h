//===- Passes.h - Lowerings out of the nas dialect --------------*- C++ -*-===//

#ifndef NASC_CONVERSION_PASSES_H
#define NASC_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace nasc {

#define GEN_PASS_DECL
#include "nasc/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nasc/Conversion/Passes.h.inc"

} // namespace nasc

#endif // NASC_CONVERSION_PASSES_H
