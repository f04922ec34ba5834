//===- SearchTest.cpp - Tests of lib/Search ---------------------------------===//
//
// Pareto machinery (dominance, non-dominated sorting, crowding,
// hypervolume), problems (parsing, rules, scalarization), variation
// operators, the strategies' determinism, the SQLite store, and the search
// driver as a process: identical results for any --jobs, and a search
// killed with SIGKILL and resumed equal to one never interrupted.
//
//===----------------------------------------------------------------------===//

#include "../NasTestUtils.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"
#include "nasc/Search/Pareto.h"
#include "nasc/Search/Predictor.h"
#include "nasc/Support/MetricKey.h"
#include "nasc/Support/Numerics.h"
#include "nasc/Search/Problem.h"
#include "nasc/Search/Search.h"
#include "nasc/Search/SearchSettings.h"
#include "nasc/Search/Strategy.h"
#include "nasc/Search/TrialExecutor.h"
#include "nasc/Search/TrialStore.h"
#include "nasc/Support/CSV.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <atomic>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace nasc;
using namespace nasc::search;

namespace {

std::string tempPath(StringRef name);

//===----------------------------------------------------------------------===//
// Pareto
//===----------------------------------------------------------------------===//

TEST(CSVTest, ParsesWithLineNumbersAndNamesErrors) {
  CSVTable table;
  std::string error;
  // CRLF, blank lines, quoted fields with commas and doubled quotes.
  ASSERT_TRUE(parseCSV("\r\nencoding, latency_ms\r\n\"a,b\",1.5\r\n\n"
                       "\"say \"\"hi\"\"\", 2\n",
                       "t.csv", table, error))
      << error;
  EXPECT_EQ(table.headerLine, 2u);
  EXPECT_EQ(table.column("latency_ms"), 1);
  EXPECT_EQ(table.column("energy_mj"), -1);
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0][0], "a,b");
  EXPECT_EQ(table.rows[1][0], "say \"hi\"");
  EXPECT_EQ(table.rows[1][1], "2");
  EXPECT_EQ(table.lines[0], 3u);
  EXPECT_EQ(table.lines[1], 5u);
  EXPECT_FALSE(parseCSV("a,b\n1,2\n1,2,3\n", "t.csv", table, error));
  EXPECT_EQ(error, "t.csv:3: expected 2 fields, found 3");
  EXPECT_FALSE(parseCSV("a\n\"open\n", "t.csv", table, error));
  EXPECT_EQ(error, "t.csv:2: unterminated quoted field");
  ASSERT_TRUE(parseCSV("\n \n", "t.csv", table, error));
  EXPECT_TRUE(table.header.empty());
}

TEST(ParetoTest, Dominance) {
  EXPECT_TRUE(dominates({1, 2}, {2, 2}));
  EXPECT_TRUE(dominates({1, 1}, {2, 2}));
  EXPECT_FALSE(dominates({1, 2}, {1, 2})); // equal: neither
  EXPECT_FALSE(dominates({1, 3}, {2, 2})); // a trade-off
}

TEST(ParetoTest, NonDominatedSortingByHand) {
  // Front 0: (1,4) (2,2) (4,1); front 1: (3,3) (2,5); front 2: (5,5).
  std::vector<Point> points = {{3, 3}, {1, 4}, {5, 5}, {2, 2}, {4, 1}, {2, 5}};
  std::vector<std::vector<size_t>> fronts = sortNonDominated(points);
  ASSERT_EQ(fronts.size(), 3u);
  EXPECT_EQ(fronts[0], (std::vector<size_t>{1, 3, 4}));
  EXPECT_EQ(fronts[1], (std::vector<size_t>{0, 5}));
  EXPECT_EQ(fronts[2], (std::vector<size_t>{2}));
}

TEST(ParetoTest, CrowdingDistanceByHand) {
  // One front of four points on a line: the ends are infinite; an inner
  // point gets the sum over objectives of its neighbours' gap / range.
  std::vector<Point> points = {{0, 6}, {1, 3}, {3, 2}, {6, 0}};
  std::vector<double> d = crowdingDistances(points, {0, 1, 2, 3});
  EXPECT_TRUE(std::isinf(d[0]));
  EXPECT_TRUE(std::isinf(d[3]));
  EXPECT_DOUBLE_EQ(d[1], (3.0 - 0.0) / 6 + (6.0 - 2.0) / 6);
  EXPECT_DOUBLE_EQ(d[2], (6.0 - 1.0) / 6 + (3.0 - 0.0) / 6);
}

TEST(ParetoTest, Hypervolume2DByHand) {
  // Reference (4,4): staircase of (1,3), (2,2), (3,1): 3 + 2 + 1 = 6.
  EXPECT_DOUBLE_EQ(hypervolume({{1, 3}, {2, 2}, {3, 1}}, {4, 4}), 6.0);
  // A dominated point and one outside the box add nothing.
  EXPECT_DOUBLE_EQ(
      hypervolume({{1, 3}, {2, 2}, {3, 1}, {3, 3}, {5, 0}}, {4, 4}), 6.0);
  EXPECT_DOUBLE_EQ(hypervolume({}, {4, 4}), 0.0);
}

/// The union volume of the boxes [p, reference] by inclusion-exclusion.
double bruteForceVolume(const std::vector<Point> &points,
                        const std::vector<double> &reference) {
  double total = 0;
  size_t n = points.size();
  for (size_t mask = 1; mask < (size_t(1) << n); ++mask) {
    std::vector<double> corner(reference.size(), -1e300);
    int bits = 0;
    for (size_t i = 0; i < n; ++i)
      if (mask >> i & 1) {
        ++bits;
        for (size_t j = 0; j < reference.size(); ++j)
          corner[j] = std::max(corner[j], points[i][j]);
      }
    double volume = 1;
    for (size_t j = 0; j < reference.size(); ++j)
      volume *= std::max(0.0, reference[j] - corner[j]);
    total += bits % 2 ? volume : -volume;
  }
  return total;
}

TEST(ParetoTest, Hypervolume3DByHandAndByInclusionExclusion) {
  // Two boxes of volume 1 * 2 * 3 = 6 overlapping in 1 * 1 * 2 = 2.
  EXPECT_DOUBLE_EQ(hypervolume({{0, 1, 1}, {1, 0, 1}}, {2, 2, 3}),
                   2 * 1 * 2 + 1 * 2 * 2 - 1 * 1 * 2);
  Random random(5);
  for (int round = 0; round < 20; ++round) {
    std::vector<Point> points;
    for (int i = 0; i < 8; ++i)
      points.push_back({double(random.below(10)), double(random.below(10)),
                        double(random.below(10))});
    std::vector<double> reference = {10, 10, 10};
    EXPECT_NEAR(hypervolume(points, reference),
                bruteForceVolume(points, reference), 1e-9);
    // Four objectives go through the same slicing.
    std::vector<Point> four;
    for (const Point &p : points)
      four.push_back({p[0], p[1], p[2], double(random.below(10))});
    EXPECT_NEAR(hypervolume(four, {10, 10, 10, 10}),
                bruteForceVolume(four, {10, 10, 10, 10}), 1e-6);
  }
}

