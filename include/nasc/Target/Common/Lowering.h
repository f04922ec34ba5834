//===- Lowering.h - A candidate as linalg, for any backend ------*- C++ -*-===//
//
// What every backend that starts from linalg on tensors does first: find
// the spec, name its code, lower the concrete candidate with its weights.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_COMMON_LOWERING_H
#define NASC_TARGET_COMMON_LOWERING_H

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/NASToLinalg/Weights.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace nasc::target {

/// The single nas.spec of `module`, or an error.
llvm::Expected<nas::SpecOp> getSpec(mlir::ModuleOp module);

/// The value the concrete `spec` decides for tunable `name` of its targets
/// of `kind` (docs/language.md, "Tunables"): null when none has it; an
/// error at the target when it is not decided, or when two targets of the
/// kind decide it differently. The verifier has checked that the backend
/// builds every alternative.
llvm::Expected<mlir::Attribute> getDecidedTunable(nas::SpecOp spec,
                                                  nas::TargetKind kind,
                                                  llvm::StringRef name);

/// The C name of a spec's code: its name with every character that cannot
/// be in a C identifier replaced by `_` (`cost-models` → `cost_models`).
std::string getCName(nas::SpecOp spec);

/// The concrete `spec` as a new module holding the linalg function of its
/// C name (lowerToLinalg) with `weights`; MLIR's errors come back as the
/// llvm::Error.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
lowerCandidate(nas::SpecOp spec, WeightSource &weights,
               LoweredSignature &signature,
               const LinalgLoweringOptions &options = {});

} // namespace nasc::target

#endif // NASC_TARGET_COMMON_LOWERING_H
