//===- SpaceCosts.cpp - Costs over a whole space --------------------------===//

#include "nasc/Driver/SpaceCosts.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

const std::array<llvm::StringLiteral, kNumCostMetrics> nasc::kCostMetricNames =
    {"macs",
     "flops",
     "params",
     "model_bytes",
     "bops",
     "activation_bytes",
     "peak_memory_bytes"};

std::array<uint64_t, kNumCostMetrics>
nasc::getCostMetrics(const CostTotals &totals) {
  return {totals.macs,           totals.flops, totals.params,
          totals.modelBytes,     totals.bops,  totals.activationBytes,
          totals.peakMemoryBytes};
}

FailureOr<std::array<uint64_t, kNumCostMetrics>>
nasc::evaluateCandidate(const Space &space, const Candidate &candidate) {
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  // Materialized: concrete by construction, no need to check it again.
  CostAnalysis costs(
      *concrete->getOps<SpecOp>().begin(),
      CostOptions{/*keepLayers=*/false, /*checkConcrete=*/false});
  if (costs.failed()) {
    emitError(space.getSpec().getLoc())
        << "candidate '" << space.encode(candidate)
        << "' is ill-shaped (see above)";
    return failure();
  }
  return getCostMetrics(costs.getTotals());
}

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
    return 6;
  default:
    return std::nullopt;
  }
}

static bool satisfies(Comparison cmp, double value, double bound) {
  switch (cmp) {
  case Comparison::lt:
    return value < bound;
  case Comparison::le:
    return value <= bound;
  case Comparison::gt:
    return value > bound;
  case Comparison::ge:
    return value >= bound;
  }
  llvm_unreachable("unknown comparison");
}

FailureOr<SpaceCosts> nasc::computeSpaceCosts(const Space &space,
                                              uint64_t limit) {
  SpecOp spec = space.getSpec();
  if (space.size() > llvm::DynamicAPInt(int64_t(limit))) {
    emitError(spec.getLoc())
        << "the space has " << toString(space.size())
        << " candidates; costs over the space are computed by evaluating "
           "each, up to --stats-limit="
        << limit;
    return failure();
  }
  SpaceCosts result;
  result.min.fill(UINT64_MAX);
  result.max.fill(0);
  for (ConstraintOp constraint : spec.getBodyBlock().getOps<ConstraintOp>())
    result.constraints.push_back(
        {constraint, getMetricIndex(constraint.getMetric())});

  for (int64_t i = 0, e = int64_t(space.size()); i < e; ++i) {
    Candidate candidate = space.unrank(llvm::DynamicAPInt(i));
    FailureOr<std::array<uint64_t, kNumCostMetrics>> evaluated =
        evaluateCandidate(space, candidate);
    if (failed(evaluated))
      return failure();
    const std::array<uint64_t, kNumCostMetrics> &metrics = *evaluated;
    for (size_t m = 0; m < kNumCostMetrics; ++m) {
      if (metrics[m] < result.min[m]) {
        result.min[m] = metrics[m];
        result.argmin[m] = space.encode(candidate);
      }
      if (metrics[m] > result.max[m] || result.argmax[m].empty()) {
        result.max[m] = metrics[m];
        result.argmax[m] = space.encode(candidate);
      }
    }
    bool feasible = true;
    for (SpaceCosts::ConstraintResult &constraint : result.constraints) {
      if (!constraint.metric)
        continue;
      bool ok =
          satisfies(constraint.op.getCmp(), double(metrics[*constraint.metric]),
                    constraint.op.getBound().getBaseValue());
      constraint.satisfied += ok;
      feasible &= ok;
    }
    result.feasible += feasible;
    ++result.evaluated;
  }
  return result;
}

void nasc::reportInfeasible(const SpaceCosts &costs) {
  bool eachMet = true;
  for (const auto &constraint : costs.constraints) {
    if (!constraint.metric || constraint.satisfied > 0)
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
  if (eachMet && costs.feasible == 0 && !costs.constraints.empty())
    costs.constraints.front().op.emitWarning()
        << "each constraint is met by some candidate, but no candidate meets "
           "them all";
}