//===----------------------------------------------------------------------===//
// Problems
//===----------------------------------------------------------------------===//

TEST(ProblemTest, ConstraintsParseWithUnits) {
  std::string error;
  std::optional<Constraint> c = Problem::parseConstraint("latency<5ms", error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->metric, "latency");
  EXPECT_EQ(c->cmp, nas::Comparison::lt);
  EXPECT_DOUBLE_EQ(c->bound, 0.005);
  c = Problem::parseConstraint("params <= 3.5 M", error);
  ASSERT_TRUE(c) << error;
  EXPECT_DOUBLE_EQ(c->bound, 3.5e6);
  c = Problem::parseConstraint("model_size<4MiB", error);
  ASSERT_TRUE(c) << error;
  EXPECT_DOUBLE_EQ(c->bound, 4.0 * 1024 * 1024);
  c = Problem::parseConstraint("latency(phone)>=1e-3s", error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->metric, "latency(phone)");
  EXPECT_EQ(c->cmp, nas::Comparison::ge);
  EXPECT_DOUBLE_EQ(c->bound, 1e-3);

  EXPECT_FALSE(Problem::parseConstraint("latency<5MB", error));
  EXPECT_NE(error.find("a latency bound needs time"), std::string::npos)
      << error;
  EXPECT_FALSE(Problem::parseConstraint("params<5 parsecs", error));
  EXPECT_NE(error.find("unknown unit 'parsecs'"), std::string::npos) << error;
  EXPECT_FALSE(Problem::parseConstraint("params 5", error));
  EXPECT_FALSE(Problem::parseConstraint("1x<5", error));
}

TEST(ProblemTest, ObjectivesAndRules) {
  std::string error;
  std::optional<Objective> o = Problem::parseObjective("max:accuracy", error);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->maximize);
  EXPECT_FALSE(Problem::parseObjective("up:accuracy", error));
  EXPECT_FALSE(Problem::parseObjective("min:", error));

  Problem problem;
  problem.formulation = nas::Formulation::weighted_sum;
  problem.objectives = {{"accuracy", true, 2.0, 0}, {"latency", false, 1.0, 0}};
  problem.update();
  EXPECT_EQ(problem.validate(), "");
  // 2 * 0.9 - 1 * 0.5.
  EXPECT_DOUBLE_EQ(problem.scalarize(problem.objectives, {0.9, 0.5}), 1.3);
  problem.formulation = nas::Formulation::weighted_product;
  // log(0.9^2 * 0.5^-1).
  EXPECT_NEAR(problem.scalarize(problem.objectives, {0.9, 0.5}),
              std::log(0.81 / 0.5), 1e-12);
  EXPECT_EQ(problem.orient(problem.objectives, {0.9, 0.5}),
            (std::vector<double>{-0.9, 0.5}));
  problem.formulation = nas::Formulation::single;
  EXPECT_NE(problem.validate(), "");
  problem.formulation = nas::Formulation::two_stage;
  EXPECT_NE(problem.validate().find("'stage 1' or 'stage 2'"),
            std::string::npos);
  problem.objectives[0].stage = 1;
  problem.objectives[1].stage = 2;
  EXPECT_EQ(problem.validate(), "");
  EXPECT_EQ(problem.getActiveObjectives(1).size(), 1u);
  EXPECT_EQ(problem.getActiveObjectives(2).size(), 2u);

  problem.constraints = {{"params", nas::Comparison::lt, 100, "params < 100"}};
  problem.update();
  EXPECT_EQ(problem.getMetrics(),
            (std::vector<std::string>{"accuracy", "latency", "params"}));
  EXPECT_EQ(problem.firstViolated({0.9, 0.5, 99}), -1);
  EXPECT_EQ(problem.firstViolated({0.9, 0.5, 100}), 0);
  EXPECT_GT(problem.violation({0.9, 0.5, 150}),
            problem.violation({0.9, 0.5, 120}));
}

TEST(ProblemTest, RankingRulesForConstraints) {
  auto make = [](bool ok, bool feasible, double violation,
                 std::vector<double> objectives, double score) {
    Feedback f;
    f.ok = ok;
    f.feasible = feasible;
    f.violation = violation;
    f.objectives = std::move(objectives);
    f.score = score;
    return f;
  };
  Feedback good = make(true, true, 0, {1, 1}, 5);
  Feedback better = make(true, true, 0, {0, 1}, 6);
  Feedback slightlyOff = make(true, false, 0.1, {-5, -5}, 100);
  Feedback farOff = make(true, false, 2.0, {-9, -9}, 200);
  Feedback failed = make(false, false, INFINITY, {INFINITY, INFINITY}, 0);
  // Feasible before infeasible (whatever its score), less infeasible
  // before more, anything before a failure.
  EXPECT_TRUE(isBetter(good, slightlyOff));
  EXPECT_TRUE(isBetter(better, good));
  EXPECT_TRUE(isBetter(slightlyOff, farOff));
  EXPECT_TRUE(isBetter(farOff, failed));
  EXPECT_TRUE(constrainedDominates(good, slightlyOff));
  EXPECT_TRUE(constrainedDominates(better, good));
  EXPECT_FALSE(constrainedDominates(good, better));
  EXPECT_TRUE(constrainedDominates(slightlyOff, farOff));
  EXPECT_TRUE(constrainedDominates(farOff, failed));
  EXPECT_FALSE(constrainedDominates(failed, farOff));
}

//===----------------------------------------------------------------------===//
// Spaces: variation and strategies
//===----------------------------------------------------------------------===//

class SpaceFixture : public ::testing::Test {
protected:
  SpaceFixture() { context.getOrLoadDialect<nas::NASDialect>(); }

  FailureOr<Space> load(StringRef file) {
    auto buffer = llvm::MemoryBuffer::getFile(std::string(NASC_EXAMPLES_DIR) +
                                              "/" + file.str());
    EXPECT_TRUE(bool(buffer));
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
    modules.push_back(parseNasSource(sourceMgr, &context));
    EXPECT_TRUE(modules.back());
    return Space::build(*modules.back()->getOps<nas::SpecOp>().begin());
  }

  MLIRContext context;
  std::vector<OwningOpRef<ModuleOp>> modules;
};

TEST_F(SpaceFixture, VariationKeepsCandidatesValid) {
  for (StringRef file : {"nb201.nas", "fbnet.nas", "mobile.nas"}) {
    SCOPED_TRACE(file.str());
    FailureOr<Space> space = load(file);
    ASSERT_TRUE(succeeded(space));
    Random random(11);
    for (int i = 0; i < 200; ++i) {
      Candidate a = space->sample(random), b = space->sample(random);
      Candidate child = space->mutate(a, random, 0.2);
      EXPECT_NE(space->encode(child), space->encode(a)); // one changes
      Candidate mixed = space->crossover(a, b, random);
      for (const Candidate *candidate : {&child, &mixed}) {
        std::string error;
        FailureOr<Candidate> decoded =
            space->decode(space->encode(*candidate), error);
        ASSERT_TRUE(succeeded(decoded)) << error;
        EXPECT_EQ(*decoded, *candidate);
      }
      // Crossing a candidate with itself gives it back.
      EXPECT_EQ(space->crossover(a, a, random), a);
    }
  }
}

