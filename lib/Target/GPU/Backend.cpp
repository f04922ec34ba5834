//===- Backend.cpp - The GPU backend in the target registry ---------------===//
//
// `gpu` for nasc/Target/Common/TargetBackend.h. emit writes the PTX, the
// host code and the runtime; compile runs the same plan in this process
// through the runtime (compiled into nasc), so a machine without an NVIDIA
// driver gets the runtime's error, not a crash.
//
//===----------------------------------------------------------------------===//

#include "GPUInternal.h"

#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/Common/Lowering.h"
#include "nasc/Target/Common/OutputFiles.h"
#include "nasc/Target/Common/TargetBackend.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "runtime/nasc_network.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

#include "GPURuntime.inc"

using namespace mlir;
using namespace nasc;
using namespace nasc::gpu;

namespace {

/// The gpu target's decided tunables (docs/gpu.md, "Tunables"), each
/// overridden by the option that stands for it: `arch` (--gpu-arch),
/// `block_size`, `thread_tile` (--gpu-thread-tile), `precision`
/// (--gpu-precision) and `fusion`.
llvm::Expected<CompileOptions>
getCompileOptions(nas::SpecOp spec, const target::CodeOptions &options) {
  CompileOptions compile;
  compile.integerArithmetic = options.integerArithmetic;
  llvm::StringMap<Attribute> decided;
  for (llvm::StringRef name :
       {"arch", "block_size", "thread_tile", "precision", "fusion"}) {
    llvm::Expected<Attribute> value =
        target::getDecidedTunable(spec, nas::TargetKind::gpu, name);
    if (!value)
      return value.takeError();
    if (*value)
      decided[name] = *value;
  }
  auto word = [&](llvm::StringRef name, llvm::StringRef option) {
    if (!option.empty())
      return option;
    auto value = llvm::dyn_cast_or_null<StringAttr>(decided.lookup(name));
    return value ? value.getValue() : llvm::StringRef();
  };
  auto number = [&](llvm::StringRef name, int64_t option) -> int64_t {
    if (option > 0)
      return option;
    auto value = llvm::dyn_cast_or_null<IntegerAttr>(decided.lookup(name));
    return value ? value.getInt() : 0;
  };
  if (llvm::StringRef arch = word("arch", options.gpuArch); !arch.empty())
    compile.arch = arch.str();
  if (int64_t block = number("block_size", 0))
    compile.blockSize = unsigned(block);
  if (int64_t tile = number("thread_tile", options.gpuThreadTile))
    compile.threadTile = unsigned(tile);
  if (llvm::StringRef precision = word("precision", options.gpuPrecision);
      !precision.empty())
    compile.halfStorage = precision == "fp16";
  if (llvm::StringRef fusion = word("fusion", ""); !fusion.empty())
    compile.fuse = fusion != "off";
  return compile;
}

/// A Program as the runtime's nasc_plan, pointing into its own storage.
class InMemoryPlan {
public:
  explicit InMemoryPlan(Program program) : program(std::move(program)) {
    for (const std::string &kernel : this->program.kernels)
      kernelNames.push_back(kernel.c_str());
    for (const Launch &launch : this->program.launches) {
      std::vector<nasc_plan_arg> converted;
      for (const PlanArg &arg : getLaunchArgs(this->program, launch))
        converted.push_back(
            {int(arg.base), arg.value.perSample, arg.value.fixed});
      args.push_back(std::move(converted));
    }
    for (auto [i, launch] : llvm::enumerate(this->program.launches))
      launches.push_back({int(launch.kernel), int(args[i].size()),
                          args[i].data(), launch.threads.perSample,
                          launch.threads.fixed});
    const Program &p = this->program;
    plan = {p.ptx.c_str(),
            kernelNames.data(),
            int(kernelNames.size()),
            launches.data(),
            int(launches.size()),
            p.blockSize,
            p.weights.data(),
            p.weights.size(),
            p.workspaceBytes.perSample,
            p.workspaceBytes.fixed,
            p.signature.inputElements(),
            p.signature.outputElements()};
  }
  const nasc_plan &get() const { return plan; }

private:
  Program program;
  std::vector<const char *> kernelNames;
  std::vector<std::vector<nasc_plan_arg>> args;
  std::vector<nasc_plan_launch> launches;
  nasc_plan plan;
};

class CompiledNetwork : public target::CompiledCandidate {
public:
  CompiledNetwork(std::unique_ptr<InMemoryPlan> plan, nasc_network *network)
      : plan(std::move(plan)), network(network) {}
  ~CompiledNetwork() override { nasc_network_close(network); }

