//===- FPGATargetTest.cpp - The FPGA backend's integer network ------------===//
//
// The integer network's float form (fake-quantized weights, real
// activations) equals LibTorch's network with the same weights and
// activations left in float; its integer reference tracks that float
// network within the activations' quantization; its requantization rounds
// as documented; no two tensors alive at once share activation memory.
// (The Verilog's bit-exactness against the reference is lit's
// test/Target/FPGA/simulate.nas.)
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"
#include "nasc/Space/Space.h"
#include "nasc/Target/Common/IntegerNetwork.h"
#include "nasc/Target/Common/TorchWeights.h"
#include "nasc/Target/FPGA/Engine.h"
#include "nasc/Target/FPGA/Measure.h"

#include "../NasTestUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace nasc;
using namespace nasc::fpga;

namespace {

/// Every layer kind of the integer network.
const char *const kEveryKind = R"(
dataset d { input = [2, 9, 9]; classes = 5; }
cell two(nodes = 3, output = concat) {
  edge 0 -> 1 : { p: max_pool(kernel = 3); };
  edge 1 -> 2 : { c: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
}
network every on d {
  stem: conv(out = 6, kernel = 3) -> bn -> relu;
  down: conv(kernel = 3, stride = 2) -> bn -> relu6;
  residual { dwconv(kernel = 3) -> bn -> relu; }
  two;
  avg_pool(kernel = 3, stride = 2);
  bn -> relu -> shuffle(groups = 4);
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 4; abits = 8; }
)";

class FPGATargetTest : public ::testing::Test {
protected:
  FPGATargetTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.printOpOnDiagnostic(false);
  }

  /// Checks the concrete `spec` with LibTorch's weights (random BN
  /// statistics): float form against LibTorch with activations in float,
  /// integer reference against the float form.
  void check(nas::SpecOp spec, uint64_t seed) {
    CostAnalysis costs(spec);
    ASSERT_FALSE(costs.failed());
    int64_t size = int64_t(costs.getInputShape().getNumElements());
    std::vector<float> input(size);
    Random random(seed);
    for (float &x : input)
      x = float(random.below(2001)) / 1000.0f - 1.0f;

    // LibTorch with the activations left in float, weights fake-quantized.
    spec.walk([](Operation *op) { op->removeAttr("abits"); });
    std::vector<NamedTensor> weights;
    std::vector<float> expected;
    std::string error;
    target::TorchExportRequest request;
    request.seed = seed;
    request.randomizeBatchNorm = true;
    request.input = input.data();
    request.batch = 1;
    request.output = &expected;
    ASSERT_TRUE(nascExportTorchWeights(spec, &request, &weights, &error))
        << error;
    TensorListWeights source(std::move(weights));
    llvm::Expected<IntegerNetwork> net = buildIntegerNetwork(spec, source);
    ASSERT_TRUE(bool(net)) << llvm::toString(net.takeError());

    std::vector<float> real = runFloat(*net, input);
    ASSERT_EQ(real.size(), expected.size());
    EXPECT_LE(nasc::test::relativeError(real, expected), 1e-4);

    // 8-bit activations: within a few of the output's steps.
    std::vector<float> integer =
        net->dequantizeOutput(runInteger(*net, net->quantizeInput(input)));
    EXPECT_LE(nasc::test::relativeError(integer, real), 0.1);
    checkPlacement(*net);
    checkStages(*net, net->quantizeInput(input));
  }

