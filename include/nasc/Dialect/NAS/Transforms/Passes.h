//===- Passes.h - Passes over the nas dialect -------------------*- C++ -*-===//

#ifndef NASC_DIALECT_NAS_TRANSFORMS_PASSES_H
#define NASC_DIALECT_NAS_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>

namespace nasc::nas {

#define GEN_PASS_DECL
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"

} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_TRANSFORMS_PASSES_H
