//===- EmitCode.cpp - nasc --emit=linalg|llvm|cpu|fpga|gpu-------------------===//

#include "EmitCode.h"

#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Regex.h"

using namespace mlir;
using namespace nasc;

/// Prints each line of `error`: one located in the spec as
/// `file:line:col: error: message`, others after `nasc: error: `.
static LogicalResult report(llvm::Error error) {
  static const llvm::Regex located("^([^:]+:[0-9]+:[0-9]+): (.*)$");
  llvm::SmallVector<llvm::StringRef> lines;
  std::string text = llvm::toString(std::move(error));
  llvm::StringRef(text).split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::SmallVector<llvm::StringRef, 3> parts;
    if (located.match(line, &parts))
      llvm::errs() << parts[1] << ": error: " << parts[2] << "\n";
    else
      llvm::errs() << "nasc: error: " << line << "\n";
  }
  return failure();
}

LogicalResult tool::emitCode(nas::SpecOp spec, CodeKind kind,
                             const CodeOptions &options, StringRef outputDir,
                             llvm::raw_ostream &os) {
  cpu::CompileOptions compile;
  compile.vectorize = options.vectorize;
  compile.integerArithmetic = options.integerArithmetic;
  compile.staticInt8 = options.staticInt8;
  compile.quantize = options.quantize;
  compile.cpu = options.cpu;
  compile.features = options.cpuFeatures;
  if (kind == CodeKind::CPU || kind == CodeKind::FPGA ||
      kind == CodeKind::GPU) {
    llvm::Expected<target::TargetBackend &> backend = target::getTargetBackend(
        kind == CodeKind::CPU ? "cpu" : kind == CodeKind::GPU ? "gpu" : "fpga");
    if (!backend)
      return report(backend.takeError());
    target::CodeOptions code;
    code.weightsPath = options.weights;
    code.seed = options.seed;
    code.optimize = options.vectorize;
    code.integerArithmetic = options.integerArithmetic;
    code.staticInt8 = options.staticInt8;
    code.quantize = options.quantize;
    code.part = options.part;
    code.lanes = options.lanes;
    code.hardwareTemplate = options.hardwareTemplate;
    code.stages = options.stages;
    code.cpu = options.cpu;
    code.cpuFeatures = options.cpuFeatures;
    code.threads = options.threads;
    code.gpuArch = options.gpuArch;
    code.gpuThreadTile = options.gpuThreadTile;
    code.gpuPrecision = options.gpuPrecision;
    code.emulation = options.gpuEmulation;
    llvm::Error error =
        backend->emit(spec->getParentOfType<ModuleOp>(), outputDir, code);
    return error ? report(std::move(error)) : success();
  }

  if (kind == CodeKind::ONNX) {
    llvm::Error error =
        target::exportOnnxModel(spec, options.weights, options.seed, outputDir);
    return error ? report(std::move(error)) : success();
  }

  auto weights = target::loadWeights(spec, options.weights, options.seed);
  if (!weights)
    return report(weights.takeError());
  LoweredSignature signature;
  if (kind == CodeKind::Linalg) {
    auto module = cpu::lowerForCPU(spec, **weights, signature, compile);
    if (!module)
      return report(module.takeError());
    (*module)->print(os);
    os << "\n";
    return success();
  }
  llvm::LLVMContext context;
  auto llvmModule =
      cpu::compileToLLVMIR(spec, **weights, context, compile, signature);
  if (!llvmModule)
    return report(llvmModule.takeError());
  (*llvmModule)->print(os, nullptr);
  return success();
}
