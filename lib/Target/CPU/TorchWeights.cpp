//===- TorchWeights.cpp - A candidate's parameters ------------------------===//
//
// LibTorch takes about 0.4 s to load: libNASCEval.so is opened only when a
// checkpoint is read, and found the way nasc finds its trainer.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/CPU/TorchWeights.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace nasc;

using ExportFn = decltype(&nascExportTorchWeights);

static llvm::Expected<ExportFn> findExporter() {
  const char *symbol = "nascExportTorchWeights";
  if (void *address = llvm::sys::DynamicLibrary::SearchForAddressOfSymbol(symbol))
    return reinterpret_cast<ExportFn>(address);
  std::string path;
  if (const char *env = std::getenv("NASC_EVAL_LIBRARY")) {
    path = env;
  } else {
    static int anchor;
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(
        llvm::sys::fs::getMainExecutable(nullptr, &anchor)));
    llvm::sys::path::append(dir, "..", "lib", "libNASCEval.so");
    path = dir.str().str();
  }
  std::string why;
  auto library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &why);
  if (!library.isValid())
    return llvm::createStringError("cannot load the LibTorch library " +
                                   path + ": " + why);
  void *address = library.getAddressOfSymbol(symbol);
  if (!address)
    return llvm::createStringError(path + " has no " + symbol);
  return reinterpret_cast<ExportFn>(address);
}

llvm::Expected<std::unique_ptr<WeightSource>>
cpu::loadWeights(nas::SpecOp spec, llvm::StringRef checkpoint, uint64_t seed) {
  if (checkpoint.empty())
    return std::make_unique<SeededWeights>(seed);
  if (!llvm::sys::fs::exists(checkpoint))
    return llvm::createStringError(checkpoint + ": no such file");
  llvm::Expected<ExportFn> exportWeights = findExporter();
  if (!exportWeights)
    return exportWeights.takeError();
  TorchExportRequest request;
  request.checkpoint = checkpoint.str();
  request.seed = seed;
  std::vector<NamedTensor> tensors;
  std::string error;
  if (!(*exportWeights)(spec, &request, &tensors, &error))
    return llvm::createStringError(error);
  return std::make_unique<TensorListWeights>(std::move(tensors));
}
