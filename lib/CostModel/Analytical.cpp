//===- Analytical.cpp - The roofline cost model ---------------------------===//
//
// Per kernel: the time to compute its FLOPs at the target's peak for its
// precision, or to move its bytes at the target's bandwidth (a cache's
// when they fit in it: the cache-aware roofline), whichever is
// longer (Williams et al.'s roofline), plus a fixed per-kernel overhead; on
// a cpu target the peak is scaled by the share the code's tiles reach
// (CPUSchedule.cpp). A layer's batch norms and activations fuse into the
// kernel before them and add only their FLOPs at the peak. A float layer's
// bytes count at the target's float width (halves on an fp16 gpu target).
// Energy: MACs at an energy per MAC scaled by the product of the bit widths
// (Horowitz, ISSCC 2014: an 8-bit integer MAC costs about 1/20 of fp32's)
// plus bytes at an energy per byte.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"
#include "nasc/Dialect/NAS/IR/Units.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace nasc;
using namespace nasc::cost;
using mlir::Attribute;

/// Horowitz (ISSCC 2014, 45 nm): fp32 multiply 3.7 pJ + add 0.9 pJ; DRAM
/// 640 pJ per 32-bit word.
static constexpr double kDefaultEnergyPerMac = 4.6e-12;
static constexpr double kDefaultEnergyPerByte = 160e-12;

/// `bytes` of a layer's traffic as `target` stores them: a float layer's
/// (weights and activations at 32 bits) at the target's float width.
static double getStoredBytes(const TargetDesc &target, const LayerWork &layer,
                             double bytes) {
  bool isFloat = layer.weightBits >= 32 && layer.activationBits >= 32;
  return isFloat ? bytes * target.floatStorageBits / 32.0 : bytes;
}

double cost::getRooflineLatency(const TargetDesc &target,
                                const LayerWork &layer) {
  bool narrow = layer.weightBits <= 8 && layer.activationBits <= 8;
  double peak =
      narrow && target.peakInt8 > 0 ? target.peakInt8 : target.peakFlops;
  // `efficiency`: the share of the peak the kernel's code reaches (its
  // tiles on a cpu target, getTileEfficiency).
  auto roofline = [&](double flops, double bytes, double efficiency) {
    bytes = getStoredBytes(target, layer, bytes);
    double compute = peak > 0 ? flops / (peak * efficiency) : 0;
    double bandwidth = hw::getWorkingSetBandwidth(target, bytes);
    double memory = bandwidth > 0 ? bytes / bandwidth : 0;
    return std::max(compute, memory) + target.overhead;
  };
  if (!layer.perKernel)
    return roofline(layer.flops, layer.bytes, 1);
  // Fused element-wise work adds its arithmetic, neither traffic (the
  // producer writes the tensor once) nor a launch.
  double latency = peak > 0 ? layer.fusedFlops / peak : 0;
  for (const LayerWork::Kernel &kernel : layer.kernels)
    latency += roofline(kernel.flops, kernel.bytes,
                        getTileEfficiency(target.schedule, kernel.nest));
  return latency;
}

double cost::getRooflineEnergy(const TargetDesc &target,
                               const LayerWork &layer) {
  double perMac =
      target.energyPerMac > 0 ? target.energyPerMac : kDefaultEnergyPerMac;
  double perByte =
      target.energyPerByte > 0 ? target.energyPerByte : kDefaultEnergyPerByte;
  // A multiplier's energy grows with the product of its operands' widths.
  double scale = double(std::min(32u, layer.weightBits)) *
                 double(std::min(32u, layer.activationBits)) / 1024.0;
  return layer.macs * perMac * scale +
         getStoredBytes(target, layer, layer.bytes) * perByte;
}

uint64_t cost::getAnalyticalCount(const TargetDesc &target, Quantity quantity,
                                  const LayerWork &layer) {
  double value = quantity == Quantity::Latency
                     ? getRooflineLatency(target, layer)
                     : getRooflineEnergy(target, layer);
  double counts = std::nearbyint(value / kAnalyticalUnit);
  if (!(counts > 0))
    return 0;
  // 2^64 as a double: larger counts saturate.
  if (counts >= 18446744073709551616.0)
    return UINT64_MAX;
  return uint64_t(counts);
}

