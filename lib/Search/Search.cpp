//===- Search.cpp - The search driver -------------------------------------===//
//
// The loop: ask the strategy for a batch, take each proposal's result from
// the store (resuming), the evaluation cache or the evaluators (in
// parallel), commit the new trials, tell the strategy. Strategies are
// deterministic and batch sizes do not depend on --jobs, so a resumed
// search replays the stored trials into a fresh strategy and continues
// exactly where the interrupted one was.
//
//===----------------------------------------------------------------------===//

#include "nasc/Search/Search.h"
#include "nasc/Search/NestedHardware.h"

#include "nasc/Search/Evaluator.h"
#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Hardware/TargetDesc.h"
#include "nasc/Search/Pareto.h"
#include "nasc/Search/SearchSettings.h"
#include "nasc/Search/TrialExecutor.h"
#include "nasc/Search/TrialStore.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace nasc;
using namespace nasc::search;
using namespace nasc::nas;

using Clock = std::chrono::steady_clock;



static double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

static std::string sha256(llvm::StringRef text) {
  return llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(text)),
                     /*LowerCase=*/true);
}

//===----------------------------------------------------------------------===//
// Settings
//===----------------------------------------------------------------------===//

/// The problem: the spec's, with the command line's objectives,
/// constraints and formulation instead where given.
static std::optional<Problem> buildProblem(SpecOp spec,
                                           const SearchOptions &options,
                                           std::string &error) {
  Problem problem = Problem::fromSpec(spec);
  if (!options.objectives.empty()) {
    problem.objectives = options.objectives;
    problem.formulation = options.objectives.size() == 1
                              ? Formulation::single
                              : Formulation::pareto;
  }
  if (!options.constraints.empty())
    problem.constraints = options.constraints;
  // A tiny target's memory is a hard limit: peak activation memory fits
  // its SRAM, the weights its flash (docs/costmodel.md, "Targets").
  for (TargetOp target : spec.getBodyBlock().getOps<TargetOp>()) {
    if (target.getKind() != TargetKind::tiny)
      continue;
    hw::TargetDesc desc = hw::getTargetDesc(target);
    auto limit = [&](llvm::StringRef metric, double bound,
                     llvm::StringRef what) {
      if (bound <= 0)
        return;
      Constraint c;
      c.metric = metric.str();
      c.cmp = Comparison::le;
      c.bound = bound;
      c.text = (metric + " <= " + llvm::Twine(int64_t(bound)) + " (" + what +
                " of " + desc.name + ")")
                   .str();
      problem.constraints.push_back(std::move(c));
    };
    limit("peak_memory_bytes", desc.sram, "SRAM");
    limit("model_bytes", desc.flash, "flash");
  }
  if (options.formulation)
    problem.formulation = *options.formulation;
  // One objective with constraints is the constrained problem.
  if (problem.formulation == Formulation::single &&
      !problem.constraints.empty())
    problem.formulation = Formulation::constrained;
  problem.update();
  error = problem.validate();
  if (!error.empty())
    return std::nullopt;
  return problem;
}

static std::string describe(const Problem &problem) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << stringifyFormulation(problem.formulation);
  for (const Objective &objective : problem.objectives)
    os << (objective.maximize ? " max:" : " min:") << objective.metric
       << " weight " << objective.weight << " stage " << objective.stage;
  for (const Constraint &constraint : problem.constraints)
    os << "; " << constraint.metric << " "
       << getComparisonSymbol(constraint.cmp) << " " << constraint.bound;
  return text;
}

static std::string describe(const StrategyOptions &options) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << stringifyStrategy(options.kind) << " seed " << options.seed
     << " population " << options.population << " sample_size "
     << options.sampleSize << " mutation_rate " << options.mutationRate
     << " crossover_rate " << options.crossoverRate << " lr "
     << options.learningRate << " baseline_decay " << options.baselineDecay
     << " entropy " << options.entropy << " batch " << options.getBatch();
  if (options.nestedHardware)
    os << " nested_hardware";
  if (options.kind == nas::Strategy::gradient)
    os << " temperature " << options.temperature << " cost_weight "
       << options.costWeight << " epochs " << options.supernetEpochs
       << " weight_lr " << options.weightLearningRate << " weight_steps "
       << options.weightSteps;
  return text;
}

//===----------------------------------------------------------------------===//
// Progress
//===----------------------------------------------------------------------===//

/// A duration for a person: seconds, minutes or hours.
static std::string formatDuration(double seconds) {
  if (seconds < 90)
    return llvm::formatv("{0:f0} s", seconds).str();
  if (seconds < 90 * 60)
    return llvm::formatv("{0:f0} min", seconds / 60).str();
  return llvm::formatv("{0:f1} h", seconds / 3600).str();
}

std::string search::formatSpeed(double done, double seconds, double left,
                                double timeLeft) {
  if (done <= 0 || seconds <= 0)
    return "ETA unknown";
  double rate = done / seconds;
  std::string speed;
  if (rate >= 10)
    speed = llvm::formatv("{0:f0} trials/s", rate).str();
  else if (rate >= 1)
    speed = llvm::formatv("{0:f1} trials/s", rate).str();
  else
    speed = formatDuration(1 / rate) + "/trial";
  double eta = left / rate;
  if (timeLeft > 0 && timeLeft < eta)
    return speed + ", ETA " + formatDuration(timeLeft) + " (time limit)";
  return speed + ", ETA " + formatDuration(eta);
}

namespace {
class Progress {
public:
  /// `timeLimit`: seconds from now (0: none).
  Progress(bool enabled, uint64_t budget, double timeLimit)
      : enabled(enabled), budget(budget), timeLimit(timeLimit),
        terminal(llvm::sys::Process::StandardErrIsDisplayed()),
        start(Clock::now()) {}

  /// `done` trials of which `replayed` came from the store, which take no
  /// time and are not counted in the speed.
  void update(uint64_t done, uint64_t replayed, const std::string &best,
              bool last = false) {
    if (!enabled)
      return;
    double elapsed = secondsSince(start);
    std::string speed =
        formatSpeed(double(done - replayed), elapsed, double(budget - done),
                    timeLimit > 0 ? std::max(0.0, timeLimit - elapsed) : 0);
    if (terminal) {
      if (!last && elapsed - shown < 0.1)
        return;
      shown = elapsed;
      unsigned width = 30;
      unsigned filled = budget ? unsigned(width * done / budget) : width;
      llvm::errs() << "\r[" << std::string(filled, '=')
                   << std::string(width - filled, ' ') << "] " << done << "/"
                   << budget << "  best " << best << "  " << speed << " ";
      if (last)
        llvm::errs() << "\n";
      return;
    }
    // Plain lines: every tenth of the budget, and at the end.
    uint64_t step = std::max<uint64_t>(1, budget / 10);
    if (last ? done == lastDone : done / step == lastLine)
      return;
    lastLine = done / step;
    lastDone = done;
    llvm::errs() << "search: " << done << "/" << budget << " trials, best "
                 << best << ", " << speed << "\n";
  }

private:
  bool enabled;
  uint64_t budget;
  double timeLimit;
  bool terminal;
  Clock::time_point start;
  double shown = -1;
  uint64_t lastLine = 0, lastDone = UINT64_MAX;
};
} // namespace

//===----------------------------------------------------------------------===//
// Results
//===----------------------------------------------------------------------===//

/// Sets a trial's status from its values: failed, infeasible (with the
/// first constraint broken) or ok.
static void classify(const Problem &problem, Trial &trial) {
  if (trial.status == Trial::Status::Failed || trial.untrained)
    return;
  int violated = problem.firstViolated(trial.values);
  if (violated >= 0) {
    trial.status = Trial::Status::Infeasible;
    trial.message = "violates " + problem.constraints[violated].text;
  } else {
    trial.status = Trial::Status::Ok;
    trial.message.clear();
  }
}

