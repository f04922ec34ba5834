//===- Backend.cpp - The CPU backend in the target registry ---------------===//
//
// `cpu` for nasc/Target/Common/TargetBackend.h: emitting, compiling through
// the JIT, timing and the kernels are the functions of CPUTarget.h, Emit.h
// and Measure.h.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/CPU/Measure.h"
#include "nasc/Target/Common/TorchWeights.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::cpu;

namespace {

CompileOptions getCompileOptions(const target::CodeOptions &options) {
  CompileOptions compile;
  compile.vectorize = options.optimize;
  compile.integerArithmetic = options.integerArithmetic;
  compile.cpu = options.cpu;
  compile.features = options.cpuFeatures;
  return compile;
}

class CompiledNetwork : public target::CompiledCandidate {
public:
  explicit CompiledNetwork(std::unique_ptr<JitNetwork> network)
      : network(std::move(network)) {}
  target::LatencyStats time(int64_t batch, unsigned warmup,
                            unsigned repeats) const override {
    return timeNetwork(*network, batch, warmup, repeats);
  }

private:
  std::unique_ptr<JitNetwork> network;
};

class CPUBackend : public target::TargetBackend {
public:
  StringRef getKind() const override { return "cpu"; }
  llvm::Error emit(ModuleOp concreteSpec, StringRef dir,
                   const target::CodeOptions &options) override {
    return emitCPU(concreteSpec, options.weightsPath, options.seed, dir,
                   getCompileOptions(options));
  }
  llvm::Expected<std::unique_ptr<target::CompiledCandidate>>
  compile(nas::SpecOp spec, const target::CodeOptions &options) override {
    auto weights = target::loadWeights(spec, options.weightsPath, options.seed);
    if (!weights)
      return weights.takeError();
    auto network = compileNetwork(spec, **weights, getCompileOptions(options));
    if (!network)
      return network.takeError();
    return std::make_unique<CompiledNetwork>(std::move(*network));
  }
  llvm::Expected<std::vector<target::LayerLatency>>
  measureLayers(ModuleOp concreteSpec, int64_t batch, unsigned warmup,
                unsigned repeats, uint64_t seed) override {
    return cpu::measureLayers(concreteSpec, batch, warmup, repeats, seed);
  }
  llvm::Expected<OwningOpRef<ModuleOp>>
  prepareKernels(nas::SpecOp spec) override {
    return cpu::prepareKernels(spec);
  }
};

} // namespace

void cpu::registerCPUBackend() {
  target::registerTargetBackend(std::make_unique<CPUBackend>());
}