/// Runs a strategy for `trials` proposals against a made-up objective
/// (the sum of the outcomes, minimized, and its negation as a second
/// objective's rival) and returns the encodings proposed.
std::vector<std::string> runStrategy(const Space &space, nas::Strategy kind,
                                     uint64_t seed, bool multi, int trials) {
  StrategyOptions options;
  options.kind = kind;
  options.seed = seed;
  options.multiObjective = multi;
  options.population = 20;
  options.sampleSize = 5;
  options.batch = 8;
  std::string error;
  std::unique_ptr<Strategy> strategy = createStrategy(space, options, error);
  EXPECT_TRUE(strategy) << error;
  std::vector<std::string> proposed;
  while (int(proposed.size()) < trials) {
    std::vector<Candidate> batch = strategy->ask(strategy->getBatchSize());
    std::vector<Feedback> feedback;
    for (const Candidate &candidate : batch) {
      double sum = 0, first = candidate.outcomes.empty()
                                  ? 0
                                  : double(candidate.outcomes.front());
      for (uint32_t outcome : candidate.outcomes)
        sum += outcome;
      Feedback f;
      f.ok = true;
      f.feasible = sum > 3; // some are infeasible
      f.violation = f.feasible ? 0 : 4 - sum;
      f.objectives = multi ? std::vector<double>{sum, -first}
                           : std::vector<double>{sum};
      f.score = -sum;
      feedback.push_back(f);
      proposed.push_back(space.encode(candidate));
    }
    strategy->tell(batch, feedback);
  }
  return proposed;
}

TEST_F(SpaceFixture, StrategiesAreDeterministicForASeed) {
  FailureOr<Space> space = load("fbnet.nas");
  ASSERT_TRUE(succeeded(space));
  for (nas::Strategy kind :
       {nas::Strategy::random, nas::Strategy::grid, nas::Strategy::evolution,
        nas::Strategy::nsga2, nas::Strategy::reinforce}) {
    for (bool multi : {false, true}) {
      SCOPED_TRACE(nas::stringifyStrategy(kind).str() +
                   (multi ? " multi" : " single"));
      std::vector<std::string> a = runStrategy(*space, kind, 7, multi, 300);
      std::vector<std::string> b = runStrategy(*space, kind, 7, multi, 300);
      EXPECT_EQ(a, b);
      if (kind != nas::Strategy::grid) {
        EXPECT_NE(a, runStrategy(*space, kind, 8, multi, 300));
      }
    }
  }
}

TEST_F(SpaceFixture, StrategiesImproveOnRandom) {
  // Minimizing the sum of the outcomes of FBNet's 22 decisions (0..176):
  // every learning strategy ends well below random search.
  FailureOr<Space> space = load("fbnet.nas");
  ASSERT_TRUE(succeeded(space));
  auto bestOfLast = [&](nas::Strategy kind) {
    std::vector<std::string> proposed =
        runStrategy(*space, kind, 1, false, 2000);
    int best = 1 << 30;
    for (size_t i = proposed.size() - 200; i < proposed.size(); ++i) {
      std::string error;
      Candidate candidate = *space->decode(proposed[i], error);
      int sum = 0;
      for (uint32_t outcome : candidate.outcomes)
        sum += int(outcome);
      best = std::min(best, sum);
    }
    return best;
  };
  int random = bestOfLast(nas::Strategy::random);
  for (nas::Strategy kind : {nas::Strategy::evolution, nas::Strategy::nsga2,
                             nas::Strategy::reinforce}) {
    SCOPED_TRACE(nas::stringifyStrategy(kind).str());
    EXPECT_LT(bestOfLast(kind), random);
  }
}

TEST_F(SpaceFixture, PredictorLearnsAnAdditiveTarget) {
  // FBNet: 200 candidates whose "accuracy" is a weighted sum of their
  // outcomes (plus a little noise); the predictor ranks unseen candidates
  // almost perfectly, and its cross-validated quality says so.
  FailureOr<Space> space = load("fbnet.nas");
  ASSERT_TRUE(succeeded(space));
  std::string path = tempPath("train.csv");
  auto target = [](const Candidate &candidate) {
    double value = 0;
    for (size_t i = 0; i < candidate.outcomes.size(); ++i)
      value += double(candidate.outcomes[i] * (i % 3 + 1)) / 100.0;
    return value;
  };
  Random random(2);
  {
    std::ofstream out(path);
    out << "encoding,accuracy,status\n";
    for (int i = 0; i < 200; ++i) {
      Candidate candidate = space->sample(random);
      double noise = double(random.below(1000)) / 1e6;
      out << space->encode(candidate) << "," << target(candidate) + noise
          << ",ok\n";
    }
    // A failed trial of a trials.csv is left out.
    out << space->encode(space->sample(random)) << ",,failed\n";
  }
  std::string error;
  std::shared_ptr<const Table> table = Table::load(path, error);
  ASSERT_TRUE(table) << error;
  std::unique_ptr<PredictorEvaluator> predictor =
      PredictorEvaluator::create(*space, table, "accuracy", error);
  ASSERT_TRUE(predictor) << error;
  EXPECT_EQ(predictor->getQuality().rows, 200u);
  // 201 features, 160 rows per fold: cross-validation is a little lower.
  EXPECT_GT(predictor->getQuality().spearman, 0.85);
  std::vector<double> predicted, truth;
  for (int i = 0; i < 100; ++i) {
    Candidate candidate = space->sample(random);
    predicted.push_back(predictor->predict(candidate));
    truth.push_back(target(candidate));
  }
  EXPECT_GT(spearman(predicted, truth), 0.95);
  // Too few rows.
  std::string small = tempPath("small.csv");
  std::ofstream(small) << "encoding,accuracy\n"
                       << space->encode(space->sample(random)) << ",0.5\n";
  EXPECT_FALSE(PredictorEvaluator::create(
      *space, Table::load(small, error), "accuracy", error));
  EXPECT_NE(error.find("a predictor needs at least 10"), std::string::npos)
      << error;
}

TEST(ParetoTest, SpearmanByHand) {
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // Ties take their mean rank: ranks (1.5, 1.5, 3) against (1, 2, 3).
  EXPECT_NEAR(spearman({5, 5, 7}, {1, 2, 3}), 0.8660254037844386, 1e-12);
}

