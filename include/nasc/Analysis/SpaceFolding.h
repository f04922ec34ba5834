//===- SpaceFolding.h - Costs over a whole space, without enumerating -*- C++
//-*-//
//
// Folds the cost model segment by segment: the shape flowing between two
// segments is the only state, so the smallest and largest value of every
// metric, and how many candidates meet a set of constraints, follow from a
// dynamic program over (segment, shape) that visits each segment's own
// candidates once per shape. The cells' decisions, shared by every use of a
// cell, are enumerated outside it. docs/analysis.md, "Costs over the
// space", has the method and its limits.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_ANALYSIS_SPACEFOLDING_H
#define NASC_ANALYSIS_SPACEFOLDING_H

#include "nasc/Analysis/SpaceCostModel.h"

#include "llvm/ADT/DynamicAPInt.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace nasc {

/// The cost metrics, in the order of candidate tables.
constexpr size_t kNumCostMetrics = 7;
extern const std::array<llvm::StringLiteral, kNumCostMetrics> kCostMetricNames;
using CostMetrics = std::array<uint64_t, kNumCostMetrics>;
CostMetrics getCostMetrics(const CostTotals &totals);
/// The index of peak_memory_bytes, the one metric combined by max.
constexpr size_t kPeakMemoryMetric = 6;

/// The number of metrics a fold or enumeration of `model` computes: the
/// cost metrics, then the model's record metrics (SpaceCostModel::
/// setRecordMetrics: latency and energy on targets) in their order.
size_t getNumMetrics(const SpaceCostModel &model);
/// The cost metrics of `totals`, then its record sums.
std::vector<uint64_t> getAllMetrics(const CostTotals &totals);

/// A hard limit on one metric (an index as getNumMetrics counts them):
/// metric < bound, <=, > or >=.
struct MetricConstraint {
  size_t metric;
  nas::Comparison cmp;
  double bound;
  /// For a record metric, its RecordMetric::unit: values are compared
  /// through getRecordMetricValue, as the cost models compare theirs. 0 for
  /// the cost metrics.
  double unit = 0;
  bool holds(uint64_t value) const;
};

/// How many candidates meet some constraints: exact when low == high, else
/// the true count lies between them (a table too large to keep exact).
struct CandidateCount {
  llvm::DynamicAPInt low, high;
  bool isExact() const { return low == high; }
};

struct FoldLimits {
  /// Combinations of the cells' decisions enumerated outside the program.
  uint64_t maxCellCandidates = 1u << 17;
  /// Candidates of one segment on its own.
  uint64_t maxSegmentCandidates = 1u << 16;
  /// Entries of the counting table before values are bucketed.
  uint64_t maxTableEntries = 1u << 20;
  /// Analyses of the layers that use cells: they are analysed again for
  /// every combination of the cells' decisions, so the product of those
  /// combinations and those layers' candidates (about 10-20 us each).
  uint64_t maxCellSegmentCandidates = 1u << 18;
};

struct FoldedCosts {
  /// Every metric getNumMetrics counts.
  std::vector<uint64_t> min, max;
  /// A candidate reaching each minimum and maximum.
  std::vector<Candidate> argmin, argmax;
  /// All constraints together, then each on its own.
  CandidateCount feasible;
  std::vector<CandidateCount> satisfying;
};

/// Why a space cannot be folded (empty when it can).
std::string getUnfoldableReason(const SpaceCostModel &model,
                                const FoldLimits &limits = {});

/// Folds the costs of every candidate of the model's space. Fails after a
/// diagnostic when some candidate is ill-shaped: an error at the layer, with
/// notes at the decisions that make it so.
mlir::FailureOr<FoldedCosts>
foldSpaceCosts(SpaceCostModel &model,
               llvm::ArrayRef<MetricConstraint> constraints,
               const FoldLimits &limits = {});

} // namespace nasc

#endif // NASC_ANALYSIS_SPACEFOLDING_H
