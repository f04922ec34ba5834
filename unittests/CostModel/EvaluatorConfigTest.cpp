//===- EvaluatorConfigTest.cpp - A search's evaluators from data ----------===//
//
// The configuration survives JSON exactly, rejects what is not its JSON,
// and the factory builds the same evaluators (names, fingerprints, values)
// from a configuration and from its JSON, as a second process would.
//
//===----------------------------------------------------------------------===//

#include "../NasTestUtils.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Evaluators/EvaluatorConfig.h"
#include "nasc/Space/Space.h"

#include "mlir/IR/BuiltinOps.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::evaluators;

namespace {

TEST(EvaluatorConfigTest, RoundTripsThroughJSON) {
  EvaluatorConfig config;
  config.measureTarget = "host";
  config.measureBatch = 4;
  config.costModels = {"a.json", "b.json"};
  config.lookupTables = {"board=t.csv"};
  config.evalMethod = "zero_cost";
  config.zeroCostProxy = "naswot";
  config.epochs = 3;
  config.proxyFraction = 0.125;
  config.standInData = true;
  config.finetuneEpochs = 0;
  config.supernetShards = 4;
  config.processes = 3;
  config.weightsDir = "out/weights";
  // Beyond a double's 53 bits: travels as a string.
  config.seed = (uint64_t(1) << 63) + 5;
  config.verbose = false;
  std::string error;
  std::optional<EvaluatorConfig> back =
      EvaluatorConfig::fromJSON(config.toJSON(), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, config);
  EXPECT_EQ(back->seed, (uint64_t(1) << 63) + 5);
  EXPECT_EQ(back->costModels, config.costModels);
  EXPECT_EQ(back->proxyFraction, 0.125);
  EXPECT_FALSE(back->verbose);
  EXPECT_EQ(back->supernetShards, 4u);
  EXPECT_EQ(back->processes, 3u);
  // Another configuration is another text.
  EvaluatorConfig other = config;
  other.measureBatch = 5;
  EXPECT_FALSE(other == config);
}

TEST(EvaluatorConfigTest, RejectsWhatIsNotItsJSON) {
  std::string error;
  EXPECT_FALSE(EvaluatorConfig::fromJSON("{", error));
  EXPECT_NE(error.find("evaluator configuration"), std::string::npos);
  error.clear();
  EXPECT_FALSE(EvaluatorConfig::fromJSON("[1]", error));
  EXPECT_EQ(error, "evaluator configuration: not a JSON object");
  error.clear();
  EXPECT_FALSE(EvaluatorConfig::fromJSON(R"({"measure_batch": "x"})", error));
  EXPECT_EQ(error, "evaluator configuration: 'measure_batch' has the wrong "
                   "type");
  error.clear();
  EXPECT_FALSE(EvaluatorConfig::fromJSON(R"({"epoch": 3})", error));
  EXPECT_EQ(error, "evaluator configuration: unknown key 'epoch'");
  error.clear();
  EXPECT_FALSE(EvaluatorConfig::fromJSON(R"({"train_threads": -1})", error));
  EXPECT_EQ(error, "evaluator configuration: 'train_threads' has the wrong "
                   "type");
  // Missing keys keep their defaults.
  error.clear();
  std::optional<EvaluatorConfig> partial =
      EvaluatorConfig::fromJSON(R"({"epochs": 2})", error);
  ASSERT_TRUE(partial) << error;
  EXPECT_EQ(partial->epochs, 2);
  EXPECT_EQ(partial->measureBatch, 1);
}

TEST(EvaluatorConfigTest, FactoryBuildsTheSameEvaluatorsFromJSON) {
  MLIRContext context;
  context.getOrLoadDialect<nas::NASDialect>();
  OwningOpRef<ModuleOp> module = test::parseNas(context, R"(
dataset d { input = [3, 16, 16]; classes = 10; }
target board : mobile { peak_compute = 10 GFLOPS; bandwidth = 2 GB/s; }
network n on d {
  conv(out = {8, 16}, kernel = {3, 5}) -> relu;
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module);
  nas::SpecOp spec = test::specOf(*module);
  FailureOr<Space> space = Space::build(spec);
  ASSERT_TRUE(succeeded(space));

  EvaluatorConfig config;
  config.measureTarget = "host";
  config.measureRepeats = 3;
  std::string error;
  std::optional<EvaluatorConfig> copy =
      EvaluatorConfig::fromJSON(config.toJSON(), error);
  ASSERT_TRUE(copy) << error;
  auto first = createCostEvaluators(spec, *space, config, error);
  ASSERT_TRUE(error.empty()) << error;
  auto second = createCostEvaluators(spec, *space, *copy, error);
  ASSERT_TRUE(error.empty()) << error;
  // Measured, the targets' design estimates, then the cost models.
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), first.size());
  EXPECT_EQ(first[0]->getName(), "measured host");
  EXPECT_EQ(first[1]->getName(), "design estimates");
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i]->getName(), second[i]->getName());
    EXPECT_EQ(first[i]->getFingerprint(), second[i]->getFingerprint());
  }
  // The same analytical latency from both.
  Random random(3);
  Candidate candidate = space->sample(random);
  std::vector<std::string> metrics = {"latency(board)"};
  search::Evaluation a, b;
  a.values.assign(1, std::nan(""));
  b.values.assign(1, std::nan(""));
  std::string encoding = space->encode(candidate);
  first[2]->evaluate(candidate, encoding, metrics, a);
  second[2]->evaluate(candidate, encoding, metrics, b);
  ASSERT_TRUE(a.ok) << a.message;
  EXPECT_GT(a.values[0], 0);
  EXPECT_EQ(a.values[0], b.values[0]);

  // A bad batch is an error naming the option.
  config.measureBatch = 0;
  error.clear();
  createCostEvaluators(spec, *space, config, error);
  EXPECT_EQ(error, "--measure-batch must be at least 1");
}

} // namespace
