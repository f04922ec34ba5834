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

#include <map>
#include <vector>

namespace nasc {

/// Thrown (inside the front end only) when the error limit is reached.
struct TooManyErrors {};

/// Thrown (inside the front end only) after reporting that the spec expands
/// past a limit of nasc/Support/Limits.h; nothing more can be checked.
struct ExpansionLimit {};

/// Counts errors and enforces the limit; shared by the syntax error listener
/// and MLIRGen so the limit covers both.
class ErrorCounter {
public:
  explicit ErrorCounter(unsigned limit) : limit(limit) {}
  /// Records one more error, to be reported by the caller; throws
  /// TooManyErrors instead once `limit` errors have been reported.
  void add() {
    if (limit != 0 && count >= limit)
      throw TooManyErrors{};
    ++count;
  }
  unsigned get() const { return count; }

private:
  unsigned limit;
  unsigned count = 0;
};

/// Maps ANTLR positions (1-based line, 0-based column in code points) to
/// MLIR locations, whose columns are 1-based and count bytes, as MLIR's
/// source manager does when it prints the caret.
class SourceLocator {
public:
  SourceLocator(mlir::MLIRContext *context, llvm::StringRef fileName,
                llvm::StringRef text);
  mlir::Location get(size_t line, size_t codePointColumn) const;
  /// The location of byte `offset` in the text.
  mlir::Location getAtOffset(size_t offset) const;

private:
  mlir::MLIRContext *context;
  std::string fileName;
  llvm::StringRef text;
  std::vector<size_t> lineStarts;
  /// Whether each line is ASCII only (code point columns are byte columns).
  std::vector<bool> asciiLines;
  /// Other lines' code point offsets, by line, filled when first needed.
  mutable std::map<size_t, std::vector<uint32_t>> codePointOffsets;
};

/// Builds a module holding one `nas.spec` named `specName` from a parse tree
/// free of syntax errors. Returns null after reporting errors.
mlir::OwningOpRef<mlir::ModuleOp>
generateSpec(grammar::NasParser::SpecContext *tree,
             const SourceLocator &locator, llvm::StringRef specName,
             mlir::MLIRContext *context, ErrorCounter &errors);

} // namespace nasc

#endif // NASC_LIB_FRONTEND_MLIRGEN_H
