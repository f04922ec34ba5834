//===- EvalTest.cpp - Tests of the LibTorch evaluation --------------------===//
//
// The LibTorch module of a candidate has exactly the parameters the cost
// analysis counts (random samples of every example), the output shape of
// the class count, a short training run is deterministic, the zero-cost
// proxies are finite, and bad dataset files are errors naming the file.
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"
#include "../NasTestUtils.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Eval/TorchEvaluator.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <cmath>
#include <fstream>

using namespace mlir;
using namespace nasc;
using namespace nasc::eval;

namespace {

class EvalTest : public ::testing::Test {
protected:
  EvalTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.getDiagEngine().registerHandler(
        [this](Diagnostic &diag) { errors.push_back(diag.str()); });
  }

  OwningOpRef<ModuleOp> parse(StringRef text, StringRef name = "test.nas") {
    return nasc::test::parseNas(context, text, name);
  }
  OwningOpRef<ModuleOp> parseExample(StringRef file) {
    return nasc::test::parseExample(context, file);
  }
  static nas::SpecOp specOf(ModuleOp module) {
    return *module.getOps<nas::SpecOp>().begin();
  }

  MLIRContext context;
  std::vector<std::string> errors;
};

TEST_F(EvalTest, ParametersEqualTheAnalysisOnEveryExample) {
  for (StringRef file :
       {"nb201.nas", "fbnet.nas", "mobile.nas", "fashion.nas"}) {
    SCOPED_TRACE(file.str());
    OwningOpRef<ModuleOp> module = parseExample(file);
    ASSERT_TRUE(module);
    FailureOr<Space> space = Space::build(specOf(*module));
    ASSERT_TRUE(succeeded(space));
    Random random(3);
    int samples = file == "mobile.nas" || file == "fbnet.nas" ? 12 : 30;
    for (int i = 0; i < samples; ++i) {
      Candidate candidate = space->sample(random);
      OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
      CostAnalysis costs(specOf(*concrete));
      ASSERT_FALSE(costs.failed()) << space->encode(candidate);
      std::string error;
      int64_t params = countTorchParameters(specOf(*concrete), error);
      ASSERT_GE(params, 0) << error;
      EXPECT_EQ(uint64_t(params), costs.getTotals().params)
          << space->encode(candidate);
    }
  }
}

