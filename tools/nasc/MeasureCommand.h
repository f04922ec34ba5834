//===- MeasureCommand.h - nasc measure --------------------------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_MEASURECOMMAND_H
#define NASC_TOOLS_NASC_MEASURECOMMAND_H

#include "llvm/Support/CommandLine.h"

namespace nasc::tool {

/// `nasc measure ...`: whether the command line named it, and running it
/// (after cl::ParseCommandLineOptions); returns the exit status.
bool isMeasureCommand();
int runMeasureCommand();
llvm::cl::OptionCategory &getMeasureCategory();
llvm::cl::SubCommand &getMeasureSubCommand();

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_MEASURECOMMAND_H