static Feedback getFeedback(const Problem &problem,
                            llvm::ArrayRef<Objective> active,
                            const Trial &trial) {
  Feedback feedback;
  feedback.ok = trial.status != Trial::Status::Failed;
  feedback.feasible = trial.status == Trial::Status::Ok;
  if (!feedback.ok) {
    feedback.violation = std::numeric_limits<double>::infinity();
    feedback.score = -std::numeric_limits<double>::infinity();
    feedback.objectives.assign(active.size(),
                               std::numeric_limits<double>::infinity());
    return feedback;
  }
  feedback.violation = problem.violation(trial.values);
  feedback.objectives = problem.orient(active, trial.values);
  feedback.score = problem.scalarize(active, trial.values);
  // An untrained candidate's objectives from training are unknown: the
  // worst, so that no ordering sees a NaN.
  for (double &objective : feedback.objectives)
    if (std::isnan(objective))
      objective = std::numeric_limits<double>::infinity();
  if (std::isnan(feedback.score))
    feedback.score = -std::numeric_limits<double>::infinity();
  return feedback;
}

namespace {
/// The best feasible trial by the scalarized objectives, with its score.
struct BestTrial {
  std::optional<size_t> index;
  double score = 0;

  /// Takes the trials [from, to) into account (the earliest wins ties).
  void update(const SearchResult &result, size_t from, size_t to) {
    const Problem &problem = result.problem;
    for (size_t i = from; i < to; ++i) {
      if (result.trials[i].status != Trial::Status::Ok)
        continue;
      double value =
          problem.scalarize(problem.objectives, result.trials[i].values);
      if (!index || value > score) {
        index = i;
        score = value;
      }
    }
  }
};
} // namespace

/// Successive halving (Jamieson & Talwalkar 2016; Hyperband's inner loop)
/// after the search: the candidates of the last rung (the search's own
/// trials first), ranked by non-dominated sorting, then by crowding
/// distance within a front, as NSGA-II ranks (by value with one
/// objective), keep their best 1/rate, which the multi-fidelity evaluator
/// evaluates again on rate times the share of the data; until the whole
/// training set or one candidate. Each re-evaluation is a trial of its own
/// (`rung`, `fidelity`) after the search's, so every rung's values are
/// kept and each rung is ranked only on values measured alike. Evaluations
/// go through the store's cache, so a rerun or a resumed search repeats no
/// training.
static LogicalResult promote(SearchResult &result,
                             std::vector<std::unique_ptr<Evaluator>> &evaluators,
                             llvm::ArrayRef<std::string> metrics,
                             TrialStore &store, llvm::StringRef evaluationKey,
                             const SearchOptions &options) {
  Evaluator *trainer = nullptr;
  for (auto &evaluator : evaluators)
    if (evaluator->getFidelity())
      trainer = evaluator.get();
  if (!trainer || *trainer->getFidelity() >= 1.0)
    return success();
  const Problem &problem = result.problem;
  // The candidates, each once, best first.
  auto rank = [&](std::vector<size_t> &trials) {
    std::vector<Point> points;
    for (size_t i : trials)
      points.push_back(problem.orient(problem.objectives, result.trials[i].values));
    std::vector<size_t> order;
    for (std::vector<size_t> &front : sortNonDominated(points)) {
      std::vector<double> crowding = crowdingDistances(points, front);
      std::vector<size_t> byCrowding(front.size());
      std::iota(byCrowding.begin(), byCrowding.end(), 0);
      llvm::stable_sort(byCrowding, [&](size_t a, size_t b) {
        return crowding[a] > crowding[b];
      });
      for (size_t k : byCrowding)
        order.push_back(trials[front[k]]);
    }
    trials = std::move(order);
  };
  std::vector<size_t> survivors;
  llvm::StringSet<> seen;
  for (size_t i = 0; i < result.trials.size(); ++i)
    if (result.trials[i].status == Trial::Status::Ok &&
        seen.insert(result.trials[i].encoding).second)
      survivors.push_back(i);
  double fidelity = *trainer->getFidelity();
  std::string error;
  while (fidelity < 1.0 && survivors.size() > 1 && !isCancelled(options.cancel)) {
    rank(survivors);
    fidelity = std::min(1.0, fidelity * options.halvingRate);
    survivors.resize(std::max<size_t>(
        1, size_t(std::ceil(double(survivors.size()) / options.halvingRate))));
    std::unique_ptr<Evaluator> higher = trainer->withFidelity(fidelity);
    std::string key =
        sha256((evaluationKey + "\n" + higher->getFingerprint()).str())
            .substr(0, 16);
    if (options.progress)
      llvm::errs() << "successive halving: " << survivors.size()
                   << " candidate(s) on "
                   << llvm::format("%.4g", 100 * fidelity)
                   << "% of the training data\n";
    result.rungs.push_back({fidelity, survivors.size()});
    std::vector<size_t> promoted;
    for (size_t index : survivors) {
      Trial trial;
      trial.number = result.trials.size();
      trial.candidate = result.trials[index].candidate;
      trial.encoding = result.trials[index].encoding;
      trial.stage = result.trials[index].stage;
      trial.rung = int(result.rungs.size());
      trial.fidelity = fidelity;
      Clock::time_point begin = Clock::now();
      if (std::optional<StoredTrial> cached =
              store.lookupEvaluation(key, trial.encoding)) {
        trial.status = cached->status == TrialStatus::Failed
                           ? Trial::Status::Failed
                           : Trial::Status::Ok;
        trial.message = cached->message;
        trial.values = cached->values;
        trial.cached = true;
      } else {
        // The cheaper metrics stay; what the trainer gives is measured
        // again.
        Evaluation evaluation;
        evaluation.cancel = options.cancel;
        evaluation.values = result.trials[index].values;
        for (size_t m = 0; m < metrics.size(); ++m)
          if (higher->provides(metrics[m]))
            evaluation.values[m] = std::nan("");
        higher->evaluate(trial.candidate, trial.encoding, metrics, evaluation);
        if (isCancelled(options.cancel))
          break;
        StoredTrial row{0, trial.encoding,
                        evaluation.ok ? TrialStatus::Ok : TrialStatus::Failed,
                        evaluation.message, evaluation.values, 0, false};
        if (!store.addEvaluation(key, row, error))
          return failure();
        trial.status =
            evaluation.ok ? Trial::Status::Ok : Trial::Status::Failed;
        trial.message = evaluation.message;
        trial.values = std::move(evaluation.values);
        trial.seconds = secondsSince(begin);
      }
      classify(problem, trial);
      // Promoted candidates that failed or became infeasible drop out.
      if (trial.status == Trial::Status::Ok)
        promoted.push_back(result.trials.size());
      result.trials.push_back(std::move(trial));
    }
    survivors = std::move(promoted);
  }
  return success();
}

