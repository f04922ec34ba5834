//===- JIT.cpp - Running a lowered network in process ---------------------===//
//
// The network is compiled to the very object `--emit=cpu` writes
// (emitObject: the feature check, O3 for the object's CPU, code
// generation) and that object is linked into the process by ORC, so that
// `nasc measure` times the code a user ships. Compiling through MLIR's
// ExecutionEngine instead (its own O3 and code generation on the same
// LLVM IR) gave other machine code: a quantized examples/mobile.nas
// candidate took 57.6 ms in process against 21.9 ms for the emitted
// object (bench/RESULTS.md).
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"

#include <mutex>

using namespace nasc;

struct cpu::JitNetwork::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// NAME_release: the pool's workers stop before the code goes.
  void (*release)() = nullptr;
  ~Impl() {
    if (release)
      release();
  }
};

cpu::JitNetwork::~JitNetwork() = default;

llvm::Expected<std::unique_ptr<cpu::JitNetwork>>
cpu::JitNetwork::create(mlir::ModuleOp module, llvm::StringRef name,
                        const LoweredSignature &signature,
                        const CompileOptions &compile) {
  std::string object;
  {
    llvm::LLVMContext context;
    std::unique_ptr<llvm::Module> llvmModule =
        translateToLLVMIR(module, context, name, signature, compile.threads);
    if (!llvmModule)
      return llvm::createStringError("cannot translate " + name +
                                     " to LLVM IR");
    llvm::Expected<std::string> bytes = emitObject(*llvmModule, compile);
    if (!bytes)
      return bytes.takeError();
    object = std::move(*bytes);
  }
  return load(object, name, signature);
}

llvm::Expected<std::unique_ptr<cpu::JitNetwork>>
cpu::JitNetwork::load(llvm::StringRef object, llvm::StringRef name,
                      const LoweredSignature &signature) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  // libc, libm and pthreads: what the object calls, from this process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process)
    return process.takeError();
  (*jit)->getMainJITDylib().addGenerator(std::move(*process));
  if (llvm::Error error = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, name.str() + ".o")))
    return std::move(error);
  auto address = (*jit)->lookup((name + "_run").str());
  if (!address)
    return address.takeError();
  auto release = (*jit)->lookup((name + "_release").str());
  if (!release)
    return release.takeError();
  std::unique_ptr<JitNetwork> network(new JitNetwork());
  network->impl = std::make_unique<Impl>();
  network->impl->jit = std::move(*jit);
  network->impl->release = release->toPtr<void (*)()>();
  network->signature = signature;
  network->runFn =
      address->toPtr<int (*)(const float *, float *, int, int)>();
  return std::move(network);
}

int cpu::JitNetwork::run(const float *input, float *output, int batch,
                         int threads) const {
  return runFn(input, output, batch, threads);
}