TEST_F(EvalTest, ForwardShapesOfEveryOp) {
  // Every op of the language, strides and padding included: the output
  // is [batch, classes].
  OwningOpRef<ModuleOp> module = parse(R"(
dataset d { input = [3, 15, 15]; classes = 7; }
cell c(nodes = 3) {
  edge 0 -> 1 : { p: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { m: avg_pool(kernel = 3); };
}
cell d2(nodes = 4, inputs = 2, output = concat) {
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { z: zero; };
  edge 2 -> 3 : { m: max_pool(kernel = 3); };
}
network n on d {
  conv(out = 8, kernel = 3, stride = 2) -> bn -> hswish;
  c;
  residual(shortcut = projection) { sep_conv(out = 16, kernel = 5, stride = 2) -> relu6; }
  residual(shortcut = avgpool_conv) { conv(out = 24, kernel = 3, stride = 2) -> swish; }
  residual { mbconv(kernel = 3, expand = 4, se = true) -> tanh; }
  identity(out = 32, stride = 1);
  relu;
  d2;
  mbconv(out = 40, kernel = 5, expand = 1, stride = 2) -> sigmoid;
  max_pool(kernel = 2, stride = 2);
  global_max_pool;
  fc(out = 20) -> bn -> relu;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  nas::SpecOp spec = specOf(*module);
  std::string error;
  ASSERT_FALSE(CostAnalysis(spec).failed())
      << (errors.empty() ? "" : errors.back());
  EXPECT_EQ(getTorchOutputShape(spec, error), (std::vector<int64_t>{2, 7}))
      << error;
  CostAnalysis costs(spec);
  ASSERT_FALSE(costs.failed());
  EXPECT_EQ(uint64_t(countTorchParameters(spec, error)),
            costs.getTotals().params);
  // Every op exports to ONNX, and ONNX's checker accepts the model.
  llvm::SmallString<128> path;
  llvm::sys::fs::createTemporaryFile("nasc-every-op", "onnx", path);
  EXPECT_TRUE(exportOnnxOf(spec, path.str().str(), error)) << error;
  uint64_t size = 0;
  llvm::sys::fs::file_size(path, size);
  EXPECT_GT(size, uint64_t(costs.getTotals().params) * 4); // the weights
}

TEST_F(EvalTest, UserOpsAndResolutionFollowTheAnalysis) {
  // User ops (depthwise, shuffle, squeeze-and-excitation, expressions,
  // identity_or_none) and a searched input resolution: every candidate's
  // LibTorch network has the analysis' parameters, the right output and an
  // ONNX model the checker accepts.
  OwningOpRef<ModuleOp> module = parse(R"(
dataset d { input = [3, 16, 16]; classes = 5; resolution = {9, 12, 16}; }
op ir(k, e, g = 1, stride = 1) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1, groups = g) -> bn -> relu;
    shuffle(groups = g);
    dwconv(kernel = k, stride = stride) -> bn -> hswish;
    se(squeeze = make_divisible(in * e / 4, 8));
    conv(out = out, kernel = 1, groups = g) -> bn;
  }
}
network n on d {
  conv(out = 12, stride = 2) -> bn -> relu;
  ir(k = {3, 5}, e = {2, 3}, g = {1, 3});
  ir(k = 3, e = 2, g = 2, out = {16, 24}, stride = 2);
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  Random random(5);
  for (int i = 0; i < 6; ++i) {
    Candidate candidate = space->sample(random);
    SCOPED_TRACE(space->encode(candidate));
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    nas::SpecOp spec = specOf(*concrete);
    CostAnalysis costs(spec);
    ASSERT_FALSE(costs.failed());
    EXPECT_EQ(costs.getInputShape(), space->getInputShape(candidate));
    std::string error;
    EXPECT_EQ(uint64_t(countTorchParameters(spec, error)),
              costs.getTotals().params)
        << error;
    EXPECT_EQ(getTorchOutputShape(spec, error), (std::vector<int64_t>{2, 5}))
        << error;
    llvm::SmallString<128> path;
    llvm::sys::fs::createTemporaryFile("nasc-user-ops", "onnx", path);
    EXPECT_TRUE(exportOnnxOf(spec, path.str().str(), error)) << error;
    llvm::sys::fs::remove(path);
  }
}

TEST_F(EvalTest, PrunedAndQuantizedCandidates) {
  // Pruned widths follow the analysis; fake quantization (4-bit and
  // binary weights, 8-bit activations) keeps the shapes and trains.
  OwningOpRef<ModuleOp> module = parse(R"(
dataset d { input = [1, 28, 28]; classes = 10; source = "fashion-mnist"; }
network n on d {
  conv(out = 16, kernel = 3, stride = 2, wbits = 4, abits = 8, prune = 0.5) -> bn -> relu;
  conv(out = 16, kernel = 3, stride = 2, wbits = 1) -> bn -> relu;
  global_avg_pool;
  fc(out = 10, wbits = 8);
}
)");
  ASSERT_TRUE(module);
  nas::SpecOp spec = specOf(*module);
  CostAnalysis costs(spec);
  ASSERT_FALSE(costs.failed());
  // conv 1->8 (pruned from 16): 72; BN 16; conv 8->16: 1152; BN 32; fc 170.
  EXPECT_EQ(costs.getTotals().params, 72u + 16 + 1152 + 32 + 170);
  std::string error;
  EXPECT_EQ(uint64_t(countTorchParameters(spec, error)),
            costs.getTotals().params)
      << error;
  TrainSettings settings;
  settings.proxyFraction = 0.1;
  settings.batchSize = 64;
  double accuracy = trainConcrete(spec, settings, error);
  ASSERT_GE(accuracy, 0) << error;
  EXPECT_GT(accuracy, 0.2); // well above chance after 85 steps
}

constexpr const char *kSmallNet = R"(
dataset d { input = [1, 28, 28]; classes = 10; source = "fashion-mnist"; }
network n on d {
  conv(out = 8, kernel = 3) -> bn -> relu -> max_pool(kernel = 2, stride = 2);
  conv(out = 16, kernel = 3) -> bn -> relu -> global_avg_pool;
  fc(out = 10);
}
)";

TEST_F(EvalTest, ShortTrainingIsDeterministic) {
  OwningOpRef<ModuleOp> module = parse(kSmallNet);
  ASSERT_TRUE(module);
  TrainSettings settings;
  settings.proxyFraction = 0.03;
  settings.batchSize = 64;
  settings.seed = 5;
  std::string error;
  double a = trainConcrete(specOf(*module), settings, error);
  ASSERT_GE(a, 0) << error;
  double b = trainConcrete(specOf(*module), settings, error);
  EXPECT_EQ(a, b); // bit for bit, one thread
  settings.seed = 6;
  EXPECT_NE(trainConcrete(specOf(*module), settings, error), a);
}

TEST_F(EvalTest, CheckpointsStartCandidatesFromTrainedWeights) {
  // Train the fashion example's candidate and export it; the same
  // candidate started from that archive, with no training at all, is
  // exactly as accurate as the trained one.
  OwningOpRef<ModuleOp> module = parseExample("fashion.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  Random random(4);
  Candidate candidate = space->sample(random);
  std::string encoding = space->encode(candidate);
  TrainSettings settings;
  settings.proxyFraction = 0.05;
  std::string error;
  std::unique_ptr<TorchEvaluator> trainer =
      TorchEvaluator::create(*space, settings, error);
  ASSERT_TRUE(trainer) << error;
  llvm::SmallString<128> dir;
  llvm::sys::fs::createUniqueDirectory("nasc-checkpoint", dir);
  ASSERT_TRUE(trainer->exportTrained(candidate, encoding, dir, error))
      << error;

  auto accuracyWith = [&](const std::string &checkpoint) {
    TrainSettings evalOnly = settings;
    evalOnly.epochs = 0;
    evalOnly.checkpoint = checkpoint;
    std::unique_ptr<TorchEvaluator> evaluator =
        TorchEvaluator::create(*space, evalOnly, error);
    search::Evaluation out;
    out.values.assign(1, std::nan(""));
    evaluator->evaluate(candidate, encoding, {"accuracy"}, out);
    return out.values[0];
  };
  double restored = accuracyWith(std::string(dir) + "/best.pt");
  double untrained = accuracyWith("");
  search::Evaluation out;
  out.values.assign(1, std::nan(""));
  trainer->evaluate(candidate, encoding, {"accuracy"}, out);
  // One epoch: the reported accuracy is that of the final weights, which
  // the archive holds (BN statistics included).
  EXPECT_EQ(restored, out.values[0]);
  EXPECT_NE(restored, untrained);
}

TEST_F(EvalTest, EvaluatorGivesAccuracyAndProxies) {
  OwningOpRef<ModuleOp> module = parseExample("fashion.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  Random random(1);
  Candidate candidate = space->sample(random);
  std::string encoding = space->encode(candidate);

  TrainSettings settings;
  settings.proxyFraction = 0.02;
  std::string error;
  std::unique_ptr<TorchEvaluator> trainer =
      TorchEvaluator::create(*space, settings, error);
  ASSERT_TRUE(trainer) << error;
  std::vector<std::string> metrics = {"accuracy", "test_accuracy",
                                      "train_seconds"};
  search::Evaluation out;
  out.values.assign(3, std::nan(""));
  trainer->evaluate(candidate, encoding, metrics, out);
  ASSERT_TRUE(out.ok) << out.message;
  EXPECT_GT(out.values[0], 0.1);
  EXPECT_LE(out.values[0], 1.0);
  EXPECT_GT(out.values[1], 0.1);
  EXPECT_GT(out.values[2], 0.0);

  for (const char *proxy : {"synflow", "naswot"}) {
    SCOPED_TRACE(proxy);
    settings.method = nas::EvalMethod::zero_cost;
    settings.proxy = proxy;
    std::unique_ptr<TorchEvaluator> scorer =
        TorchEvaluator::create(*space, settings, error);
    ASSERT_TRUE(scorer) << error;
    search::Evaluation score;
    score.values.assign(1, std::nan(""));
    scorer->evaluate(candidate, encoding, {proxy}, score);
    ASSERT_TRUE(score.ok) << score.message;
    EXPECT_TRUE(std::isfinite(score.values[0]));
  }
}

/// A trained candidate's figures, for failure messages.
static std::string describe(const TrainReport &report, double valid) {
  return "loss " + std::to_string(report.lastLoss) + ", training accuracy " +
         std::to_string(report.trainAccuracy) + ", validation accuracy " +
         std::to_string(valid);
}

TEST_F(EvalTest, TrainingLossAgreesWithAccuracyOnTheTrainingSubset) {
  // A small NB201-style candidate (a cell with none, skip, 1x1 and 3x3
  // convolutions and average pooling; BN everywhere) on Fashion-MNIST
  // adapted to 3x32x32, as examples/nb201.nas trains with stand-in data:
  // its accuracy on the images it trained on, measured in inference mode
  // (BN's running statistics), must agree with the loss the progress line
  // printed for them. With a mean loss L, the error rate is below L: a
  // reported loss of 0.15 next to chance accuracy (a wrong average, BN
  // statistics that do not match the weights, labels out of step with
  // the images) fails.
  OwningOpRef<ModuleOp> module = parse(R"(
dataset d { input = [3, 32, 32]; classes = 10; source = "fashion-mnist"; }
ops o {
  none: zero;
  skip_connect: identity;
  nor_conv_1x1: relu -> conv(kernel = 1) -> bn;
  nor_conv_3x3: relu -> conv(kernel = 3) -> bn;
  avg_pool_3x3: avg_pool(kernel = 3);
}
cell c(nodes = 4) { edges all : o; }
network n on d {
  stem: conv(out = 8, kernel = 3, stride = 2) -> bn;
  c;
  max_pool(kernel = 2, stride = 2);
  c;
  head: bn -> relu -> global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  std::string error;
  FailureOr<Candidate> candidate = space->decode(
      "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|skip_connect~0|"
      "nor_conv_1x1~1|avg_pool_3x3~2|",
      error);
  ASSERT_TRUE(succeeded(candidate)) << error;
  OwningOpRef<ModuleOp> concrete = space->materialize(*candidate);
  TrainSettings settings;
  // 540 images, 20 epochs: it fits them.
  settings.proxyFraction = 0.01;
  settings.epochs = 20;
  settings.batchSize = 32;
  settings.learningRate = 0.1;
  settings.seed = 1;
  TrainReport report;
  double valid = trainConcrete(specOf(*concrete), settings, error, &report);
  ASSERT_GE(valid, 0) << error;
  std::string figures = describe(report, valid);
  // Well below chance's loss (ln 10 = 2.3) ...
  EXPECT_LT(report.lastLoss, 1.0) << figures;
  // ... and as accurate on the same images as that loss says.
  EXPECT_GT(report.trainAccuracy, 1 - report.lastLoss) << figures;
  // What it learned carries over to the held-out tenth (chance is 0.1).
  EXPECT_GT(valid, 0.3) << figures;
  EXPECT_FALSE(HasFailure()) << figures;
}

TEST_F(EvalTest, BadDatasetFilesNameTheFile) {
  OwningOpRef<ModuleOp> module = parse(kSmallNet);
  ASSERT_TRUE(module);
  llvm::SmallString<128> dir;
  llvm::sys::fs::createUniqueDirectory("nasc-eval-test", dir);
  TrainSettings settings;
  settings.dataDir = dir.str().str();
  std::string error;
  EXPECT_LT(trainConcrete(specOf(*module), settings, error), 0);
  EXPECT_NE(error.find("train-images-idx3-ubyte.gz: cannot open"),
            std::string::npos)
      << error;
  // A file that is not IDX.
  std::ofstream(dir.str().str() + "/train-images-idx3-ubyte") << "not idx";
  EXPECT_LT(trainConcrete(specOf(*module), settings, error), 0);
  EXPECT_NE(error.find("train-images-idx3-ubyte: not an IDX file"),
            std::string::npos)
      << error;
}

} // namespace

TEST_F(EvalTest, AccuracyAfterAShortHotTrainingUsesStatisticsOfTheFinalWeights) {
  // examples/nb201.nas's schedule (batch 256, learning rate 0.1) for one
  // epoch on 4% of the stand-in data: nine steps. BN's running averages
  // (momentum 0.1) then still weigh their initial values by 0.9^9 = 39%
  // and lag weights that move fast, so in inference mode they do not
  // match the activations: the search printed a falling training loss
  // next to near-chance validation accuracy (here 0.26 in inference mode
  // against 0.52 with batch statistics). The statistics are recomputed
  // from training batches before accuracy is measured.
  OwningOpRef<ModuleOp> module = parseExample("nb201.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  std::string error;
  FailureOr<Candidate> candidate = space->decode(
      "|none~0|+|none~0|avg_pool_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|"
      "none~2|",
      error);
  ASSERT_TRUE(succeeded(candidate)) << error;
  OwningOpRef<ModuleOp> concrete = space->materialize(*candidate);
  TrainSettings settings;
  settings.standInData = true;
  settings.proxyFraction = 0.04;
  settings.epochs = 1;
  settings.batchSize = 256;
  settings.learningRate = 0.1;
  settings.seed = 1;
  settings.threads = 2;
  TrainReport report;
  double valid = trainConcrete(specOf(*concrete), settings, error, &report);
  ASSERT_GE(valid, 0) << error;
  std::string figures = describe(report, valid);
  EXPECT_GT(valid, 0.4) << figures;
  EXPECT_GT(report.trainAccuracy, 0.4) << figures;
}
