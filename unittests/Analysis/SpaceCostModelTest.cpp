//===- SpaceCostModelTest.cpp - The compiled cost model ------------------===//
//
// The model's costs of a candidate must be exactly those of materializing
// it and running CostAnalysis, on random samples of every example and of
// specs that exercise each way the model follows a candidate (choices,
// shared and searched repeats, compression defaults, cells, residuals with
// a searched stride, cells with several inputs).
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/SpaceCostModel.h"
#include "../NasTestUtils.h"
#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace nasc;

using llvm::DynamicAPInt;

namespace {

class SpaceCostModelTest : public ::testing::Test {
protected:
  SpaceCostModelTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << diag.getLocation() << ": " << diag.str();
      errors.push_back(text);
    });
  }

  OwningOpRef<ModuleOp> parse(StringRef text, StringRef name = "test.nas") {
    return nasc::test::parseNas(context, text, name);
  }

  OwningOpRef<ModuleOp> parseExample(StringRef file) {
    return nasc::test::parseExample(context, file);
  }

  /// Checks the model against materialize + CostAnalysis on `samples`
  /// random candidates; returns how many were compared.
  int compareOnSamples(ModuleOp module, int samples, bool expectSplit) {
    nas::SpecOp spec = *module.getOps<nas::SpecOp>().begin();
    FailureOr<Space> space = Space::build(spec);
    EXPECT_TRUE(succeeded(space));
    if (failed(space))
      return 0;
    FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
    EXPECT_TRUE(succeeded(model));
    if (failed(model))
      return 0;
    EXPECT_EQ(model->isSplit(), expectSplit);
    Random random(7);
    int compared = 0;
    for (int i = 0; i < samples; ++i) {
      Candidate candidate = space->sample(random);
      std::string encoding = space->encode(candidate);
      OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
      CostAnalysis reference(*concrete->getOps<nas::SpecOp>().begin());
      FailureOr<CostTotals> fast = model->evaluate(candidate);
      EXPECT_EQ(reference.failed(), failed(fast))
          << encoding << (errors.empty() ? "" : "\n" + errors.front());
      if (reference.failed() || failed(fast))
        continue;
      const CostTotals &a = reference.getTotals(), &b = *fast;
      EXPECT_EQ(a.macs, b.macs) << encoding;
      EXPECT_EQ(a.flops, b.flops) << encoding;
      EXPECT_EQ(a.params, b.params) << encoding;
      EXPECT_EQ(a.modelBytes, b.modelBytes) << encoding;
      EXPECT_EQ(a.bops, b.bops) << encoding;
      EXPECT_EQ(a.activationBytes, b.activationBytes) << encoding;
      EXPECT_EQ(a.peakMemoryBytes, b.peakMemoryBytes) << encoding;
      ++compared;
    }
    return compared;
  }

  MLIRContext context;
  std::vector<std::string> errors;
};

TEST_F(SpaceCostModelTest, ExamplesMatchTheMaterializedAnalysis) {
  for (StringRef file : {"nb201.nas", "fbnet.nas", "mobile.nas"}) {
    SCOPED_TRACE(file.str());
    OwningOpRef<ModuleOp> module = parseExample(file);
    ASSERT_TRUE(module);
    EXPECT_EQ(compareOnSamples(*module, 200, /*expectSplit=*/true), 200);
  }
  EXPECT_TRUE(errors.empty()) << errors.front();
}

// Shared and searched repeats, compression defaults, a searched projection
// stride, a choice inside a residual, a cell inside a shared repeat.
constexpr const char *kEveryPath = R"(
dataset d { input = [3, 16, 16]; classes = 10; }
compress { wbits = {4, 8}; abits = {8, 16}; }
cell c(nodes = 3) {
  edge 0 -> 1 : { s: identity; p: conv(kernel = {1, 3}) -> bn; };
  edge 1 -> 2 : { s: identity; z: zero; m: max_pool; };
  edge 0 -> 2 : { s: identity; z: zero; };
}
network n on d {
  conv(out = {8, 16}, kernel = 3) -> bn -> relu;
  repeat {1, 2} shared { c; a: choose { r: relu; h: hswish; } }
  residual(shortcut = projection) {
    conv(out = 24, stride = {1, 2}) -> bn;
    mid: choose { k3: conv(kernel = 3); k5: sep_conv(kernel = 5); };
  }
  stage s { repeat 2 { b: choose { m: mbconv(expand = {3, 6}); i: identity; } } }
  repeat 1..3 { conv(kernel = 1, wbits = {2, 4}) -> bn; }
  global_avg_pool -> fc(out = 10);
}
)";