/// The front over every objective and the chosen candidate, from the
/// highest rung with a feasible trial: values measured on the same share
/// of the data.
static void chooseResult(SearchResult &result) {
  const Problem &problem = result.problem;
  result.front.clear();
  result.best.reset();
  result.frontRung = 0;
  for (const Trial &trial : result.trials)
    if (trial.status == Trial::Status::Ok)
      result.frontRung = std::max(result.frontRung, trial.rung);
  std::vector<size_t> feasible;
  llvm::StringSet<> seen;
  for (size_t i = 0; i < result.trials.size(); ++i)
    if (result.trials[i].status == Trial::Status::Ok &&
        result.trials[i].rung == result.frontRung &&
        seen.insert(result.trials[i].encoding).second)
      feasible.push_back(i);
  std::vector<Point> points;
  for (size_t i : feasible)
    points.push_back(
        problem.orient(problem.objectives, result.trials[i].values));
  if (feasible.empty())
    return;
  for (size_t p : findNonDominated(points))
    result.front.push_back(feasible[p]);

  if (!problem.isMultiObjective()) {
    // The best score (the earliest on ties).
    double bestScore = 0;
    for (size_t i : feasible) {
      double score = problem.scalarize(problem.objectives,
                                       result.trials[i].values);
      if (!result.best || score > bestScore) {
        result.best = i;
        bestScore = score;
      }
    }
    return;
  }
  // The knee: the front member closest to the ideal point, each objective
  // normalized by the front's range.
  size_t m = problem.objectives.size();
  std::vector<double> low(m, std::numeric_limits<double>::infinity()),
      high(m, -std::numeric_limits<double>::infinity());
  for (size_t i : result.front) {
    std::vector<double> o =
        problem.orient(problem.objectives, result.trials[i].values);
    for (size_t j = 0; j < m; ++j) {
      low[j] = std::min(low[j], o[j]);
      high[j] = std::max(high[j], o[j]);
    }
  }
  double bestDistance = std::numeric_limits<double>::infinity();
  for (size_t i : result.front) {
    std::vector<double> o =
        problem.orient(problem.objectives, result.trials[i].values);
    double distance = 0;
    for (size_t j = 0; j < m; ++j) {
      double d = high[j] > low[j] ? (o[j] - low[j]) / (high[j] - low[j]) : 0;
      distance += d * d;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      result.best = i;
    }
  }
}


static std::string describeBest(const SearchResult &result,
                                const std::optional<size_t> &best) {
  if (!best)
    return "none feasible";
  const Objective &first = result.problem.objectives.front();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << first.metric << " "
     << formatMetricValue(first.metric,
                          result.trials[*best]
                              .values[result.problem.indexOf(first.metric)]);
  return text;
}

//===----------------------------------------------------------------------===//
// The loop
//===----------------------------------------------------------------------===//

// What the signal handler reaches: the token to cancel and the signal.
static std::atomic<CancellationToken *> signalledToken{nullptr};
static std::atomic<int> stopSignal{0};
static_assert(std::atomic<CancellationToken *>::is_always_lock_free &&
                  std::atomic<int>::is_always_lock_free,
              "set from a signal handler");

int search::getStopSignal() { return stopSignal.load(); }