  target::LatencyStats time(int64_t batch, unsigned warmup,
                            unsigned repeats) const override {
    target::LatencyStats stats;
    float ms = 0;
    if (warmup && nasc_network_time(network, int(batch), int(warmup), &ms))
      return stats;
    std::vector<double> seconds;
    for (unsigned r = 0; r < repeats; ++r) {
      if (nasc_network_time(network, int(batch), 1, &ms))
        return stats;
      seconds.push_back(ms * 1e-3);
    }
    if (seconds.empty())
      return stats;
    std::sort(seconds.begin(), seconds.end());
    auto at = [&](double q) {
      return seconds[size_t(std::lround(q * double(seconds.size() - 1)))];
    };
    stats.median = at(0.5);
    stats.p25 = at(0.25);
    stats.p75 = at(0.75);
    stats.min = seconds.front();
    stats.repeats = seconds.size();
    return stats;
  }

private:
  std::unique_ptr<InMemoryPlan> plan;
  nasc_network *network;
};

class GPUBackend : public target::TargetBackend {
public:
  StringRef getKind() const override { return "gpu"; }

  llvm::Error emit(ModuleOp concreteSpec, StringRef dir,
                   const target::CodeOptions &options) override {
    llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
    if (!spec)
      return spec.takeError();
    llvm::Expected<CompileOptions> compile = getCompileOptions(*spec, options);
    if (!compile)
      return compile.takeError();
    auto weights =
        target::loadWeights(*spec, options.weightsPath, options.seed);
    if (!weights)
      return weights.takeError();
    OwningOpRef<ModuleOp> kernels;
    llvm::Expected<Program> program =
        compileProgram(*spec, **weights, *compile, &kernels);
    if (!program)
      return program.takeError();
    llvm::Expected<std::string> data = emitDataObject(*program);
    if (!data)
      return data.takeError();
    const std::string &name = program->name;
    std::vector<std::pair<std::string, std::string>> files = {
        {name + ".h", emitHeader(*program)},
        {name + ".c", emitHostCode(*program)},
        {name + ".ptx", program->ptx},
        {name + "_data.o", *data},
        {"nasc_cuda.h", kCudaHeader},
        {"nasc_cuda.c", kCudaSource},
        {"nasc_network.h", kNetworkHeader},
        {"nasc_network.c", kNetworkSource},
        {"main.c", emitExampleMain(*program)},
        {"build.sh",
         llvm::formatv("#!/bin/sh\n"
                       "# Builds the example; running it needs an NVIDIA "
                       "GPU and its driver (libcuda.so.1).\n"
                       "set -e\ncd \"$(dirname \"$0\")\"\n"
                       "${{CC:-cc} -O2 main.c {0}.c nasc_network.c "
                       "nasc_cuda.c {0}_data.o -ldl -o {0}\n",
                       name)
             .str()}};
    if (options.emulation) {
      llvm::Expected<std::string> emulation = emitEmulationObject(*kernels);
      if (!emulation)
        return emulation.takeError();
      files.push_back({name + "_emu.o", *emulation});
    }
    return target::writeFiles(dir, files);
  }

  llvm::Expected<std::unique_ptr<target::CompiledCandidate>>
  compile(nas::SpecOp spec, const target::CodeOptions &options) override {
    auto weights = target::loadWeights(spec, options.weightsPath, options.seed);
    if (!weights)
      return weights.takeError();
    llvm::Expected<CompileOptions> compile = getCompileOptions(spec, options);
    if (!compile)
      return compile.takeError();
    llvm::Expected<Program> program = compileProgram(spec, **weights, *compile);
    if (!program)
      return program.takeError();
    auto plan = std::make_unique<InMemoryPlan>(std::move(*program));
    char message[1024];
    nasc_network *network = nullptr;
    if (nasc_network_open(&network, &plan->get(), message, sizeof message))
      return llvm::createStringError(std::string("gpu: ") + message);
    return std::make_unique<CompiledNetwork>(std::move(plan), network);
  }

  llvm::Expected<std::vector<target::LayerLatency>>
  measureLayers(ModuleOp, int64_t, unsigned, unsigned, uint64_t) override {
    return llvm::createStringError(
        "the gpu backend does not time layers alone yet");
  }

  llvm::Expected<OwningOpRef<ModuleOp>>
  prepareKernels(nas::SpecOp spec) override {
    // The same linalg kernels as the CPU's: what the cost models read.
    return cpu::prepareKernels(spec);
  }
};

} // namespace

void nasc::gpu::registerGPUBackend() {
  target::registerTargetBackend(std::make_unique<GPUBackend>());
}
