//===- Search.h - The search driver -------------------------------*- C++ -*-===//
//
// `nasc search`: proposes candidates with a strategy, evaluates them
// (analytical costs, a table; in parallel), stores every trial in SQLite,
// and returns the best candidate or the Pareto front (docs/search.md).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_SEARCH_H
#define NASC_SEARCH_SEARCH_H

#include "nasc/Search/Carbon.h"
#include "nasc/Search/Evaluator.h"
#include "nasc/Search/Problem.h"
#include "nasc/Search/Strategy.h"
#include "nasc/Search/TrialExecutor.h"
#include "nasc/Search/TrialStore.h"

#include "mlir/Support/LogicalResult.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::search {

/// Settings from the command line; unset ones come from the spec.
struct SearchOptions {
  /// Stops the search once cancelled: what is finished is committed, the
  /// evaluations under way are dropped. None: it runs to its budget.
  const CancellationToken *cancel = nullptr;
  std::optional<nas::Strategy> strategy;
  std::optional<uint64_t> budget;
  std::optional<uint64_t> seed;
  std::optional<nas::Formulation> formulation;
  /// The targets' tunables chosen per architecture by an inner search
  /// (StrategyOptions::nestedHardware).
  bool nestedHardware = false;
  /// Replace the spec's objectives / constraints when not empty.
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  std::string tablePath;
  /// Each table lookup takes as long as the row's `seconds` (an earlier
  /// search's trials.csv): its evaluations replayed in time, to see how a
  /// search dispatches at another scale (docs/distributed.md).
  bool tableReplay = false;
  std::string dbPath;
  bool resume = false;
  std::string outDir;
  /// Evaluations at once, each on a thread with evaluators of its own.
  unsigned jobs = 1;
  /// The processes of an MPI job (docs/distributed.md): when set, the
  /// coordinator's trials are evaluated by the others, and `jobs` is
  /// ignored. None: this process alone.
  TrialCluster *cluster = nullptr;
  /// Cheap trials are committed together at most this often (seconds); a
  /// batch whose evaluations took longer is committed at once.
  double commitInterval = 0.1;
  /// Wall-clock limit in seconds (0: the spec's, or none).
  double timeLimit = 0;
  /// Progress on stderr: a bar on a terminal, lines otherwise.
  bool progress = true;
  /// Write trials.csv, pareto.csv, best.mlir, summary.json and the plots.
  bool writeOutputs = true;
  /// Makes the evaluator of metrics neither a table nor the analyses give
  /// (accuracy from training: lib/Eval), or null on failure: with `error`,
  /// or with it empty after a diagnostic (e.g. at the dataset, whose data
  /// is missing). Called only when some metric needs it, with the
  /// strategy's settings (the gradient strategy trains a supernet).
  std::function<std::unique_ptr<Evaluator>(
      const Space &, const StrategyOptions &, std::string &)>
      makeTrainingEvaluator;
  /// The metrics that evaluator gives.
  std::vector<std::string> trainingMetrics;
  /// Train candidates whose cheaper metrics (tables, analyses, cost
  /// models) already break a constraint; by default they are recorded as
  /// infeasible without training (docs/search.md).
  bool trainInfeasible = false;
  /// Metrics to record with every trial, never to select on
  /// (Problem::reported), when an evaluator of the search gives them.
  std::vector<std::string> reportedMetrics;
  /// Carbon accounting: watts per busy core without RAPL counters, and the
  /// grid's carbon intensity (g CO2 per kWh; IEA's 2019 world average).
  double wattsPerCore = 10;
  double gridIntensity = 475;
  /// Makes the evaluators of hardware costs (latency and energy per
  /// target: lib/CostModel, measurements), first one first; fails by
  /// setting `error`. None when unset.
  std::function<std::vector<std::unique_ptr<Evaluator>>(const Space &,
                                                        std::string &)>
      makeCostEvaluators;
  /// Successive halving (> 1): after the search, the best 1/rate of the
  /// candidates are evaluated again on `rate` times the data, and so on
  /// until the whole training set (multi-fidelity evaluators only).
  double halvingRate = 0;
};

struct Trial {
  uint64_t number = 0;
  Candidate candidate;
  std::string encoding;
  using Status = TrialStatus;
  Status status = Status::Ok;
  /// Why it failed, or the first constraint it breaks.
  std::string message;
  /// In Problem::getMetrics() order.
  std::vector<double> values;
  double seconds = 0;
  /// Taken from the evaluation cache.
  bool cached = false;
  /// Two-stage searches: the stage that proposed it.
  int stage = 0;
  /// The encoding of the candidate it was varied from (evolution,
  /// NSGA-II), or empty.
  std::string parent;
  /// Successive halving: the rung whose evaluation this is (0: the
  /// search's own; k: the k-th rung's re-evaluation of a promoted
  /// candidate, a trial of its own after the search's), and the share of
  /// the training data its values come from (0: the evaluator's own).
  int rung = 0;
  double fidelity = 0;
  /// Not trained: its cheaper metrics broke a constraint (`message` says
  /// which); the metrics of training are NaN.
  bool untrained = false;
};