static void onStopSignal(int signal) {
  int none = 0;
  stopSignal.compare_exchange_strong(none, signal);
  if (CancellationToken *token = signalledToken.load())
    token->cancel();
  // The next one ends the process at once (the default action).
  struct sigaction action = {};
  action.sa_handler = SIG_DFL;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void search::stopOnSignals(CancellationToken &token) {
  signalledToken.store(&token);
  struct sigaction action = {};
  action.sa_handler = onStopSignal;
  sigemptyset(&action.sa_mask);
  // Interrupted system calls resume: the stop is polled, not delivered.
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

namespace {
/// The search's evaluators in the order they run, and where training is.
struct AssembledEvaluators {
  std::vector<std::unique_ptr<Evaluator>> evaluators;
  size_t trainingIndex = SIZE_MAX;
};
} // namespace

/// Why no evaluator gives `metric`, with every metric this search can be
/// asked for (the table's columns, each declared target's metrics the cost
/// evaluators give, the analyses', training's) and the closest of them.
static std::string
describeUnknownMetric(llvm::StringRef metric, const Space &space,
                      const SearchOptions &options,
                      llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators,
                      llvm::ArrayRef<std::string> tableColumns) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  if (!tableColumns.empty()) {
    std::vector<std::string> columns;
    for (const std::string &column : tableColumns)
      if (column != "encoding")
        columns.push_back(column);
    groups.push_back({"table " + options.tablePath, columns});
  }
  std::vector<std::string> targets;
  for (TargetOp target : space.getSpec().getBodyBlock().getOps<TargetOp>())
    for (uint32_t i = 0; i <= getMaxEnumValForMetric(); ++i) {
      Metric kind = static_cast<Metric>(i);
      if (!metricNeedsTarget(kind))
        continue;
      std::string key = getMetricKey(kind, target.getSymName());
      if (llvm::any_of(evaluators, [&](auto &e) { return e->provides(key); }))
        targets.push_back(key);
    }
  if (!targets.empty())
    groups.push_back({"targets", targets});
  std::vector<std::string> analyses;
  for (llvm::StringRef name : AnalyticalEvaluator::getMetricNames())
    analyses.push_back(name.str());
  groups.push_back({"analyses", analyses});
  if (options.makeTrainingEvaluator && !options.trainingMetrics.empty())
    groups.push_back({"training, docs/evaluation.md", options.trainingMetrics});

  std::string text;
  llvm::raw_string_ostream os(text);
  os << "no evaluator gives '" << metric << "'";
  // The closest name, when it is close: a typo.
  std::optional<std::string> closest;
  unsigned bestDistance = std::max<size_t>(2, metric.size() / 3) + 1;
  for (auto &[what, names] : groups)
    for (const std::string &name : names)
      if (unsigned distance = metric.edit_distance(name);
          distance < bestDistance) {
        bestDistance = distance;
        closest = name;
      }
  if (closest)
    os << " (did you mean '" << *closest << "'?)";
  os << "; this search can give ";
  for (size_t g = 0; g < groups.size(); ++g)
    os << (g ? "; " : "") << llvm::join(groups[g].second, ", ") << " ("
       << groups[g].first << ")";
  if (tableColumns.empty())
    os << "; a --table CSV may give others as columns";
  return text;
}

/// Objectives on a metric no evaluator computes but `training` gives a
/// stand-in for (accuracy under a zero-cost proxy) rank by the stand-in,
/// which is reported under its own name and unit (docs/search.md); a
/// constraint on such a metric is an error, since the stand-in's values
/// are on another scale. Says what it replaced when `verbose`.
static LogicalResult
substituteStandIns(const Evaluator &training,
                   llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators,
                   Problem &problem, bool verbose, std::string &error) {
  auto computed = [&](llvm::StringRef metric) {
    return llvm::any_of(evaluators,
                        [&](auto &e) { return e->provides(metric); });
  };
  for (const Constraint &constraint : problem.constraints)
    if (std::optional<std::string> standIn = training.getStandIn(
            constraint.metric);
        standIn && !computed(constraint.metric)) {
      error = "constraint '" + constraint.text + "': the zero-cost proxy '" +
              *standIn + "' scores candidates instead of measuring " +
              constraint.metric + ", on another scale; constrain '" +
              *standIn + "' or train (--eval-method train)";
      return failure();
    }
  for (Objective &objective : problem.objectives)
    if (std::optional<std::string> standIn =
            training.getStandIn(objective.metric);
        standIn && !computed(objective.metric)) {
      if (verbose)
        llvm::errs() << "nasc search: note: " << objective.metric
                     << " is not measured: the zero-cost proxy '" << *standIn
                     << "' ranks candidates in its place and is reported "
                        "as '"
                     << *standIn << "'\n";
      objective.metric = *standIn;
    }
  problem.update();
  error = problem.validate();
  return failure(!error.empty());
}

/// The table's evaluator, the hardware cost evaluators, the analyses, and
/// training last when a metric needs it; the gradient strategy's cost term
/// goes into `strategy`, the reported metrics into the problem. Fails with
/// `error`, or with it empty after a diagnostic.
static FailureOr<AssembledEvaluators>
assembleEvaluators(const Space &space, const SearchOptions &options,
                   const SearchSettings &settings, StrategyOptions &strategy,
                   SearchResult &result, std::string &error) {
  AssembledEvaluators assembled;
  std::vector<std::unique_ptr<Evaluator>> &evaluators = assembled.evaluators;
  std::vector<std::string> tableColumns;
  if (!options.tablePath.empty()) {
    std::shared_ptr<const Table> table = Table::load(options.tablePath, error);
    if (!table)
      return failure();
    // Rows that are no candidate of this space are most likely a table
    // meant for another spec: say so once.
    size_t foreign = 0;
    std::string firstForeign;
    for (auto &[encoding, line] : table->getEncodings()) {
      std::string why;
      if (failed(space.decode(encoding, why)) && foreign++ == 0)
        firstForeign = options.tablePath + ":" + std::to_string(line) +
                       ": '" + encoding + "': " + why;
    }
    if (foreign)
      llvm::errs() << "nasc search: warning: " << foreign << " of "
                   << table->size()
                   << " table rows are not candidates of this space (first: "
                   << firstForeign << ")\n";
    if (options.tableReplay &&
        !llvm::is_contained(table->getColumns(), "seconds")) {
      error = options.tablePath +
              ": --table-replay needs a 'seconds' column (a trials.csv)";
      return failure();
    }
    evaluators.push_back(
        std::make_unique<TableEvaluator>(table, options.tableReplay));
    tableColumns = table->getColumns();
  }
  if (options.makeCostEvaluators) {
    std::vector<std::unique_ptr<Evaluator>> costs =
        options.makeCostEvaluators(space, error);
    if (!error.empty())
      return failure();
    for (auto &evaluator : costs)
      evaluators.push_back(std::move(evaluator));
  }
  FailureOr<std::unique_ptr<AnalyticalEvaluator>> analytical =
      AnalyticalEvaluator::create(space);
  if (failed(analytical))
    return failure();
  if (strategy.costWeight > 0) {
    // The gradient strategy's cost term: the analyses' `cost_metric`
    // (default: the first minimized objective they give, else flops).
    std::string costMetric = settings.costMetric;
    for (const Objective &objective : result.problem.objectives)
      if (costMetric.empty() && !objective.maximize &&
          (*analytical)->provides(objective.metric))
        costMetric = objective.metric;
    if (costMetric.empty())
      costMetric = "flops";
    if (!(*analytical)->provides(costMetric))
    {
      error = "cost_metric '" + costMetric +
              "' is none of the analyses' metrics (" +
              llvm::join(AnalyticalEvaluator::getMetricNames(), ", ") + ")";
      return failure();
    }
    std::shared_ptr<Evaluator> costs = (*analytical)->clone();
    strategy.cost = [costs, costMetric](const Candidate &candidate) {
      Evaluation evaluation;
      evaluation.values.assign(1, std::nan(""));
      costs->evaluate(candidate, "", {costMetric}, evaluation);
      return evaluation.ok ? evaluation.values[0] : std::nan("");
    };
  }
  evaluators.push_back(std::move(*analytical));

  std::vector<std::string> metrics = result.problem.getMetrics();
  // Training, when some metric needs it; it runs last, after the cheaper
  // evaluators.
  if (options.makeTrainingEvaluator &&
      llvm::any_of(metrics, [&](const std::string &metric) {
        return llvm::is_contained(options.trainingMetrics, metric) &&
               llvm::none_of(evaluators,
                             [&](auto &e) { return e->provides(metric); });
      })) {
    std::unique_ptr<Evaluator> training =
        options.makeTrainingEvaluator(space, strategy, error);
    // No message: it reported a diagnostic.
    if (!training)
      return failure();
    result.data = training->getData();
    assembled.trainingIndex = evaluators.size();
    evaluators.push_back(std::move(training));
    if (failed(substituteStandIns(*evaluators.back(), evaluators,
                                  result.problem, options.progress, error)))
      return failure();
  }
  for (const std::string &metric : options.reportedMetrics)
    if (llvm::any_of(evaluators, [&](auto &e) { return e->provides(metric); }))
      result.problem.reported.push_back(metric);
  result.problem.update();
  for (const std::string &metric : result.problem.getMetrics())
    if (llvm::none_of(evaluators, [&](auto &e) { return e->provides(metric); }))
    {
      error = describeUnknownMetric(metric, space, options, evaluators,
                                    tableColumns);
      return failure();
    }
  return assembled;
}

/// The trial store (OUT/trials.db, or --db) with the locks that keep it,
/// and the outputs' directory, to this process; null with `error`.
static std::unique_ptr<TrialStore> openStore(const SearchOptions &options,
                                             SearchResult &result,
                                             std::string &dbPath,
                                             std::string &error) {
  dbPath = options.dbPath;
  if (options.writeOutputs || dbPath.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(options.outDir)) {
      error = options.outDir + ": " + ec.message();
      return nullptr;
    }
    llvm::SmallString<128> path(options.outDir);
    llvm::sys::path::append(path, "search.lock");
    std::shared_ptr<LockFile> lock =
        LockFile::acquire(path, options.outDir, error);
    if (!lock) {
      error += "; wait for it to finish, or use another --out";
      return nullptr;
    }
    result.locks.push_back(std::move(lock));
  }
  if (dbPath.empty()) {
    llvm::SmallString<128> path(options.outDir);
    llvm::sys::path::append(path, "trials.db");
    dbPath = path.str().str();
  } else {
    std::shared_ptr<LockFile> lock =
        LockFile::acquire(dbPath + ".lock", dbPath, error);
    if (!lock) {
      error += "; wait for it to finish, or use another --db";
      return nullptr;
    }
    result.locks.push_back(std::move(lock));
  }
  return TrialStore::open(dbPath, error);
}

/// The search's fingerprints, and its start in `store`: `evaluationKey`, the
/// prefix of the evaluation cache's keys, fingerprints the spec, the
/// evaluators and the metrics; the search's own fingerprint adds the problem
/// and the strategy, so resuming continues this search only. `stored`
/// receives a resumed search's trials; fails with `error`.
static LogicalResult
startStoredSearch(SpecOp spec, llvm::StringRef specPath,
                  const SearchOptions &options, const SearchResult &result,
                  llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators,
                  llvm::ArrayRef<std::string> metrics, TrialStore &store,
                  llvm::StringRef dbPath, std::string &evaluationKey,
                  std::vector<StoredTrial> &stored, std::string &error) {
  std::string specText;
  {
    llvm::raw_string_ostream os(specText);
    OpPrintingFlags flags;
    flags.printGenericOpForm();
    spec->print(os, flags);
  }
  std::string evaluatorText;
  for (auto &evaluator : evaluators)
    evaluatorText += evaluator->getFingerprint() + "\n";
  // 64 bits of the digest: the cache key's prefix.
  evaluationKey =
      sha256(specText + "\n" + evaluatorText + llvm::join(metrics, ","))
          .substr(0, 16);
  std::string searchFingerprint =
      sha256(specText + "\n" + evaluatorText + describe(result.problem) +
             "\n" + describe(result.strategy));

  // For a person listing the store: what was searched, and how.
  std::string description;
  {
    llvm::raw_string_ostream os(description);
    os << "spec " << spec.getSymName() << " (" << specPath << "), "
       << stringifyFormulation(result.problem.formulation) << " of ";
    llvm::interleaveComma(result.problem.objectives, os,
                          [&](const Objective &objective) {
                            os << (objective.maximize ? "max:" : "min:")
                               << objective.metric;
                          });
    for (const Constraint &constraint : result.problem.constraints)
      os << ", " << constraint.metric << " "
         << getComparisonSymbol(constraint.cmp) << " "
         << llvm::format("%g", constraint.bound);
    os << ", strategy " << stringifyStrategy(result.strategy.kind) << " seed "
       << result.strategy.seed;
  }
  // Resuming continues this search only: a store of another spec or
  // other settings is left as it is.
  if (options.resume && !store.hasSearch(searchFingerprint)) {
    std::vector<StoredSearch> others = store.listSearches();
    if (!others.empty()) {
      std::string held;
      for (const StoredSearch &other : others)
        held += "\n  " + other.description + " (" +
                std::to_string(other.trials) + " trials, started " +
                other.created + " UTC)";
      error =
          (dbPath + " holds no search of this spec and settings to resume; " +
          "it holds:" + held +
          "\nnothing was changed; to start a new search use another " +
          (options.dbPath.empty() ? "--out" : "--db") + ", or remove " +
          (options.dbPath.empty() ? options.outDir : options.dbPath)).str();
      return failure();
    }
  }
  if (!store.startSearch(searchFingerprint, description, options.resume,
                          stored, error)) {
    error = dbPath.str() + ": " + error;
    return failure();
  }
  if (options.resume && stored.empty() && options.progress)
    llvm::errs() << "nasc search: nothing to resume in " << dbPath
                 << "; starting\n";
  return success();
}

