//===- Input.h - Reading a spec for the nasc commands -----------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_INPUT_H
#define NASC_TOOLS_NASC_INPUT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/SourceMgr.h"

namespace nasc::tool {

/// Parses the buffer of `sourceMgr` (.nas source, or the nas dialect when
/// `isMLIR`) into a module holding exactly one nas.spec; errors are
/// diagnostics.
mlir::OwningOpRef<mlir::ModuleOp> parseSpec(llvm::SourceMgr &sourceMgr,
                                            mlir::MLIRContext &context,
                                            bool isMLIR, unsigned maxErrors);

/// `nasc search ...`: whether the command line named it, and running it
/// (after cl::ParseCommandLineOptions); returns the exit status.
bool isSearchCommand();
int runSearchCommand();
llvm::cl::OptionCategory &getSearchCategory();
llvm::cl::SubCommand &getSearchSubCommand();

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_INPUT_H