/// A successive-halving rung: how many candidates were evaluated again on
/// which share of the data.
struct Rung {
  double fidelity = 1;
  size_t candidates = 0;
};

class LockFile;

struct SearchResult {
  /// The output directory and the store, held by this process until the
  /// result is destroyed (the tool writes its exports after runSearch).
  std::vector<std::shared_ptr<LockFile>> locks;
  Problem problem;
  StrategyOptions strategy;
  uint64_t budget = 0;
  /// Successive halving's rungs after the search, in order.
  std::vector<Rung> rungs;
  /// The energy the search consumed and its CO2.
  EnergyReport energy;
  /// The data candidates were trained on, when they were.
  std::optional<DataInfo> data;
  /// The search's trials, then successive halving's re-evaluations.
  std::vector<Trial> trials;
  /// How many of `trials` are the search's own (rung 0).
  size_t searchTrials = 0;
  /// The share of the training data the search's own evaluations use
  /// (0: no multi-fidelity evaluator).
  double dataShare = 0;
  /// Indices into `trials`: the non-dominated feasible set over all
  /// objectives (one per encoding), and the chosen one. Both come from
  /// `frontRung` alone, so that all their values were measured alike:
  /// the highest rung of successive halving with a feasible trial (0 for
  /// a search without it).
  std::vector<size_t> front;
  std::optional<size_t> best;
  int frontRung = 0;
  /// Records in a copy of the spec the settings the chosen candidate was
  /// evaluated with (Evaluator::recordSettings); none without training.
  std::function<void(nas::SpecOp)> recordSettings;
  /// The chosen candidate built by a backend after the search (nasc search
  /// --emit-best with --measure-best): where, what the backend measured
  /// of it, and what it predicted without building it.
  struct BuiltBest {
    std::string backend, dir;
    std::vector<std::pair<std::string, std::string>> measured;
    std::vector<std::pair<std::string, double>> predicted;
  };
  std::optional<BuiltBest> builtBest;
  /// Trials evaluated now, read back from the store (resume), or found in
  /// the evaluation cache.
  uint64_t evaluated = 0, replayed = 0, cacheHits = 0;
  /// Wall-clock: all of runSearch before writing outputs; of it, setting
  /// up (parsing the table, opening the store, ...) and the loop.
  double seconds = 0, setupSeconds = 0, loopSeconds = 0;
  bool timedOut = false;
  /// What each process of an MPI job evaluated, and how long it waited
  /// (empty without one).
  std::vector<WorkerStats> workers;
  /// Stopped by `SearchOptions::cancel` (SIGINT, SIGTERM): the trials finished
  /// before it are in the store; the one under way, and every later one
  /// of its batch, were dropped.
  bool interrupted = false;
};

/// Makes the first SIGINT or SIGTERM cancel `token`, and a second end the
/// process at once. Replaces LLVM's handlers of those two signals (which
/// would not say which signal came). `token` must outlive the handlers.
void stopOnSignals(CancellationToken &token);
/// The signal that requested the stop, or 0.
int getStopSignal();

/// The progress line's speed and time left, from `done` trials evaluated
/// in `seconds` with `left` to go, and at most `timeLeft` seconds when
/// positive: "12 trials/s, ETA 8 s" at a trial a second or more, "45
/// s/trial, ETA 12 min" below, "ETA unknown" before the first trial.
std::string formatSpeed(double done, double seconds, double left,
                        double timeLeft = 0);

/// Runs the search of `spec` (parsed from `specPath`). Fails after an
/// error on stderr or a diagnostic.
mlir::LogicalResult runSearch(nas::SpecOp spec, llvm::StringRef specPath,
                              const SearchOptions &options,
                              SearchResult &result);

/// The part of a search that a process other than the coordinator of
/// `cluster` runs: sets up the evaluators as runSearch would from the same
/// spec and options, and evaluates the trials the coordinator sends until
/// it finishes. Writes nothing. Fails after an error on stderr.
mlir::LogicalResult serveTrials(nas::SpecOp spec, llvm::StringRef specPath,
                                const SearchOptions &options,
                                TrialCluster &cluster);

/// Writes trials.csv, pareto.csv, best.mlir, summary.json, pareto.png and
/// pareto.svg (with their gnuplot script, pareto.gp) into `dir`.
mlir::LogicalResult writeSearchOutputs(nas::SpecOp spec, const Space &space,
                                       const SearchResult &result,
                                       llvm::StringRef dir);

} // namespace nasc::search

#endif // NASC_SEARCH_SEARCH_H