/// Starts stage 2 of a two-stage search from stage 1's best `population`
/// trials (under stage 1's objectives), told to `strategy` with their
/// results under stage 2's `active` objectives.
static void warmStartStageTwo(const SearchResult &result,
                              llvm::ArrayRef<Objective> active,
                              size_t population, search::Strategy &strategy) {
  std::vector<Candidate> seeds;
  std::vector<Feedback> seedFeedback;
  std::vector<Feedback> all;
  for (const Trial &trial : result.trials)
    all.push_back(getFeedback(result.problem,
                              result.problem.getActiveObjectives(1),
                              trial));
  std::vector<size_t> order(result.trials.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return isBetter(all[a], all[b]);
  });
  order.resize(std::min<size_t>(order.size(), population));
  for (size_t i : order) {
    seeds.push_back(result.trials[i].candidate);
    seedFeedback.push_back(
        getFeedback(result.problem, active, result.trials[i]));
  }
  strategy.warmStart(seeds, seedFeedback);
}

/// Fills `trial` from an earlier result of its candidate: a resumed search's
/// stored trial, an earlier trial of this search, or the evaluation cache.
/// False when there is none and it is to be evaluated; fails with `error`
/// when the stored trial at its number is another candidate.
static FailureOr<bool>
reuseResult(Trial &trial, llvm::ArrayRef<StoredTrial> stored,
            const llvm::StringMap<size_t> &evaluatedAt,
            const llvm::StringMap<StoredTrial> &cache, SearchResult &result,
            std::string &error) {
  if (trial.number < stored.size()) {
    const StoredTrial &old = stored[trial.number];
    if (old.number != trial.number || old.encoding != trial.encoding)
    {
      error = "stored trial " + std::to_string(trial.number) + " is '" +
              old.encoding + "' but the search proposes '" +
              trial.encoding +
              "' there: the store does not belong to this search";
      return failure();
    }
    trial.values = old.values;
    trial.status = old.status == TrialStatus::Failed ? TrialStatus::Failed
                                                     : TrialStatus::Ok;
    trial.message = old.message;
    // Infeasible with a metric missing: not trained.
    trial.untrained =
        old.status == TrialStatus::Infeasible &&
        llvm::any_of(old.values, [](double v) { return std::isnan(v); });
    if (trial.untrained)
      trial.status = Trial::Status::Infeasible;
    trial.seconds = old.seconds;
    trial.cached = old.cached;
    ++result.replayed;
    return true;
  }
  if (auto known = evaluatedAt.find(trial.encoding);
             known != evaluatedAt.end()) {
    // Evaluated earlier in this search.
    const Trial &earlier = result.trials[known->second];
    trial.values = earlier.values;
    trial.untrained = earlier.untrained;
    trial.status = earlier.status == Trial::Status::Failed || trial.untrained
                       ? earlier.status
                       : Trial::Status::Ok;
    trial.message = earlier.status == Trial::Status::Failed || trial.untrained
                        ? earlier.message
                        : std::string();
    trial.cached = true;
    ++result.cacheHits;
    return true;
  }
  if (auto cachedIt = cache.find(trial.encoding);
             cachedIt != cache.end()) {
    const StoredTrial *cached = &cachedIt->second;
    trial.values = cached->values;
    trial.status = cached->status == TrialStatus::Failed ? Trial::Status::Failed
                                              : Trial::Status::Ok;
    trial.message = cached->message;
    trial.cached = true;
    ++result.cacheHits;
    return true;
  }
  return false;
}

/// Adds the trials [first, end) to `store`, classified, the first
/// `storedCount` (a resumed search's) excepted, and each fresh and complete
/// evaluation to the cache under `evaluationKey`; fails with `error`.
static LogicalResult storeTrials(SearchResult &result, size_t first,
                                 size_t end, size_t storedCount,
                                 TrialStore &store,
                                 llvm::StringRef evaluationKey,
                                 std::string &error) {
  for (size_t i = first; i < end; ++i) {
    Trial &trial = result.trials[i];
    classify(result.problem, trial);
    if (trial.number < storedCount)
      continue;
    StoredTrial row{trial.number,  trial.encoding, trial.status,
                    trial.message, trial.values,   trial.seconds,
                    trial.cached};
    if (!store.addTrial(row, error))
      return failure();
    // An untrained candidate's evaluation is incomplete: not cached, so
    // other constraints or --train-infeasible evaluate it again.
    if (!trial.cached && !trial.untrained) {
      StoredTrial evaluation = row;
      evaluation.status = trial.status == Trial::Status::Failed
                              ? TrialStatus::Failed
                              : TrialStatus::Ok;
      if (!store.addEvaluation(evaluationKey, evaluation, error))
        return failure();
    }
  }
  return success();
}

namespace {
/// Evaluates a trial with one set of the search's evaluators: the one
/// definition of it, whichever executor (thread, MPI rank) runs it. The
/// evaluators run in order and stop at the first failure; training is
/// skipped for a candidate the cheaper metrics already make infeasible.
class SearchWorker : public TrialWorker {
public:
  SearchWorker(std::vector<std::unique_ptr<Evaluator>> &evaluators,
               const Space &space, const Problem &problem, size_t trainingIndex,
               const SearchOptions &options)
      : evaluators(evaluators), space(space), problem(problem),
        metrics(problem.getMetrics()), trainingIndex(trainingIndex),
        options(options) {}

  TrialOutcome evaluate(const TrialRequest &request) override {
    return evaluateWith(request, nullptr);
  }
  TrialOutcome evaluateTogether(const TrialRequest &request,
                                Collective &group) override {
    return evaluateWith(request, &group);
  }
  bool evaluatesTogether() const override {
    return llvm::any_of(evaluators, [](const auto &evaluator) {
      return evaluator->evaluatesTogether();
    });
  }