TEST_F(SpaceFixture, GradientCostTermPrefersCheapCandidates) {
  // FBNet with a "cost" that is the sum of the outcomes and a reward that
  // says nothing (every candidate scores the same): only the
  // differentiable cost term moves the policy, towards cheap candidates.
  // Without it (cost_weight 0) the policy's mode stays where it starts.
  FailureOr<Space> space = load("fbnet.nas");
  ASSERT_TRUE(succeeded(space));
  auto sum = [](const Candidate &candidate) {
    double total = 0;
    for (uint32_t outcome : candidate.outcomes)
      total += outcome;
    return total;
  };
  auto modeAfter = [&](double costWeight) {
    StrategyOptions options;
    options.kind = nas::Strategy::gradient;
    options.seed = 3;
    options.costWeight = costWeight;
    options.cost = sum;
    options.learningRate = 0.5;
    std::string error;
    std::unique_ptr<Strategy> strategy =
        createStrategy(*space, options, error);
    EXPECT_TRUE(strategy) << error;
    for (int round = 0; round < 30; ++round) {
      std::vector<Candidate> batch = strategy->ask(strategy->getBatchSize());
      std::vector<Feedback> feedback(batch.size());
      for (Feedback &f : feedback) {
        f.ok = f.feasible = true;
        f.objectives = {0.0};
      }
      strategy->tell(batch, feedback);
    }
    // The first candidate of a batch is the policy's mode.
    return sum(strategy->ask(1).front());
  };
  double mean = 0;
  Random random(1);
  for (int i = 0; i < 200; ++i)
    mean += sum(space->sample(random)) / 200.0;
  double cheap = modeAfter(5.0);
  EXPECT_LT(cheap, 0.25 * mean) << "uniform mean " << mean;
  EXPECT_EQ(modeAfter(0.0), 0.0); // all logits equal: the first outcomes
  EXPECT_LE(cheap, modeAfter(1.0));
}

//===----------------------------------------------------------------------===//
// The store
//===----------------------------------------------------------------------===//

std::string tempPath(StringRef name) {
  llvm::SmallString<128> dir;
  llvm::sys::fs::createUniqueDirectory("nasc-search-test", dir);
  llvm::sys::path::append(dir, name);
  return dir.str().str();
}

TEST(TrialStoreTest, TrialsAndEvaluationsRoundTrip) {
  std::string path = tempPath("store.db");
  std::string error;
  {
    std::unique_ptr<TrialStore> store = TrialStore::open(path, error);
    ASSERT_TRUE(store) << error;
    std::vector<StoredTrial> trials;
    ASSERT_TRUE(store->startSearch("fp", "a search", false, trials, error));
    EXPECT_TRUE(trials.empty());
    StoredTrial trial{0, "a b", TrialStatus::Ok, "", {1.5, 0.1, std::nan("")}, 0.25,
                      false};
    ASSERT_TRUE(store->addTrial(trial, error)) << error;
    trial.number = 1;
    trial.encoding = "c, \"d\"";
    trial.status = TrialStatus::Failed;
    trial.message = "not in table t.csv";
    ASSERT_TRUE(store->addTrial(trial, error)) << error;
    trial.encoding = "a b";
    ASSERT_TRUE(store->addEvaluation("key", trial, error)) << error;
  }
  std::unique_ptr<TrialStore> store = TrialStore::open(path, error);
  ASSERT_TRUE(store) << error;
  std::optional<StoredTrial> cached = store->lookupEvaluation("key", "a b");
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, TrialStatus::Failed);
  EXPECT_EQ(cached->values[0], 1.5);
  EXPECT_EQ(cached->values[1], 0.1); // bit-exact
  EXPECT_TRUE(std::isnan(cached->values[2]));
  EXPECT_FALSE(store->lookupEvaluation("key", "other"));
  EXPECT_FALSE(store->lookupEvaluation("other", "a b"));
  EXPECT_EQ(store->loadEvaluations("key").size(), 1u);

  std::vector<StoredTrial> trials;
  ASSERT_TRUE(store->startSearch("fp", "a search", true, trials, error));
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].encoding, "a b");
  EXPECT_EQ(trials[0].values[1], 0.1);
  EXPECT_EQ(trials[1].encoding, "c, \"d\"");
  EXPECT_EQ(trials[1].status, TrialStatus::Failed);
  EXPECT_EQ(trials[1].message, "not in table t.csv");
  // A fresh start forgets the trials, not the evaluations.
  ASSERT_TRUE(store->startSearch("fp", "a search", false, trials, error));
  EXPECT_TRUE(trials.empty());
  EXPECT_TRUE(store->lookupEvaluation("key", "a b"));

  // What the store holds, for a person.
  EXPECT_TRUE(store->hasSearch("fp"));
  EXPECT_FALSE(store->hasSearch("other"));
  ASSERT_TRUE(store->addTrial(StoredTrial{0, "a b", TrialStatus::Ok, "", {1.5}, 0.25,
                                          false},
                              error))
      << error;
  std::vector<StoredSearch> searches = store->listSearches();
  ASSERT_EQ(searches.size(), 1u);
  EXPECT_EQ(searches[0].description, "a search");
  EXPECT_EQ(searches[0].trials, 1u);
  EXPECT_EQ(searches[0].created.size(), 19u); // YYYY-MM-DD HH:MM:SS
}

TEST(TrialStoreTest, LockFileIsExclusiveAndNamesItsHolder) {
  std::string path = tempPath("search.lock");
  std::string error;
  std::unique_ptr<LockFile> held = LockFile::acquire(path, "DIR", error);
  ASSERT_TRUE(held) << error;
  // flock locks belong to the open file: a second open conflicts even in
  // this process.
  EXPECT_FALSE(LockFile::acquire(path, "DIR", error));
  EXPECT_EQ(error, "DIR is in use by another nasc search (process " +
                       std::to_string(getpid()) + ", lock " + path + ")");
  held.reset();
  EXPECT_TRUE(LockFile::acquire(path, "DIR", error)) << error;
}

