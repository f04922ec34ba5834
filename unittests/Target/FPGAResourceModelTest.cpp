//===- FPGAResourceModelTest.cpp - The FPGA resource model ---------------===//
//
// The features a design plan gives (memories mapped onto the part's RAM
// blocks as Yosys maps them), the default model's figures, the fit that
// `nasc calibrate` runs, and the model file.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/FPGA/ResourceModel.h"

#include "llvm/ADT/STLExtras.h"

#include "gtest/gtest.h"

using namespace nasc;
using namespace nasc::fpga;

namespace {

/// An engine of `lanes` lanes over `activations` levels, one layer with
/// `weights` weights (`lanes` to a word) and `requants` requantizers.
EngineStage makeEngine(int64_t lanes, int64_t activations, int64_t weights,
                       int64_t requants) {
  EngineStage stage;
  stage.lanes = lanes;
  stage.net.activationMemory = activations;
  IntOp op;
  op.weights.assign(size_t(weights), 1);
  op.requant.resize(size_t(requants));
  stage.net.ops.push_back(op);
  ProgramEntry entry{};
  entry.lanes = weights > 0 ? lanes : 1;
  stage.program.push_back(entry);
  return stage;
}

FPGAPart part(llvm::StringRef name) {
  llvm::Expected<FPGAPart> found = lookupFPGAPart(name);
  EXPECT_TRUE(bool(found));
  return *found;
}

double feature(llvm::ArrayRef<double> features, llvm::StringRef name) {
  llvm::ArrayRef<llvm::StringRef> names = getResourceFeatureNames();
  return features[std::find(names.begin(), names.end(), name) - names.begin()];
}

} // namespace

// A memory goes to the block shape that needs fewest blocks, and to block
// RAM only when it uses enough of them; else its bits are logic. The
// figures are measured designs' (bench/RESULTS.md): a folded engine of
// 1 lane, 3920 activations and 508 weight words used 9 iCE40 EBRs and 2
// RAMB18s.
TEST(ResourceModelTest, MapsMemoriesOntoBlocks) {
  DesignPlan plan;
  plan.stages.push_back(makeEngine(1, 3920, 508, 78));
  // iCE40: 3920 x 8 in 8 blocks of 512 x 8; 508 x 8 in one; the 128-bit
  // requantizers would use 8 blocks at 30%: logic.
  std::vector<double> ice = getResourceFeatures(plan, part("up5k"));
  EXPECT_EQ(feature(ice, "block_rams"), 9);
  EXPECT_DOUBLE_EQ(feature(ice, "logic_kbits"), 128 * 78 / 1000.0);
  EXPECT_EQ(feature(ice, "engines"), 1);
  EXPECT_EQ(feature(ice, "lanes"), 1);
  EXPECT_EQ(feature(ice, "weightless_engines"), 0);
  // Xilinx: 3920 x 8 in two 2K x 9 RAMB18s; 508 x 8 would use a RAMB18 at
  // 22%: logic.
  std::vector<double> xc7 = getResourceFeatures(plan, part("xc7z020"));
  EXPECT_EQ(feature(xc7, "block_rams"), 2);
  EXPECT_DOUBLE_EQ(feature(xc7, "logic_kbits"), (508 * 8 + 128 * 78) / 1000.0);

  // A pooling engine has no weights.
  plan.stages.push_back(makeEngine(1, 980, 0, 49));
  std::vector<double> two = getResourceFeatures(plan, part("up5k"));
  EXPECT_EQ(feature(two, "engines"), 2);
  EXPECT_EQ(feature(two, "weightless_engines"), 1);
}

// An engine that computes hswish or a channel scaling carries their logic
// (nasc_engine.v's HSWISH and SCALE); hswish's offset and cap are program
// fields, as an addition's coefficients, which leave the requantization
// memory its first word.
TEST(ResourceModelTest, HardSwishAndScaleCostTheirEngines) {
  DesignPlan plan;
  plan.stages.push_back(makeEngine(1, 980, 64, 8));
  IntOp hswish;
  hswish.kind = IntOpKind::HardSwish;
  hswish.offsetLevel = 381;
  hswish.capLevel = 762;
  hswish.requant.resize(1);
  EXPECT_EQ(getRequantWords(hswish).size(), 1u);
  IntOp add;
  add.kind = IntOpKind::Add;
  add.requant.resize(3);
  EXPECT_EQ(getRequantWords(add).size(), 1u);

  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  Resources plain = model.predict(getResourceFeatures(plan, part("up5k")));
  plan.stages[0].net.ops.push_back(hswish);
  plan.stages[0].program.push_back(ProgramEntry{});
  plan.stages[0].program.back().lanes = 1;
  std::vector<double> withHardSwish = getResourceFeatures(plan, part("up5k"));
  EXPECT_EQ(feature(withHardSwish, "hswish_engines"), 1);
  EXPECT_EQ(feature(withHardSwish, "scale_engines"), 0);
  EXPECT_GT(model.predict(withHardSwish).luts, plain.luts);
  EXPECT_EQ(getEngineParameters(plan.stages[0]).requantDepth, 8 + 1);

  IntOp scale;
  scale.kind = IntOpKind::Scale;
  scale.requant.resize(1);
  plan.stages.push_back(makeEngine(1, 980, 0, 0));
  plan.stages[1].net.ops[0] = scale;
  std::vector<double> both = getResourceFeatures(plan, part("up5k"));
  EXPECT_EQ(feature(both, "hswish_engines"), 1);
  EXPECT_EQ(feature(both, "scale_engines"), 1);
}

