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
#include "nasc/Target/Common/Lowering.h"
#include "nasc/Target/Common/TorchWeights.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::cpu;

namespace {

/// The features the cpu targets' tunable `vector` asks for (docs/language.md):
/// avx2 turns AVX-512 off, avx512 on (from 256-bit preference too).
llvm::Expected<std::string> getTunedFeatures(nas::SpecOp spec) {
  llvm::Expected<Attribute> vector =
      target::getDecidedTunable(spec, nas::TargetKind::cpu, "vector");
  if (!vector)
    return vector.takeError();
  if (!*vector)
    return std::string();
  if (cast<StringAttr>(*vector).getValue() == "avx2")
    return std::string("-avx512f");
  return std::string("+avx512f,+avx512bw,+avx512dq,+avx512vl,-prefer-256-bit");
}

/// The options' features, else the tunables'.
llvm::Expected<CompileOptions>
getCompileOptions(nas::SpecOp spec, const target::CodeOptions &options) {
  CompileOptions compile;
  compile.vectorize = options.optimize;
  compile.integerArithmetic = options.integerArithmetic;
  compile.staticInt8 = options.staticInt8;
  compile.quantize = options.quantize;
  compile.cpu = options.cpu;
  compile.features = options.cpuFeatures;
  if (compile.features.empty()) {
    llvm::Expected<std::string> tuned = getTunedFeatures(spec);
    if (!tuned)
      return tuned.takeError();
    compile.features = *tuned;
  }
  // The tiles (tunables tile_width, tile_channels, tile_reduction) and the
  // default thread count (--threads, else the tunable threads, else 1).
  int64_t threads = 1;
  std::pair<const char *, int64_t *> tunables[] = {
      {"tile_width", &compile.tiles.width},
      {"tile_channels", &compile.tiles.channels},
      {"tile_reduction", &compile.tiles.reduction},
      {"threads", &threads}};
  for (auto [name, slot] : tunables) {
    llvm::Expected<Attribute> value =
        target::getDecidedTunable(spec, nas::TargetKind::cpu, name);
    if (!value)
      return value.takeError();
    if (*value)
      *slot = cast<IntegerAttr>(*value).getInt();
  }
  compile.threads = unsigned(options.threads > 0 ? options.threads : threads);
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
    llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
    if (!spec)
      return spec.takeError();
    llvm::Expected<CompileOptions> compile = getCompileOptions(*spec, options);
    if (!compile)
      return compile.takeError();
    return emitCPU(concreteSpec, options.weightsPath, options.seed, dir,
                   *compile);
  }
  llvm::Expected<std::unique_ptr<target::CompiledCandidate>>
  compile(nas::SpecOp spec, const target::CodeOptions &options) override {
    auto weights = target::loadWeights(spec, options.weightsPath, options.seed);
    if (!weights)
      return weights.takeError();
    llvm::Expected<CompileOptions> compile = getCompileOptions(spec, options);
    if (!compile)
      return compile.takeError();
    auto network = compileNetwork(spec, **weights, *compile);
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
