//===- TorchWeights.cpp - A candidate's parameters ------------------------===//
//
// LibTorch takes about 0.4 s to load: libNASCEval.so is opened only when a
// checkpoint is read (nasc/Support/EvalLibrary.h).
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/Common/TorchWeights.h"

#include "nasc/Support/EvalLibrary.h"

#include "llvm/Support/FileSystem.h"

using namespace nasc;

using ExportFn = decltype(&nascExportTorchWeights);

static llvm::Expected<ExportFn> findExporter() {
  std::string error;
  void *address = findEvalSymbol("nascExportTorchWeights", error);
  if (!address)
    return llvm::createStringError(error);
  return reinterpret_cast<ExportFn>(address);
}

llvm::Error target::exportOnnxModel(nas::SpecOp spec,
                                   llvm::StringRef checkpoint, uint64_t seed,
                                   llvm::StringRef path) {
  if (!checkpoint.empty() && !llvm::sys::fs::exists(checkpoint))
    return llvm::createStringError(checkpoint + ": no such file");
  llvm::Expected<ExportFn> exportWeights = findExporter();
  if (!exportWeights)
    return exportWeights.takeError();
  SeededWeights seeded(seed);
  TorchExportRequest request;
  request.checkpoint = checkpoint.str();
  request.seed = seed;
  request.initialWeights = &seeded;
  request.onnxPath = path.str();
  std::vector<NamedTensor> tensors;
  std::string error;
  if (!(*exportWeights)(spec, &request, &tensors, &error)) {
    llvm::sys::fs::remove(path); // Nothing half-written.
    return llvm::createStringError(error);
  }
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<WeightSource>>
target::loadWeights(nas::SpecOp spec, llvm::StringRef checkpoint, uint64_t seed) {
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