TEST(ProblemTest, MetricUnitsReadBack) {
  // One unit per dimension in every output: ms, mJ (issue 22, item 5).
  EXPECT_EQ(getMetricHeader("latency(laptop)"), "latency(laptop) [ms]");
  EXPECT_EQ(getMetricHeader("energy(mcu)"), "energy(mcu) [mJ]");
  EXPECT_EQ(getMetricHeader("power(mcu)"), "power(mcu) [W]");
  EXPECT_EQ(getMetricHeader("flops"), "flops [FLOPs]");
  EXPECT_EQ(getMetricHeader("accuracy"), "accuracy [fraction]");
  EXPECT_EQ(getMetricHeader("test_accuracy"), "test_accuracy [fraction]");
  EXPECT_EQ(getMetricHeader("peak_memory_bytes"), "peak_memory_bytes [B]");
  EXPECT_EQ(getMetricHeader("model_size"), "model_size [B]");
  EXPECT_EQ(getMetricHeader("train_seconds"), "train_seconds [s]");
  // A proxy's score is no accuracy: its own unit (issue 22, item 1).
  EXPECT_EQ(getMetricHeader("synflow"), "synflow [log10 score]");
  EXPECT_EQ(getMetricHeader("naswot"), "naswot [log det]");
  EXPECT_EQ(formatMetricValue("naswot", 543.271), "543.271 log det");
  EXPECT_EQ(formatMetricValue("latency(laptop)", 2.82145e-05),
            "0.0282145 ms");
  EXPECT_EQ(formatMetricValue("energy(mcu)", 0.5), "500 mJ");
  EXPECT_EQ(formatMetricValue("train_seconds", 12), "12 s");
  EXPECT_EQ(formatMetricValue("my_column", 3), "3");
  EXPECT_EQ(getMetricHeader("my_column"), "my_column");
  // Written in ms, the decimal point moved: 0.00147802 s is 1.47802 ms
  // (1.4780199999999999 by multiplication), and reads back as the same
  // double at the header's scale.
  EXPECT_EQ(toMetricUnit("latency", 0.00147802), 1.47802);
  EXPECT_EQ(toMetricUnit("energy(t)", 0.004073248), 4.073248);
  EXPECT_EQ(toMetricUnit("accuracy", 0.1 + 0.2), 0.1 + 0.2);
  EXPECT_EQ(toMetricUnit("my_column", 7.5), 7.5);
  EXPECT_TRUE(std::isnan(toMetricUnit("latency", std::nan(""))));
  for (double seconds :
       {0.00147802, 4.073248e-3, 1.0 / 3, 2.5e-9, 12.0, 0.004702394}) {
    double written = toMetricUnit("latency", seconds);
    EXPECT_EQ(rescale(written, *getUnitScale(getMetricUnit("latency"))),
              seconds);
  }
  // Every unit written reads back: at scale 1 except time and energy.
  for (llvm::StringRef metric :
       {"power(t)", "model_size", "accuracy", "flops", "macs", "bops", "params",
        "model_bytes", "synflow", "naswot"}) {
    std::optional<double> scale = getUnitScale(getMetricUnit(metric));
    ASSERT_TRUE(scale) << metric.str();
    EXPECT_EQ(*scale, 1.0) << metric.str();
  }
  EXPECT_EQ(getUnitScale(getMetricUnit("latency(t)")), 1e-3);
  EXPECT_EQ(getUnitScale(getMetricUnit("energy(t)")), 1e-3);
  EXPECT_EQ(getUnitScale("ms"), 1e-3);
  EXPECT_FALSE(getUnitScale("parsecs"));
}

TEST(ProgressTest, SpeedAndTimeLeft) {
  EXPECT_EQ(formatSpeed(0, 0, 100), "ETA unknown");
  EXPECT_EQ(formatSpeed(1200, 10, 600), "120 trials/s, ETA 5 s");
  EXPECT_EQ(formatSpeed(15, 10, 30), "1.5 trials/s, ETA 20 s");
  // Slow trials: seconds, minutes or hours per trial, never "0 trials/s".
  EXPECT_EQ(formatSpeed(2, 90, 8), "45 s/trial, ETA 6 min");
  EXPECT_EQ(formatSpeed(3, 3600, 100), "20 min/trial, ETA 33.3 h");
  EXPECT_EQ(formatSpeed(1, 4 * 3600, 1), "4.0 h/trial, ETA 4.0 h");
  // A time limit that comes first is the ETA.
  EXPECT_EQ(formatSpeed(2, 90, 8, 120), "45 s/trial, ETA 2 min (time limit)");
  EXPECT_EQ(formatSpeed(2, 90, 8, 1000), "45 s/trial, ETA 6 min");
}

//===----------------------------------------------------------------------===//
// The driver as a process
//===----------------------------------------------------------------------===//

std::string readFile(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// trials.csv without the columns that legitimately differ between runs
/// (seconds, cached).
std::string comparableTrials(const std::string &dir) {
  std::stringstream in(readFile(dir + "/trials.csv")), out;
  std::string line;
  std::vector<int> drop;
  bool header = true;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    // Encodings of this test's spec hold no commas or quotes.
    while (std::getline(row, field, ','))
      fields.push_back(field);
    if (header) {
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == "seconds" || fields[i] == "cached")
          drop.push_back(int(i));
      header = false;
    }
    for (size_t i = 0; i < fields.size(); ++i)
      if (std::find(drop.begin(), drop.end(), int(i)) == drop.end())
        out << fields[i] << ",";
    out << "\n";
  }
  return out.str();
}

