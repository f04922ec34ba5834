//===- CostModelTest.cpp - The hardware cost models -----------------------===//

#include "../NasTestUtils.h"

#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/CostModel/CostEvaluator.h"
#include "nasc/CostModel/CostModel.h"
#include "nasc/CostModel/Transfer.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Driver/SpaceCosts.h"
#include "nasc/Space/Space.h"
#include "nasc/Support/Numerics.h"
#include "nasc/Target/InitAllTargets.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <optional>
#include <set>

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;
using namespace nasc::hw;

namespace {

const char *kSpec = R"(
dataset d { input = [3, 32, 32]; classes = 10; }
target board : mobile {
  peak_compute = 10 GFLOPS;
  peak_int8 = 40 GOPS;
  bandwidth = 2 GB/s;
  overhead = 10 us;
}
target mcu : tiny { preset = stm32f746; }
network n on d {
  stem: conv(out = {8, 16}, kernel = 3) -> bn -> relu;
  body: choose {
    a: conv(kernel = {3, 5}, wbits = {8, 32}, abits = {8, 32}) -> relu;
    b: sep_conv(kernel = 3);
    c: mbconv(kernel = 3, expand = {3, 6});
  }
  pool: max_pool(kernel = 2, stride = 2);
  head: global_avg_pool -> fc(out = classes);
}
)";

class CostModelTest : public ::testing::Test {
protected:
  void SetUp() override {
    context.getOrLoadDialect<nas::NASDialect>();
    module = test::parseNas(context, kSpec);
    ASSERT_TRUE(module);
    spec = test::specOf(*module);
    FailureOr<Space> built = Space::build(spec);
    ASSERT_TRUE(succeeded(built));
    space.emplace(std::move(*built));
  }
  std::vector<LayerWork> layersOf(const Candidate &candidate) {
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    CostAnalysis analysis(*concrete->getOps<nas::SpecOp>().begin());
    EXPECT_FALSE(analysis.failed());
    return getLayerWork(analysis);
  }
  std::string tempPath(llvm::StringRef name) {
    llvm::SmallString<128> path;
    llvm::sys::fs::createTemporaryFile("nasc-cost", name, path);
    return path.str().str();
  }
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  nas::SpecOp spec;
  std::optional<Space> space;
};

/// The kernel records read the CPU backend's code through the registry.
static const bool backendsRegistered =
    (nasc::registerAllTargetBackends(), true);

TEST_F(CostModelTest, TargetsFromSpecsAndPresets) {
  std::vector<TargetDesc> targets = getSpecTargets(spec);
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0].name, "board");
  EXPECT_DOUBLE_EQ(targets[0].peakFlops, 10e9);
  EXPECT_DOUBLE_EQ(targets[0].bandwidth, 2e9);
  EXPECT_DOUBLE_EQ(targets[0].overhead, 10e-6);
  // The preset's datasheet figures.
  EXPECT_EQ(targets[1].preset, "stm32f746");
  EXPECT_DOUBLE_EQ(targets[1].sram, 320 * 1024);
  EXPECT_DOUBLE_EQ(targets[1].flash, 1024 * 1024);
  for (const TargetDesc &builtin : getBuiltinTargets())
    EXPECT_FALSE(builtin.source.empty()) << builtin.name;
}

TEST_F(CostModelTest, RooflineByHand) {
  TargetDesc target = getSpecTargets(spec)[0];
  LayerWork compute{"conv", "", 3, 1e6, 2e6, 1e4, 32, 32};
  // 2 MFLOP at 10 GFLOPS = 200 us > 10 KB at 2 GB/s = 5 us; + 10 us.
  EXPECT_NEAR(getRooflineLatency(target, compute), 210e-6, 1e-12);
  LayerWork memory{"relu", "", 0, 0, 1e4, 1e6, 32, 32};
  EXPECT_NEAR(getRooflineLatency(target, memory), 500e-6 + 10e-6, 1e-12);
  // 8-bit layers run at the int8 peak.
  LayerWork narrow = compute;
  narrow.weightBits = narrow.activationBits = 8;
  EXPECT_NEAR(getRooflineLatency(target, narrow), 50e-6 + 10e-6, 1e-12);
  // Energy: 1 M MACs at 4.6 pJ + 10 KB at 160 pJ; 8x8 bits: 1/16 of the MACs'.
  EXPECT_NEAR(getRooflineEnergy(target, compute), 4.6e-6 + 1.6e-6, 1e-15);
  EXPECT_NEAR(getRooflineEnergy(target, narrow), 4.6e-6 / 16 + 1.6e-6, 1e-15);
  // A candidate's estimate is the sum over its layers, each in whole
  // femtoseconds.
  Random random(1);
  Candidate candidate = space->sample(random);
  std::vector<LayerWork> layers = layersOf(candidate);
  double sum = 0;
  for (const LayerWork &layer : layers)
    sum += getRooflineLatency(target, layer);
  std::unique_ptr<CostModel> model = createAnalyticalModel(target);
  EXPECT_NEAR(model->estimate(Quantity::Latency, layers).value, sum,
              double(layers.size()) * 0.5e-15 + sum * 1e-15);
  EXPECT_EQ(getAnalyticalCount(target, Quantity::Latency, compute),
            uint64_t(210e9));
}