TEST_F(SpaceCostModelTest, EveryWayOfFollowingACandidate) {
  OwningOpRef<ModuleOp> module = parse(kEveryPath);
  ASSERT_TRUE(module) << errors.front();
  EXPECT_EQ(compareOnSamples(*module, 300, /*expectSplit=*/true), 300);
  EXPECT_TRUE(errors.empty()) << errors.front();
}

// A cell with two inputs reads the layer before the previous one: the
// network is analysed as one segment.
constexpr const char *kTwoInputCell = R"(
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 4, inputs = 2) {
  edge 0 -> 2 : { s: identity; p: conv(kernel = 1) -> bn; };
  edge 1 -> 2 : { s: identity; z: zero; };
  edge 2 -> 3 : { s: identity; m: avg_pool; };
}
network n on d {
  conv(out = 8) -> bn;
  c;
  w: choose { a: relu; b: conv(kernel = {1, 3}); }
  c;
  global_avg_pool -> fc(out = 10);
}
)";

TEST_F(SpaceCostModelTest, CellsWithSeveralInputsAreOneSegment) {
  OwningOpRef<ModuleOp> module = parse(kTwoInputCell);
  ASSERT_TRUE(module) << errors.front();
  EXPECT_EQ(compareOnSamples(*module, 100, /*expectSplit=*/false), 100);
  EXPECT_TRUE(errors.empty()) << errors.front();
}

} // namespace

//===----------------------------------------------------------------------===//
// Folding
//===----------------------------------------------------------------------===//

namespace {

// A few thousand candidates: small enough to enumerate, with a cell, a
// shared repeat, compression defaults and a searched stride.
constexpr const char *kFoldable = R"(
dataset d { input = [3, 16, 16]; classes = 10; }
compress { wbits = {4, 8}; }
cell c(nodes = 3) {
  edge 0 -> 1 : { s: identity; p: conv(kernel = {1, 3}) -> bn; };
  edge 1 -> 2 : { s: identity; m: max_pool; };
  edge 0 -> 2 : { s: identity; z: zero; };
}
network n on d {
  conv(out = {8, 16}, kernel = 3) -> bn -> relu;
  repeat {1, 2} shared { c; a: choose { r: relu; h: hswish; } }
  residual(shortcut = projection) {
    conv(out = 24, stride = {1, 2}) -> bn;
  }
  b: choose { m: mbconv(expand = {3, 6}); i: identity; }
  global_avg_pool -> fc(out = 10);
}
)";

struct Enumerated {
  std::vector<uint64_t> min, max;
  std::vector<std::vector<uint64_t>> all;
};

Enumerated enumerateAll(const Space &space, SpaceCostModel &model) {
  Enumerated result;
  result.min.assign(getNumMetrics(model), UINT64_MAX);
  result.max.assign(getNumMetrics(model), 0);
  for (int64_t i = 0, e = int64_t(space.size()); i < e; ++i) {
    FailureOr<CostTotals> totals =
        model.evaluate(space.unrank(llvm::DynamicAPInt(i)));
    EXPECT_TRUE(succeeded(totals));
    std::vector<uint64_t> metrics = getAllMetrics(*totals);
    for (size_t m = 0; m < metrics.size(); ++m) {
      result.min[m] = std::min(result.min[m], metrics[m]);
      result.max[m] = std::max(result.max[m], metrics[m]);
    }
    result.all.push_back(metrics);
  }
  return result;
}

int64_t countMeeting(const Enumerated &all,
                     llvm::ArrayRef<MetricConstraint> limits) {
  return llvm::count_if(all.all, [&](const std::vector<uint64_t> &metrics) {
    return llvm::all_of(limits, [&](const MetricConstraint &limit) {
      return limit.holds(metrics[limit.metric]);
    });
  });
}

} // namespace