  /// Cut at every cut point, the network computes stage after stage what it
  /// computes whole; a dataflow plan covers every op once, in order, with
  /// at most the engines and lanes asked for.
  static void checkStages(const IntegerNetwork &net,
                          const std::vector<int8_t> &input) {
    std::vector<size_t> bounds = {0};
    for (size_t cut : getCutPoints(net))
      bounds.push_back(cut);
    bounds.push_back(net.ops.size());
    std::vector<int8_t> x = input;
    for (size_t s = 0; s + 1 < bounds.size(); ++s) {
      IntegerNetwork stage = extractStage(net, bounds[s], bounds[s + 1]);
      EXPECT_EQ(stage.ops.size(), bounds[s + 1] - bounds[s]);
      checkPlacement(stage);
      x = runInteger(stage, x);
    }
    EXPECT_EQ(x, runInteger(net, input));

    for (int64_t maxStages : {0, 1, 2, 3}) {
      llvm::Expected<DesignPlan> plan =
          planDesign(net, DesignTemplate::Dataflow, 4, maxStages);
      ASSERT_TRUE(bool(plan)) << llvm::toString(plan.takeError());
      EXPECT_EQ(plan->stages.size(),
                maxStages == 0
                    ? bounds.size() - 1
                    : std::min<size_t>(maxStages, bounds.size() - 1));
      size_t next = 0;
      int64_t slowest = 0;
      for (const EngineStage &stage : plan->stages) {
        EXPECT_EQ(stage.firstOp, next);
        next += stage.net.ops.size();
        EXPECT_GE(stage.lanes, 1);
        EXPECT_LE(stage.lanes, 4);
        slowest = std::max(slowest, stage.cycleCycles);
      }
      EXPECT_EQ(next, net.ops.size());
      EXPECT_EQ(plan->intervalCycles, slowest);
    }
  }

  /// No two tensors alive during the same op overlap in memory.
  static void checkPlacement(const IntegerNetwork &net) {
    size_t n = net.tensors.size();
    auto [first, last] = getTensorLifetimes(net);
    for (size_t a = 0; a < n; ++a)
      for (size_t b = a + 1; b < n; ++b) {
        if (first[a] > last[b] || first[b] > last[a])
          continue;
        const IntTensor &x = net.tensors[a], &y = net.tensors[b];
        EXPECT_TRUE(x.address + x.size() <= y.address ||
                    y.address + y.size() <= x.address)
            << "tensors " << a << " and " << b << " overlap";
        EXPECT_LE(x.address + x.size(), net.activationMemory);
      }
  }

  MLIRContext context;
};

TEST_F(FPGATargetTest, EveryLayerKindMatchesLibTorch) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, kEveryKind);
  ASSERT_TRUE(module);
  check(nasc::test::specOf(*module), 5);
}

TEST_F(FPGATargetTest, RandomCandidatesOfTheExampleMatchLibTorch) {
  OwningOpRef<ModuleOp> module = nasc::test::parseExample(context, "fpga.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(nasc::test::specOf(*module));
  ASSERT_TRUE(succeeded(space));
  Random random(3);
  for (int i = 0; i < 4; ++i) {
    Candidate candidate = space->sample(random);
    SCOPED_TRACE(space->encode(candidate));
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    check(nasc::test::specOf(*concrete), 20 + i);
  }
}

TEST_F(FPGATargetTest, ResidualsAndCellsStayInOneStage) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, kEveryKind);
  ASSERT_TRUE(module);
  nas::SpecOp spec = nasc::test::specOf(*module);
  SeededWeights weights(5);
  llvm::Expected<IntegerNetwork> net = buildIntegerNetwork(spec, weights);
  ASSERT_TRUE(bool(net)) << llvm::toString(net.takeError());
  // At every cut exactly one tensor crosses, and nothing later writes it.
  TensorLifetimes life = getTensorLifetimes(*net);
  std::vector<size_t> cuts = getCutPoints(*net);
  EXPECT_LT(cuts.size() + 1, net->ops.size());
  for (size_t cut : cuts) {
    int crossing = 0;
    for (size_t t = 0; t < net->tensors.size(); ++t)
      crossing += life.first[t] < int64_t(cut) && life.last[t] >= int64_t(cut);
    EXPECT_EQ(crossing, 1) << "cut " << cut;
  }
  // The engine takes 1 to 64 lanes and at most 256 engines.
  llvm::Expected<DesignPlan> noLanes =
      planDesign(*net, DesignTemplate::Dataflow, 0);
  EXPECT_FALSE(bool(noLanes));
  llvm::consumeError(noLanes.takeError());
  llvm::Expected<DesignPlan> tooMany =
      planDesign(*net, DesignTemplate::Dataflow, 1, 1000);
  EXPECT_FALSE(bool(tooMany));
  llvm::consumeError(tooMany.takeError());
}