TEST_F(CostModelTest, RooflineChargesKernelsWithElementwiseWorkFused) {
  // [4, 8, 8]: a 1x1 conv to 8 channels, then BN and ReLU in records of
  // their own, then an mbconv keeping the shape (expand 2, kernel 3).
  OwningOpRef<ModuleOp> concrete = test::parseNas(context, R"(
    dataset d { input = [4, 8, 8]; classes = 10; }
    target board : mobile {
      peak_compute = 10 GFLOPS; bandwidth = 2 GB/s; overhead = 10 us;
    }
    network n on d {
      conv(out = 8, kernel = 1) -> bn -> relu;
      mbconv(kernel = 3, expand = 2);
    }
  )");
  ASSERT_TRUE(concrete);
  nas::SpecOp concreteSpec = test::specOf(*concrete);
  TargetDesc target = getSpecTargets(concreteSpec)[0];
  CostAnalysis analysis(concreteSpec);
  ASSERT_FALSE(analysis.failed());
  std::vector<LayerWork> layers = getLayerWork(analysis);
  ASSERT_EQ(layers.size(), 4u);
  // conv: 2·4·8·64 = 4096 FLOPs (0.4096 us) vs (256 + 512 + 32) · 4 bytes
  // (1.6 us), + 10 us.
  ASSERT_EQ(layers[0].kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(layers[0].kernels[0].bytes, 3200);
  EXPECT_NEAR(getRooflineLatency(target, layers[0]), 11.6e-6, 1e-15);
  // BN (2 FLOPs per element) and ReLU (1) fuse into the conv: their
  // FLOPs at the peak, no bytes, no overhead.
  EXPECT_TRUE(layers[1].kernels.empty());
  EXPECT_NEAR(getRooflineLatency(target, layers[1]), 1024 / 10e9, 1e-15);
  EXPECT_NEAR(getRooflineLatency(target, layers[2]), 512 / 10e9, 1e-15);
  EXPECT_DOUBLE_EQ(layers[2].bytes, 0);
  // mbconv: expand, depthwise, project and the residual add, each a
  // kernel; its BNs and activations fused.
  ASSERT_EQ(layers[3].kernels.size(), 4u);
  // Expand 8 -> 16: reads 512 + 128 weights, writes 1024 elements.
  EXPECT_DOUBLE_EQ(layers[3].kernels[0].bytes, (512 + 128 + 1024) * 4);
  // Depthwise 3x3 on 16 channels: 16 · 9 weights.
  EXPECT_DOUBLE_EQ(layers[3].kernels[1].bytes, (1024 + 144 + 1024) * 4);
  // The add reads both operands.
  EXPECT_DOUBLE_EQ(layers[3].kernels[3].bytes, (512 + 512 + 512) * 4);
  // BN after expand and depthwise (2 · 1024 each), ReLU6 (1024 each), BN
  // after project (2 · 512).
  EXPECT_DOUBLE_EQ(layers[3].fusedFlops, 2 * 2048 + 2 * 1024 + 1024);
  double kernels = 0;
  for (const LayerWork::Kernel &kernel : layers[3].kernels)
    kernels += std::max(kernel.flops / 10e9, kernel.bytes / 2e9) + 10e-6;
  EXPECT_NEAR(getRooflineLatency(target, layers[3]),
              kernels + layers[3].fusedFlops / 10e9, 1e-15);
}

TEST_F(CostModelTest, AnalyticalLatencyAndEnergyFoldAsEachCandidateEstimates) {
  RecordMetrics metrics = getAnalyticalRecordMetrics(spec);
  ASSERT_EQ(metrics.metrics.size(), 4u);
  EXPECT_EQ(metrics.metrics[0].name, "latency(board)");
  EXPECT_EQ(metrics.metrics[3].name, "energy(mcu)");
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
  ASSERT_TRUE(succeeded(model));
  model->setRecordMetrics(&metrics);
  std::vector<std::unique_ptr<CostModel>> models;
  for (const TargetDesc &target : getSpecTargets(spec))
    models.push_back(createAnalyticalModel(target));

  // Every candidate: the summed counts are its estimates, exactly.
  std::vector<double> low(4, INFINITY), high(4, 0);
  std::vector<std::vector<double>> values;
  for (int64_t i = 0, e = int64_t(space->size()); i < e; ++i) {
    Candidate candidate = space->unrank(llvm::DynamicAPInt(i));
    std::vector<LayerWork> layers = layersOf(candidate);
    FailureOr<CostTotals> totals = model->evaluate(candidate);
    ASSERT_TRUE(succeeded(totals));
    std::vector<double> row;
    for (size_t m = 0; m < 4; ++m) {
      Quantity quantity = m % 2 ? Quantity::Energy : Quantity::Latency;
      double estimate = models[m / 2]->estimate(quantity, layers).value;
      EXPECT_EQ(getRecordMetricValue(totals->recordSums[m], kAnalyticalUnit),
                estimate)
          << metrics.metrics[m].name << " " << space->encode(candidate);
      low[m] = std::min(low[m], estimate);
      high[m] = std::max(high[m], estimate);
      row.push_back(estimate);
    }
    values.push_back(row);
  }

  // Folded: the same extremes, and the count of a limit in the middle.
  double bound = (low[0] + high[0]) / 2;
  std::vector<MetricConstraint> limits = {
      {kNumCostMetrics, nas::Comparison::lt, bound, kAnalyticalUnit}};
  FailureOr<FoldedCosts> folded = foldSpaceCosts(*model, limits);
  ASSERT_TRUE(succeeded(folded));
  for (size_t m = 0; m < 4; ++m) {
    SCOPED_TRACE(metrics.metrics[m].name);
    EXPECT_EQ(
        getRecordMetricValue(folded->min[kNumCostMetrics + m], kAnalyticalUnit),
        low[m]);
    EXPECT_EQ(
        getRecordMetricValue(folded->max[kNumCostMetrics + m], kAnalyticalUnit),
        high[m]);
  }
  int64_t meeting = llvm::count_if(
      values, [&](const std::vector<double> &row) { return row[0] < bound; });
  EXPECT_GT(meeting, 0);
  EXPECT_TRUE(folded->feasible.isExact());
  EXPECT_EQ(folded->feasible.low, llvm::DynamicAPInt(meeting));
}

TEST_F(CostModelTest, StatsFoldedAndEnumeratedAgreeOnTargetCosts) {
  MLIRContext other;
  other.getOrLoadDialect<nas::NASDialect>();
  std::string text = kSpec;
  text += "constraints { latency(board) < 1 ms; energy(mcu) >= 20 uJ; "
          "params < 10 K; }\n";
  OwningOpRef<ModuleOp> constrained = test::parseNas(other, text);
  ASSERT_TRUE(constrained);
  FailureOr<Space> built = Space::build(test::specOf(*constrained));
  ASSERT_TRUE(succeeded(built));
  RecordMetrics metrics = getAnalyticalRecordMetrics(built->getSpec());
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*built);
  ASSERT_TRUE(succeeded(model));
  model->setRecordMetrics(&metrics);
  FailureOr<SpaceCosts> folded = computeSpaceCosts(*model, 0);
  // No segment is small enough to fold: every candidate is evaluated.
  FoldLimits none;
  none.maxSegmentCandidates = 1;
  FailureOr<SpaceCosts> enumerated = computeSpaceCosts(*model, 1000, none);
  ASSERT_TRUE(succeeded(folded) && succeeded(enumerated));
  EXPECT_TRUE(folded->folded);
  EXPECT_FALSE(enumerated->folded);
  EXPECT_EQ(folded->min, enumerated->min);
  EXPECT_EQ(folded->max, enumerated->max);
  ASSERT_EQ(folded->constraints.size(), 3u);
  for (size_t c = 0; c < 3; ++c) {
    SCOPED_TRACE(c);
    ASSERT_TRUE(folded->constraints[c].metric.has_value());
    EXPECT_TRUE(folded->constraints[c].satisfied.isExact());
    EXPECT_EQ(folded->constraints[c].satisfied.low,
              enumerated->constraints[c].satisfied.low);
  }
  EXPECT_EQ(folded->feasible.low, enumerated->feasible.low);
  // Not trivially all or none.
  EXPECT_GT(folded->feasible.low, llvm::DynamicAPInt(0));
  EXPECT_LT(folded->feasible.low, built->size());
}

TEST_F(CostModelTest, TargetsWithoutFiguresHaveNoFoldedLatency) {
  MLIRContext other;
  other.getOrLoadDialect<nas::NASDialect>();
  OwningOpRef<ModuleOp> bare = test::parseNas(other, R"(
dataset d { input = [3, 8, 8]; classes = 10; }
target t : cpu { }
network n on d { conv(out = 8); global_avg_pool -> fc(out = 10); }
)");
  ASSERT_TRUE(bare);
  RecordMetrics metrics = getAnalyticalRecordMetrics(test::specOf(*bare));
  ASSERT_EQ(metrics.metrics.size(), 1u);
  EXPECT_EQ(metrics.metrics[0].name, "energy(t)");
  ASSERT_EQ(metrics.unavailable.size(), 1u);
  EXPECT_EQ(metrics.unavailable[0].first, "latency(t)");
}