/// Starts `nasc search` as a child process.
pid_t spawn(const std::vector<std::string> &args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char *> argv;
    for (const std::string &arg : args)
      argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    int null = ::open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int waitFor(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

/// Trials committed so far in `db` (0 when it does not exist yet).
int64_t countTrials(const std::string &db) {
  if (!llvm::sys::fs::exists(db))
    return 0;
  sqlite3 *handle = nullptr;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(handle);
    return 0;
  }
  sqlite3_busy_timeout(handle, 1000);
  sqlite3_stmt *stmt = nullptr;
  int64_t count = 0;
  if (sqlite3_prepare_v2(handle, "SELECT count(*) FROM trials", -1, &stmt,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    count = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(handle);
  return count;
}

std::vector<std::string> searchArgs(const std::string &out,
                                    const std::string &strategy,
                                    int64_t budget) {
  return {NASC_BINARY,
          "search",
          std::string(NASC_EXAMPLES_DIR) + "/fbnet.nas",
          "--objective",
          "min:flops",
          "--objective",
          "min:peak_memory_bytes",
          "--constraint",
          "params<4M",
          "--strategy",
          strategy,
          "--budget",
          std::to_string(budget),
          "--seed",
          "5",
          "--out",
          out,
          "--quiet",
          "--commit-interval",
          "0"};
}

TEST(SearchProcessTest, JobsDoNotChangeResults) {
  std::string one = tempPath("one"), four = tempPath("four");
  for (std::string strategy : {"nsga2", "reinforce"}) {
    SCOPED_TRACE(strategy);
    std::vector<std::string> a = searchArgs(one, strategy, 1500);
    std::vector<std::string> b = searchArgs(four, strategy, 1500);
    b.push_back("--jobs");
    b.push_back("4");
    ASSERT_EQ(WEXITSTATUS(waitFor(spawn(a))), 0);
    ASSERT_EQ(WEXITSTATUS(waitFor(spawn(b))), 0);
    EXPECT_EQ(comparableTrials(one), comparableTrials(four));
    EXPECT_EQ(readFile(one + "/pareto.csv"), readFile(four + "/pareto.csv"));
  }
}

TEST(SearchProcessTest, KilledAndResumedEqualsUninterrupted) {
  const int64_t budget = 20000;
  std::string reference = tempPath("reference");
  ASSERT_EQ(WEXITSTATUS(waitFor(spawn(searchArgs(reference, "nsga2", budget)))),
            0);
  std::string expectedTrials = comparableTrials(reference);
  std::string expectedFront = readFile(reference + "/pareto.csv");

  int killedMidway = 0;
  for (int64_t point : {budget / 10, budget / 2, budget * 8 / 10}) {
    SCOPED_TRACE(point);
    std::string out = tempPath("killed");
    std::string db = out + "/trials.db";
    pid_t child = spawn(searchArgs(out, "nsga2", budget));
    // Kill it once `point` trials are committed.
    auto start = std::chrono::steady_clock::now();
    while (countTrials(db) < point &&
           std::chrono::steady_clock::now() - start < std::chrono::seconds(60))
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    kill(child, SIGKILL);
    int status = waitFor(child);
    int64_t committed = countTrials(db);
    if (WIFSIGNALED(status) && committed < budget)
      ++killedMidway;

    std::vector<std::string> args = searchArgs(out, "nsga2", budget);
    args.push_back("--resume");
    ASSERT_EQ(WEXITSTATUS(waitFor(spawn(args))), 0);
    EXPECT_EQ(comparableTrials(out), expectedTrials);
    EXPECT_EQ(readFile(out + "/pareto.csv"), expectedFront);
    // Nothing committed was evaluated again.
    std::string summary = readFile(out + "/summary.json");
    EXPECT_NE(summary.find("\"resumed\": " + std::to_string(committed)),
              std::string::npos)
        << summary;
  }
  // At least two of the three kills landed mid-search.
  EXPECT_GE(killedMidway, 2);

  // Ctrl-C: the search stops after committing what is finished, says so
  // (exit status 130, "interrupted" in summary.json), and resumes to the
  // same result.
  std::string out = tempPath("interrupted");
  pid_t child = spawn(searchArgs(out, "nsga2", budget));
  auto start = std::chrono::steady_clock::now();
  while (countTrials(out + "/trials.db") < budget / 4 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  kill(child, SIGINT);
  int status = waitFor(child);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 130) {
    EXPECT_NE(readFile(out + "/summary.json").find("\"interrupted\": true"),
              std::string::npos);
    EXPECT_LT(countTrials(out + "/trials.db"), budget);
  }
  std::vector<std::string> args = searchArgs(out, "nsga2", budget);
  args.push_back("--resume");
  ASSERT_EQ(WEXITSTATUS(waitFor(spawn(args))), 0);
  EXPECT_EQ(comparableTrials(out), expectedTrials);
  EXPECT_EQ(readFile(out + "/pareto.csv"), expectedFront);
}

} // namespace

TEST(MetricKeyTest, ParsesAndPrintsOneSpelling) {
  for (llvm::StringRef text :
       {"flops", "latency(laptop)", "latency_ms(host)", "energy(t-1.b)"}) {
    std::optional<MetricKey> key = MetricKey::parse(text);
    ASSERT_TRUE(key) << text.str();
    EXPECT_EQ(key->str(), text.str());
  }
  std::optional<MetricKey> key = MetricKey::parse("latency(gpu)");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->name, "latency");
  EXPECT_EQ(key->target, "gpu");
  EXPECT_EQ(MetricKey::getName("latency(gpu)"), "latency");
  for (llvm::StringRef bad :
       {"", "(gpu)", "1flops", "latency()", "latency(gpu", "latency gpu",
        "latency(a(b))", "latency(gpu)x"})
    EXPECT_FALSE(MetricKey::parse(bad)) << bad.str();
}

TEST(TrialStatusTest, SpellingsRoundTrip) {
  for (TrialStatus status :
       {TrialStatus::Ok, TrialStatus::Infeasible, TrialStatus::Failed})
    EXPECT_EQ(parseTrialStatus(getStatusName(status)), status);
  EXPECT_EQ(getStatusName(TrialStatus::Infeasible), "infeasible");
  EXPECT_EQ(parseTrialStatus("garbage"), TrialStatus::Failed);
}

namespace {
/// Answers a request with its encoding's length, noting whether another
/// request was under way on it at the time.
class CountingWorker : public search::TrialWorker {
public:
  CountingWorker(std::atomic<bool> &overlap, std::vector<std::string> &order,
                 std::mutex &orderMutex)
      : overlap(overlap), order(order), orderMutex(orderMutex) {}
  search::TrialOutcome evaluate(const search::TrialRequest &request) override {
    // A worker's evaluators serve one request at a time.
    if (busy++ != 0)
      overlap = true;
    {
      std::lock_guard<std::mutex> lock(orderMutex);
      order.push_back(request.encoding);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(50));
    search::TrialOutcome outcome;
    outcome.status = TrialStatus::Ok;
    outcome.values = {double(request.encoding.size())};
    outcome.message = request.parent;
    outcome.finished = true;
    --busy;
    return outcome;
  }

private:
  std::atomic<int> busy{0};
  std::atomic<bool> &overlap;
  std::vector<std::string> &order;
  std::mutex &orderMutex;
};
} // namespace

TEST(TrialExecutorTest, EvaluatesEveryRequestOnceIntoItsOutcome) {
  for (unsigned jobs : {1u, 3u}) {
    std::atomic<bool> overlap{false};
    std::vector<std::string> order;
    std::mutex orderMutex;
    std::vector<std::unique_ptr<search::TrialWorker>> workers;
    for (unsigned w = 0; w < jobs; ++w)
      workers.push_back(
          std::make_unique<CountingWorker>(overlap, order, orderMutex));
    std::unique_ptr<search::TrialExecutor> executor =
        search::createTrialExecutor(std::move(workers));
    for (size_t count : {size_t(0), size_t(1), size_t(97)}) {
      order.clear();
      std::vector<search::TrialRequest> requests;
      for (size_t i = 0; i < count; ++i)
        requests.push_back({std::string(i + 1, 'x'), std::to_string(i)});
      std::vector<search::TrialOutcome> outcomes(count);
      executor->run(requests, outcomes, nullptr);
      EXPECT_FALSE(overlap);
      for (size_t i = 0; i < count; ++i) {
        EXPECT_TRUE(outcomes[i].finished) << i;
        EXPECT_EQ(outcomes[i].values, std::vector<double>{double(i + 1)});
        EXPECT_EQ(outcomes[i].message, std::to_string(i));
      }
      std::vector<std::string> sorted = order;
      llvm::sort(sorted, [](const std::string &a, const std::string &b) {
        return a.size() < b.size();
      });
      ASSERT_EQ(sorted.size(), count) << "jobs " << jobs;
      for (size_t i = 0; i < count; ++i)
        EXPECT_EQ(sorted[i].size(), i + 1);
      // One worker evaluates them in order.
      if (jobs == 1) {
        EXPECT_EQ(order, sorted);
      }
    }
    // Cancelled: nothing more is started.
    CancellationToken cancel;
    cancel.cancel();
    std::vector<search::TrialRequest> requests(5, {"x", ""});
    std::vector<search::TrialOutcome> outcomes(5);
    order.clear();
    executor->run(requests, outcomes, &cancel);
    EXPECT_TRUE(order.empty());
    for (const search::TrialOutcome &outcome : outcomes)
      EXPECT_FALSE(outcome.finished);
  }
}

namespace {
/// Evaluates "slow" only once "fast" has been evaluated (or after 20 s,
/// saying so): with one ticket's "slow" and a later ticket's "fast", the
/// executor must start the later ticket while the earlier one is out.
class LatchWorker : public search::TrialWorker {
public:
  LatchWorker(std::mutex &mutex, std::condition_variable &released,
              bool &fastDone)
      : mutex(mutex), released(released), fastDone(fastDone) {}
  search::TrialOutcome evaluate(const search::TrialRequest &request) override {
    search::TrialOutcome outcome;
    outcome.finished = true;
    outcome.status = search::TrialStatus::Ok;
    std::unique_lock<std::mutex> lock(mutex);
    if (request.encoding == "fast") {
      fastDone = true;
      released.notify_all();
      outcome.message = "fast";
    } else {
      bool ok = released.wait_for(lock, std::chrono::seconds(20),
                                  [&] { return fastDone; });
      outcome.message = ok ? "released" : "timed out";
    }
    return outcome;
  }

private:
  std::mutex &mutex;
  std::condition_variable &released;
  bool &fastDone;
};
} // namespace

TEST(TrialExecutorTest, ALaterTicketRunsWhileAnEarlierOneIsOut) {
  std::mutex mutex;
  std::condition_variable released;
  bool fastDone = false;
  std::vector<std::unique_ptr<search::TrialWorker>> workers;
  for (int w = 0; w < 2; ++w)
    workers.push_back(
        std::make_unique<LatchWorker>(mutex, released, fastDone));
  std::unique_ptr<search::TrialExecutor> executor =
      search::createTrialExecutor(std::move(workers));
  std::vector<search::TrialRequest> first = {{"slow", ""}},
                                    second = {{"fast", ""}};
  std::vector<search::TrialOutcome> firstOutcomes(1), secondOutcomes(1);
  size_t a = executor->submit(first, firstOutcomes, nullptr);
  size_t b = executor->submit(second, secondOutcomes, nullptr);
  executor->wait(a);
  EXPECT_EQ(firstOutcomes[0].message, "released");
  executor->wait(b);
  EXPECT_EQ(secondOutcomes[0].message, "fast");

  // Cancelled after submitting: what has not started is done unstarted.
  fastDone = false;
  CancellationToken cancel;
  std::vector<search::TrialRequest> many(6, {"fast", ""});
  std::vector<search::TrialOutcome> manyOutcomes(6);
  size_t c = executor->submit(first, firstOutcomes, &cancel);
  cancel.cancel();
  size_t d = executor->submit(many, manyOutcomes, &cancel);
  executor->wait(d);
  for (const search::TrialOutcome &outcome : manyOutcomes)
    EXPECT_FALSE(outcome.finished);
  {
    std::lock_guard<std::mutex> lock(mutex);
    fastDone = true;
  }
  released.notify_all();
  executor->wait(c);
}

TEST(TrialExecutorTest, RequestsAndOutcomesRoundTrip) {
  Candidate candidate;
  search::TrialRequest request{"a|b,c", "p", &candidate};
  request.parent.push_back('\0');
  llvm::Expected<search::TrialRequest> readRequest =
      search::TrialRequest::deserialize(request.serialize());
  ASSERT_TRUE(bool(readRequest)) << llvm::toString(readRequest.takeError());
  EXPECT_EQ(readRequest->encoding, request.encoding);
  EXPECT_EQ(readRequest->parent, request.parent);
  // The candidate's address means nothing in another process.
  EXPECT_EQ(readRequest->candidate, nullptr);

  search::TrialOutcome outcome;
  outcome.status = TrialStatus::Infeasible;
  outcome.message = "violates latency < 2 ms";
  outcome.values = {1.5, std::nan(""), -0.0, 1e300};
  outcome.seconds = 0.25;
  outcome.untrained = true;
  outcome.finished = true;
  std::string bytes = outcome.serialize();
  llvm::Expected<search::TrialOutcome> read =
      search::TrialOutcome::deserialize(bytes);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->status, outcome.status);
  EXPECT_EQ(read->message, outcome.message);
  ASSERT_EQ(read->values.size(), 4u);
  EXPECT_EQ(read->values[0], 1.5);
  EXPECT_TRUE(std::isnan(read->values[1]));
  EXPECT_TRUE(std::signbit(read->values[2]));
  EXPECT_EQ(read->values[3], 1e300);
  EXPECT_EQ(read->seconds, 0.25);
  EXPECT_TRUE(read->untrained);
  EXPECT_TRUE(read->finished);

  // Truncated or padded bytes, and an unknown status, are errors.
  for (std::string bad : {bytes.substr(0, bytes.size() - 1), bytes + "x",
                          std::string("\x07") + bytes.substr(1)}) {
    llvm::Expected<search::TrialOutcome> wrong =
        search::TrialOutcome::deserialize(bad);
    EXPECT_FALSE(bool(wrong));
    llvm::consumeError(wrong.takeError());
  }
  llvm::Expected<search::TrialRequest> wrongRequest =
      search::TrialRequest::deserialize("abc");
  EXPECT_FALSE(bool(wrongRequest));
  llvm::consumeError(wrongRequest.takeError());
}