// Yosys's `stat`: a flattened iCE40 design is one module; a hierarchical
// Xilinx one lists each module and then the total, which alone counts.
TEST(ResourcesTest, ReadsTheTotalOfAHierarchy) {
  Resources flat = parseResources(R"(
=== top ===
   Number of cells:               10
     SB_DFFE                       3
     SB_LUT4                       5
     SB_MAC16                      1
     SB_RAM40_4K                   1
)");
  EXPECT_EQ(flat.luts, 5);
  EXPECT_EQ(flat.flipFlops, 3);
  EXPECT_EQ(flat.dsps, 1);
  EXPECT_EQ(flat.brams, 1);
  Resources tree = parseResources(R"(
=== engine ===
   Number of cells:               9
     DSP48E1                       3
     FDRE                          4
     LUT6                          2
=== top ===
   Number of cells:               1
     RAMB36E1                      1
=== design hierarchy ===
   Number of cells:              10
     DSP48E1                       3
     FDRE                          4
     LUT3                          1
     LUT6                          2
     RAMB36E1                      1
)");
  EXPECT_EQ(tree.luts, 3);
  EXPECT_EQ(tree.flipFlops, 4);
  EXPECT_EQ(tree.dsps, 3);
  EXPECT_EQ(tree.brams, 2);
}

// The simulation's output: the first image's latency, the interval, and
// each engine's toggle counts over the images it ran (its last line),
// averaged per image and summed over the engines. The toggles price the
// arithmetic instead of the events' averages.
TEST(ResourcesTest, ReadsTheSimulationsActivity) {
  llvm::Expected<DesignMeasurement> m = parseSimulation(
      "activity: engine 0 images 1 multiplier 100 accumulator 300 requantizer "
      "50\n"
      "activity: engine 1 images 1 multiplier 10 accumulator 30 requantizer 5\n"
      "activity: engine 0 images 2 multiplier 220 accumulator 620 requantizer "
      "90\n"
      "activity: engine 1 images 2 multiplier 20 accumulator 60 requantizer "
      "10\n"
      "image 0: latency 900 cycles\n"
      "image 1: latency 950 cycles\n"
      "interval: 500 cycles\n"
      "outputs: all 8 equal the reference\n");
  ASSERT_TRUE(bool(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->latencyCycles, 900);
  EXPECT_EQ(m->intervalCycles, 500);
  ASSERT_TRUE(m->switching.has_value());
  EXPECT_DOUBLE_EQ(m->switching->multiplierToggles, 110 + 10);
  EXPECT_DOUBLE_EQ(m->switching->accumulatorToggles, 310 + 30);
  EXPECT_DOUBLE_EQ(m->switching->requantizerToggles, 45 + 5);

  // Without activity lines (a design emitted before them): the plan's
  // averages.
  llvm::Expected<DesignMeasurement> plain = parseSimulation(
      "image 0: latency 900 cycles\noutputs: all 8 equal the reference\n");
  ASSERT_TRUE(bool(plain));
  EXPECT_FALSE(plain->switching.has_value());

  // Random data toggles half the bits: at the events' average toggles the
  // two prices agree; fewer toggles cost less.
  DesignActivity events;
  events.macs = 1000;
  events.requantizations = 100;
  EnergyFigures figures = getEnergyFigures(*lookupFPGAPart("up5k"));
  SwitchingActivity average{1000 * 8.0, 1000 * 16.0, 100 * 16.0};
  EXPECT_NEAR(getDesignEnergy(events, figures, 0, &average),
              getDesignEnergy(events, figures, 0), 1e-18);
  SwitchingActivity quiet{1000 * 2.0, 1000 * 4.0, 100 * 4.0};
  EXPECT_NEAR(getDesignEnergy(events, figures, 0, &quiet),
              getDesignEnergy(events, figures, 0) / 4, 1e-18);
}

// A design within the part's LUT4s by Yosys's count can still need more
// logic cells than the part has (a flip-flop without a LUT takes one):
// nextpnr's utilisation says which, and by how much.
TEST(ResourcesTest, ReadsPlacementOverflows) {
  std::vector<std::string> over = getPlacementOverflows(
      "Info: Device utilisation:\n"
      "Info: \t         ICESTORM_LC:  5709/ 5280   108%\n"
      "Info: \t        ICESTORM_RAM:    21/   30    70%\n"
      "Info: \t        ICESTORM_DSP:     8/    8   100%\n"
      "ERROR: Failed to expand region (0, 0) |_> (25, 31) of 5709 "
      "ICESTORM_LCs\n");
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0], "LC 5709 of 5280 (+9%)");
  EXPECT_TRUE(
      getPlacementOverflows("Info: \t ICESTORM_LC: 100/ 5280 1%\n").empty());
}

