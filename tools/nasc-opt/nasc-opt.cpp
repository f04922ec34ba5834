//===- nasc-opt.cpp - The nasc optimizer driver ---------------------------===//
//
// mlir-opt for the nas dialect: parses, verifies, runs nasc passes and prints.
// Lit tests drive the dialect and every pass through it; the test-only
// passes (test/lib, e.g. --test-print-costs) expose the analyses.
//
//===----------------------------------------------------------------------===//

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/Passes.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "nasc/Support/Limits.h"
#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/Passes.h"

#include "TestPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

/// MLIR's parser recurses over the nesting of its input: input nested past
/// the documented limit is reported before it is parsed.
static bool isNestedTooDeep(const llvm::MemoryBuffer &input) {
  std::optional<size_t> offset =
      nasc::findTooDeepMLIRNesting(input.getBuffer());
  if (!offset)
    return false;
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input.getMemBufferRef()),
      llvm::SMLoc());
  sourceMgr.PrintMessage(
      llvm::SMLoc::getFromPointer(input.getBufferStart() + *offset),
      llvm::SourceMgr::DK_Error,
      "brackets nested deeper than " +
          llvm::Twine(nasc::kMaxMLIRNestingDepth) +
          " levels (docs/language.md, \"Limits\")");
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  nasc::nas::registerNASPasses();
  nasc::test::registerTestPasses();
  nasc::registerNASConversionPasses();
  nasc::cpu::registerCPUPasses();
  mlir::DialectRegistry registry;
  registry.insert<nasc::nas::NASDialect>();
  nasc::registerLinalgLoweringDialects(registry);
  nasc::cpu::registerCPUDialects(registry);
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "nasc optimizer driver\n", registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  if (config.shouldShowDialects())
    return mlir::asMainReturnCode(mlir::MlirOptMain(
        argc, argv, inputFilename, outputFilename, registry));

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFilename, &message);
  if (!input) {
    llvm::errs() << message << "\n";
    return 1;
  }
  if (isNestedTooDeep(*input))
    return 1;
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &message);
  if (!output) {
    llvm::errs() << message << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
