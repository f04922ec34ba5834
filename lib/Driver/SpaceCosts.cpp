//===- SpaceCosts.cpp - Costs over a whole space --------------------------===//

#include "nasc/Driver/SpaceCosts.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using llvm::DynamicAPInt;

/// The cost column a constraint's metric reads, if the analysis computes it.
static std::optional<size_t> getMetricIndex(Metric metric) {
  switch (metric) {
  case Metric::macs:
    return 0;
  case Metric::flops:
    return 1;
  case Metric::params:
    return 2;
  case Metric::model_size:
    return 3;
  case Metric::bops:
    return 4;
  case Metric::memory:
    return kPeakMemoryMetric;
  default:
    return std::nullopt;
  }
}

std::vector<SpaceCosts::ConstraintResult>
nasc::getCostConstraints(SpecOp spec) {
  std::vector<SpaceCosts::ConstraintResult> result;
  for (ConstraintOp constraint : spec.getBodyBlock().getOps<ConstraintOp>())
    result.push_back({constraint, getMetricIndex(constraint.getMetric()),
                      {DynamicAPInt(0), DynamicAPInt(0)}});
  return result;
}

/// Evaluates every candidate (the space has at most `limit`).
static LogicalResult enumerate(SpaceCostModel &model,
                               ArrayRef<MetricConstraint> limits,
                               ArrayRef<size_t> limitOf, SpaceCosts &result) {
  const Space &space = model.getSpace();
  result.min.fill(UINT64_MAX);
  result.max.fill(0);
  for (int64_t i = 0, e = int64_t(space.size()); i < e; ++i) {
    Candidate candidate = space.unrank(DynamicAPInt(i));
    FailureOr<CostTotals> totals = model.evaluate(candidate);
    if (failed(totals))
      return failure();
    CostMetrics metrics = getCostMetrics(*totals);
    for (size_t m = 0; m < kNumCostMetrics; ++m) {
      if (metrics[m] < result.min[m] || i == 0) {
        result.min[m] = metrics[m];
        result.argmin[m] = space.encode(candidate);
      }
      if (metrics[m] > result.max[m] || i == 0) {
        result.max[m] = metrics[m];
        result.argmax[m] = space.encode(candidate);
      }
    }
    bool feasible = true;
    for (size_t c = 0; c < limits.size(); ++c) {
      bool ok = limits[c].holds(metrics[limits[c].metric]);
      if (ok)
        ++result.constraints[limitOf[c]].satisfied.low;
      feasible &= ok;
    }
    if (feasible)
      ++result.feasible.low;
  }
  result.feasible.high = result.feasible.low;
  for (SpaceCosts::ConstraintResult &constraint : result.constraints)
    constraint.satisfied.high = constraint.satisfied.low;
  return success();
}

FailureOr<SpaceCosts> nasc::computeSpaceCosts(SpaceCostModel &model,
                                              uint64_t enumerateLimit,
                                              const FoldLimits &foldLimits) {
  const Space &space = model.getSpace();
  SpaceCosts result;
  result.constraints = getCostConstraints(space.getSpec());
  result.feasible = {DynamicAPInt(0), DynamicAPInt(0)};
  // The constraints the analyses can check, and which result each is.
  std::vector<MetricConstraint> limits;
  std::vector<size_t> limitOf;
  for (size_t c = 0; c < result.constraints.size(); ++c) {
    SpaceCosts::ConstraintResult &constraint = result.constraints[c];
    if (!constraint.metric)
      continue;
    limits.push_back({*constraint.metric, constraint.op.getCmp(),
                      constraint.op.getBound().getBaseValue()});
    limitOf.push_back(c);
  }

  result.unfoldedReason = getUnfoldableReason(model, foldLimits);
  if (result.unfoldedReason.empty()) {
    FailureOr<FoldedCosts> folded = foldSpaceCosts(model, limits, foldLimits);
    if (failed(folded))
      return failure();
    result.min = folded->min;
    result.max = folded->max;
    for (size_t m = 0; m < kNumCostMetrics; ++m) {
      result.argmin[m] = space.encode(folded->argmin[m]);
      result.argmax[m] = space.encode(folded->argmax[m]);
    }
    result.feasible = folded->feasible;
    for (size_t c = 0; c < limits.size(); ++c)
      result.constraints[limitOf[c]].satisfied = folded->satisfying[c];
    if (limits.empty())
      result.feasible = {space.size(), space.size()};
    return result;
  }

  if (space.size() > DynamicAPInt(int64_t(enumerateLimit))) {
    emitError(space.getSpec().getLoc())
        << "costs over the space: it cannot be folded ("
        << result.unfoldedReason << "), and its " << toString(space.size())
        << " candidates are more than --stats-limit=" << enumerateLimit
        << " to evaluate one by one";
    return failure();
  }
  result.folded = false;
  if (failed(enumerate(model, limits, limitOf, result)))
    return failure();
  return result;
}

void nasc::reportInfeasible(const SpaceCosts &costs) {
  bool eachMet = true;
  for (const auto &constraint : costs.constraints) {
    if (!constraint.metric || constraint.satisfied.high != 0)
      continue;
    eachMet = false;
    bool upper = constraint.op.getCmp() == Comparison::lt ||
                 constraint.op.getCmp() == Comparison::le;
    size_t m = *constraint.metric;
    constraint.op.emitWarning()
        << "no candidate meets this constraint: the "
        << (upper ? "smallest " : "largest ") << kCostMetricNames[m]
        << " in the space is " << (upper ? costs.min[m] : costs.max[m]) << " ("
        << (upper ? costs.argmin[m] : costs.argmax[m]) << ")";
  }
  if (eachMet && costs.feasible.high == 0 && !costs.constraints.empty())
    costs.constraints.front().op.emitWarning()
        << "each constraint is met by some candidate, but no candidate meets "
           "them all";
}