namespace {
class AnalyticalModel : public CostModel {
public:
  explicit AnalyticalModel(TargetDesc target) : CostModel(std::move(target)) {}
  Method getMethod() const override { return Method::Analytical; }
  bool provides(Quantity) const override { return true; }
  Estimate estimate(Quantity quantity,
                    llvm::ArrayRef<LayerWork> layers) const override {
    // Whole counts: the same sum in any order, and the one `--emit=stats`
    // folds (getAnalyticalRecordMetrics).
    uint64_t counts = 0;
    for (const LayerWork &layer : layers)
      counts = llvm::SaturatingAdd(counts,
                                   getAnalyticalCount(target, quantity, layer));
    Estimate estimate;
    estimate.value = getRecordMetricValue(counts, kAnalyticalUnit);
    return estimate;
  }
  std::string getFingerprint() const override {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "analytical " << target.name << " " << target.peakFlops << " "
       << target.peakInt8 << " " << target.bandwidth << " " << target.overhead
       << " " << target.energyPerMac << " " << target.energyPerByte;
    for (const TargetDesc::CacheBandwidth &level : target.cacheBandwidths)
      os << " cache " << level.bytes << " " << level.bandwidth;
    if (target.floatStorageBits != 32)
      os << " floats " << target.floatStorageBits;
    if (target.schedule.vectorBits > 0)
      os << " tiles " << target.schedule.vectorBits << " "
         << target.schedule.tiles.width << " " << target.schedule.tiles.channels
         << " " << target.schedule.tiles.reduction;
    return text;
  }
};
} // namespace

std::unique_ptr<CostModel> cost::createAnalyticalModel(TargetDesc target) {
  return std::make_unique<AnalyticalModel>(std::move(target));
}

/// At most this many settings of the targets' tunables are costed apart
/// (getAnalyticalRecordMetrics); past it the descriptions keep their
/// defaults.
static constexpr size_t kMaxTunableVariants = 256;

RecordMetrics cost::getAnalyticalRecordMetrics(nas::SpecOp spec) {
  RecordMetrics result;
  auto declared = spec.getBodyBlock().getOps<nas::TargetOp>();
  std::vector<nas::TargetOp> ops(declared.begin(), declared.end());

  // Every setting of the tunables the targets' descriptions read (a cpu
  // target's schedule, a gpu target's precision), each target described
  // under each.
  struct Axis {
    size_t target;
    std::string tunable;
    llvm::SmallVector<Attribute> values;
  };
  std::vector<Axis> axes;
  size_t count = 1;
  for (auto [t, op] : llvm::enumerate(ops))
    for (auto &[name, values] : hw::getCostTunables(op)) {
      axes.push_back({t, name, values});
      count *= values.size();
    }
  if (count > kMaxTunableVariants) {
    axes.clear();
    count = 1;
  }
  auto described = std::make_shared<std::vector<std::vector<TargetDesc>>>();
  for (size_t v = 0; v < count; ++v) {
    // Mixed radix, the last axis fastest.
    std::vector<RecordMetrics::TunableValue> variant(axes.size());
    size_t rest = v;
    for (size_t a = axes.size(); a-- > 0;) {
      variant[a] = {ops[axes[a].target].getSymName().str(), axes[a].tunable,
                    axes[a].values[rest % axes[a].values.size()]};
      rest /= axes[a].values.size();
    }
    std::vector<TargetDesc> targets;
    for (auto [t, op] : llvm::enumerate(ops)) {
      std::vector<std::pair<llvm::StringRef, Attribute>> chosen;
      for (size_t a = 0; a < axes.size(); ++a)
        if (axes[a].target == t)
          chosen.push_back({variant[a].tunable, variant[a].value});
      targets.push_back(hw::getTargetDesc(op, chosen));
    }
    described->push_back(std::move(targets));
    if (count > 1)
      result.variants.push_back(std::move(variant));
  }

  // Printed in the unit of every output (nas::getOutputUnit).
  auto metric = [](std::string name, nas::Dimension dimension) {
    llvm::StringRef unit = nas::getOutputUnit(dimension);
    return RecordMetric{std::move(name), kAnalyticalUnit, unit.str(),
                        nas::lookupUnit(unit)->scale};
  };
  std::vector<std::pair<size_t, Quantity>> computed;
  for (auto [t, target] : llvm::enumerate(described->front())) {
    std::string name = "latency(" + target.name + ")";
    if (target.peakFlops > 0 || target.bandwidth > 0) {
      result.metrics.push_back(metric(name, nas::Dimension::Time));
      computed.push_back({t, Quantity::Latency});
    } else {
      result.unavailable.push_back(
          {name, "target '" + target.name +
                     "' has neither peak_compute nor bandwidth for the "
                     "analytical model"});
    }
    // Without energy figures the defaults of docs/costmodel.md apply.
    result.metrics.push_back(
        metric("energy(" + target.name + ")", nas::Dimension::Energy));
    computed.push_back({t, Quantity::Energy});
  }
  auto selected = std::make_shared<size_t>(0);
  result.select = [selected](size_t variant) { *selected = variant; };
  result.compute = [computed = std::move(computed), described,
                    selected](const LayerCost &record,
                              llvm::MutableArrayRef<uint64_t> counts) {
    LayerWork layer = getRecordWork(record);
    const std::vector<TargetDesc> &targets = (*described)[*selected];
    for (auto [count, metric] : llvm::zip(counts, computed))
      count = getAnalyticalCount(targets[metric.first], metric.second, layer);
  };
  return result;
}