// The default model: a multiplier per lane and two per requantizer; the
// blocks as mapped; LUTs growing with engines and lanes.
TEST(ResourceModelTest, DefaultModelCountsDSPsAndBlocks) {
  DesignPlan folded;
  folded.stages.push_back(makeEngine(4, 3920, 484, 74));
  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  Resources one = model.predict(getResourceFeatures(folded, part("up5k")));
  EXPECT_EQ(one.dsps, 4 + 2);
  EXPECT_EQ(one.brams, 8 + 2);
  DesignPlan chain = folded;
  chain.stages.push_back(makeEngine(4, 3920, 484, 74));
  Resources two = model.predict(getResourceFeatures(chain, part("up5k")));
  EXPECT_EQ(two.dsps, 2 * one.dsps);
  EXPECT_GT(two.luts, one.luts);
  EXPECT_GT(two.flipFlops, one.flipFlops);
  // hx8k has no DSPs: the multipliers are logic.
  EXPECT_EQ(ResourceModel::getDefault(part("hx8k"))
                .predict(getResourceFeatures(folded, part("hx8k")))
                .dsps,
            0);
}

// Levels take their bit width in the memories, and lanes of binary or
// ternary weights add instead of multiplying: only lane 0 keeps a DSP
// (it also scales an addition's inputs). Measured (bench/RESULTS.md): a
// 4-lane folded design of binary layers used 3 SB_MAC16 and 2 EBR on the
// UP5K where its 8-bit twin used 6 and 4.
TEST(ResourceModelTest, NarrowLevelsShrinkMemoriesAndDSPs) {
  auto engine = [](int64_t wbits, int8_t level) {
    EngineStage stage = makeEngine(4, 3920, 4096, 74);
    stage.net.ops[0].wbits = wbits;
    stage.net.ops[0].weights.assign(4096, level);
    return stage;
  };
  IntOp op;
  op.wbits = 1;
  op.weights = {1, -1, 1};
  EXPECT_EQ(getWeightStorageBits(op), 1);
  op.weights.push_back(0); // A zero level (pruned): ternary.
  EXPECT_EQ(getWeightStorageBits(op), 2);
  op.wbits = 4;
  EXPECT_EQ(getWeightStorageBits(op), 4);
  op.wbits = 16; // Wider layers run at 8.
  EXPECT_EQ(getWeightStorageBits(op), 8);

  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  auto predict = [&](const EngineStage &stage) {
    DesignPlan plan;
    plan.stages.push_back(stage);
    EXPECT_EQ(getEngineParameters(stage).weightDepth, 1024);
    return model.predict(getResourceFeatures(plan, part("up5k")));
  };
  // 1024 words: of 32 bits in 8 blocks of 256 x 16, of 4 in one 1024 x 4.
  Resources wide = predict(engine(8, 1));
  Resources binary = predict(engine(1, -1));
  Resources ternary = predict(engine(2, 0));
  Resources quarter = predict(engine(4, 3));
  EXPECT_EQ(wide.dsps, 4 + 2);
  EXPECT_EQ(quarter.dsps, 4 + 2);
  // Binary and ternary lanes add, lane 0 too (no layer scales by a
  // coefficient): only the requantizer's 2.
  EXPECT_EQ(binary.dsps, 0 + 2);
  EXPECT_EQ(ternary.dsps, 0 + 2);
  EXPECT_EQ(wide.brams, 8 + 8);
  EXPECT_EQ(quarter.brams, 8 + 4);
  EXPECT_EQ(ternary.brams, 8 + 2);
  EXPECT_EQ(binary.brams, 8 + 1);

  // Activations at the widest tensor's bits: 3920 levels of 4 bits in 4
  // blocks of 1024 x 4 instead of 8 of 512 x 8.
  EngineStage narrow = engine(1, -1);
  narrow.net.tensors.resize(2);
  narrow.net.tensors[0].bits = 4;
  narrow.net.tensors[1].bits = 3;
  EXPECT_EQ(getEngineParameters(narrow).activationBits, 4);
  EXPECT_EQ(predict(narrow).brams, 4 + 1);

  // 4-bit levels times 4-bit weights: 8-bit products, which Yosys keeps in
  // logic below 11 bits on iCE40; lane 0 keeps its DSP.
  EngineStage small = engine(4, 3);
  small.net.tensors = narrow.net.tensors;
  EXPECT_EQ(predict(small).dsps, 1 + 2);
}

