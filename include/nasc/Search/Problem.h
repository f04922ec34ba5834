//===- Problem.h - What a search optimizes -----------------------*- C++ -*-===//
//
// The objectives, constraints and formulation of a search (docs/search.md):
// from the spec's `objectives` and `constraints`, overridden by the command
// line. Metrics are named by key: `params`, `accuracy`, `latency(phone)`,
// or any column of a table.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_PROBLEM_H
#define NASC_SEARCH_PROBLEM_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace nasc::search {

struct Objective {
  std::string metric;
  bool maximize = false;
  /// For weighted_sum and weighted_product.
  double weight = 1.0;
  /// For two_stage: 1 or 2 (0 otherwise).
  int stage = 0;
  /// Its metric's index among Problem::getMetrics() (set by update()).
  size_t index = 0;
};

struct Constraint {
  std::string metric;
  nas::Comparison cmp = nas::Comparison::lt;
  /// In the metric's base unit (seconds, joules, bytes, a count).
  double bound = 0;
  /// As written: `params <= 3.5 M`.
  std::string text;
  /// Its metric's index among Problem::getMetrics() (set by update()).
  size_t index = 0;
  bool holds(double value) const;
};

/// The metric key of a spec metric: `latency(phone)`, `params`.
std::string getMetricKey(nas::Metric metric,
                         std::optional<llvm::StringRef> target);

class Problem {
public:
  nas::Formulation formulation = nas::Formulation::single;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;
  /// Metrics recorded with every trial but never ranked on or constrained:
  /// `test_accuracy` is reported this way, so the test set plays no part
  /// in selection.
  std::vector<std::string> reported;

  /// The spec's objectives and constraints (a spec without objectives
  /// gets none: the command line must give them).
  static Problem fromSpec(nas::SpecOp spec);

  /// `max:METRIC` or `min:METRIC`; `error` says what is wrong.
  static std::optional<Objective> parseObjective(llvm::StringRef text,
                                                 std::string &error);
  /// `METRIC<VALUE`, `<=`, `>`, `>=`; VALUE a number with an optional
  /// unit (`5ms`, `3.5 M`, `4 MiB`).
  static std::optional<Constraint> parseConstraint(llvm::StringRef text,
                                                   std::string &error);

  /// Checks the formulation's rules (docs/language.md §11) after
  /// command-line changes; returns an error message or "".
  std::string validate() const;

  /// Every metric the objectives and constraints read, each once, in a
  /// fixed order: objectives first; then the reported ones.
  std::vector<std::string> getMetrics() const;

  /// Whether the result is a front (several objectives, not scalarized).
  bool isMultiObjective() const;

  /// The objectives that rank candidates in `stage` (two_stage: those of
  /// that stage; otherwise all, and `stage` is ignored).
  std::vector<Objective> getActiveObjectives(int stage) const;

  /// The value ranking candidates (larger is better) under `objectives`
  /// combined as the formulation says; `values` holds the metric values in
  /// getMetrics() order. Pareto problems rank by the first objective.
  double scalarize(llvm::ArrayRef<Objective> objectives,
                   llvm::ArrayRef<double> values) const;
  /// The objectives oriented for minimization (maximized ones negated).
  std::vector<double> orient(llvm::ArrayRef<Objective> objectives,
                             llvm::ArrayRef<double> values) const;
  /// The first constraint `values` break, or -1. A constraint on a known
  /// value comes before one on a metric not evaluated (NaN).
  int firstViolated(llvm::ArrayRef<double> values) const;
  /// The first constraint on a known value that `values` break, or -1.
  int firstViolatedKnown(llvm::ArrayRef<double> values) const;
  /// How far `values` are from meeting every constraint (0: feasible),
  /// each violation relative to its bound.
  double violation(llvm::ArrayRef<double> values) const;

  /// The index of `metric` among getMetrics().
  size_t indexOf(llvm::StringRef metric) const;

  /// Call after changing objectives, constraints or reported metrics.
  void update();

private:
  std::vector<std::string> metrics;
};

/// The unit a metric's values are written in (trials.csv, pareto.csv,
/// summary.json, the plots and printed lines, as every other output:
/// nas::getOutputUnit): "ms", "mJ", "W", "B", "fraction" for accuracies,
/// "FLOPs", "MACs", "BOPs", "count" for parameters, "s" for
/// train_seconds, "log10 score" (synflow) and "log det" (naswot) for the
/// zero-cost proxies; empty for a metric without one (a table's own
/// column).
std::string getMetricUnit(llvm::StringRef metric);

/// A metric's column header: `latency(laptop) [ms]`, `flops [FLOPs]`, or
/// the bare metric when it has no unit.
std::string getMetricHeader(llvm::StringRef metric);

/// A value of `metric` in base units (as evaluated and stored: seconds,
/// joules) converted to getMetricUnit's unit (ms, mJ).
double toMetricUnit(llvm::StringRef metric, double value);

/// `value` times `scale`. A power of ten moves the decimal point of the
/// value's shortest decimal form instead of multiplying, so that a value
/// written in ms reads back as the same double in seconds.
double rescale(double value, double scale);

/// A value of `metric` (in base units) for a printed line: six significant
/// digits in getMetricUnit's unit, `1.47802 ms`, `4.72124e+06 FLOPs`,
/// `0.758 fraction`.
std::string formatMetricValue(llvm::StringRef metric, double value);

/// The scale to base units of the unit in a CSV header `name [unit]`: a
/// spec's unit (`ms`, `MiB`, `%`; docs/language.md) or a word
/// getMetricUnit writes; none for an unknown unit.
std::optional<double> getUnitScale(llvm::StringRef unit);

} // namespace nasc::search

#endif // NASC_SEARCH_PROBLEM_H
