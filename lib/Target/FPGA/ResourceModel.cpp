//===- ResourceModel.cpp - A design's resources, from its plan ------------===//

#include "nasc/Target/FPGA/ResourceModel.h"

#include "nasc/Support/Numerics.h"
#include "nasc/Target/FPGA/Emit.h"

#include <algorithm>
#include <cmath>

using namespace nasc;
using namespace nasc::fpga;

namespace {

enum Feature {
  One,
  Engines,
  Lanes,
  Layers,
  BlockRAMs,
  LogicKbits,
  WeightlessEngines,
  MultiplierLanes,
  CounterBits,
  HardSwishEngines,
  ScaleEngines,
  ThresholdEngines,
  NumFeatures
};

/// A part's RAM blocks: the shapes (width x depth) one block takes, its
/// bits, and the least share of them a memory must use for Yosys to map it
/// onto blocks rather than logic (found on measured designs, docs/fpga.md).
struct BlockRAM {
  std::vector<std::pair<int64_t, int64_t>> shapes;
  int64_t bits;
  double minUse;
};

/// The narrowest product Yosys maps onto a DSP (its mul2dsp's
/// DSP_Y_MINWIDTH: 11 bits for synth_ice40 -dsp, 9 for synth_xilinx);
/// narrower multipliers are logic.
int64_t getMinDSPProductBits(const FPGAPart &part) {
  return part.name == "xc7z020" ? 9 : 11;
}

BlockRAM getBlockRAM(const FPGAPart &part) {
  if (part.name == "xc7z020") // RAMB18E1, simple dual port.
    return {
        {{36, 512}, {18, 1024}, {9, 2048}, {4, 4096}, {2, 8192}, {1, 16384}},
        18432,
        0.42};
  // iCE40 SB_RAM40_4K.
  return {{{16, 256}, {8, 512}, {4, 1024}, {2, 2048}}, 4096, 0.40};
}

/// Adds a `width` x `depth` memory to the block and logic features.
void addMemory(const BlockRAM &ram, int64_t width, int64_t depth,
               std::vector<double> &features) {
  if (depth <= 0)
    return;
  int64_t blocks = INT64_MAX;
  for (auto [w, d] : ram.shapes)
    blocks = std::min(blocks, ((width + w - 1) / w) * ((depth + d - 1) / d));
  double bits = double(width) * double(depth);
  if (bits >= ram.minUse * double(blocks) * double(ram.bits))
    features[BlockRAMs] += double(blocks);
  else
    features[LogicKbits] += bits / 1000.0;
}

} // namespace

llvm::ArrayRef<llvm::StringRef> fpga::getResourceFeatureNames() {
  static const llvm::StringRef names[] = {"one",
                                          "engines",
                                          "lanes",
                                          "layers",
                                          "block_rams",
                                          "logic_kbits",
                                          "weightless_engines",
                                          "multiplier_lanes",
                                          "counter_bits",
                                          "hswish_engines",
                                          "scale_engines",
                                          "threshold_engines"};
  static_assert(std::size(names) == NumFeatures);
  return names;
}

std::vector<double> fpga::getResourceFeatures(const DesignPlan &plan,
                                              const FPGAPart &part) {
  std::vector<double> features(NumFeatures, 0.0);
  features[One] = 1;
  BlockRAM ram = getBlockRAM(part);
  for (const EngineStage &stage : plan.stages) {
    EngineParameters p = getEngineParameters(stage);
    features[Engines] += 1;
    features[Lanes] += double(p.lanes);
    // Lane 0 multiplies by 16-bit coefficients too; the other lanes' ABITS
    // x WBITS products take DSPs when they are wide enough.
    bool laneDSPs =
        !hasMultiplierFreeLanes(p.weightBits) &&
        p.activationBits + p.weightBits >= getMinDSPProductBits(part);
    // Lane 0 too adds when no layer scales by a coefficient.
    features[MultiplierLanes] += laneDSPs                ? double(p.lanes)
                                 : p.multiplierFreeLane0 ? 0.0
                                                         : 1.0;
    features[Layers] += double(p.layers);
    features[CounterBits] += double(p.counterBits);
    addMemory(ram, p.activationBits, p.activationDepth, features);
    addMemory(ram, p.weightBits * p.lanes, p.weightDepth, features);
    addMemory(ram, 128, p.requantDepth, features);
    if (p.weightDepth == 0)
      features[WeightlessEngines] += 1;
    features[HardSwishEngines] += p.hardSwish ? 1.0 : 0.0;
    features[ScaleEngines] += p.scale ? 1.0 : 0.0;
    features[ThresholdEngines] += p.thresholds ? 1.0 : 0.0;
  }
  return features;
}

llvm::StringRef fpga::stringifyResourceKind(ResourceKind kind) {
  static const llvm::StringRef names[] = {"lut", "ff", "dsp", "bram"};
  return names[size_t(kind)];
}