TEST_F(CostModelTest, LookupTableExactAndInterpolated) {
  TargetDesc target = getSpecTargets(spec)[0];
  Random random(2);
  Candidate candidate = space->sample(random);
  std::vector<LayerWork> layers = layersOf(candidate);
  // Each layer costs 1 us per kMAC (1 us for a layer without MACs).
  auto truth = [](const LayerWork &layer) {
    return std::max(1.0, layer.macs / 1e3) * 1e-6;
  };
  std::string path = tempPath("csv");
  double total = 0;
  {
    std::ofstream out(path);
    out << "key,latency_ms\n";
    llvm::StringSet<> written;
    for (const LayerWork &layer : layers) {
      total += truth(layer);
      if (written.insert(layer.key).second)
        out << layer.key << "," << truth(layer) * 1e3 << "\n";
    }
  }
  std::string error;
  std::unique_ptr<CostModel> table = loadLookupTable(target, path, error);
  ASSERT_TRUE(table) << error;
  Estimate exact = table->estimate(Quantity::Latency, layers);
  EXPECT_NEAR(exact.value, total, 1e-12);
  EXPECT_FALSE(exact.interpolated);
  // A conv of another width: interpolated from the nearest conv, by MACs.
  LayerWork wider = layers.front();
  ASSERT_EQ(wider.kind, "conv");
  wider.key = "conv 3x32x32 32x32x32 k3 s1 g1 w32a32";
  wider.macs *= 2;
  Estimate guessed = table->estimate(Quantity::Latency, {wider});
  EXPECT_TRUE(guessed.interpolated);
  EXPECT_NEAR(guessed.value, 2 * truth(layers.front()), 1e-9);
  // Errors name the file and line.
  std::string bad = tempPath("csv");
  std::ofstream(bad) << "key,latency_ms\nconv 1x2 oops,3\n";
  EXPECT_FALSE(loadLookupTable(target, bad, error));
  EXPECT_NE(error.find(bad + ":2: 'conv 1x2 oops' is no layer key"),
            std::string::npos)
      << error;
}