// Designs made by a known linear model are fitted back to it: the fit
// weighs relative errors, so exact data gives exact coefficients.
TEST(ResourceModelTest, FitRecoversAKnownModel) {
  ResourceModel truth = ResourceModel::getDefault(part("xc7z020"));
  truth.coefficients[0][3] = 40;  // LUTs per layer
  truth.coefficients[1][5] = 2.5; // FFs per kbit in logic
  std::vector<MeasuredDesign> rows;
  for (int64_t lanes : {1, 2, 4, 8})
    for (int64_t engines : {1, 2, 3})
      for (int64_t words : {100, 700}) {
        DesignPlan plan;
        for (int64_t e = 0; e < engines; ++e)
          plan.stages.push_back(
              makeEngine(lanes, 2000 + 900 * e, words * lanes * (e + 1), 60));
        plan.stages.back().net.ops.push_back(plan.stages.back().net.ops[0]);
        plan.stages.back().program.push_back(plan.stages.back().program[0]);
        std::vector<double> features =
            getResourceFeatures(plan, part("xc7z020"));
        rows.push_back({features, truth.predict(features)});
      }
  ResourceModel fitted = fitResourceModel(part("xc7z020"), rows, "test");
  for (const MeasuredDesign &row : rows) {
    Resources p = fitted.predict(row.features);
    EXPECT_NEAR(double(p.luts), double(row.measured.luts), 2);
    EXPECT_NEAR(double(p.flipFlops), double(row.measured.flipFlops), 2);
    EXPECT_EQ(p.dsps, row.measured.dsps);
    EXPECT_EQ(p.brams, row.measured.brams);
  }
  EXPECT_EQ(fitted.source, "test");
}

// The model file round-trips; a file of another kind, or missing a
// coefficient, is an error that says so.
TEST(ResourceModelTest, ModelFileRoundTrips) {
  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  llvm::Expected<ResourceModel> back = ResourceModel::fromJSON(model.toJSON());
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->part, "up5k");
  EXPECT_EQ(back->coefficients, model.coefficients);
  EXPECT_EQ(back->fmaxMHz, 12.0);

  // A model written before the Fmax gets the part's nominal clock.
  llvm::json::Value older = model.toJSON();
  older.getAsObject()->erase("fmax_mhz");
  (*older.getAsObject())["part"] = "xc7z020";
  llvm::Expected<ResourceModel> old = ResourceModel::fromJSON(older);
  ASSERT_TRUE(bool(old)) << llvm::toString(old.takeError());
  EXPECT_EQ(old->fmaxMHz, 100.0);

  // A model written before binary and ternary lanes, sized counters and
  // hswish and squeeze-and-excitation counts every lane's multiplier in
  // `lanes` and the counters in `engines`: its newer features are 0.
  const llvm::StringRef newer[] = {"multiplier_lanes", "counter_bits",
                                   "hswish_engines", "scale_engines"};
  llvm::json::Value noMultipliers = model.toJSON();
  for (llvm::StringRef resource : {"lut", "ff", "dsp", "bram"})
    for (llvm::StringRef feature : newer)
      noMultipliers.getAsObject()
          ->getObject("coefficients")
          ->getObject(resource)
          ->erase(feature);
  llvm::Expected<ResourceModel> before = ResourceModel::fromJSON(noMultipliers);
  ASSERT_TRUE(bool(before)) << llvm::toString(before.takeError());
  llvm::ArrayRef<llvm::StringRef> names = getResourceFeatureNames();
  for (llvm::StringRef feature : newer) {
    size_t index = llvm::find(names, feature) - names.begin();
    ASSERT_LT(index, names.size()) << feature.str();
    for (const std::vector<double> &c : before->coefficients)
      EXPECT_EQ(c[index], 0.0) << feature.str();
  }

  llvm::Expected<ResourceModel> other =
      ResourceModel::fromJSON(llvm::json::Object{{"kind", "latency"}});
  ASSERT_FALSE(bool(other));
  EXPECT_NE(llvm::toString(other.takeError()).find("kind"), std::string::npos);

  llvm::json::Value broken = model.toJSON();
  broken.getAsObject()
      ->getObject("coefficients")
      ->getObject("dsp")
      ->erase("lanes");
  llvm::Expected<ResourceModel> missing = ResourceModel::fromJSON(broken);
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(
      llvm::toString(missing.takeError()).find("dsp has no number for lanes"),
      std::string::npos);
}