TEST(SearchSettingsTest, CommandLineThenSpecThenDefaults) {
  MLIRContext context;
  context.getOrLoadDialect<nas::NASDialect>();
  OwningOpRef<ModuleOp> withSearch = test::parseNas(context, R"(
dataset d { input = [8]; classes = 2; }
network n { fc(out = {2, 4}); fc(out = classes); }
search { strategy = evolution; budget = 7; seed = 4; population = 9; }
)");
  OwningOpRef<ModuleOp> without = test::parseNas(context, R"(
dataset d { input = [8]; classes = 2; }
network n { fc(out = {2, 4}); fc(out = classes); }
)");
  ASSERT_TRUE(withSearch && without);
  auto specOf = [](ModuleOp module) {
    return *module.getOps<nas::SpecOp>().begin();
  };
  std::string error;
  search::SearchOptions options;
  FailureOr<search::SearchSettings> spec =
      search::resolveSearchSettings(specOf(*withSearch), options, error);
  ASSERT_TRUE(succeeded(spec)) << error;
  EXPECT_EQ(spec->strategy.kind, nas::Strategy::evolution);
  EXPECT_EQ(spec->budget, 7u);
  EXPECT_EQ(spec->strategy.seed, 4u);
  EXPECT_EQ(spec->strategy.population, 9);
  EXPECT_DOUBLE_EQ(spec->strategy.mutationRate, 0.1);

  options.strategy = nas::Strategy::nsga2;
  options.budget = 3;
  FailureOr<search::SearchSettings> command =
      search::resolveSearchSettings(specOf(*withSearch), options, error);
  ASSERT_TRUE(succeeded(command)) << error;
  EXPECT_EQ(command->strategy.kind, nas::Strategy::nsga2);
  EXPECT_EQ(command->budget, 3u);
  EXPECT_EQ(command->strategy.seed, 4u); // not given: the spec's
  EXPECT_DOUBLE_EQ(command->strategy.mutationRate, 0.05); // NSGA-II's

  FailureOr<search::SearchSettings> defaults = search::resolveSearchSettings(
      specOf(*without), search::SearchOptions(), error);
  ASSERT_TRUE(succeeded(defaults)) << error;
  EXPECT_EQ(defaults->strategy.kind, nas::Strategy::random);
  EXPECT_EQ(defaults->budget, 100u);
  EXPECT_EQ(defaults->strategy.seed, 0u);
  EXPECT_EQ(defaults->strategy.population, 50);

  search::SearchOptions zero;
  zero.budget = 0;
  EXPECT_TRUE(failed(
      search::resolveSearchSettings(specOf(*without), zero, error)));
  EXPECT_EQ(error, "--budget must be at least 1");
}

