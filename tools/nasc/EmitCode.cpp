//===- EmitCode.cpp - nasc --emit=linalg|llvm|cpu|fpga --------------------===//

#include "EmitCode.h"

#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace mlir;
using namespace nasc;

static LogicalResult report(llvm::Error error) {
  llvm::errs() << "nasc: error: " << llvm::toString(std::move(error)) << "\n";
  return failure();
}

LogicalResult tool::emitCode(nas::SpecOp spec, CodeKind kind,
                             const CodeOptions &options, StringRef outputDir,
                             llvm::raw_ostream &os) {
  cpu::CompileOptions compile;
  compile.vectorize = options.vectorize;
  compile.integerArithmetic = options.integerArithmetic;
  if (kind == CodeKind::CPU || kind == CodeKind::FPGA) {
    llvm::Expected<target::TargetBackend &> backend =
        target::getTargetBackend(kind == CodeKind::CPU ? "cpu" : "fpga");
    if (!backend)
      return report(backend.takeError());
    target::CodeOptions code;
    code.weightsPath = options.weights;
    code.seed = options.seed;
    code.optimize = options.vectorize;
    code.integerArithmetic = options.integerArithmetic;
    code.part = options.part;
    llvm::Error error =
        backend->emit(spec->getParentOfType<ModuleOp>(), outputDir, code);
    return error ? report(std::move(error)) : success();
  }

  auto weights = target::loadWeights(spec, options.weights, options.seed);
  if (!weights)
    return report(weights.takeError());
  LoweredSignature signature;
  if (kind == CodeKind::Linalg) {
    auto module = target::lowerCandidate(spec, **weights, signature,
                                         cpu::getLoweringOptions(compile));
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