TEST_F(FPGATargetTest, UnsupportedLayersAreLocatedErrors) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d { c: conv(out = 4) -> swish; }
)");
  ASSERT_TRUE(module);
  SeededWeights weights(1);
  llvm::Expected<IntegerNetwork> net =
      buildIntegerNetwork(nasc::test::specOf(*module), weights);
  ASSERT_FALSE(bool(net));
  EXPECT_EQ(llvm::toString(net.takeError()),
            "test.nas:3:38: the integer network computes relu, relu6 and "
            "hswish, not swish");
}

} // namespace

// Thresholds give Requant::apply's level for every 32-bit sum: increasing
// and decreasing requantizations (a negative multiplier: batch norm with a
// negative scale), a zero multiplier, 2 to 4 levels, saturating ones; at
// the 32-bit extremes, around every threshold and at random sums. More
// than 4 levels have no threshold form.
TEST(RequantThresholdsTest, EqualRequantizationForEverySum) {
  std::mt19937_64 random(11);
  std::vector<Requant> requants;
  for (int64_t levels = 2; levels <= 4; ++levels)
    for (int64_t lo : {int64_t(-1), int64_t(0), int64_t(-2)})
      for (double ratio : {3e-5, -3e-5, 0.01, -0.2, 1.0, 0.0, 40.0})
        for (double offset : {0.0, 0.37, -2.5, 1e3})
          requants.push_back(
              Requant::fromRatio(ratio, offset, lo, lo + levels - 1));
  int checked = 0;
  for (const Requant &r : requants) {
    std::optional<RequantThresholds> t = RequantThresholds::from(r);
    ASSERT_TRUE(t.has_value());
    std::vector<int64_t> sums = {INT32_MIN, INT32_MIN + 1, -1,       0,
                                 1,         INT32_MAX - 1, INT32_MAX};
    for (int64_t threshold : t->thresholds)
      if (threshold != RequantThresholds::kNever)
        for (int64_t d : {-1, 0, 1}) {
          int64_t x = threshold + d;
          int64_t sum = t->negate ? -x : x;
          if (sum >= INT32_MIN && sum <= INT32_MAX)
            sums.push_back(sum);
        }
    std::uniform_int_distribution<int64_t> any(INT32_MIN, INT32_MAX);
    for (int i = 0; i < 200; ++i)
      sums.push_back(any(random) >> (i % 31));
    for (int64_t sum : sums) {
      ASSERT_EQ(t->apply(int32_t(sum)), r.apply(sum))
          << "multiplier " << r.multiplier << " offset " << r.offset
          << " shift " << r.shift << " [" << r.lo << ", " << r.hi << "] at "
          << sum;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10000);
  EXPECT_FALSE(
      RequantThresholds::from(Requant::fromRatio(0.1, 0, -2, 2)).has_value());
}
