//===- Diagnostics.h - MLIR diagnostics as llvm::Error ----------*- C++ -*-===//

#ifndef NASC_TARGET_COMMON_DIAGNOSTICS_H
#define NASC_TARGET_COMMON_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"

#include <string>

namespace nasc::target {

/// `file:line:col` of `loc` (a layer of a user op is at a call site: the
/// op's own line), or "" when it has no file location.
inline std::string getFileLineCol(mlir::Location loc) {
  auto file = loc->findInstanceOf<mlir::FileLineColLoc>();
  if (!file)
    return "";
  return file.getFilename().str() + ":" + std::to_string(file.getLine()) + ":" +
         std::to_string(file.getColumn());
}

/// While alive, takes the context's error diagnostics ("file:line:col:
/// message"); the library calls return them as an llvm::Error.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(mlir::MLIRContext *context)
      : handler(context, [this](mlir::Diagnostic &diag) {
          if (diag.getSeverity() != mlir::DiagnosticSeverity::Error)
            return mlir::failure();
          if (!text.empty())
            text += "\n";
          std::string where = getFileLineCol(diag.getLocation());
          if (!where.empty())
            text += where + ": ";
          text += diag.str();
          return mlir::success();
        }) {}

  /// The errors so far, or `fallback` when there were none.
  llvm::Error takeError(llvm::StringRef fallback) {
    std::string message = text.empty() ? fallback.str() : text;
    text.clear();
    return llvm::createStringError(message);
  }

private:
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

} // namespace nasc::target

#endif // NASC_TARGET_COMMON_DIAGNOSTICS_H