TEST_F(SpaceCostModelTest, FoldingEqualsEnumeration) {
  OwningOpRef<ModuleOp> module = parse(kFoldable);
  ASSERT_TRUE(module) << errors.front();
  FailureOr<Space> space = Space::build(*module->getOps<nas::SpecOp>().begin());
  ASSERT_TRUE(succeeded(space));
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
  ASSERT_TRUE(succeeded(model));
  Enumerated truth = enumerateAll(*space, *model);
  ASSERT_GT(truth.all.size(), 1000u);

  // Limits near the middle of each range, on sums, bytes and the peak,
  // upper and lower.
  auto middle = [&](size_t m) {
    return double(truth.min[m] + truth.max[m]) / 2;
  };
  std::vector<MetricConstraint> limits = {
      {2, nas::Comparison::lt, middle(2)},
      {0, nas::Comparison::ge, middle(0) / 2},
      {3, nas::Comparison::le, middle(3)},
      {kPeakMemoryMetric, nas::Comparison::lt, middle(kPeakMemoryMetric)},
  };
  FailureOr<FoldedCosts> folded = foldSpaceCosts(*model, limits);
  ASSERT_TRUE(succeeded(folded));
  for (size_t m = 0; m < kNumCostMetrics; ++m) {
    SCOPED_TRACE(kCostMetricNames[m].str());
    EXPECT_EQ(folded->min[m], truth.min[m]);
    EXPECT_EQ(folded->max[m], truth.max[m]);
    // The candidates named reach the extremes.
    EXPECT_EQ(getCostMetrics(*model->evaluate(folded->argmin[m]))[m],
              truth.min[m]);
    EXPECT_EQ(getCostMetrics(*model->evaluate(folded->argmax[m]))[m],
              truth.max[m]);
  }
  int64_t all = countMeeting(truth, limits);
  EXPECT_GT(all, 0);
  EXPECT_LT(all, int64_t(truth.all.size()));
  EXPECT_TRUE(folded->feasible.isExact());
  EXPECT_EQ(folded->feasible.low, llvm::DynamicAPInt(all));
  for (size_t c = 0; c < limits.size(); ++c) {
    SCOPED_TRACE(c);
    EXPECT_EQ(folded->satisfying[c].low,
              llvm::DynamicAPInt(countMeeting(truth, {limits[c]})));
    EXPECT_TRUE(folded->satisfying[c].isExact());
  }

  // A table too small for exact values: bucketed, the count becomes an
  // interval that holds the true count.
  FoldLimits tiny;
  tiny.maxTableEntries = 3;
  FailureOr<FoldedCosts> bucketed = foldSpaceCosts(*model, limits, tiny);
  ASSERT_TRUE(succeeded(bucketed));
  EXPECT_LE(bucketed->feasible.low, llvm::DynamicAPInt(all));
  EXPECT_GE(bucketed->feasible.high, llvm::DynamicAPInt(all));
  EXPECT_FALSE(bucketed->feasible.isExact());
  EXPECT_EQ(bucketed->min, folded->min);
  // Each limit on its own (counted over one value: arrays of buckets,
  // sums and the peak, upper and lower limits) at table sizes from a few
  // buckets to exact: the interval holds the true count, and narrows.
  for (size_t c = 0; c < limits.size(); ++c) {
    SCOPED_TRACE(c);
    DynamicAPInt truthC(countMeeting(truth, {limits[c]}));
    DynamicAPInt lastWidth(int64_t(truth.all.size()) + 1);
    for (uint64_t entries : {3u, 16u, 256u, 1u << 20}) {
      SCOPED_TRACE(entries);
      FoldLimits small;
      small.maxTableEntries = entries;
      FailureOr<FoldedCosts> one = foldSpaceCosts(*model, {limits[c]}, small);
      ASSERT_TRUE(succeeded(one));
      EXPECT_LE(one->feasible.low, truthC);
      EXPECT_GE(one->feasible.high, truthC);
      DynamicAPInt width = one->feasible.high - one->feasible.low;
      EXPECT_LE(width, lastWidth);
      lastWidth = width;
    }
    EXPECT_EQ(lastWidth, DynamicAPInt(0));
  }
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST_F(SpaceCostModelTest, RecordMetricsFoldLikeTheCosts) {
  OwningOpRef<ModuleOp> module = parse(kFoldable);
  ASSERT_TRUE(module) << errors.front();
  nas::SpecOp spec = *module->getOps<nas::SpecOp>().begin();
  FailureOr<Space> space = Space::build(spec);
  ASSERT_TRUE(succeeded(space));
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
  ASSERT_TRUE(succeeded(model));
  // Two per-record quantities: one not a sum of the costs (a roofline's
  // shape: the larger of two terms, plus a constant per record), and one
  // read from the record's input.
  RecordMetrics metrics;
  metrics.metrics = {{"slow", 1e-3, "k", 1e3}, {"input", 1, "", 1}};
  metrics.compute = [](const LayerCost &record,
                       llvm::MutableArrayRef<uint64_t> counts) {
    counts[0] = std::max(record.flops / 7, record.activationBytes / 3) + 11;
    counts[1] = record.input.getNumElements() * record.weightBits;
  };
  model->setRecordMetrics(&metrics);
  ASSERT_EQ(getNumMetrics(*model), kNumCostMetrics + 2);

  // A candidate's sums are those of its materialized records (cell edges
  // replayed from traces included).
  Random random(3);
  for (int i = 0; i < 50; ++i) {
    Candidate candidate = space->sample(random);
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    CostAnalysis reference(*concrete->getOps<nas::SpecOp>().begin());
    ASSERT_FALSE(reference.failed());
    uint64_t expected[2] = {0, 0};
    for (const LayerCost &record : reference.getLayers()) {
      uint64_t counts[2];
      metrics.compute(record, counts);
      expected[0] += counts[0];
      expected[1] += counts[1];
    }
    FailureOr<CostTotals> fast = model->evaluate(candidate);
    ASSERT_TRUE(succeeded(fast));
    EXPECT_EQ(fast->recordSums[0], expected[0]) << space->encode(candidate);
    EXPECT_EQ(fast->recordSums[1], expected[1]) << space->encode(candidate);
  }

  Enumerated truth = enumerateAll(*space, *model);
  size_t slow = kNumCostMetrics, input = kNumCostMetrics + 1;
  ASSERT_LT(truth.min[slow], truth.max[slow]);
  // Limits in the metric's base unit (1e-3 per count), near the middle.
  double middle = double(truth.min[slow] + truth.max[slow]) / 2;
  std::vector<MetricConstraint> limits = {
      {slow, nas::Comparison::lt, middle * 1e-3, 1e-3},
      {input, nas::Comparison::ge,
       double(truth.min[input] + truth.max[input]) / 2, 1},
      {2, nas::Comparison::le, double(truth.max[2])},
  };
  FailureOr<FoldedCosts> folded = foldSpaceCosts(*model, limits);
  ASSERT_TRUE(succeeded(folded));
  EXPECT_EQ(folded->min, truth.min);
  EXPECT_EQ(folded->max, truth.max);
  for (size_t m : {slow, input}) {
    EXPECT_EQ(model->evaluate(folded->argmin[m])->recordSums[m - slow],
              truth.min[m]);
    EXPECT_EQ(model->evaluate(folded->argmax[m])->recordSums[m - slow],
              truth.max[m]);
  }
  int64_t all = countMeeting(truth, limits);
  EXPECT_GT(all, 0);
  EXPECT_LT(all, int64_t(truth.all.size()));
  EXPECT_TRUE(folded->feasible.isExact());
  EXPECT_EQ(folded->feasible.low, llvm::DynamicAPInt(all));
  for (size_t c = 0; c < limits.size(); ++c)
    EXPECT_EQ(folded->satisfying[c].low,
              llvm::DynamicAPInt(countMeeting(truth, {limits[c]})));

  // Bucketed: an interval holding the true count.
  FoldLimits tiny;
  tiny.maxTableEntries = 3;
  FailureOr<FoldedCosts> bucketed = foldSpaceCosts(*model, limits, tiny);
  ASSERT_TRUE(succeeded(bucketed));
  EXPECT_LE(bucketed->feasible.low, llvm::DynamicAPInt(all));
  EXPECT_GE(bucketed->feasible.high, llvm::DynamicAPInt(all));
  EXPECT_FALSE(bucketed->feasible.isExact());
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST_F(SpaceCostModelTest, HugeSpacesFoldWithoutEnumerating) {
  // 3^40 candidates: each layer keeps 16 channels, so every layer's
  // choice is independent of the others.
  OwningOpRef<ModuleOp> module = parse(R"(
dataset d { input = [16, 8, 8]; classes = 10; }
network n on d {
  repeat 40 { l: choose { k1: conv(kernel = 1); k3: conv(kernel = 3); s: identity; } }
  global_avg_pool -> fc(out = 10);
}
constraints { params < 20 K; }
)");
  ASSERT_TRUE(module) << errors.front();
  FailureOr<Space> space = Space::build(*module->getOps<nas::SpecOp>().begin());
  ASSERT_TRUE(succeeded(space));
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
  ASSERT_TRUE(succeeded(model));
  // params: fc 16*10+10 = 170, plus 256 per k1 layer and 2304 per k3.
  FailureOr<FoldedCosts> folded =
      foldSpaceCosts(*model, {{2, nas::Comparison::lt, 20000}});
  ASSERT_TRUE(succeeded(folded));
  EXPECT_EQ(folded->min[2], 170u);
  EXPECT_EQ(folded->max[2], 170u + 40u * 2304u);
  // Candidates with i k3 and j k1 layers (i + j <= 40) meet the limit when
  // 2304 i + 256 j + 170 < 20000: count them by hand.
  llvm::DynamicAPInt expected(0);
  auto choose = [](int64_t n, int64_t k) {
    llvm::DynamicAPInt result(1);
    for (int64_t i = 1; i <= k; ++i)
      result = result * llvm::DynamicAPInt(n - k + i) / llvm::DynamicAPInt(i);
    return result;
  };
  for (int64_t i = 0; i <= 40; ++i)
    for (int64_t j = 0; i + j <= 40; ++j)
      if (2304 * i + 256 * j + 170 < 20000)
        expected += choose(40, i) * choose(40 - i, j);
  EXPECT_EQ(folded->feasible.low, expected);
  EXPECT_TRUE(folded->feasible.isExact());
}
