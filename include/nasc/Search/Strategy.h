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
  /// Evolution and NSGA-II.
  int64_t population = 50;
  int64_t sampleSize = 10;
  double mutationRate = 0.1;
  double crossoverRate = 0.5;
  /// REINFORCE.
  double learningRate = 0.1;
  double baselineDecay = 0.9;
  double entropy = 0.01;
  int64_t batch = 16;
};

class Strategy {
public:
  virtual ~Strategy();
  /// The number of candidates the next ask() proposes at most.
  virtual size_t getBatchSize() const = 0;
  /// Proposes up to `count` candidates (at least one).
  virtual std::vector<Candidate> ask(size_t count) = 0;
  /// The results of the last ask(), in its order.
  virtual void tell(llvm::ArrayRef<Candidate> candidates,
                    llvm::ArrayRef<Feedback> feedback) = 0;
  /// Starts from candidates evaluated elsewhere (a two-stage search's
  /// second stage): by default, as if told.
  virtual void warmStart(llvm::ArrayRef<Candidate> candidates,
                         llvm::ArrayRef<Feedback> feedback) {
    tell(candidates, feedback);
  }
};

/// The strategy `options.kind` over `space`; fails with `error` for a
/// strategy that needs another issue's evaluator (gradient).
std::unique_ptr<Strategy> createStrategy(const Space &space,
                                         const StrategyOptions &options,
                                         std::string &error);

} // namespace nasc::search

#endif // NASC_SEARCH_STRATEGY_H
