//===- Measure.cpp - Latency of emitted code on this machine --------------===//

#include "nasc/Target/CPU/Measure.h"

#include "LayerSpec.h"
#include "nasc/Target/Common/Diagnostics.h"

#include "nasc/Target/CPU/Emit.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace nasc;

llvm::Expected<std::unique_ptr<cpu::JitNetwork>>
cpu::compileNetwork(nas::SpecOp spec, WeightSource &weights,
                    const CompileOptions &options) {
  // The object --emit=cpu writes, linked into this process.
  LoweredSignature signature;
  std::string object;
  {
    llvm::LLVMContext context;
    auto llvmModule =
        compileToLLVMIR(spec, weights, context, options, signature, &object);
    if (!llvmModule)
      return llvmModule.takeError();
  }
  return JitNetwork::load(object, target::getCName(spec), signature);
}

/// Quantile by linear interpolation of the sorted samples.
static double quantile(const std::vector<double> &sorted, double q) {
  double pos = q * double(sorted.size() - 1);
  size_t i = size_t(pos);
  double frac = pos - double(i);
  return i + 1 < sorted.size() ? sorted[i] * (1 - frac) + sorted[i + 1] * frac
                               : sorted[i];
}

cpu::LatencyStats cpu::timeNetwork(const JitNetwork &network, int64_t batch,
                                   unsigned warmup, unsigned repeats) {
  const LoweredSignature &sig = network.getSignature();
  std::vector<float> input(size_t(sig.inputElements() * batch)),
      output(size_t(sig.outputElements() * batch));
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = float((i * 7919) % 2001) / 1000.0f - 1.0f;
  for (unsigned i = 0; i < warmup; ++i)
    network.run(input.data(), output.data(), int(batch));
  repeats = std::max(1u, repeats);
  std::vector<double> seconds;
  for (unsigned i = 0; i < repeats; ++i) {
    auto start = std::chrono::steady_clock::now();
    network.run(input.data(), output.data(), int(batch));
    auto end = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(end - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return {quantile(seconds, 0.5), quantile(seconds, 0.25),
          quantile(seconds, 0.75), seconds[0], repeats};
}

static llvm::Error checkBatch(int64_t batch) {
  if (batch < 1 || batch > (1 << 20))
    return llvm::createStringError("batch " + std::to_string(batch) +
                                   " is out of range (1 to 1048576)");
  return llvm::Error::success();
}

llvm::Expected<std::vector<cpu::LayerLatency>>
cpu::measureLayers(ModuleOp concreteSpec, int64_t batch, unsigned warmup,
                   unsigned repeats, uint64_t seed) {
  if (llvm::Error error = checkBatch(batch))
    return std::move(error);
  llvm::Expected<nas::SpecOp> spec = target::getSpec(concreteSpec);
  if (!spec)
    return spec.takeError();
  target::DiagnosticCapture capture(spec->getContext());
  CostAnalysis costs(*spec);
  if (costs.failed())
    return capture.takeError("cannot analyze the costs of " +
                             spec->getSymName().str());
  // Median seconds of a one-layer spec, each key once.
  llvm::StringMap<double> timed;
  auto time =
      [&](llvm::StringRef key,
          llvm::Expected<OwningOpRef<ModuleOp>> one) -> llvm::Expected<double> {
    auto known = timed.find(key);
    if (known != timed.end())
      return known->second;
    if (!one)
      return one.takeError();
    SeededWeights weights(seed);
    auto network = compileNetwork(*target::getSpec(**one), weights);
    if (!network)
      return network.takeError();
    double seconds = timeNetwork(**network, batch, warmup, repeats).median;
    timed[key] = seconds;
    return seconds;
  };
  // What a one-layer network spends on its boundary, estimated as half of
  // passing its input through plus half of passing its output through.
  auto boundary = [&](const TensorShape &shape) -> llvm::Expected<double> {
    std::string key = "boundary " + std::to_string(shape.channels) + "x" +
                      std::to_string(shape.height) + "x" +
                      std::to_string(shape.width);
    return time(key, buildIdentitySpec(spec->getContext(), shape));
  };

  std::vector<LayerLatency> layers;
  for (auto [index, record] : llvm::enumerate(costs.getLayers())) {
    if (record.kind != CostKind::Layer)
      continue;
    LayerLatency layer{nasc::getLayerKey(record), index, 0.0};
    // Folded BNs and identities without a projection cost nothing in the
    // network's code.
    bool free =
        isFoldedBatchNorm(record.op) ||
        (isa<nas::IdentityOp>(record.op) && record.input == record.output);
    if (!free) {
      auto alone = time(layer.key, buildLayerSpec(record));
      auto in = boundary(record.input);
      auto out = boundary(record.output);
      if (!alone || !in || !out) {
        llvm::Error error =
            llvm::joinErrors(alone.takeError(),
                             llvm::joinErrors(in.takeError(), out.takeError()));
        return llvm::createStringError(
            "layer " + record.path + " (" + layer.key +
            "): " + llvm::toString(std::move(error)));
      }
      layer.seconds = std::max(0.0, *alone - (*in + *out) / 2);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}
