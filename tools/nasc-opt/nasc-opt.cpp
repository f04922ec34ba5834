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
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
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

/// The overview atop --help: every registered pass and pipeline with its
/// summary, ahead of the hundreds of LLVM options among which llvm::cl
/// sorts them. nasc-opt registers only nasc's own, so the pass registry is
/// the list and a new pass is never missing from it. The registry has no
/// iterator, but the option that parses pass names (created by
/// MlirOptMainConfig::registerCLOptions, which registerAndParseCLIOptions
/// calls again harmlessly) adds every pass and pipeline argument to
/// llvm::cl's option names.
static std::string getOverview(mlir::DialectRegistry &registry) {
  mlir::MlirOptMainConfig::registerCLOptions(registry);
  std::vector<std::pair<llvm::StringRef, llvm::StringRef>> passes, pipelines;
  for (const auto &option : llvm::cl::getRegisteredOptions()) {
    llvm::StringRef name = option.getKey();
    if (const mlir::PassInfo *pass = mlir::PassInfo::lookup(name))
      passes.push_back({name, pass->getPassDescription()});
    else if (const mlir::PassPipelineInfo *pipeline =
                 mlir::PassPipelineInfo::lookup(name))
      pipelines.push_back({name, pipeline->getPassDescription()});
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "nasc optimizer driver: parses and verifies .mlir of the nas dialect "
        "and runs nasc's passes on it (docs/passes.md).\n";
  for (auto [title, list] :
       {std::make_pair("nasc passes", &passes),
        std::make_pair("nasc pass pipelines", &pipelines)}) {
    if (list->empty())
      continue;
    llvm::sort(*list);
    os << "\n" << title << ":\n";
    for (auto [name, summary] : *list)
      os << "  " << llvm::left_justify(("--" + name).str(), 32) << " - "
         << summary << "\n";
  }
  os << "\nTheir options are listed under \"Compiler passes to run\" "
        "below.\n";
  return text;
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
  std::string overview = getOverview(registry);
  auto [inputFilename, outputFilename] =
      mlir::registerAndParseCLIOptions(argc, argv, overview, registry);
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
