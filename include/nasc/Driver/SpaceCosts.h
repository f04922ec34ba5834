//===- SpaceCosts.h - Costs over a whole space ------------------*- C++ -*-===//
//
// The range of every hardware-independent cost over a space, and of the
// analytical latency and energy on its targets when the model sums them
// (SpaceCostModel::setRecordMetrics), and how many candidates meet the
// spec's constraints: folded segment by segment when the space allows it,
// else by evaluating every candidate (docs/analysis.md, "Costs over the
// space").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DRIVER_SPACECOSTS_H
#define NASC_DRIVER_SPACECOSTS_H

#include "nasc/Analysis/SpaceFolding.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace nasc {

struct SpaceCosts {
  /// Folded (no enumeration), or every candidate evaluated.
  bool folded = true;
  /// Why the space was not folded (when it was not).
  std::string unfoldedReason;
  /// Every metric getNumMetrics counts: the cost metrics, then
  /// `recordMetrics`.
  std::vector<uint64_t> min, max;
  /// Encodings of candidates reaching each minimum and maximum.
  std::vector<std::string> argmin, argmax;
  std::vector<RecordMetric> recordMetrics;

  struct ConstraintResult {
    /// Op handles are cheap values; mutable so a const result can emit
    /// diagnostics and read attributes.
    mutable nas::ConstraintOp op;
    /// Index into the metrics, or nullopt when another evaluator must
    /// measure it (accuracy, latency on a target without figures, ...).
    std::optional<size_t> metric;
    /// Why it is not evaluated (without a metric).
    std::string unevaluated;
    CandidateCount satisfied;
  };
  std::vector<ConstraintResult> constraints;
  /// Candidates meeting every constraint that could be evaluated.
  CandidateCount feasible;
};

/// The spec's constraints, on metrics of the model where it computes them.
std::vector<SpaceCosts::ConstraintResult>
getCostConstraints(const SpaceCostModel &model);

/// The name of metric `m`: "macs", ..., "latency(t)".
llvm::StringRef getMetricName(const SpaceCosts &costs, size_t m);
/// A value of metric `m` as outputs print it: a count, or a record metric
/// in its print unit to 6 significant digits, as candidate tables print
/// theirs ("12.5 ms"; with `unit` false, without it).
std::string formatMetricValue(const SpaceCosts &costs, size_t m, uint64_t value,
                              bool unit = true);

/// The costs over the model's space: folded within `foldLimits`, or, when
/// the space cannot be folded and has at most `enumerateLimit` candidates,
/// by evaluating each. Fails after a diagnostic on an ill-shaped candidate
/// or when neither method applies.
mlir::FailureOr<SpaceCosts>
computeSpaceCosts(SpaceCostModel &model, uint64_t enumerateLimit,
                  const FoldLimits &foldLimits = {});

/// Warns at each constraint no candidate meets, with the tightest value
/// the space reaches and a candidate reaching it, and when they cannot all
/// be met together.
void reportInfeasible(const SpaceCosts &costs);

} // namespace nasc

#endif // NASC_DRIVER_SPACECOSTS_H