// The Fmax: the nominal clock by default, the mean of the designs that
// have one when fitted; the clock a design runs at is the Fmax where its
// resources fit the part, else the nominal one.
TEST(ResourceModelTest, FmaxIsTheMeanOfThePlacedDesigns) {
  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  EXPECT_EQ(model.fmaxMHz, 12.0);
  std::vector<double> features(getResourceFeatureNames().size(), 1.0);
  std::vector<MeasuredDesign> rows = {
      {features, {2000, 800, 3, 9}, 13.0},
      {features, {2100, 800, 3, 9}, 14.0},
      {features, {9000, 800, 3, 9}, std::nullopt}};
  ResourceModel fitted = fitResourceModel(part("up5k"), rows, "test");
  EXPECT_DOUBLE_EQ(fitted.fmaxMHz, 13.5);
  EXPECT_DOUBLE_EQ(fitted.getClockMHz({2000, 800, 3, 9}, part("up5k")), 13.5);
  EXPECT_DOUBLE_EQ(fitted.getClockMHz({9000, 800, 3, 9}, part("up5k")), 12.0);
  // No design placed: the nominal clock stays.
  rows.resize(1);
  rows[0].fmaxMHz.reset();
  EXPECT_EQ(fitResourceModel(part("up5k"), rows, "test").fmaxMHz, 12.0);

  llvm::json::Value bad = fitted.toJSON();
  (*bad.getAsObject())["fmax_mhz"] = -3.0;
  llvm::Expected<ResourceModel> negative = ResourceModel::fromJSON(bad);
  ASSERT_FALSE(bool(negative));
  EXPECT_NE(llvm::toString(negative.takeError()).find("fmax_mhz"),
            std::string::npos);
}

// Lane 0 keeps its multiplier where a layer scales by a coefficient (an
// addition); an engine whose requantizations all have at most 4 levels
// compares with thresholds and drops the requantizer's 2 DSPs and, on the
// UP5K, about 317 LUT4s (bench/RESULTS.md, "Thresholds").
TEST(ResourceModelTest, ThresholdsAndAnAddingLane0DropTheirDSPs) {
  ResourceModel model = ResourceModel::getDefault(part("up5k"));
  auto predict = [&](const EngineStage &stage) {
    DesignPlan plan;
    plan.stages.push_back(stage);
    return model.predict(getResourceFeatures(plan, part("up5k")));
  };
  auto engine = [](bool add, int64_t levels) {
    EngineStage stage = makeEngine(4, 512, 256, 8);
    stage.net.ops[0].wbits = 1;
    stage.net.ops[0].weights.assign(256, -1);
    for (Requant &r : stage.net.ops[0].requant)
      r = Requant::fromRatio(0.01, 0.5, 0, levels - 1);
    if (add) {
      IntOp sum;
      sum.kind = IntOpKind::Add;
      sum.requant.assign(2, Requant::fromRatio(0.5, 0, 0, levels - 1));
      stage.net.ops.push_back(sum);
      ProgramEntry entry{};
      entry.lanes = 1;
      stage.program.push_back(entry);
    }
    return stage;
  };
  EngineParameters comparing = getEngineParameters(engine(false, 4));
  EXPECT_TRUE(comparing.thresholds);
  EXPECT_TRUE(comparing.multiplierFreeLane0);
  EXPECT_FALSE(getEngineParameters(engine(false, 5)).thresholds);
  EXPECT_FALSE(getEngineParameters(engine(true, 4)).multiplierFreeLane0);
  EXPECT_EQ(predict(engine(false, 4)).dsps, 0);
  EXPECT_EQ(predict(engine(false, 5)).dsps, 2);
  EXPECT_EQ(predict(engine(true, 4)).dsps, 1);
  EXPECT_EQ(predict(engine(true, 5)).dsps, 1 + 2);
  EXPECT_EQ(predict(engine(false, 5)).luts - predict(engine(false, 4)).luts,
            317);
}
