//===- Input.cpp - Reading a spec for the nasc subcommands ----------------===//

#include "Input.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;

bool tool::LoadedSpec::parse(llvm::StringRef path, llvm::StringRef command) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(path, &message);
  if (!input) {
    llvm::errs() << "nasc" << (command.empty() ? "" : " ") << command
                 << ": error: " << message << "\n";
    return false;
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  context.getOrLoadDialect<nas::NASDialect>();
  context.printOpOnDiagnostic(false);
  handler = std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context);
  module = parseSpec(sourceMgr, context, path.ends_with(".mlir"), 20);
  if (!module)
    return false;
  spec = *module->getOps<nas::SpecOp>().begin();
  return true;
}

bool tool::LoadedSpec::load(llvm::StringRef path, llvm::StringRef command) {
  if (!parse(path, command))
    return false;
  FailureOr<Space> built = Space::build(spec);
  if (failed(built))
    return false;
  space.emplace(std::move(*built));
  return true;
}
