//===- EmitCode.cpp - nasc --emit=linalg|llvm|cpu -------------------------===//

#include "EmitCode.h"

#include "TrainingPlugin.h"

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/TorchWeights.h"

#include "mlir/IR/Builders.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace nasc;

using ExportFn = decltype(&nascExportTorchWeights);

std::unique_ptr<WeightSource>
tool::getWeights(nas::SpecOp spec, const CodeOptions &options,
                 std::string &error) {
  if (options.weights.empty())
    return std::make_unique<SeededWeights>(options.seed);
  if (!llvm::sys::fs::exists(options.weights)) {
    error = options.weights + ": no such file";
    return nullptr;
  }
  auto exportWeights =
      reinterpret_cast<ExportFn>(findEvalSymbol("nascExportTorchWeights", error));
  if (!exportWeights)
    return nullptr;
  cpu::TorchExportRequest request;
  request.checkpoint = options.weights;
  request.seed = options.seed;
  std::vector<NamedTensor> tensors;
  if (!exportWeights(spec, &request, &tensors, &error))
    return nullptr;
  return std::make_unique<TensorListWeights>(std::move(tensors));
}

OwningOpRef<ModuleOp> tool::lowerCandidate(nas::SpecOp spec,
                                           const CodeOptions &options,
                                           LoweredSignature &signature) {
  std::string error;
  std::unique_ptr<WeightSource> weights = getWeights(spec, options, error);
  if (!weights) {
    llvm::errs() << "nasc: error: --weights: " << error << "\n";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(spec.getLoc());
  if (failed(lowerToLinalg(spec, *module, *weights, {}, &signature)))
    return nullptr;
  return module;
}

/// Writes `files` (name, bytes) into `dir`: each to a temporary file, kept
/// only when all were written.
static LogicalResult
writeFiles(StringRef dir,
           ArrayRef<std::pair<std::string, std::string>> files) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    llvm::errs() << "nasc: error: " << dir << ": " << ec.message() << "\n";
    return failure();
  }
  std::vector<std::unique_ptr<llvm::ToolOutputFile>> outputs;
  for (const auto &[name, bytes] : files) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    auto output = std::make_unique<llvm::ToolOutputFile>(
        path, ec, llvm::sys::fs::OF_None);
    if (ec) {
      llvm::errs() << "nasc: error: " << path << ": " << ec.message() << "\n";
      return failure();
    }
    output->os() << bytes;
    output->os().flush();
    if (output->os().has_error()) {
      llvm::errs() << "nasc: error: cannot write " << path << "\n";
      output->os().clear_error();
      return failure();
    }
    outputs.push_back(std::move(output));
  }
  for (auto &output : outputs)
    output->keep();
  return success();
}

LogicalResult tool::emitCode(nas::SpecOp spec, CodeKind kind,
                             const CodeOptions &options, StringRef outputDir,
                             llvm::raw_ostream &os) {
  LoweredSignature signature;
  OwningOpRef<ModuleOp> module = lowerCandidate(spec, options, signature);
  if (!module)
    return failure();
  if (kind == CodeKind::Linalg) {
    module->print(os);
    os << "\n";
    return success();
  }
  std::string name = spec.getSymName().str();
  cpu::CompileOptions compile;
  compile.vectorize = options.vectorize;
  if (failed(cpu::lowerToLLVMDialect(*module, name, compile)))
    return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      cpu::translateToLLVMIR(*module, context, name, signature);
  if (!llvmModule)
    return failure();
  llvm::Expected<std::string> object = cpu::emitObject(*llvmModule);
  if (!object) {
    llvm::errs() << "nasc: error: " << llvm::toString(object.takeError())
                 << "\n";
    return failure();
  }
  if (kind == CodeKind::LLVM) {
    llvmModule->print(os, nullptr);
    return success();
  }
  llvm::Expected<std::string> archive =
      cpu::makeStaticLibrary(name + ".o", *object);
  if (!archive) {
    llvm::errs() << "nasc: error: " << llvm::toString(archive.takeError())
                 << "\n";
    return failure();
  }
  return writeFiles(outputDir,
                    {{name + ".h", cpu::emitHeader(name, signature)},
                     {name + ".o", *object},
                     {"lib" + name + ".a", *archive},
                     {"main.c", cpu::emitExampleMain(name, signature)}});
}
