//===- EmitCode.h - nasc --emit=linalg|llvm|cpu -----------------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_EMITCODE_H
#define NASC_TOOLS_NASC_EMITCODE_H

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace nasc::tool {

enum class CodeKind { Linalg, LLVM, CPU };

struct CodeOptions {
  /// A LibTorch archive of the candidate's network (e.g. best.pt); empty:
  /// the seeded initializer.
  std::string weights;
  uint64_t seed = 0;
  bool vectorize = true;
};

/// Where a candidate's parameters come from: the checkpoint through
/// libNASCEval.so, or the seeded initializer. Null with `error`.
std::unique_ptr<WeightSource> getWeights(nas::SpecOp spec,
                                         const CodeOptions &options,
                                         std::string &error);

/// Lowers the concrete `spec` into a new module holding the function NAME
/// (linalg on tensors); null after a diagnostic or with an error printed.
mlir::OwningOpRef<mlir::ModuleOp>
lowerCandidate(nas::SpecOp spec, const CodeOptions &options,
               LoweredSignature &signature);

/// --emit=linalg and --emit=llvm print to `os`; --emit=cpu writes
/// `outputDir`/NAME.h, NAME.o, libNAME.a and main.c, all or nothing.
mlir::LogicalResult emitCode(nas::SpecOp spec, CodeKind kind,
                             const CodeOptions &options,
                             llvm::StringRef outputDir, llvm::raw_ostream &os);

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_EMITCODE_H
