//===- SpaceCosts.cpp - Costs over a whole space --------------------------===//

#include "nasc/Driver/SpaceCosts.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"

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

/// The record metric a constraint on latency or energy reads (the only
/// target's when it names none, as the cost models resolve it), or why
/// there is none.
static std::optional<size_t> getRecordMetricIndex(const SpaceCostModel &model,
                                                  ConstraintOp constraint,
                                                  std::string &why) {
  why = "it needs a measured or estimated metric";
  Metric metric = constraint.getMetric();
  const RecordMetrics *records = model.getRecordMetrics();
  if ((metric != Metric::latency && metric != Metric::energy) || !records)
    return std::nullopt;
  std::string target;
  if (auto named = constraint.getTarget()) {
    target = named->str();
  } else {
    auto targets = model.getSpec().getBodyBlock().getOps<TargetOp>();
    if (!llvm::hasSingleElement(targets)) {
      why = "it names no target, and the spec declares " +
            std::to_string(llvm::range_size(targets));
      return std::nullopt;
    }
    target = (*targets.begin()).getSymName().str();
  }
  std::string name = (stringifyMetric(metric) + "(" + target + ")").str();
  for (auto [index, record] : llvm::enumerate(records->metrics))
    if (record.name == name)
      return kNumCostMetrics + index;
  for (const auto &[missing, reason] : records->unavailable)
    if (missing == name)
      why = reason;
  return std::nullopt;
}

std::vector<SpaceCosts::ConstraintResult>
nasc::getCostConstraints(const SpaceCostModel &model) {
  std::vector<SpaceCosts::ConstraintResult> result;
  for (ConstraintOp constraint :
       model.getSpec().getBodyBlock().getOps<ConstraintOp>()) {
    std::string why;
    std::optional<size_t> metric = getMetricIndex(constraint.getMetric());
    if (!metric)
      metric = getRecordMetricIndex(model, constraint, why);
    result.push_back({constraint,
                      metric,
                      metric ? "" : why,
                      {DynamicAPInt(0), DynamicAPInt(0)}});
  }
  return result;
}

llvm::StringRef nasc::getMetricName(const SpaceCosts &costs, size_t m) {
  return m < kNumCostMetrics
             ? llvm::StringRef(kCostMetricNames[m])
             : llvm::StringRef(costs.recordMetrics[m - kNumCostMetrics].name);
}

std::string nasc::formatMetricValue(const SpaceCosts &costs, size_t m,
                                    uint64_t value, bool unit) {
  if (m < kNumCostMetrics)
    return std::to_string(value);
  const RecordMetric &metric = costs.recordMetrics[m - kNumCostMetrics];
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.6g", getRecordMetricValue(value, metric.unit) /
                                 metric.printScale);
  if (unit)
    os << " " << metric.printUnit;
  return text;
}

/// The variants of the model's record metrics (RecordMetrics::variants):
/// at least one.
static size_t getNumVariants(const SpaceCostModel &model) {
  const RecordMetrics *records = model.getRecordMetrics();
  return records ? std::max<size_t>(1, records->variants.size()) : 1;
}