int64_t fpga::getResource(const Resources &r, ResourceKind kind) {
  switch (kind) {
  case ResourceKind::LUT:
    return r.luts;
  case ResourceKind::FF:
    return r.flipFlops;
  case ResourceKind::DSP:
    return r.dsps;
  case ResourceKind::BRAM:
    return r.brams;
  }
  return 0;
}

double fpga::getNominalClockMHz(const FPGAPart &part) {
  return part.nextpnrDevice.empty() ? 100.0 : 12.0;
}

double fpga::getDesignSeconds(int64_t latencyCycles, int64_t intervalCycles,
                              int64_t batch, double clockMHz) {
  double cycles =
      double(latencyCycles) +
      double(std::max<int64_t>(0, batch - 1)) * double(intervalCycles);
  return cycles / (clockMHz * 1e6);
}

ResourceModel ResourceModel::getDefault(const FPGAPart &part) {
  // LUTs and flip-flops: a fixed part, one per engine and one per lane,
  // solved from three reference designs per part (bench/RESULTS.md, "The
  // dataflow template beside the folded one": folded 1 and 4 lanes, a
  // 7-engine chain of 1 lane). DSPs: a multiplier per lane that has one
  // (binary and ternary lanes add instead), two for each engine's 32x16
  // requantizer. Block RAMs: the blocks the memories map to.
  ResourceModel model;
  model.part = part.name.str();
  model.fmaxMHz = getNominalClockMHz(part);
  // Counters: an engine's share per bit of its counters, measured by
  // synthesizing designs with their counters sized and at 32 bits
  // (bench/RESULTS.md, "Counters sized to the engine"); the reference
  // designs had 32.
  // The layers' coefficients in the program rather than a second read
  // port of the requantization memory: 125 fewer LUT4s an engine on iCE40
  // and 19 more flip-flops on the Zynq, the mean over four designs
  // (bench/RESULTS.md, "Coefficients in the program").
  // hswish and the channel scaling: an engine's logic for each, measured
  // by synthesizing one design with and without it (bench/RESULTS.md,
  // "hswish and squeeze-and-excitation"), the least-squares split of the
  // three (their register is shared).
  // Thresholds instead of the requantizer's multiply: an engine's logic
  // measured by synthesizing a 3-engine chain (2 of them comparing) with
  // and without them, with and without lane 0's adder (bench/RESULTS.md,
  // "Thresholds"); its 2 DSPs go.
  auto row = [](double one, double engines, double lanes,
                double multiplierLanes = 0, double counterBits = 0,
                double hardSwish = 0, double scale = 0, double thresholds = 0) {
    std::vector<double> c(NumFeatures, 0.0);
    c[One] = one;
    c[Engines] = engines - 32 * counterBits;
    c[Lanes] = lanes;
    c[MultiplierLanes] = multiplierLanes;
    c[CounterBits] = counterBits;
    c[HardSwishEngines] = hardSwish;
    c[ScaleEngines] = scale;
    c[ThresholdEngines] = thresholds;
    return c;
  };
  std::vector<double> dsp = row(0, 2, 0, 1, 0, 0, 0, -2),
                      bram(NumFeatures, 0.0);
  bram[BlockRAMs] = 1;
  if (part.name == "xc7z020") {
    model.coefficients = {row(680, 1314, 58, 0, 22, 43, 61, -34),
                          row(152, 1176, 61, 0, 25, 10, 11, 10), dsp, bram};
  } else if (part.name == "hx8k") {
    // No DSPs: the multipliers are logic (an 8x9 product about 80 LUT4s,
    // the 32x16 requantizer about 600), from the engine's structure only.
    model.coefficients = {row(1230, 1549, 84, 80, 24, 67, 45, -1527),
                          row(299, 556, 65, 0, 12, 10, 11, -27), row(0, 0, 0),
                          bram};
  } else {
    model.coefficients = {row(1230, 949, 84, 0, 24, 67, 45, -317),
                          row(299, 556, 65, 0, 12, 10, 11, 5), dsp, bram};
  }
  return model;
}

Resources ResourceModel::predict(llvm::ArrayRef<double> features) const {
  int64_t values[kNumResourceKinds];
  for (size_t r = 0; r < kNumResourceKinds; ++r) {
    double sum = 0;
    for (size_t f = 0; f < features.size() && f < coefficients[r].size(); ++f)
      sum += coefficients[r][f] * features[f];
    values[r] = std::max<int64_t>(0, std::llround(sum));
  }
  return {values[0], values[1], values[2], values[3]};
}

double ResourceModel::getClockMHz(const Resources &used,
                                  const FPGAPart &part) const {
  return getOverflows(used, getPartCapacity(part)).empty()
             ? fmaxMHz
             : getNominalClockMHz(part);
}

