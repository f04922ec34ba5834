//===- SpaceCosts.h - Costs over a whole space ------------------*- C++ -*-===//
//
// The range of every hardware-independent cost over a space and how many
// candidates meet the spec's constraints, found by evaluating every
// candidate (docs/space.md, "Costs over the space").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DRIVER_SPACECOSTS_H
#define NASC_DRIVER_SPACECOSTS_H

#include "nasc/Analysis/Costs.h"
#include "nasc/Space/Space.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace nasc {

/// The cost metrics, in the order of candidate tables.
constexpr size_t kNumCostMetrics = 7;
extern const std::array<llvm::StringLiteral, kNumCostMetrics> kCostMetricNames;
std::array<uint64_t, kNumCostMetrics> getCostMetrics(const CostTotals &totals);

struct SpaceCosts {
  uint64_t evaluated = 0;
  std::array<uint64_t, kNumCostMetrics> min, max;
  std::array<std::string, kNumCostMetrics> argmin, argmax;

  struct ConstraintResult {
    /// Op handles are cheap values; mutable so a const result can emit
    /// diagnostics and read attributes.
    mutable nas::ConstraintOp op;
    /// Index into the metrics, or nullopt when another evaluator must
    /// measure it (accuracy, latency, ...).
    std::optional<size_t> metric;
    uint64_t satisfied = 0;
  };
  std::vector<ConstraintResult> constraints;
  /// Candidates meeting every constraint that could be evaluated.
  uint64_t feasible = 0;
};

/// The costs of one candidate: materialized, then analysed. Fails, after a
/// diagnostic at the layer and one naming the candidate, when it is
/// ill-shaped.
mlir::FailureOr<std::array<uint64_t, kNumCostMetrics>>
evaluateCandidate(const Space &space, const Candidate &candidate);

/// Evaluates every candidate of `space` (at most `limit`; more is an error
/// saying so). Fails, after a diagnostic, on an ill-shaped candidate.
mlir::FailureOr<SpaceCosts> computeSpaceCosts(const Space &space,
                                              uint64_t limit);

/// Warns at each constraint no candidate meets, with the best value the
/// space reaches, and when they cannot all be met together.
void reportInfeasible(const SpaceCosts &costs);

} // namespace nasc

#endif // NASC_DRIVER_SPACECOSTS_H