/// Folds the space once per variant of its record metrics, whose counts
/// differ with the candidates' tunables, and joins the folds: each metric's
/// least minimum and greatest maximum, reached by a candidate with that
/// variant's tunables; each count summed over the variants and divided by
/// their number (each fold counts every setting of the tunables as its
/// own variant).
static FailureOr<FoldedCosts> foldVariants(SpaceCostModel &model,
                                           ArrayRef<MetricConstraint> limits,
                                           const FoldLimits &foldLimits) {
  size_t variants = getNumVariants(model);
  if (variants == 1)
    return foldSpaceCosts(model, limits, foldLimits);
  const RecordMetrics &records = *model.getRecordMetrics();
  const Space &space = model.getSpace();
  FoldedCosts joined;
  for (size_t v = 0; v < variants; ++v) {
    model.selectRecordVariant(v);
    FailureOr<FoldedCosts> folded = foldSpaceCosts(model, limits, foldLimits);
    if (failed(folded))
      return failure();
    for (Candidate &candidate : folded->argmin)
      candidate = withRecordMetricsVariant(records, space, candidate, v);
    for (Candidate &candidate : folded->argmax)
      candidate = withRecordMetricsVariant(records, space, candidate, v);
    if (v == 0) {
      joined = std::move(*folded);
      continue;
    }
    for (size_t m = 0; m < joined.min.size(); ++m) {
      if (folded->min[m] < joined.min[m]) {
        joined.min[m] = folded->min[m];
        joined.argmin[m] = folded->argmin[m];
      }
      if (folded->max[m] > joined.max[m]) {
        joined.max[m] = folded->max[m];
        joined.argmax[m] = folded->argmax[m];
      }
    }
    joined.feasible.low += folded->feasible.low;
    joined.feasible.high += folded->feasible.high;
    for (size_t c = 0; c < joined.satisfying.size(); ++c) {
      joined.satisfying[c].low += folded->satisfying[c].low;
      joined.satisfying[c].high += folded->satisfying[c].high;
    }
  }
  model.selectRecordVariant(0);
  DynamicAPInt count{int64_t(variants)};
  auto average = [&](CandidateCount &sum) {
    sum = {floorDiv(sum.low, count), ceilDiv(sum.high, count)};
  };
  average(joined.feasible);
  for (CandidateCount &satisfying : joined.satisfying)
    average(satisfying);
  return joined;
}

/// Evaluates every candidate (the space has at most `limit`).
static LogicalResult enumerate(SpaceCostModel &model,
                               ArrayRef<MetricConstraint> limits,
                               ArrayRef<size_t> limitOf, SpaceCosts &result) {
  const Space &space = model.getSpace();
  size_t numMetrics = getNumMetrics(model);
  result.min.assign(numMetrics, UINT64_MAX);
  result.max.assign(numMetrics, 0);
  result.argmin.resize(numMetrics);
  result.argmax.resize(numMetrics);
  for (int64_t i = 0, e = int64_t(space.size()); i < e; ++i) {
    Candidate candidate = space.unrank(DynamicAPInt(i));
    // The record metrics as this candidate's tunables give them.
    if (getNumVariants(model) > 1)
      model.selectRecordVariant(
          getRecordMetricsVariant(*model.getRecordMetrics(), space, candidate));
    FailureOr<CostTotals> totals = model.evaluate(candidate);
    if (failed(totals))
      return failure();
    std::vector<uint64_t> metrics = getAllMetrics(*totals);
    for (size_t m = 0; m < numMetrics; ++m) {
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
  result.constraints = getCostConstraints(model);
  if (const RecordMetrics *records = model.getRecordMetrics())
    result.recordMetrics = records->metrics;
  result.feasible = {DynamicAPInt(0), DynamicAPInt(0)};
  // The constraints the analyses can check, and which result each is.
  std::vector<MetricConstraint> limits;
  std::vector<size_t> limitOf;
  for (size_t c = 0; c < result.constraints.size(); ++c) {
    SpaceCosts::ConstraintResult &constraint = result.constraints[c];
    if (!constraint.metric)
      continue;
    size_t m = *constraint.metric;
    limits.push_back(
        {m, constraint.op.getCmp(), constraint.op.getBound().getBaseValue(),
         m < kNumCostMetrics ? 0.0
                             : result.recordMetrics[m - kNumCostMetrics].unit});
    limitOf.push_back(c);
  }

  result.unfoldedReason = getUnfoldableReason(model, foldLimits);
  if (result.unfoldedReason.empty()) {
    FailureOr<FoldedCosts> folded = foldVariants(model, limits, foldLimits);
    if (failed(folded))
      return failure();
    result.min = folded->min;
    result.max = folded->max;
    for (const Candidate &candidate : folded->argmin)
      result.argmin.push_back(space.encode(candidate));
    for (const Candidate &candidate : folded->argmax)
      result.argmax.push_back(space.encode(candidate));
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
        << (upper ? "smallest " : "largest ") << getMetricName(costs, m)
        << " in the space is "
        << formatMetricValue(costs, m, upper ? costs.min[m] : costs.max[m])
        << " (" << (upper ? costs.argmin[m] : costs.argmax[m]) << ")";
  }
  if (eachMet && costs.feasible.high == 0 && !costs.constraints.empty())
    costs.constraints.front().op.emitWarning()
        << "each constraint is met by some candidate, but no candidate meets "
           "them all";
}
