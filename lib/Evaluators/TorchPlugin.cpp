//===- TorchPlugin.cpp - Loading the LibTorch evaluator -------------------===//
//
// LibTorch takes about 0.4 s to load: nasc links it only through
// libNASCEval.so, opened the first time a search needs training.
//
//===----------------------------------------------------------------------===//

#include "nasc/Evaluators/TorchPlugin.h"

#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

using namespace nasc;

using CreateFn = search::Evaluator *(*)(const Space *,
                                        const eval::TrainSettings *,
                                        std::string *);

/// Where libNASCEval.so is: $NASC_EVAL_LIBRARY, else ../lib next to nasc.
static std::string findLibrary() {
  if (const char *path = std::getenv("NASC_EVAL_LIBRARY"))
    return path;
  static int anchor;
  std::string executable = llvm::sys::fs::getMainExecutable(
      "nasc", reinterpret_cast<void *>(&anchor));
  llvm::SmallString<256> path(llvm::sys::path::parent_path(executable));
  llvm::sys::path::append(path, "..", "lib", "libNASCEval.so");
  return path.str().str();
}

using ExportFn = bool (*)(search::Evaluator *, const Candidate *, const char *,
                         const char *, const CancellationToken *,
                         std::string *);

/// The address of `symbol` in libNASCEval.so (loaded once); null with
/// `error` on failure.
static void *findSymbol(const char *symbol, std::string &error) {
  std::string path = findLibrary();
  std::string why;
  llvm::sys::DynamicLibrary library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &why);
  if (!library.isValid()) {
    error = "cannot load the LibTorch evaluator " + path + ": " + why;
    return nullptr;
  }
  void *address = library.getAddressOfSymbol(symbol);
  if (!address)
    error = path + " has no " + symbol;
  return address;
}

void *evaluators::findEvalSymbol(const char *symbol, std::string &error) {
  return findSymbol(symbol, error);
}

std::unique_ptr<search::Evaluator>
evaluators::createTorchEvaluator(const Space &space,
                           const eval::TrainSettings &settings,
                           std::string &error) {
  auto create = reinterpret_cast<CreateFn>(
      findSymbol("nascCreateTorchEvaluator", error));
  if (!create)
    return nullptr;
  return std::unique_ptr<search::Evaluator>(create(&space, &settings, &error));
}

bool evaluators::exportTrainedModel(const Space &space,
                              const eval::TrainSettings &settings,
                              const Candidate &candidate,
                              const std::string &encoding,
                              const std::string &dir, std::string &error,
                              const CancellationToken *cancel) {
  std::unique_ptr<search::Evaluator> evaluator =
      createTorchEvaluator(space, settings, error);
  if (!evaluator)
    return false;
  auto exportModel = reinterpret_cast<ExportFn>(
      findSymbol("nascExportTrainedModel", error));
  return exportModel && exportModel(evaluator.get(), &candidate,
                                    encoding.c_str(), dir.c_str(), cancel,
                                    &error);
}
