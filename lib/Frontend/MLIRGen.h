//===- MLIRGen.h - Build the nas dialect from a .nas parse tree -*- C++ -*-===//
//
// Private to the front end: the generated parser's headers stay inside
// lib/Frontend.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_FRONTEND_MLIRGEN_H
#define NASC_LIB_FRONTEND_MLIRGEN_H

#include "NasParser.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace nasc {

/// Thrown (inside the front end only) when the error limit is reached.
struct TooManyErrors {};

/// Counts errors and enforces the limit; shared by the syntax error listener
/// and MLIRGen so the limit covers both.
class ErrorCounter {
public:
  explicit ErrorCounter(unsigned limit) : limit(limit) {}
  /// Records one error; throws TooManyErrors once past the limit.
  void add() {
    if (++count >= limit && limit != 0)
      throw TooManyErrors{};
  }
  unsigned get() const { return count; }

private:
  unsigned limit;
  unsigned count = 0;
};

/// Builds a module holding one `nas.spec` named `specName` from a parse tree
/// free of syntax errors. Returns null after reporting errors.
mlir::OwningOpRef<mlir::ModuleOp>
generateSpec(grammar::NasParser::SpecContext *tree, llvm::StringRef fileName,
             llvm::StringRef specName, mlir::MLIRContext *context,
             ErrorCounter &errors);

} // namespace nasc

#endif // NASC_LIB_FRONTEND_MLIRGEN_H
