//===- CostCommands.h - nasc calibrate and nasc transfer --------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_COSTCOMMANDS_H
#define NASC_TOOLS_NASC_COSTCOMMANDS_H

#include "llvm/Support/CommandLine.h"

namespace nasc::tool {

/// `nasc calibrate ...` and `nasc transfer ...`: whether the command line
/// named one, and running it (after cl::ParseCommandLineOptions).
bool isCalibrateCommand();
int runCalibrateCommand();
bool isTransferCommand();
int runTransferCommand();
llvm::cl::OptionCategory &getCostCommandCategory();
llvm::cl::SubCommand &getCalibrateSubCommand();
llvm::cl::SubCommand &getTransferSubCommand();
/// The top level's cost-model options (--cost-model, ... of
/// --emit=candidates).
llvm::cl::OptionCategory &getCostColumnCategory();

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_COSTCOMMANDS_H