//===----------------------------------------------------------------------===//
// Successive halving
//===----------------------------------------------------------------------===//

namespace {
/// A deterministic multi-fidelity stand-in for training: each candidate's
/// accuracy depends on the share of the data, so that rankings change
/// between rungs.
class FidelityEvaluator : public Evaluator {
public:
  explicit FidelityEvaluator(double share) : share(share) {}
  std::string getName() const override { return "fidelity"; }
  bool provides(StringRef metric) const override {
    return metric == "accuracy";
  }
  std::string getFingerprint() const override {
    return "fidelity " + std::to_string(share);
  }
  void evaluate(const Candidate &, StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                Evaluation &out) override {
    uint64_t h = 1469598103934665603ull;
    for (char c : encoding)
      h = (h ^ uint8_t(c)) * 1099511628211ull;
    double phase = double(h % 1000) / 1000;
    for (size_t i = 0; i < metrics.size(); ++i)
      if (metrics[i] == "accuracy" && std::isnan(out.values[i]))
        out.values[i] =
            0.5 + 0.4 * std::fabs(std::sin(7 * phase + 5 * share));
  }
  std::unique_ptr<Evaluator> clone() const override {
    return std::make_unique<FidelityEvaluator>(share);
  }
  std::optional<double> getFidelity() const override { return share; }
  std::unique_ptr<Evaluator> withFidelity(double other) const override {
    return std::make_unique<FidelityEvaluator>(other);
  }

private:
  double share;
};
} // namespace

/// Issue 22, item 3: with a Pareto goal, each rung promotes the first
/// 1/rate of the last rung's candidates by non-dominated sorting and then
/// crowding distance; every rung's evaluation is a trial of its own with
/// its data share, and the front holds only the last rung's values.
TEST(SuccessiveHalvingTest, ParetoPromotesByRankAndKeepsEachRung) {
  MLIRContext context;
  context.getOrLoadDialect<nas::NASDialect>();
  OwningOpRef<ModuleOp> module = test::parseNas(context, R"(
dataset d { input = [1, 8, 8]; classes = 2; source = "none"; }
network n on d {
  stem: conv(out = {4, 8, 12, 16, 20, 24}, kernel = 3) -> relu;
  body: choose { k3: conv(kernel = 3) -> relu; skip: identity; }
  head: global_avg_pool -> fc(out = classes);
}
objectives pareto { maximize accuracy; minimize flops; }
)");
  ASSERT_TRUE(module);
  std::string dir = tempPath("halving");
  SearchOptions options;
  options.strategy = nas::Strategy::grid;
  options.budget = 12;
  options.outDir = dir;
  options.progress = false;
  options.halvingRate = 3;
  options.trainingMetrics = {"accuracy"};
  options.makeTrainingEvaluator = [](const Space &, const StrategyOptions &,
                                     std::string &) {
    return std::unique_ptr<Evaluator>(new FidelityEvaluator(1.0 / 9));
  };
  SearchResult result;
  ASSERT_TRUE(succeeded(
      runSearch(test::specOf(*module), "halving.nas", options, result)));
  ASSERT_EQ(result.searchTrials, 12u);
  ASSERT_EQ(result.rungs.size(), 2u);
  EXPECT_EQ(result.rungs[0].candidates, 4u);
  EXPECT_EQ(result.rungs[1].candidates, 2u);
  ASSERT_EQ(result.trials.size(), 12u + 4u + 2u);

  // Each rung promotes the best third of the one before by NSGA-II's
  // order: non-dominated rank, then larger crowding distance.
  auto expectPromoted = [&](size_t from, size_t count, size_t to,
                            size_t promoted) {
    std::vector<Point> points;
    for (size_t i = from; i < from + count; ++i)
      points.push_back(result.problem.orient(result.problem.objectives,
                                             result.trials[i].values));
    std::vector<std::string> order;
    for (const std::vector<size_t> &front : sortNonDominated(points)) {
      std::vector<double> crowding = crowdingDistances(points, front);
      std::vector<size_t> byCrowding(front.size());
      for (size_t k = 0; k < front.size(); ++k)
        byCrowding[k] = k;
      std::stable_sort(byCrowding.begin(), byCrowding.end(),
                       [&](size_t a, size_t b) {
                         return crowding[a] > crowding[b];
                       });
      for (size_t k : byCrowding)
        order.push_back(result.trials[from + front[k]].encoding);
    }
    order.resize(promoted);
    for (size_t k = 0; k < promoted; ++k)
      EXPECT_EQ(result.trials[to + k].encoding, order[k]) << k;
  };
  expectPromoted(0, 12, 12, 4);
  expectPromoted(12, 4, 16, 2);
  for (size_t i = 0; i < result.trials.size(); ++i) {
    const Trial &trial = result.trials[i];
    int rung = i < 12 ? 0 : i < 16 ? 1 : 2;
    EXPECT_EQ(trial.rung, rung) << i;
    EXPECT_DOUBLE_EQ(trial.fidelity, rung == 0   ? 0.0
                                     : rung == 1 ? 1.0 / 3
                                                 : 1.0)
        << i;
    // Each rung's own value: measured on its share, not copied.
    FidelityEvaluator measure(rung == 0 ? 1.0 / 9 : rung == 1 ? 1.0 / 3 : 1.0);
    Evaluation evaluation;
    evaluation.values = {std::nan("")};
    measure.evaluate(trial.candidate, trial.encoding, {"accuracy"},
                     evaluation);
    EXPECT_EQ(trial.values[result.problem.indexOf("accuracy")],
              evaluation.values[0])
        << i;
  }
  // The front and the chosen candidate: full-data values only.
  EXPECT_EQ(result.frontRung, 2);
  ASSERT_FALSE(result.front.empty());
  for (size_t i : result.front)
    EXPECT_EQ(result.trials[i].rung, 2);
  ASSERT_TRUE(result.best);
  EXPECT_EQ(result.trials[*result.best].fidelity, 1.0);

  // trials.csv: every rung's row with its data share.
  std::string csv = readFile(dir + "/trials.csv");
  EXPECT_NE(csv.find(",stage,rung,data_share,message\n"), std::string::npos);
  size_t rows[3] = {0, 0, 0};
  std::stringstream in(csv);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.find(",0,0.1111111111111111,") != std::string::npos)
      ++rows[0];
    if (line.find(",1,0.3333333333333333,") != std::string::npos)
      ++rows[1];
    if (line.find(",2,1,") != std::string::npos)
      ++rows[2];
  }
  EXPECT_EQ(rows[0], 12u);
  EXPECT_EQ(rows[1], 4u);
  EXPECT_EQ(rows[2], 2u);
  // pareto.csv lists the full-data trials (numbers 16 and 17) only.
  std::string pareto = readFile(dir + "/pareto.csv");
  std::stringstream front(pareto);
  std::getline(front, line);
  while (std::getline(front, line)) {
    std::string number = line.substr(line.rfind(',', line.size() - 3) + 1);
    number = number.substr(0, number.find(','));
    EXPECT_TRUE(number == "16" || number == "17") << line;
  }
}