  void prepareTogether(Collective &group) override {
    for (auto &evaluator : evaluators)
      if (!evaluator->prepareTogether(group, options.cancel))
        return;
  }

private:
  TrialOutcome evaluateWith(const TrialRequest &request, Collective *group) {
    TrialOutcome outcome;
    if (isCancelled(options.cancel))
      return outcome;
    Clock::time_point begin = Clock::now();
    // A request from another process names its candidate by the encoding.
    FailureOr<Candidate> decoded = failure();
    if (!request.candidate) {
      std::string error;
      decoded = space.decode(request.encoding, error);
      if (failed(decoded)) {
        outcome.message = "cannot decode '" + request.encoding + "': " + error;
        outcome.finished = true;
        return outcome;
      }
    }
    const Candidate &candidate =
        request.candidate ? *request.candidate : *decoded;
    Evaluation evaluation;
    evaluation.cancel = options.cancel;
    evaluation.group = group;
    evaluation.parent = request.parent;
    evaluation.values.assign(metrics.size(), std::nan(""));
    for (size_t e = 0; e < evaluators.size(); ++e) {
      // Only what can be feasible is trained.
      int violated = e == trainingIndex && !options.trainInfeasible
                         ? problem.firstViolatedKnown(evaluation.values)
                         : -1;
      if (violated >= 0) {
        outcome.values = std::move(evaluation.values);
        outcome.status = Trial::Status::Infeasible;
        outcome.untrained = true;
        outcome.message = "violates " + problem.constraints[violated].text +
                          "; not trained (--train-infeasible trains it)";
        outcome.seconds = secondsSince(begin);
        outcome.finished = true;
        return outcome;
      }
      evaluators[e]->evaluate(candidate, request.encoding, metrics, evaluation);
      if (!evaluation.ok)
        break;
    }
    if (evaluation.ok)
      for (size_t i = 0; i < metrics.size(); ++i)
        if (std::isnan(evaluation.values[i])) {
          evaluation.ok = false;
          evaluation.message = "no value for '" + metrics[i] + "'";
          break;
        }
    outcome.values = std::move(evaluation.values);
    outcome.status = evaluation.ok ? Trial::Status::Ok : Trial::Status::Failed;
    outcome.message = std::move(evaluation.message);
    outcome.seconds = secondsSince(begin);
    outcome.finished = !isCancelled(options.cancel);
    return outcome;
  }

  std::vector<std::unique_ptr<Evaluator>> &evaluators;
  const Space &space;
  const Problem &problem;
  std::vector<std::string> metrics;
  size_t trainingIndex;
  const SearchOptions &options;
};
} // namespace

/// The problem and the settings, into `result`: what every process of a
/// search derives alike from the spec and the command line.
static FailureOr<SearchSettings> setUpProblem(SpecOp spec,
                                              llvm::StringRef specPath,
                                              const SearchOptions &options,
                                              SearchResult &result,
                                              std::string &error) {
  std::optional<Problem> problem = buildProblem(spec, options, error);
  if (!problem) {
    error = (specPath + ": " + error).str();
    return failure();
  }
  result.problem = *problem;
  // Settings: the command line, else the spec's `search`, else defaults.
  FailureOr<SearchSettings> settings =
      resolveSearchSettings(spec, options, error);
  if (failed(settings))
    return failure();
  result.strategy = settings->strategy;
  result.budget = settings->budget;
  return settings;
}

/// Sorts the trial indices `order` by their candidates' MACs, largest
/// first (stable; unchanged where no evaluator computes MACs).
static void orderLargestFirst(std::vector<size_t> &order,
                              llvm::ArrayRef<Trial> trials,
                              llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators) {
  Evaluator *analysis = nullptr;
  for (const auto &evaluator : evaluators)
    if (evaluator->provides("macs")) {
      analysis = evaluator.get();
      break;
    }
  if (!analysis)
    return;
  llvm::DenseMap<size_t, double> macs;
  std::vector<std::string> metric = {"macs"};
  for (size_t index : order) {
    Evaluation evaluation;
    evaluation.values.assign(1, std::nan(""));
    analysis->evaluate(trials[index].candidate, trials[index].encoding,
                       metric, evaluation);
    macs[index] = evaluation.ok && std::isfinite(evaluation.values[0])
                      ? evaluation.values[0]
                      : 0.0;
  }
  llvm::stable_sort(order,
                    [&](size_t a, size_t b) { return macs[a] > macs[b]; });
}

LogicalResult search::serveTrials(SpecOp spec, llvm::StringRef specPath,
                                  const SearchOptions &options,
                                  TrialCluster &cluster) {
  SearchResult result;
  std::string error;
  FailureOr<SearchSettings> settings =
      setUpProblem(spec, specPath, options, result, error);
  std::optional<Space> space;
  FailureOr<AssembledEvaluators> assembled = failure();
  if (succeeded(settings)) {
    FailureOr<Space> built = Space::build(spec);
    if (succeeded(built)) {
      space.emplace(std::move(*built));
      StrategyOptions strategy = settings->strategy;
      assembled = assembleEvaluators(*space, options, *settings, strategy,
                                     result, error);
    }
  }
  std::optional<SearchWorker> worker;
  if (succeeded(assembled)) {
    worker.emplace(assembled->evaluators, *space, result.problem,
                   assembled->trainingIndex, options);
  } else if (error.empty()) {
    error = "see the diagnostic above";
  }
  if (llvm::Error e = cluster.serve(worker ? &*worker : nullptr, error)) {
    llvm::errs() << "nasc search: rank " << cluster.getRank()
                 << ": error: " << llvm::toString(std::move(e)) << "\n";
    return failure();
  }
  return success();
}

static LogicalResult runSearchIn(SpecOp spec, llvm::StringRef specPath,
                                 const SearchOptions &options,
                                 SearchResult &result);

LogicalResult search::runSearch(SpecOp spec, llvm::StringRef specPath,
                                const SearchOptions &options,
                                SearchResult &result) {
  // A search that fails before its first trial (its training data missing,
  // say) leaves nothing behind: an output directory it created, with the
  // lock and the empty store, is removed again.
  bool existed =
      options.outDir.empty() || llvm::sys::fs::exists(options.outDir);
  LogicalResult status = runSearchIn(spec, specPath, options, result);
  if (succeeded(status) || existed || !result.trials.empty())
    return status;
  result.locks.clear();
  (void)llvm::sys::fs::remove_directories(options.outDir);
  return status;
}

