//===- Emit.cpp - A candidate as a C library ------------------------------===//

#include "nasc/Target/CPU/Emit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"

#include "CPUPasses.h"
#include "nasc/Target/Common/Diagnostics.h"
#include "nasc/Target/Common/OutputFiles.h"

#include "nasc/Target/Common/IntegerNetwork.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace nasc;

LinalgLoweringOptions cpu::getLoweringOptions(const CompileOptions &options) {
  LinalgLoweringOptions lowering;
  lowering.integerArithmetic = options.integerArithmetic;
  lowering.quantize = options.quantize;
  return lowering;
}

llvm::Expected<OwningOpRef<ModuleOp>>
cpu::lowerForCPU(nas::SpecOp spec, WeightSource &weights,
                 LoweredSignature &signature, const CompileOptions &options) {
  if (!options.staticInt8)
    return target::lowerCandidate(spec, weights, signature,
                                  getLoweringOptions(options));
  llvm::Expected<IntegerNetwork> net = buildIntegerNetwork(spec, weights);
  if (!net)
    return net.takeError();
  target::DiagnosticCapture capture(spec.getContext());
  OwningOpRef<ModuleOp> module = ModuleOp::create(spec.getLoc());
  if (failed(lowerIntegerNetwork(*net, *module, target::getCName(spec),
                                 signature)))
    return capture.takeError("cannot lower the integer network of " +
                             spec.getSymName().str() + " to linalg");
  return std::move(module);
}

llvm::Expected<OwningOpRef<ModuleOp>>
cpu::prepareKernels(nas::SpecOp spec, const CompileOptions &options) {
  SeededWeights weights(0);
  LoweredSignature signature;
  auto module = lowerForCPU(spec, weights, signature, options);
  if (!module)
    return module.takeError();
  target::DiagnosticCapture capture(spec.getContext());
  if (failed(prepareLinalg(**module)))
    return capture.takeError("cannot prepare the kernels of " +
                             spec.getSymName().str());
  return std::move(*module);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
cpu::compileToLLVMIR(nas::SpecOp spec, WeightSource &weights,
                     llvm::LLVMContext &context, const CompileOptions &options,
                     LoweredSignature &signature, std::string *object) {
  auto module = lowerForCPU(spec, weights, signature, options);
  if (!module)
    return module.takeError();
  std::string name = target::getCName(spec);
  target::DiagnosticCapture capture(spec.getContext());
  if (failed(lowerToLLVMDialect(**module, name, options)))
    return capture.takeError("cannot lower " + name + " to the llvm dialect");
  std::unique_ptr<llvm::Module> llvmModule =
      translateToLLVMIR(**module, context, name, signature, options.threads);
  if (!llvmModule)
    return capture.takeError("cannot translate " + name + " to LLVM IR");
  llvm::Expected<std::string> bytes = emitObject(*llvmModule, options);
  if (!bytes)
    return bytes.takeError();
  if (object)
    *object = std::move(*bytes);
  return std::move(llvmModule);
}

llvm::Error cpu::emitCPU(ModuleOp concreteSpec, llvm::StringRef weightsPath,
                         uint64_t seed, llvm::StringRef dir,
                         const CompileOptions &options) {
  llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
  if (!spec)
    return spec.takeError();
  auto weights = target::loadWeights(*spec, weightsPath, seed);
  if (!weights)
    return weights.takeError();
  llvm::LLVMContext context;
  LoweredSignature signature;
  std::string object;
  auto llvmModule =
      compileToLLVMIR(*spec, **weights, context, options, signature, &object);
  if (!llvmModule)
    return llvmModule.takeError();
  std::string name = target::getCName(*spec);
  llvm::Expected<std::string> archive = makeStaticLibrary(name + ".o", object);
  if (!archive)
    return archive.takeError();
  return target::writeFiles(
      dir, {{name + ".h", emitHeader(name, signature, options.threads)},
            {name + ".o", object},
            {"lib" + name + ".a", *archive},
            {"main.c", emitExampleMain(name, signature)}});
}
