//===- Strategy.h - How a search picks candidates -----------------*- C++ -*-===//
//
// A strategy proposes batches of candidates (ask) and learns from their
// results (tell). Every strategy is deterministic for a seed: the same
// results told give the same next proposals, which is also how a search
// resumes (docs/search.md, "Resuming"). Batch sizes never depend on the
// number of evaluation threads.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_STRATEGY_H
#define NASC_SEARCH_STRATEGY_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Space/Space.h"

#include "llvm/ADT/ArrayRef.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nasc::search {

/// What a strategy learns of one evaluated candidate.
struct Feedback {
  /// Evaluated without failure.
  bool ok = false;
  /// Meets every constraint (implies ok).
  bool feasible = false;
  /// How far from meeting the constraints (0 when feasible; infinity when
  /// the evaluation failed).
  double violation = 0;
  /// The active objectives, oriented for minimization.
  std::vector<double> objectives;
  /// The scalarized objective, larger is better (for single-objective
  /// ranking and rewards).
  double score = 0;
};

/// Better for a single-objective search: feasible before infeasible before
/// failed; then by score, or by violation.
bool isBetter(const Feedback &a, const Feedback &b);
/// Constrained domination (Deb): a feasible candidate dominates an
/// infeasible one, the less infeasible dominates the more, two feasible
/// ones compare by their objectives.
bool constrainedDominates(const Feedback &a, const Feedback &b);

struct StrategyOptions {
  nas::Strategy kind = nas::Strategy::random;
  uint64_t seed = 0;
  /// Rank by Pareto dominance rather than by score.
  bool multiObjective = false;
  /// Co-exploration (docs/search.md, "Nested hardware"): the strategy
  /// proposes architectures, and each gets its best hardware configuration
  /// (the targets' tunables) from an inner search (chooseHardware).
  bool nestedHardware = false;
  /// Evolution and NSGA-II.
  int64_t population = 50;
  int64_t sampleSize = 10;
  double mutationRate = 0.1;
  double crossoverRate = 0.5;
  /// REINFORCE.
  double learningRate = 0.1;
  double baselineDecay = 0.9;
  double entropy = 0.01;
  /// Candidates per batch: evolution's children bred at a time, the
  /// policies' samples per update; 0: getBatch()'s default.
  int64_t batch = 0;
  /// `batch`, else population / 8 for evolution and 16 for the policies.
  int64_t getBatch() const {
    if (batch > 0)
      return batch;
    return kind == nas::Strategy::evolution
               ? std::max<int64_t>(1, population / 8)
               : 16;
  }
  /// Gradient (ProxylessNAS-style): the policy samples by Gumbel-max at
  /// this temperature, multiplied by `temperatureDecay` after each batch
  /// (down to 0.1); the expected `cost` of the policy, from an additive
  /// model fitted to the cost of sampled candidates, is a differentiable
  /// penalty with weight `costWeight` (on the cost standardized over the
  /// space).
  double temperature = 1.0;
  double temperatureDecay = 0.95;
  double costWeight = 0;
  std::function<double(const Candidate &)> cost;
  /// Gradient: the supernet's warm-up epochs and learning rate (0: the
  /// spec's `evaluate` settings) and its training steps on each sampled
  /// path.
  int64_t supernetEpochs = 0;
  double weightLearningRate = 0;
  int64_t weightSteps = 10;
};

class Strategy {
public:
  virtual ~Strategy();
  /// The number of candidates the next ask() proposes at most.
  virtual size_t getBatchSize() const = 0;
  /// Whether its proposals depend on the outcomes it is told. Those that do
  /// not (random, grid) propose the same candidates in the same order
  /// whatever the batches, so the search may ask for larger ones: with many
  /// ranks, a batch ends when its slowest trial does, and a barrier every
  /// 64 trials would leave most of 63 ranks idle.
  virtual bool readsOutcomes() const { return true; }
  /// Whether the search may ask for the next batch before it tells the
  /// last one's outcomes (told afterwards, in order): the next batch is
  /// then proposed from the outcomes of every batch but the last, whatever
  /// the executor, and evaluators never wait for a batch's slowest trial.
  /// getBatchSize() is 0 while nothing can be proposed before the batch
  /// out is told.
  virtual bool overlapsBatches() const { return false; }
  /// Proposes up to `count` candidates (at least one).
  virtual std::vector<Candidate> ask(size_t count) = 0;
  /// The results of the last ask(), in its order.
  virtual void tell(llvm::ArrayRef<Candidate> candidates,
                    llvm::ArrayRef<Feedback> feedback) = 0;
  /// For each candidate of the last ask(), the evaluated candidate it was
  /// varied from (no outcomes when it was drawn afresh); empty when the
  /// strategy has no parents. Hot start trains a child from its parent's
  /// weights.
  virtual llvm::ArrayRef<Candidate> getParents() const { return {}; }
  /// Starts from candidates evaluated elsewhere (a two-stage search's
  /// second stage): by default, as if told.
  virtual void warmStart(llvm::ArrayRef<Candidate> candidates,
                         llvm::ArrayRef<Feedback> feedback) {
    tell(candidates, feedback);
  }
};

/// The strategy `options.kind` over `space` (null with `error` when it
/// cannot be made).
std::unique_ptr<Strategy> createStrategy(const Space &space,
                                         const StrategyOptions &options,
                                         std::string &error);

} // namespace nasc::search

#endif // NASC_SEARCH_STRATEGY_H