static LogicalResult runSearchIn(SpecOp spec, llvm::StringRef specPath,
                                 const SearchOptions &options,
                                 SearchResult &result) {
  Clock::time_point start = Clock::now();
  EnergyMeter meter(options.wattsPerCore, options.gridIntensity);
  auto fail = [&](const llvm::Twine &message) {
    llvm::errs() << "nasc search: error: " << message << "\n";
    return failure();
  };

  std::string error;
  FailureOr<SearchSettings> settings =
      setUpProblem(spec, specPath, options, result, error);
  if (failed(settings))
    return fail(error);
  StrategyOptions strategy = settings->strategy;
  uint64_t budget = settings->budget;
  double timeLimit = settings->timeLimit;

  // The store, and the outputs' directory, for this process alone: before
  // anything slow (loading training data), so a second search of the
  // same directory stops at once.
  std::string dbPath;
  std::unique_ptr<TrialStore> store = openStore(options, result, dbPath, error);
  if (!store)
    return fail(error);

  FailureOr<Space> space = Space::build(spec);
  if (failed(space))
    return failure();

  // Evaluators: the table's columns first, the analyses for the rest,
  // training last.
  FailureOr<AssembledEvaluators> assembled =
      assembleEvaluators(*space, options, *settings, strategy, result, error);
  if (failed(assembled))
    return error.empty() ? failure() : fail(error);
  std::vector<std::unique_ptr<Evaluator>> evaluators =
      std::move(assembled->evaluators);
  size_t trainingIndex = assembled->trainingIndex;
  std::vector<std::string> metrics = result.problem.getMetrics();

  // Fingerprints, and the search's start in the store.
  std::string evaluationKey;
  std::vector<StoredTrial> stored;
  if (failed(startStoredSearch(spec, specPath, options, result, evaluators,
                               metrics, *store, dbPath, evaluationKey, stored,
                               error)))
    return fail(error);

  // Two stages: the first half of the budget searches the stage-1
  // objectives; the second starts from its best and searches them all.
  bool twoStage = result.problem.formulation == Formulation::two_stage;
  uint64_t stageOneEnd = twoStage ? std::max<uint64_t>(1, budget / 2) : 0;
  int stage = twoStage ? 1 : 0;
  std::vector<Objective> active = result.problem.getActiveObjectives(stage);
  auto isMulti = [&](llvm::ArrayRef<Objective> objectives) {
    return objectives.size() > 1 &&
           (result.problem.formulation == Formulation::pareto ||
            result.problem.formulation == Formulation::two_stage);
  };
  StrategyOptions stageOptions = strategy;
  stageOptions.multiObjective = isMulti(active);
  std::unique_ptr<search::Strategy> strategyImpl =
      createStrategy(*space, stageOptions, error);
  if (!strategyImpl)
    return fail(error);

  // One set of evaluators per worker of the executor: this process's
  // threads, or the other ranks of an MPI job, which set up theirs alike
  // (serveTrials).
  std::unique_ptr<TrialExecutor> executor;
  std::vector<std::vector<std::unique_ptr<Evaluator>>> workers(1);
  workers[0] = std::move(evaluators);
  // The trials evaluated at once: the other ranks, or the threads.
  unsigned evaluatorCount = 1;
  if (options.cluster) {
    executor = options.cluster->createExecutor();
    evaluatorCount = std::max(1u, options.cluster->getSize() - 1);
  } else {
    unsigned jobs = std::max(1u, options.jobs);
    evaluatorCount = jobs;
    // Threads evaluate while this one proposes the next batch (with its
    // analyses: largest first, nested hardware), so with several the
    // threads get copies of their own; one evaluates on this thread.
    size_t sets = jobs > 1 ? jobs + 1 : 1;
    workers.resize(sets);
    for (size_t w = 1; w < sets; ++w)
      for (auto &evaluator : workers[0])
        workers[w].push_back(evaluator->clone());
    std::vector<std::unique_ptr<TrialWorker>> trialWorkers;
    for (size_t w = sets > 1 ? 1 : 0; w < sets; ++w)
      trialWorkers.push_back(std::make_unique<SearchWorker>(
          workers[w], *space, result.problem, trainingIndex, options));
    executor = createTrialExecutor(std::move(trialWorkers));
  }
  // Before the first evaluation, the processes of an MPI job prepare
  // together (a supernet trains data-parallel); this one with its own
  // evaluators.
  bool prepared = !options.cluster;
  SearchWorker localWorker(workers[0], *space, result.problem, trainingIndex,
                           options);

  result.setupSeconds = secondsSince(start);
  Clock::time_point loopStart = Clock::now();
  Progress progress(options.progress, budget,
                    timeLimit > 0 ? timeLimit - secondsSince(start) : 0);
  BestTrial bestSoFar;
  // The evaluation cache of these settings, read once.
  llvm::StringMap<StoredTrial> cache;
  for (StoredTrial &evaluation : store->loadEvaluations(evaluationKey)) {
    std::string encoding = evaluation.encoding;
    cache.try_emplace(encoding, std::move(evaluation));
  }
  // The first trial of each encoding so far: later ones reuse its result.
  llvm::StringMap<size_t> evaluatedAt;
  bool inTransaction = false;
  Clock::time_point lastCommit = Clock::now();
  // A batch proposed and handed to the executor: its trials are
  // result.trials[first, end); `evaluating` of them are evaluated, the
  // others were known or repeat one (`repeats`: index, original).
  struct Batch {
    size_t first = 0, end = 0;
    std::vector<size_t> evaluating;
    std::vector<std::pair<size_t, size_t>> repeats;
    /// Copies of the evaluated candidates (result.trials grows while the
    /// batch is out), the requests, their outcomes, the ticket.
    std::vector<Candidate> candidates;
    std::vector<TrialRequest> requests;
    std::vector<TrialOutcome> outcomes;
    size_t ticket = 0;
    /// The encodings it evaluates, to their trials: a later batch proposed
    /// while it is out repeats them rather than evaluating them again.
    llvm::StringMap<size_t> inFlight;
  };

  // Proposes up to `count` trials and hands those to evaluate to the
  // executor; `out` is the batch whose outcomes are not in yet, if any.
  uint64_t number = 0;
  auto propose = [&](size_t count,
                     const Batch *out) -> FailureOr<std::unique_ptr<Batch>> {
    auto batch = std::make_unique<Batch>();
    std::vector<Candidate> proposed = strategyImpl->ask(count);
    // Co-exploration: each architecture at its best hardware.
    if (strategy.nestedHardware)
      for (Candidate &candidate : proposed)
        candidate = chooseHardware(*space, result.problem, workers[0],
                                   candidate, strategy.seed);
    llvm::ArrayRef<Candidate> parents = strategyImpl->getParents();

    // Each proposal's result: stored, cached, or evaluated now.
    batch->first = result.trials.size();
    std::vector<size_t> toEvaluate;
    for (size_t i = 0; i < proposed.size(); ++i) {
      Trial trial;
      trial.number = number + i;
      trial.candidate = std::move(proposed[i]);
      trial.encoding = space->encode(trial.candidate);
      trial.stage = stage;
      if (i < parents.size() && !parents[i].outcomes.empty())
        trial.parent = space->encode(parents[i]);
      FailureOr<bool> reused =
          reuseResult(trial, stored, evaluatedAt, cache, result, error);
      if (failed(reused)) {
        (void)fail(dbPath + ": " + error);
        return failure();
      }
      if (!*reused)
        toEvaluate.push_back(batch->first + i);
      result.trials.push_back(std::move(trial));
    }
    batch->end = result.trials.size();
    number += proposed.size();
    // The same candidate twice in one batch, or in the batch still out,
    // is evaluated once.
    for (size_t index : toEvaluate) {
      const std::string &encoding = result.trials[index].encoding;
      if (out) {
        if (auto it = out->inFlight.find(encoding); it != out->inFlight.end()) {
          batch->repeats.push_back({index, it->second});
          continue;
        }
      }
      auto [it, fresh] = batch->inFlight.try_emplace(encoding, index);
      if (fresh)
        batch->evaluating.push_back(index);
      else
        batch->repeats.push_back({index, it->second});
    }
    // Trained trials go out largest first (by MACs): with several
    // evaluators a batch ends when its last trial does, and
    // longest-processing-time-first keeps that tail short. Outcomes are
    // still placed in proposal order.
    if (evaluatorCount > 1 && trainingIndex != SIZE_MAX &&
        batch->evaluating.size() > 1)
      orderLargestFirst(batch->evaluating, result.trials, workers[0]);
    for (size_t index : batch->evaluating)
      batch->candidates.push_back(result.trials[index].candidate);
    for (size_t k = 0; k < batch->evaluating.size(); ++k) {
      const Trial &trial = result.trials[batch->evaluating[k]];
      batch->requests.push_back(
          {trial.encoding, trial.parent, &batch->candidates[k]});
    }
    batch->outcomes.resize(batch->requests.size());
    if (!prepared && !batch->requests.empty()) {
      executor->prepareTogether(localWorker);
      prepared = true;
    }
    batch->ticket =
        executor->submit(batch->requests, batch->outcomes, options.cancel);
    return batch;
  };

  // Waits for `batch`'s outcomes, commits its trials and tells the
  // strategy; true when a stop was requested, the trials from the first
  // unfinished one on being dropped (later batches' too).
  auto finish = [&](Batch &batch) -> FailureOr<bool> {
    executor->wait(batch.ticket);
    size_t first = batch.first;
    // Whether an evaluation finished before a stop was requested; one that
    // ended after it may have been cut short, and is not kept. Stored and
    // cached trials are finished.
    std::vector<char> finished(batch.end - first, 1);
    for (size_t k = 0; k < batch.evaluating.size(); ++k) {
      Trial &trial = result.trials[batch.evaluating[k]];
      TrialOutcome &outcome = batch.outcomes[k];
      trial.status = outcome.status;
      trial.message = std::move(outcome.message);
      trial.values = std::move(outcome.values);
      trial.seconds = outcome.seconds;
      trial.untrained = outcome.untrained;
      finished[batch.evaluating[k] - first] = outcome.finished;
    }
    for (auto [index, original] : batch.repeats) {
      Trial &trial = result.trials[index];
      trial.values = result.trials[original].values;
      trial.status = result.trials[original].status;
      trial.message = result.trials[original].message;
      trial.untrained = result.trials[original].untrained;
      trial.cached = true;
      if (original >= first)
        finished[index - first] = finished[original - first];
    }
    // Stopped while evaluating: the batch's trials up to the first
    // unfinished one are committed (stored trials are a prefix, which a
    // resumed search replays); from it on, they are dropped and a resumed
    // search proposes and evaluates them again.
    bool stopping = isCancelled(options.cancel);
    size_t end = batch.end;
    if (stopping) {
      end = first;
      while (end < batch.end && finished[end - first])
        ++end;
      result.trials.resize(end);
      llvm::erase_if(batch.evaluating,
                     [&](size_t index) { return index >= end; });
      result.interrupted = true;
    }
    result.evaluated += batch.evaluating.size();
    // A repeat took its values from the first: a cache hit like one from
    // an earlier batch (trials.csv marks both cached).
    for (auto [index, original] : batch.repeats)
      result.cacheHits += index < end;
    for (size_t i = first; i < end; ++i)
      evaluatedAt.try_emplace(result.trials[i].encoding, i);

    // Commit, in order. Cheap trials share a transaction committed every
    // options.commitInterval seconds; a batch with an expensive
    // evaluation is committed at once, so a kill loses as little work as
    // possible (docs/search.md, "The trial store").
    double batchSeconds = 0;
    for (size_t index : batch.evaluating)
      batchSeconds += result.trials[index].seconds;
    if (!inTransaction) {
      if (!store->begin(error)) {
        (void)fail(dbPath + ": " + error);
        return failure();
      }
      inTransaction = true;
    }
    if (failed(storeTrials(result, first, end, stored.size(), *store,
                           evaluationKey, error))) {
      (void)fail(dbPath + ": " + error);
      return failure();
    }
    if (batchSeconds >= options.commitInterval ||
        secondsSince(lastCommit) >= options.commitInterval) {
      if (!store->commit(error)) {
        (void)fail(dbPath + ": " + error);
        return failure();
      }
      inTransaction = false;
      lastCommit = Clock::now();
    }
    bestSoFar.update(result, first, end);
    if (stopping)
      return true;

    std::vector<Candidate> told;
    std::vector<Feedback> feedback;
    for (size_t i = first; i < end; ++i) {
      told.push_back(result.trials[i].candidate);
      feedback.push_back(getFeedback(result.problem, active, result.trials[i]));
    }
    strategyImpl->tell(told, feedback);
    progress.update(end, result.replayed,
                    describeBest(result, bestSoFar.index));
    return false;
  };

  // Batches go out one at a time, or, for a strategy that proposes without
  // the last batch's outcomes (Strategy::overlapsBatches), the next while
  // the last is evaluated: no evaluator then waits for a batch's last
  // trial, and the proposals are the same for any executor.
  std::unique_ptr<Batch> out;
  for (;;) {
    bool ending = number >= budget;
    if (!ending && timeLimit > 0 && secondsSince(start) > timeLimit) {
      result.timedOut = true;
      ending = true;
    }
    if (!ending && isCancelled(options.cancel)) {
      result.interrupted = true;
      ending = true;
    }
    bool stageEnds = twoStage && stage == 1 && number == stageOneEnd;
    size_t count = 0;
    if (!ending && !stageEnds) {
      uint64_t limit = budget - number;
      if (twoStage && stage == 1)
        limit = stageOneEnd - number;
      count = strategyImpl->getBatchSize();
      // A strategy that does not read outcomes keeps every evaluator busy
      // across what would be its batches: eight trials per evaluator.
      if (count && !strategyImpl->readsOutcomes())
        count = std::max(count, 8 * size_t(evaluatorCount));
      count = size_t(std::min<uint64_t>(count, limit));
    }
    // The batch out first, when nothing can be proposed without it.
    if (out && (!count || !strategyImpl->overlapsBatches())) {
      FailureOr<bool> stopped = finish(*out);
      out.reset();
      if (failed(stopped))
        return failure();
      if (*stopped)
        break;
      continue;
    }
    if (ending)
      break;
    if (stageEnds) {
      // Stage 2: a fresh strategy, started from stage 1's best under all
      // objectives.
      stage = 2;
      active = result.problem.getActiveObjectives(stage);
      stageOptions.multiObjective = isMulti(active);
      stageOptions.seed = strategy.seed + 1;
      strategyImpl = createStrategy(*space, stageOptions, error);
      warmStartStageTwo(result, active, size_t(strategy.population),
                        *strategyImpl);
      continue;
    }
    FailureOr<std::unique_ptr<Batch>> batch =
        propose(std::max<size_t>(count, 1), out.get());
    if (failed(batch)) {
      // Nothing may still write into the batch out when it goes.
      if (out)
        executor->wait(out->ticket);
      return failure();
    }
    if (out) {
      FailureOr<bool> stopped = finish(*out);
      out.reset();
      if (failed(stopped) || *stopped) {
        // The new batch's trials were dropped; its evaluations end first.
        executor->wait((*batch)->ticket);
        if (failed(stopped))
          return failure();
        break;
      }
    }
    out = std::move(*batch);
  }
  number = result.trials.size();
  if (inTransaction && !store->commit(error))
    return fail(dbPath + ": " + error);
  progress.update(number, result.replayed,
                  describeBest(result, bestSoFar.index), /*last=*/true);

  result.searchTrials = result.trials.size();
  result.workers = executor->getStats();
  for (const auto &evaluator : workers[0])
    if (std::optional<double> share = evaluator->getFidelity())
      result.dataShare = *share;
  if (options.halvingRate > 1 && !result.interrupted &&
      failed(promote(result, workers[0], metrics, *store, evaluationKey,
                     options)))
    return failure();
  if (isCancelled(options.cancel))
    result.interrupted = true;

  chooseResult(result);
  if (trainingIndex != SIZE_MAX && result.best) {
    // The settings of the rung its values come from.
    const Evaluator &trainer = *workers[0][trainingIndex];
    double fidelity = result.trials[*result.best].fidelity;
    std::shared_ptr<const Evaluator> used(
        fidelity > 0 ? trainer.withFidelity(fidelity) : trainer.clone());
    result.recordSettings = [used](SpecOp spec) {
      used->recordSettings(spec);
    };
  }
  result.loopSeconds = secondsSince(loopStart);
  result.seconds = secondsSince(start);
  result.energy = meter.read();
  if (options.writeOutputs &&
      failed(writeSearchOutputs(spec, *space, result, options.outDir)))
    return failure();
  return success();
}