llvm::json::Value ResourceModel::toJSON() const {
  llvm::json::Object coefficientsByResource;
  for (size_t r = 0; r < kNumResourceKinds; ++r) {
    llvm::json::Object byFeature;
    for (size_t f = 0; f < NumFeatures; ++f)
      byFeature[getResourceFeatureNames()[f]] = coefficients[r][f];
    coefficientsByResource[stringifyResourceKind(ResourceKind(r))] =
        std::move(byFeature);
  }
  return llvm::json::Object{
      {"kind", "fpga_resources"},
      {"part", part},
      {"source", source},
      {"fmax_mhz", fmaxMHz},
      {"coefficients", std::move(coefficientsByResource)}};
}

llvm::Expected<ResourceModel>
ResourceModel::fromJSON(const llvm::json::Value &value) {
  auto bad = [](const llvm::Twine &why) {
    return llvm::createStringError("not an fpga resource model: " + why);
  };
  const llvm::json::Object *object = value.getAsObject();
  if (!object || object->getString("kind") != "fpga_resources")
    return bad("its kind is not \"fpga_resources\"");
  ResourceModel model;
  std::optional<llvm::StringRef> part = object->getString("part");
  if (!part)
    return bad("no part");
  model.part = part->str();
  model.source = object->getString("source").value_or("").str();
  // Models written before the Fmax: the part's nominal clock.
  llvm::Expected<FPGAPart> known = lookupFPGAPart(model.part);
  if (!known)
    return bad(llvm::toString(known.takeError()));
  model.fmaxMHz =
      object->getNumber("fmax_mhz").value_or(getNominalClockMHz(*known));
  if (!std::isfinite(model.fmaxMHz) || model.fmaxMHz <= 0)
    return bad("fmax_mhz is not a positive number");
  const llvm::json::Object *all = object->getObject("coefficients");
  if (!all)
    return bad("no coefficients");
  for (size_t r = 0; r < kNumResourceKinds; ++r) {
    llvm::StringRef name = stringifyResourceKind(ResourceKind(r));
    const llvm::json::Object *byFeature = all->getObject(name);
    if (!byFeature)
      return bad("no coefficients for " + name);
    for (llvm::StringRef feature : getResourceFeatureNames()) {
      std::optional<double> c = byFeature->getNumber(feature);
      // Models written before binary and ternary lanes count every lane's
      // multiplier in `lanes`, before sized counters their cost in
      // `engines`, and before hswish, squeeze-and-excitation and
      // thresholds had none.
      if (!c && (feature == "multiplier_lanes" || feature == "counter_bits" ||
                 feature == "hswish_engines" || feature == "scale_engines" ||
                 feature == "threshold_engines"))
        c = 0.0;
      if (!c || !std::isfinite(*c))
        return bad(name + " has no number for " + feature);
      model.coefficients[r].push_back(*c);
    }
  }
  return model;
}

ResourceModel fpga::fitResourceModel(const FPGAPart &part,
                                     llvm::ArrayRef<MeasuredDesign> rows,
                                     llvm::StringRef source) {
  ResourceModel model = ResourceModel::getDefault(part);
  model.source = source.str();
  for (size_t r = 0; r < kNumResourceKinds; ++r) {
    // Normal equations of the weighted least squares, with a ridge toward
    // the default model, small beside the data's scale: features the rows
    // never vary (no hswish engine, say) keep their default coefficients.
    std::vector<std::vector<double>> a(NumFeatures,
                                       std::vector<double>(NumFeatures, 0));
    std::vector<double> b(NumFeatures, 0);
    size_t used = 0;
    for (const MeasuredDesign &row : rows) {
      double y = double(getResource(row.measured, ResourceKind(r)));
      if (y <= 0)
        continue; // A resource the design does not use: nothing relative.
      ++used;
      for (size_t i = 0; i < NumFeatures; ++i) {
        b[i] += row.features[i] / y;
        for (size_t j = 0; j < NumFeatures; ++j)
          a[i][j] += row.features[i] * row.features[j] / (y * y);
      }
    }
    if (used == 0) {
      model.coefficients[r].assign(NumFeatures, 0.0);
      continue;
    }
    double scale = 0;
    for (size_t i = 0; i < NumFeatures; ++i)
      scale += a[i][i];
    double ridge = 1e-9 * scale / NumFeatures;
    for (size_t i = 0; i < NumFeatures; ++i) {
      a[i][i] += ridge;
      b[i] += ridge * model.coefficients[r][i];
    }
    model.coefficients[r] = solveSPD(std::move(a), std::move(b));
  }
  double sum = 0;
  size_t measured = 0;
  for (const MeasuredDesign &row : rows)
    if (row.fmaxMHz && *row.fmaxMHz > 0) {
      sum += *row.fmaxMHz;
      ++measured;
    }
  if (measured)
    model.fmaxMHz = sum / double(measured);
  return model;
}
