//===- Frontend.h - .nas source to the nas dialect --------------*- C++ -*-===//
//
// The one entry point of the front end: ANTLR parses the .nas text, MLIRGen
// builds a module holding one `nas.spec`, and the module is verified. Every
// syntax or semantic error is an MLIR diagnostic located at its source token
// (file:line:col); no exception escapes.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_FRONTEND_FRONTEND_H
#define NASC_FRONTEND_FRONTEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace nasc {

struct FrontendOptions {
  /// Stop reporting after this many errors (0: no limit).
  unsigned maxErrors = 20;
};

/// Parses the main buffer of `sourceMgr` as a .nas spec. The spec is named
/// after the buffer's file stem. Returns null after reporting errors through
/// `context`'s diagnostic engine.
mlir::OwningOpRef<mlir::ModuleOp>
parseNasSource(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
               const FrontendOptions &options = {});

/// Checks that the main buffer of `sourceMgr`, `.mlir` text, nests its
/// brackets no deeper than kMaxMLIRNestingDepth (MLIR's parser recurses over
/// them); reports the first bracket too deep.
mlir::LogicalResult checkMLIRNesting(llvm::SourceMgr &sourceMgr,
                                     mlir::MLIRContext *context);

} // namespace nasc

#endif // NASC_FRONTEND_FRONTEND_H