TEST(NumericsTest, KendallByHand) {
  EXPECT_DOUBLE_EQ(kendall({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(kendall({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // One discordant pair of six: (5 - 1) / 6.
  EXPECT_NEAR(kendall({1, 2, 3, 4}, {1, 3, 2, 4}), 4.0 / 6, 1e-12);
  // τ-b with a tie in the first: 2 concordant pairs, 1 tied in a only:
  // 2 / sqrt(2 · 3) (scipy.stats.kendalltau gives 0.816496...).
  EXPECT_NEAR(kendall({1, 1, 2}, {1, 2, 3}), 2 / std::sqrt(6.0), 1e-12);
}

TEST_F(CostModelTest, CalibrationValidatesEachCandidateOnce) {
  // Noisy measurements (a latency the features cannot quite explain), then
  // every candidate measured a second time, identically. Cross-validated by
  // candidate, the duplicates change nothing (the fit weighs each candidate
  // twice, which leaves ridge regression's solution as it is); by row, each
  // candidate would be predicted by a model fitted to its own copy.
  TargetDesc target = getSpecTargets(spec)[0];
  Random random(5);
  std::vector<Measurement> rows;
  std::set<std::string> seen;
  for (int i = 0; rows.size() < 12 && i < 200; ++i) {
    Measurement m;
    Candidate candidate = space->sample(random);
    m.encoding = space->encode(candidate);
    if (!seen.insert(m.encoding).second)
      continue;
    m.layers = layersOf(candidate);
    std::unique_ptr<CostModel> roofline = createAnalyticalModel(target);
    m.latency = roofline->estimate(Quantity::Latency, m.layers).value *
                (1.5 + 0.1 * double(i % 7));
    rows.push_back(std::move(m));
  }
  ASSERT_EQ(rows.size(), 12u);
  std::vector<Measurement> twice = rows;
  twice.insert(twice.end(), rows.begin(), rows.end());
  std::string error;
  auto once = CalibratedModel::fit(target, Method::Predictor, rows, error);
  ASSERT_TRUE(once) << error;
  auto doubled = CalibratedModel::fit(target, Method::Predictor, twice, error);
  ASSERT_TRUE(doubled) << error;
  const Quality *a = once->getQuality(Quantity::Latency);
  const Quality *b = doubled->getQuality(Quantity::Latency);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->rows, 12u);
  EXPECT_EQ(a->candidates, 12u);
  EXPECT_EQ(b->rows, 24u);
  EXPECT_EQ(b->candidates, 12u);
  EXPECT_GT(a->meanAbsolutePercentageError, 1.0);
  EXPECT_NEAR(b->meanAbsolutePercentageError, a->meanAbsolutePercentageError,
              1e-6 * a->meanAbsolutePercentageError);
}

TEST_F(CostModelTest, CalibrationRecoversAKnownTruth) {
  TargetDesc target = getSpecTargets(spec)[0];
  // Measurements from a known model: latency = 3 × the roofline; energy a
  // linear function of the features the predictor uses.
  Random random(3);
  std::vector<Measurement> rows;
  for (int i = 0; i < 15; ++i) {
    Measurement m;
    Candidate candidate = space->sample(random);
    m.encoding = space->encode(candidate);
    m.layers = layersOf(candidate);
    std::unique_ptr<CostModel> roofline = createAnalyticalModel(target);
    m.latency = 3 * roofline->estimate(Quantity::Latency, m.layers).value;
    std::vector<double> x =
        getPredictorFeatures(target, Quantity::Energy, m.layers, false);
    m.energy = 1e-6 + 2e-12 * x[1] + 5e-12 * x[2] + 1e-7 * x.back();
    rows.push_back(std::move(m));
  }
  std::string error;
  std::unique_ptr<CalibratedModel> analytical =
      CalibratedModel::fit(target, Method::Analytical, rows, error);
  ASSERT_TRUE(analytical) << error;
  const Quality *quality = analytical->getQuality(Quantity::Latency);
  ASSERT_TRUE(quality);
  EXPECT_LT(quality->meanAbsolutePercentageError, 1e-6);
  EXPECT_DOUBLE_EQ(quality->within10, 1.0);
  Random other(4);
  Candidate unseen = space->sample(other);
  std::vector<LayerWork> layers = layersOf(unseen);
  double roofline =
      createAnalyticalModel(target)->estimate(Quantity::Latency, layers).value;
  EXPECT_NEAR(analytical->estimate(Quantity::Latency, layers).value,
              3 * roofline, 3 * roofline * 1e-9);

  std::unique_ptr<CalibratedModel> predictor =
      CalibratedModel::fit(target, Method::Predictor, rows, error);
  ASSERT_TRUE(predictor) << error;
  EXPECT_LT(
      predictor->getQuality(Quantity::Energy)->meanAbsolutePercentageError,
      2.0);
  EXPECT_GT(predictor->getQuality(Quantity::Energy)->spearman, 0.95);

  // Saved and loaded, the model estimates the same.
  std::string path = tempPath("json");
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << llvm::json::Value(predictor->toJSON());
  }
  std::unique_ptr<CalibratedModel> loaded = CalibratedModel::load(path, error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(loaded->getTarget().name, "board");
  EXPECT_NEAR(loaded->estimate(Quantity::Energy, layers).value,
              predictor->estimate(Quantity::Energy, layers).value, 1e-15);
  EXPECT_NEAR(loaded->estimate(Quantity::Energy, layers).relativeError,
              predictor->estimate(Quantity::Energy, layers).relativeError,
              1e-12);
  // Too few rows.
  EXPECT_FALSE(CalibratedModel::fit(target, Method::Predictor,
                                    llvm::ArrayRef(rows).take_front(3), error));
  EXPECT_NE(error.find("at least 5"), std::string::npos) << error;
}

TEST_F(CostModelTest, KernelsAreWhatTheCodeComputes) {
  OwningOpRef<ModuleOp> cells = test::parseNas(context, R"(
dataset d { input = [3, 8, 8]; classes = 4; }
cell c(nodes = 3) {
  edge 0 -> 1 : { k: conv(kernel = 3) -> bn; };
  edge 0 -> 2 : { z: zero; };
  edge 1 -> 2 : { z: zero; };
}
network n on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  c;
  conv(out = 8, kernel = 1) -> bn;
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(cells);
  std::string error;
  FailureOr<std::vector<LayerWork>> kernels =
      getKernelWork(test::specOf(*cells), error);
  ASSERT_TRUE(succeeded(kernels)) << error;
  // The cell's output is zero: its conv and everything before it are
  // dead; the last conv reads zeros but is computed. Its BN is folded.
  std::vector<std::string> convs;
  for (const LayerWork &k : *kernels)
    if (k.kind == "conv")
      convs.push_back(k.key);
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(convs[0], "conv ?x8x8x8xf32 1x1x8x8xf32 ?x8x8x8xf32 s1x1");
  bool hasFC = false;
  for (const LayerWork &k : *kernels)
    if (k.kind == "fc") {
      hasFC = true;
      EXPECT_EQ(k.macs, 8 * 4);
    }
  EXPECT_TRUE(hasFC);
  // The analysis counts every layer.
  CostAnalysis analysis(test::specOf(*cells));
  size_t analysed = 0;
  for (const LayerWork &layer : getLayerWork(analysis))
    analysed += layer.kind == "conv";
  EXPECT_EQ(analysed, 3u);
}

TEST_F(CostModelTest, FittedLookupTableRecoversPerKernelTimes) {
  TargetDesc target = getSpecTargets(spec)[0];
  // The truth: every kernel key takes its roofline times a factor of its
  // own (1 to 3, from its key's hash), plus 40 µs a network: additive,
  // but not the scaled roofline.
  auto truth = [&](llvm::ArrayRef<LayerWork> kernels) {
    double t = 40e-6;
    for (const LayerWork &k : kernels)
      t += getRooflineLatency(target, k) *
           (1 + double(llvm::hash_value(k.key) % 5) / 2);
    return t;
  };
  std::vector<Measurement> rows;
  for (int64_t i = 0; llvm::DynamicAPInt(i) < space->size(); ++i) {
    Candidate candidate = space->unrank(llvm::DynamicAPInt(i));
    Measurement m;
    m.encoding = space->encode(candidate);
    FailureOr<std::vector<LayerWork>> kernels =
        getCandidateLayers(*space, candidate, Records::Kernels);
    ASSERT_TRUE(succeeded(kernels));
    m.layers = std::move(*kernels);
    m.latency = truth(m.layers);
    rows.push_back(std::move(m));
  }
  ASSERT_GE(rows.size(), 20u);
  std::string error;
  auto table = CalibratedModel::fit(target, Method::LookupTable, rows, error,
                                    Records::Kernels);
  ASSERT_TRUE(table) << error;
  EXPECT_EQ(table->getRecords(), Records::Kernels);
  auto scaled = CalibratedModel::fit(target, Method::Analytical, rows, error,
                                     Records::Kernels);
  ASSERT_TRUE(scaled) << error;
  // Fitted on all rows, the table reproduces them; the scaled roofline,
  // one factor for all, cannot.
  double worstTable = 0, worstScaled = 0;
  for (const Measurement &m : rows) {
    Estimate e = table->estimate(Quantity::Latency, m.layers);
    EXPECT_FALSE(e.interpolated);
    worstTable = std::max(worstTable, std::fabs(e.value / m.latency - 1));
    worstScaled =
        std::max(worstScaled,
                 std::fabs(scaled->estimate(Quantity::Latency, m.layers).value /
                               m.latency -
                           1));
  }
  EXPECT_LT(worstTable, 0.02);
  EXPECT_GT(worstScaled, 0.10);
  EXPECT_GT(table->getQuality(Quantity::Latency)->within10,
            scaled->getQuality(Quantity::Latency)->within10);
  // A key it never saw: the scaled roofline, flagged.
  std::vector<LayerWork> unseen = rows.front().layers;
  unseen.front().key += " (unseen)";
  EXPECT_TRUE(table->estimate(Quantity::Latency, unseen).interpolated);
  // Saved and loaded: the same table.
  std::string path = tempPath("json");
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << llvm::json::Value(table->toJSON());
  }
  std::unique_ptr<CalibratedModel> loaded = CalibratedModel::load(path, error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(loaded->getMethod(), Method::LookupTable);
  EXPECT_EQ(loaded->getRecords(), Records::Kernels);
  for (const Measurement &m : rows)
    EXPECT_NEAR(loaded->estimate(Quantity::Latency, m.layers).value,
                table->estimate(Quantity::Latency, m.layers).value,
                1e-9 * m.latency);
}

/// A cell space of NAS-Bench-201's ops (125 cells) and a device that fuses:
/// a batch norm or activation right after a convolution (or an activation
/// after a batch norm) is free, one after anything else is a kernel of its
/// own; an add after a `zero` is skipped; every other record is its
/// roofline plus a launch. Additive in records in context, not in records.
class ContextTest : public ::testing::Test {
protected:
  void SetUp() override {
    context.getOrLoadDialect<nas::NASDialect>();
    module = test::parseNas(context, R"(
dataset d { input = [3, 16, 16]; classes = 10; }
target dev : gpu { peak_compute = 100 GFLOPS; bandwidth = 10 GB/s; }
ops cellops {
  none: zero;
  skip: identity;
  c1: relu -> conv(kernel = 1) -> bn;
  c3: relu -> conv(kernel = 3) -> bn;
  pool: avg_pool(kernel = 3);
}
cell c(nodes = 3) { edges all : cellops; }
network n on d {
  conv(out = 8, kernel = 3) -> bn;
  c;
  global_avg_pool -> fc(out = classes);
}
)");
    ASSERT_TRUE(module);
    FailureOr<Space> built = Space::build(test::specOf(*module));
    ASSERT_TRUE(succeeded(built));
    space.emplace(std::move(*built));
    target = getSpecTargets(test::specOf(*module))[0];
  }
  double fusedTruth(llvm::ArrayRef<LayerWork> layers, double slowdown,
                    double launch) {
    double t = 0;
    for (const LayerWork &layer : layers) {
      bool elementwise = layer.kind == "bn" || layer.kind == "relu";
      if (elementwise && (layer.context == "conv" || layer.context == "bn" ||
                          (layer.context == "relu" && layer.kind == "relu")))
        continue;
      if (layer.kind == "add" && layer.context == "zero")
        continue;
      double own = elementwise ? 8 * layer.flops / target.bandwidth
                               : getRooflineLatency(target, layer);
      t += slowdown * own + launch;
    }
    return t;
  }
  /// Every cell on the fused device, its compute and memory `slowdown` ×
  /// as slow, each kernel launched in `launch` seconds.
  std::vector<Measurement> measure(double slowdown = 1, double launch = 10e-6) {
    std::vector<Measurement> rows;
    for (int64_t i = 0; llvm::DynamicAPInt(i) < space->size(); ++i) {
      Candidate candidate = space->unrank(llvm::DynamicAPInt(i));
      Measurement m;
      m.encoding = space->encode(candidate);
      FailureOr<std::vector<LayerWork>> layers =
          getCandidateLayers(*space, candidate);
      EXPECT_TRUE(succeeded(layers));
      m.layers = std::move(*layers);
      m.latency = fusedTruth(m.layers, slowdown, launch);
      rows.push_back(std::move(m));
    }
    return rows;
  }
  /// The first `count` of `rows` shuffled (SplitMix64, so the same on every
  /// machine): cross-validation's folds must not be whole values of the
  /// last edge, as they would be in rank order.
  static std::vector<Measurement> pick(std::vector<Measurement> rows,
                                       size_t count, uint64_t seed) {
    Random random(seed);
    for (size_t i = rows.size(); i > 1; --i)
      std::swap(rows[i - 1], rows[random.below(i)]);
    rows.resize(count);
    return rows;
  }
  /// The worst relative error of `model` on `rows`.
  static double worst(const CalibratedModel &model,
                      llvm::ArrayRef<Measurement> rows) {
    double e = 0;
    for (const Measurement &m : rows)
      e = std::max(e,
                   std::fabs(model.estimate(Quantity::Latency, m.layers).value /
                                 m.latency -
                             1));
    return e;
  }
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::optional<Space> space;
  TargetDesc target;
};

TEST_F(ContextTest, FittedLookupTableLearnsFusionInContext) {
  std::vector<Measurement> rows = measure();
  ASSERT_EQ(rows.size(), 125u);
  // The record before a cell's first relu is the stem's batch norm, and a
  // record's context is the kind before it.
  EXPECT_EQ(rows.front().layers.front().context, "");
  EXPECT_EQ(rows.front().layers[1].context, "conv");
  EXPECT_EQ(getContextKey(rows.front().layers[1]).substr(0, 8), "conv>bn ");
  // Fitted to 60 cells, scored on all.
  std::vector<Measurement> fitted = pick(rows, 60, 1);
  std::string error;
  auto table = CalibratedModel::fit(target, Method::LookupTable, fitted, error);
  ASSERT_TRUE(table) << error;
  auto predictor =
      CalibratedModel::fit(target, Method::Predictor, fitted, error);
  ASSERT_TRUE(predictor) << error;
  EXPECT_EQ(table->describeFit(Quantity::Latency),
            "scaled roofline, keys in context");
  EXPECT_LT(worst(*table, rows), 0.01);
  // No per-record feature sees the fusion.
  EXPECT_GT(worst(*predictor, rows), 0.10);
  EXPECT_GT(table->getQuality(Quantity::Latency)->spearman, 0.99);
  EXPECT_LT(table->getQuality(Quantity::Latency)->meanAbsolutePercentageError,
            1.0);
}

TEST_F(ContextTest, GraphMethodLearnsFusionFromTheRecordGraph) {
  // The graph network sees a record's inputs and consumers and the kind
  // executed before it: the batch norm fused into the convolution, the
  // add after a zero. Fitted to 100 cells, scored on all 125.
  std::vector<Measurement> rows = measure();
  std::string error;
  auto graph =
      CalibratedModel::fit(target, Method::Graph, pick(rows, 100, 1), error);
  ASSERT_TRUE(graph) << error;
  EXPECT_EQ(graph->describeFit(Quantity::Latency), "roofline in context");
  size_t within = 0;
  for (const Measurement &m : rows)
    within += std::fabs(graph->estimate(Quantity::Latency, m.layers).value /
                            m.latency -
                        1) <= 0.10;
  EXPECT_GE(double(within) / double(rows.size()), 0.95) << within;
  const Quality *quality = graph->getQuality(Quantity::Latency);
  ASSERT_TRUE(quality);
  // Cross-validated on 80 cells a fold: a network needs more than the
  // table's handful of keys (0.89 here).
  EXPECT_GT(quality->spearman, 0.8);
  // Without target figures it still applies, over a nominal roofline.
  TargetDesc bare;
  bare.name = "phone";
  auto measuredOnly =
      CalibratedModel::fit(bare, Method::Graph, pick(rows, 25, 2), error);
  ASSERT_TRUE(measuredOnly) << error;
  EXPECT_EQ(measuredOnly->describeFit(Quantity::Latency),
            "nominal roofline in context");
  // Saved and loaded: the same estimates.
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile("nasc-graph", "json", path);
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << llvm::json::Value(graph->toJSON());
  }
  std::unique_ptr<CalibratedModel> loaded = CalibratedModel::load(path, error);
  ASSERT_TRUE(loaded) << error;
  EXPECT_EQ(loaded->getMethod(), Method::Graph);
  for (const Measurement &m : rows)
    EXPECT_NEAR(loaded->estimate(Quantity::Latency, m.layers).value,
                graph->estimate(Quantity::Latency, m.layers).value,
                1e-9 * m.latency);
  llvm::sys::fs::remove(path);
}

TEST_F(ContextTest, PriorTransfersToARelatedDevice) {
  // Device A: the fused device, 60 cells measured. Device B: the same
  // runtime on a chip 1.7x slower in compute and memory and 1.5x in its
  // launches, 10 cells measured.
  std::vector<Measurement> a = measure(), b = measure(1.7, 15e-6);
  std::vector<Measurement> fitA = pick(a, 60, 1), fitB = pick(b, 10, 2);
  std::string error;
  std::shared_ptr<const CalibratedModel> prior =
      CalibratedModel::fit(target, Method::LookupTable, fitA, error);
  ASSERT_TRUE(prior) << error;
  auto without = CalibratedModel::fit(target, Method::LookupTable, fitB, error);
  ASSERT_TRUE(without) << error;
  auto with = CalibratedModel::fit(target, Method::LookupTable, fitB, error,
                                   Records::Layers, {prior});
  ASSERT_TRUE(with) << error;
  EXPECT_EQ(with->describeFit(Quantity::Latency).substr(0, 22),
            "scaled prior 1 (dev), ");
  EXPECT_LT(worst(*with, b), 0.05);
  EXPECT_GT(worst(*without, b), 2 * worst(*with, b));
  // The predictor takes the prior as a feature.
  auto predictor = CalibratedModel::fit(target, Method::Predictor, fitB, error,
                                        Records::Layers, {prior});
  ASSERT_TRUE(predictor) << error;
  EXPECT_LT(worst(*predictor, b), 0.05);
  // Saved with its prior inside, loaded: the same estimates.
  for (const CalibratedModel *model : {with.get(), predictor.get()}) {
    llvm::SmallString<128> path;
    llvm::sys::fs::createTemporaryFile("nasc-prior", "json", path);
    {
      std::error_code ec;
      llvm::raw_fd_ostream out(path, ec);
      out << llvm::json::Value(model->toJSON());
    }
    std::unique_ptr<CalibratedModel> loaded =
        CalibratedModel::load(path, error);
    ASSERT_TRUE(loaded) << error;
    for (const Measurement &m : b)
      EXPECT_NEAR(loaded->estimate(Quantity::Latency, m.layers).value,
                  model->estimate(Quantity::Latency, m.layers).value,
                  1e-9 * m.latency);
  }
  // A prior must read the records the calibration reads.
  EXPECT_FALSE(CalibratedModel::fit(target, Method::LookupTable, fitB, error,
                                    Records::Kernels, {prior}));
  EXPECT_NE(error.find("a prior model reads layers"), std::string::npos)
      << error;
}

TEST_F(ContextTest, EstimatesAreAConstantPlusRecordValues) {
  // What a prior lends a model is this decomposition, for every method.
  std::vector<Measurement> a = measure(), b = measure(1.7, 15e-6);
  std::string error;
  std::shared_ptr<const CalibratedModel> prior =
      CalibratedModel::fit(target, Method::Predictor, pick(a, 60, 1), error);
  ASSERT_TRUE(prior) << error;
  for (Method method : {Method::Analytical, Method::Predictor,
                        Method::LookupTable, Method::Graph})
    for (bool withPrior : {false, true}) {
      std::vector<std::shared_ptr<const CalibratedModel>> priors;
      if (withPrior)
        priors.push_back(prior);
      auto model = CalibratedModel::fit(target, method, pick(b, 20, 3), error,
                                        Records::Layers, priors);
      ASSERT_TRUE(model) << error;
      for (size_t i = 0; i < b.size(); i += 7) {
        double sum = model->getConstant(Quantity::Latency);
        for (double value :
             model->getRecordValues(Quantity::Latency, b[i].layers))
          sum += value;
        EXPECT_NEAR(model->estimate(Quantity::Latency, b[i].layers).value, sum,
                    1e-9 * b[i].latency)
            << stringifyMethod(method).str()
            << (withPrior ? " with prior" : "");
      }
    }
}

TEST_F(ContextTest, TablesWrittenBeforeCorrectionsStillLoad) {
  // A model file of a lookup table whose values are a key's whole time
  // (no `table_holds`): a key in it costs its value, one not in it the
  // scaled roofline.
  std::vector<Measurement> rows = measure();
  const LayerWork &stem = rows.front().layers.front();
  std::string path;
  {
    llvm::SmallString<128> file;
    llvm::sys::fs::createTemporaryFile("nasc-table", "json", file);
    path = file.str().str();
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << llvm::json::Value(llvm::json::Object{
        {"nasc_cost_model", 1},
        {"method", "lookup_table"},
        {"target", llvm::json::Object{{"name", "dev"},
                                      {"peak_flops", 100e9},
                                      {"bandwidth", 10e9}}},
        {"fits", llvm::json::Array{llvm::json::Object{
                     {"quantity", "latency"},
                     {"scale", 2.0},
                     {"intercept", 1e-6},
                     {"table", llvm::json::Object{{stem.key, 5e-6}}}}}}});
  }
  std::string error;
  std::unique_ptr<CalibratedModel> model = CalibratedModel::load(path, error);
  ASSERT_TRUE(model) << error;
  double expected = 1e-6 + 5e-6;
  for (const LayerWork &layer :
       llvm::ArrayRef(rows.front().layers).drop_front())
    expected += 2 * getRooflineLatency(target, layer);
  Estimate e = model->estimate(Quantity::Latency, rows.front().layers);
  EXPECT_NEAR(e.value, expected, 1e-12);
  EXPECT_TRUE(e.interpolated);
}

TEST_F(CostModelTest, EvaluatorNamesMetricsByTarget) {
  std::string error;
  std::vector<std::shared_ptr<const CostModel>> models =
      loadCostModels(spec, {}, {}, error);
  ASSERT_TRUE(error.empty()) << error;
  CostEvaluator evaluator(*space, models);
  EXPECT_TRUE(evaluator.provides("latency(board)"));
  EXPECT_TRUE(evaluator.provides("energy(mcu)"));
  EXPECT_FALSE(evaluator.provides("latency(gpu)"));
  EXPECT_FALSE(evaluator.provides("latency")); // two targets: ambiguous
  Random random(5);
  Candidate candidate = space->sample(random);
  search::Evaluation out;
  std::vector<std::string> metrics = {"latency(board)", "energy(board)"};
  out.values.assign(2, std::nan(""));
  evaluator.evaluate(candidate, space->encode(candidate), metrics, out);
  ASSERT_TRUE(out.ok) << out.message;
  EXPECT_GT(out.values[0], 0);
  EXPECT_GT(out.values[1], 0);
}

} // namespace

namespace {
/// A spec's space and the cost models of its declared targets, from
/// `.nas` text, and the metrics a CostEvaluator gives its candidates.
struct EvaluatedSpec {
  explicit EvaluatedSpec(const char *text) {
    context.getOrLoadDialect<nas::NASDialect>();
    module = test::parseNas(context, text);
    if (!module)
      return;
    FailureOr<Space> built = Space::build(test::specOf(*module));
    if (failed(built))
      return;
    space.emplace(std::move(*built));
    models = loadCostModels(test::specOf(*module), {}, {}, error);
  }
  bool ok() const { return space && error.empty() && !models.empty(); }
  /// `metric` of the candidate `encoding` (NaN after a failure).
  double evaluate(const std::string &encoding, const std::string &metric) {
    FailureOr<Candidate> candidate = space->decode(encoding, error);
    EXPECT_TRUE(succeeded(candidate)) << error;
    if (failed(candidate))
      return std::nan("");
    search::Evaluation out;
    out.values.assign(1, std::nan(""));
    CostEvaluator(*space, models).evaluate(*candidate, encoding, {metric}, out);
    EXPECT_TRUE(out.ok) << out.message;
    return out.values[0];
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  std::optional<Space> space;
  std::vector<std::shared_ptr<const CostModel>> models;
  std::string error;
};
} // namespace

TEST(HostVectorTest, AnalyticalLatencyReadsTheCandidatesVector) {
  // host_cpu's peak is measured with the vectors a candidate's `vector`
  // decides (256-bit AVX2 or 512-bit AVX-512, as this machine has them),
  // and its analytical latency is the roofline at that peak.
  EvaluatedSpec spec(R"(
dataset d { input = [64, 16, 16]; classes = 10; }
target host : cpu { preset = host_cpu; tunable vector = {"avx2", "avx512"}; }
network n on d {
  conv(out = 128, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(spec.ok()) << spec.error;
  ASSERT_EQ(spec.models.size(), 1u);
  const CostModel &model = *spec.models[0];
  EXPECT_DOUBLE_EQ(model.getTarget().peakFlops, measureHostPeakFlops(512));
  for (auto [vector, bits] : {std::pair{"avx2", 256u}, {"avx512", 512u}}) {
    std::string encoding = std::string("host.vector=") + vector;
    double latency = spec.evaluate(encoding, "latency(host)");
    TargetDesc host = model.getTarget();
    host.peakFlops = measureHostPeakFlops(bits);
    host.schedule.vectorBits = bits;
    FailureOr<Candidate> candidate = spec.space->decode(encoding, spec.error);
    ASSERT_TRUE(succeeded(candidate)) << spec.error;
    FailureOr<std::vector<LayerWork>> layers =
        getCandidateLayers(*spec.space, *candidate, model.getRecords());
    ASSERT_TRUE(succeeded(layers));
    EXPECT_DOUBLE_EQ(
        latency,
        createAnalyticalModel(host)->estimate(Quantity::Latency, *layers).value)
        << vector;
  }
}

TEST_F(CostModelTest, TransferReranksTrialsOnTheNewTarget) {
  TargetDesc target = getSpecTargets(spec)[0];
  // A model twice as slow as the roofline: the trials' latencies on the
  // new target are its estimates, and the front is by latency.
  Random random(5);
  std::vector<Measurement> rows;
  std::vector<Candidate> candidates;
  for (int i = 0; i < 8; ++i) {
    Measurement m;
    Candidate candidate = space->sample(random);
    candidates.push_back(candidate);
    m.encoding = space->encode(candidate);
    m.layers = layersOf(candidate);
    m.latency = 2 * createAnalyticalModel(target)
                        ->estimate(Quantity::Latency, m.layers)
                        .value;
    rows.push_back(std::move(m));
  }
  std::string error;
  std::unique_ptr<CalibratedModel> model =
      CalibratedModel::fit(target, Method::Analytical, rows, error);
  ASSERT_TRUE(model) << error;

  // A search's trials.csv: a failed row, a duplicate, then the rest.
  std::string path = tempPath("csv");
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << "number,encoding,status,accuracy [fraction]\n";
    out << "0,\"" << space->encode(candidates[0]) << "\",failed,\n";
    for (size_t i = 0; i < candidates.size(); ++i)
      out << i + 1 << ",\"" << space->encode(candidates[i]) << "\",ok,"
          << 0.5 + 0.05 * double(i) << "\n";
    out << "9,\"" << space->encode(candidates[1]) << "\",ok,0.99\n";
  }
  std::optional<TransferredTrials> trials =
      loadTransferredTrials(*space, *model, path, error);
  ASSERT_TRUE(trials) << error;
  EXPECT_TRUE(trials->withAccuracy);
  // The distinct candidates, first occurrence kept.
  llvm::StringSet<> distinct;
  for (const Candidate &c : candidates)
    distinct.insert(space->encode(c));
  ASSERT_EQ(trials->trials.size(), distinct.size());
  EXPECT_DOUBLE_EQ(trials->trials[1].accuracy, 0.55);
  for (const TransferredTrial &trial : trials->trials)
    EXPECT_DOUBLE_EQ(
        trial.latency,
        model->estimate(Quantity::Latency, layersOf(trial.candidate)).value);
  // The front: none dominated, by increasing latency and accuracy.
  std::vector<size_t> front = getTransferFront(*trials);
  ASSERT_FALSE(front.empty());
  for (size_t k = 1; k < front.size(); ++k) {
    EXPECT_LT(trials->trials[front[k - 1]].latency,
              trials->trials[front[k]].latency);
    EXPECT_LT(trials->trials[front[k - 1]].accuracy,
              trials->trials[front[k]].accuracy);
  }

  // Bad data: the file and line.
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    out << "encoding,status,accuracy\n\"" << space->encode(candidates[0])
        << "\",ok,high\n";
  }
  EXPECT_FALSE(loadTransferredTrials(*space, *model, path, error));
  EXPECT_EQ(error, path + ":2: accuracy 'high' is not a number");
}

TEST(TileModelTest, EfficiencyOfTheCodesTilesByHand) {
  // A 1x1 convolution of 64 -> 64 channels at 8 columns: tiles of 8
  // columns; a step is one input channel.
  KernelNest conv;
  conv.kind = KernelNest::Kind::Conv;
  conv.channels = 64;
  conv.columns = 8;
  conv.reduction = 64;
  conv.window = 1;
  TargetDesc::CPUSchedule avx512{512, {}};
  // 32 channels: 16 accumulators in 2 vectors of 16 lanes; 16 FMAs (8
  // cycles on two pipes) against 8 broadcasts and 2 filter loads (5).
  EXPECT_DOUBLE_EQ(getTileEfficiency(avx512, conv), 1.0);
  // 16 channels: 8 FMAs (4 cycles) against 9 loads (4.5 cycles).
  TargetDesc::CPUSchedule narrow{512, {8, 16, 8}};
  EXPECT_DOUBLE_EQ(getTileEfficiency(narrow, conv), 4.0 / 4.5);
  // AVX2 (16 registers of 8 lanes), 32 channels: 32 accumulators, 8
  // broadcasts and 4 filter vectors live, 28 past the file: 28 stores (28
  // cycles) against 32 FMAs (16).
  TargetDesc::CPUSchedule avx2{256, {}};
  EXPECT_DOUBLE_EQ(getTileEfficiency(avx2, conv), 16.0 / 28.0);
  // 72 channels in a tile of 32 and a peeled rest of 8: 5 registers of 16
  // lanes for 72 channels.
  conv.channels = 72;
  EXPECT_NEAR(getTileEfficiency(avx512, conv), 72.0 / 80.0, 1e-12);
  // A 3x3 convolution of 2 columns: 6 FMAs a step (3 cycles), each of its
  // 2 accumulators a chain of 3 dependent ones (12 cycles).
  conv.channels = 16;
  conv.columns = 2;
  conv.window = 3;
  EXPECT_DOUBLE_EQ(getTileEfficiency(avx512, conv), 3.0 / 12.0);
  // Without a schedule (another kind of target) or for another nest: 1.
  EXPECT_DOUBLE_EQ(getTileEfficiency({}, conv), 1.0);
  KernelNest other;
  EXPECT_DOUBLE_EQ(getTileEfficiency(avx512, other), 1.0);
  // A 3x3 average pool of 16 channels at 8 columns: a step is a window
  // row, 24 adds (one FLOP each, 12 cycles) against 10 loads and 8
  // stores of the accumulators.
  KernelNest pool;
  pool.kind = KernelNest::Kind::Pool;
  pool.channels = 16;
  pool.columns = 8;
  pool.reduction = 1;
  pool.window = 3;
  EXPECT_DOUBLE_EQ(getTileEfficiency(avx512, pool), 0.5);
}

TEST(TileModelTest, RooflineOfACPUTargetReadsItsTiles) {
  // The analytical latency of a cpu target's candidate follows its tiles:
  // a schedule whose tiles reach less of the peak takes longer.
  EvaluatedSpec spec(R"(
dataset d { input = [64, 8, 8]; classes = 10; }
target host : cpu {
  peak_compute = 100 GFLOPS;
  bandwidth = 1000 GB/s;
  tunable vector = {"avx2", "avx512"};
  tunable tile_channels = {16, 32};
}
network n on d { conv(out = 64, kernel = 1); }
)");
  ASSERT_TRUE(spec.ok()) << spec.error;
  auto latency = [&](const char *encoding) {
    return spec.evaluate(encoding, "latency(host)");
  };
  // 524,288 FLOPs at 100 GFLOP/s: 5.24 us at the whole peak.
  EXPECT_NEAR(latency("host.tile_channels=32 host.vector=avx512"),
              524288 / 100e9, 1e-12);
  EXPECT_NEAR(latency("host.tile_channels=16 host.vector=avx512"),
              524288 / 100e9 * 4.5 / 4.0, 1e-12);
  EXPECT_NEAR(latency("host.tile_channels=32 host.vector=avx2"),
              524288 / 100e9 * 28.0 / 16.0, 1e-12);
}

TEST(TileModelTest, SpaceCostsCoverEverySchedule) {
  // --emit=stats' costs over a space whose cpu target has schedule
  // tunables: folded, and enumerated one by one, they are the least and
  // greatest of the candidates' own latencies (each at its schedule), and
  // a latency constraint is met by as many candidates as evaluating each
  // says. Before, both took every candidate at the default schedule.
  EvaluatedSpec spec(R"(
dataset d { input = [64, 8, 8]; classes = 10; }
target host : cpu {
  peak_compute = 100 GFLOPS;
  bandwidth = 1000 GB/s;
  tunable vector = {"avx2", "avx512"};
  tunable tile_channels = {16, 32};
}
network n on d { conv(out = {32, 64}, kernel = 1); }
constraints { latency(host) < 0.006 ms; }
)");
  ASSERT_TRUE(spec.ok()) << spec.error;
  double least = INFINITY, greatest = 0;
  int64_t meeting = 0;
  for (int64_t i = 0; i < int64_t(spec.space->size()); ++i) {
    std::string encoding =
        spec.space->encode(spec.space->unrank(llvm::DynamicAPInt(i)));
    double latency = spec.evaluate(encoding, "latency(host)");
    least = std::min(least, latency);
    greatest = std::max(greatest, latency);
    meeting += latency < 0.006e-3;
  }
  // The schedules differ: the default alone would not reach both ends.
  ASSERT_LT(least * 1.5, greatest / 2);
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*spec.space);
  ASSERT_TRUE(succeeded(model));
  RecordMetrics metrics = getAnalyticalRecordMetrics(spec.space->getSpec());
  EXPECT_EQ(metrics.variants.size(), 4u);
  model->setRecordMetrics(&metrics);
  FoldLimits noFolding;
  noFolding.maxSegmentCandidates = 0;
  for (bool fold : {true, false}) {
    FailureOr<SpaceCosts> costs =
        computeSpaceCosts(*model, 100, fold ? FoldLimits() : noFolding);
    ASSERT_TRUE(succeeded(costs));
    ASSERT_EQ(costs->folded, fold);
    SCOPED_TRACE(fold ? "folded" : "enumerated");
    size_t m = kNumCostMetrics; // latency(host)
    ASSERT_EQ(getMetricName(*costs, m), "latency(host)");
    EXPECT_NEAR(getRecordMetricValue(costs->min[m], metrics.metrics[0].unit),
                least, least * 1e-6);
    EXPECT_NEAR(getRecordMetricValue(costs->max[m], metrics.metrics[0].unit),
                greatest, greatest * 1e-6);
    EXPECT_EQ(costs->feasible.low, llvm::DynamicAPInt(meeting));
    EXPECT_EQ(costs->feasible.high, llvm::DynamicAPInt(meeting));
    // The candidates named as reaching them take their schedules.
    EXPECT_NEAR(spec.evaluate(costs->argmin[m], "latency(host)"), least,
                least * 1e-6);
    EXPECT_NEAR(spec.evaluate(costs->argmax[m], "latency(host)"), greatest,
                greatest * 1e-6);
  }
}

TEST(StoragePrecisionTest, RooflineOfAGPUTargetReadsItsPrecision) {
  // A gpu target whose code stores floats as halves (`precision = fp16`)
  // moves half the bytes: a memory-bound float layer takes half the time
  // and half the memory energy. An int8 layer's bytes do not change.
  EvaluatedSpec spec(R"(
dataset d { input = [64, 8, 8]; classes = 10; }
target g : gpu {
  peak_compute = 1000 TFLOPS;
  bandwidth = 1 GB/s;
  tunable precision = {"fp32", "fp16"};
}
network n on d {
  conv(out = 64, kernel = 1);
  conv(out = 64, kernel = 1, wbits = 8, abits = 8);
}
)");
  ASSERT_TRUE(spec.ok()) << spec.error;
  double full = spec.evaluate("g.precision=fp32", "latency(g)");
  double half = spec.evaluate("g.precision=fp16", "latency(g)");
  // Float conv: 64x64 weights and 2x64x64 activations at 4 bytes; the
  // int8 one at 1 byte.
  double floatBytes = 4.0 * (64 * 64 + 2 * 64 * 64);
  double intBytes = 1.0 * (64 * 64 + 2 * 64 * 64);
  EXPECT_NEAR(full, (floatBytes + intBytes) / 1e9, 1e-9);
  EXPECT_NEAR(half, (floatBytes / 2 + intBytes) / 1e9, 1e-9);
  EXPECT_LT(spec.evaluate("g.precision=fp16", "energy(g)"),
            spec.evaluate("g.precision=fp32", "energy(g)"));
}

TEST(CacheBandwidthTest, KernelsThatFitACacheMoveAtItsBandwidth) {
  // A cache-aware roofline: each kernel's bytes move at the bandwidth of
  // the smallest working set holding them, else at the memory's.
  TargetDesc target;
  target.peakFlops = 1e12;
  target.bandwidth = 10e9;
  target.cacheBandwidths = {{64e3, 200e9}, {1e6, 50e9}};
  auto latency = [&](double bytes) {
    LayerWork layer;
    layer.perKernel = true;
    layer.kernels.push_back({0, bytes, {}});
    return getRooflineLatency(target, layer);
  };
  EXPECT_NEAR(latency(32e3), 32e3 / 200e9, 1e-15);
  EXPECT_NEAR(latency(64e3), 64e3 / 200e9, 1e-15);
  EXPECT_NEAR(latency(512e3), 512e3 / 50e9, 1e-15);
  EXPECT_NEAR(latency(4e6), 4e6 / 10e9, 1e-15);
  // This machine's: five working sets, ascending, each with a bandwidth.
  std::vector<TargetDesc::CacheBandwidth> host = measureHostCacheBandwidths();
  ASSERT_EQ(host.size(), 5u);
  for (size_t i = 0; i < host.size(); ++i) {
    EXPECT_GT(host[i].bandwidth, 0);
    if (i > 0) {
      EXPECT_GT(host[i].bytes, host[i - 1].bytes);
    }
  }
}
