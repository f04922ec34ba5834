//===- Input.h - Reading a spec for the nasc commands -----------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_INPUT_H
#define NASC_TOOLS_NASC_INPUT_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Space/Space.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <optional>

namespace nasc::tool {

/// Parses the buffer of `sourceMgr` (.nas source, or the nas dialect when
/// `isMLIR`) into a module holding exactly one nas.spec; errors are
/// diagnostics.
mlir::OwningOpRef<mlir::ModuleOp> parseSpec(llvm::SourceMgr &sourceMgr,
                                            mlir::MLIRContext &context,
                                            bool isMLIR, unsigned maxErrors);

/// A spec file parsed for a subcommand (nasc search, measure, calibrate,
/// transfer), with its diagnostics printed against the file and, after
/// `load`, its space.
struct LoadedSpec {
  llvm::SourceMgr sourceMgr;
  mlir::MLIRContext context;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  nas::SpecOp spec;
  std::optional<Space> space;

  /// Reads and parses `path`; false after printing why ("nasc COMMAND:
  /// error: ..." for a file that cannot be read, diagnostics otherwise).
  bool parse(llvm::StringRef path, llvm::StringRef command);
  /// parse, then builds the space.
  bool load(llvm::StringRef path, llvm::StringRef command);
};

/// `nasc search ...`: whether the command line named it, and running it
/// (after cl::ParseCommandLineOptions); returns the exit status.
bool isSearchCommand();
int runSearchCommand();
llvm::cl::OptionCategory &getSearchCategory();
llvm::cl::SubCommand &getSearchSubCommand();

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_INPUT_H
