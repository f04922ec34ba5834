//===- JIT.cpp - Running a lowered network in process ---------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "CPUPasses.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <mutex>

using namespace nasc;

struct cpu::JitNetwork::Impl {
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

cpu::JitNetwork::~JitNetwork() = default;

llvm::Expected<std::unique_ptr<cpu::JitNetwork>>
cpu::JitNetwork::create(mlir::ModuleOp module, llvm::StringRef name,
                        const LoweredSignature &signature,
                        const CompileOptions &compile) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  // The object's CPU and features (the tunable `vector`, --mattr): O3
  // plans for them, and the functions carry them to code generation, as
  // emitObject's.
  auto machine = createTargetMachine(compile.cpu, compile.features);
  if (!machine)
    return machine.takeError();
  std::string functionName = name.str();
  llvm::TargetMachine *target = machine->get();
  auto builder = [&](mlir::Operation *op, llvm::LLVMContext &context) {
    std::unique_ptr<llvm::Module> llvmModule =
        translateToLLVMIR(llvm::cast<mlir::ModuleOp>(op), context, functionName,
                          signature, compile.threads);
    if (llvmModule)
      setTargetAttributes(*llvmModule, *target);
    return llvmModule;
  };
  mlir::ExecutionEngineOptions options;
  options.llvmModuleBuilder = builder;
  options.transformer = mlir::makeOptimizingTransformer(3, 0, target);
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine =
      mlir::ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  auto address = (*engine)->lookup(functionName + "_run");
  if (!address)
    return address.takeError();
  std::unique_ptr<JitNetwork> network(new JitNetwork());
  network->impl = std::make_unique<Impl>();
  network->impl->engine = std::move(*engine);
  network->signature = signature;
  network->runFn =
      reinterpret_cast<int (*)(const float *, float *, int, int)>(*address);
  return std::move(network);
}

int cpu::JitNetwork::run(const float *input, float *output, int batch,
                         int threads) const {
  return runFn(input, output, batch, threads);
}
