//===- SpaceFolding.cpp - Costs over a whole space, without enumerating ---===//
//
// For each combination of the cells' decisions, a forward pass over the
// segments keeps, per shape reaching the segment, the smallest and largest
// partial value of every metric (with a back-pointer to rebuild the
// candidate) and, per constraint set, a table from partial constrained
// values to the number of partial candidates reaching them. Sums of
// non-negative terms only grow and the peak is a maximum, so a partial
// value already breaking an upper limit is dropped and one already meeting
// a lower limit is saturated: the table stays small. When it would exceed
// FoldLimits::maxTableEntries, values are kept in buckets and the count
// becomes an interval.
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/SpaceFolding.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <map>
#include <tuple>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using llvm::DynamicAPInt;

const std::array<llvm::StringLiteral, kNumCostMetrics> nasc::kCostMetricNames =
    {"macs",
     "flops",
     "params",
     "model_bytes",
     "bops",
     "activation_bytes",
     "peak_memory_bytes"};

CostMetrics nasc::getCostMetrics(const CostTotals &totals) {
  return {totals.macs,           totals.flops, totals.params,
          totals.modelBytes,     totals.bops,  totals.activationBytes,
          totals.peakMemoryBytes};
}

size_t nasc::getNumMetrics(const SpaceCostModel &model) {
  const RecordMetrics *extra = model.getRecordMetrics();
  return kNumCostMetrics + (extra ? extra->metrics.size() : 0);
}

std::vector<uint64_t> nasc::getAllMetrics(const CostTotals &totals) {
  CostMetrics costs = getCostMetrics(totals);
  std::vector<uint64_t> all(costs.begin(), costs.end());
  llvm::append_range(all, totals.recordSums);
  return all;
}

bool MetricConstraint::holds(uint64_t value) const {
  double v = unit > 0 ? getRecordMetricValue(value, unit) : double(value);
  switch (cmp) {
  case Comparison::lt:
    return v < bound;
  case Comparison::le:
    return v <= bound;
  case Comparison::gt:
    return v > bound;
  case Comparison::ge:
    return v >= bound;
  }
  llvm_unreachable("unknown comparison");
}

/// Inside the fold, metric 3 is kept in bits (model_bytes is its ceiling
/// over 8, taken at the end, which is monotone).
static constexpr size_t kModelMetric = 3;

/// Every metric's value, internal units, then the record sums.
using Values = SmallVector<uint64_t, 12>;

static Values getInternal(const SegmentCosts &costs) {
  Values values = {costs.macs,           costs.flops, costs.params,
                   costs.modelBits,      costs.bops,  costs.activationBytes,
                   costs.peakMemoryBytes};
  llvm::append_range(values, costs.recordSums);
  return values;
}

/// The value a metric reports for an internal value.
static uint64_t toReported(size_t metric, uint64_t internal) {
  return metric == kModelMetric ? internal / 8 + (internal % 8 != 0) : internal;
}

/// Combines a partial value with a segment's (record metrics are sums).
static uint64_t combine(size_t metric, uint64_t partial, uint64_t part) {
  return metric == kPeakMemoryMetric ? std::max(partial, part)
                                     : llvm::SaturatingAdd(partial, part);
}

/// The width of `limit`'s buckets in internal units when the limit spans
/// `resolution` of them (0: exact, width 1).
static uint64_t getBucketWidth(const MetricConstraint &limit,
                               uint64_t resolution) {
  if (resolution == 0)
    return 1;
  // The limit in internal units (counts of a record metric's unit).
  double bound = std::max(
      1.0, std::fabs(limit.bound) / (limit.unit > 0 ? limit.unit : 1.0));
  if (limit.metric == kModelMetric)
    bound *= 8;
  return std::max<uint64_t>(1, uint64_t(bound / resolution));
}

static bool isUpperLimit(Comparison cmp) {
  return cmp == Comparison::lt || cmp == Comparison::le;
}

using ShapeKey = std::tuple<int64_t, int64_t, int64_t, bool>;
static ShapeKey keyOf(const TensorShape &shape) {
  return {shape.channels, shape.height, shape.width, shape.spatial};
}

namespace {

/// One diagnostic caught while a segment was analysed, to be re-emitted
/// with the decisions that led to it.
struct CaughtDiagnostic {
  Location loc;
  std::string message;
  std::vector<std::pair<Location, std::string>> notes;
};

class Folder {
public:
  Folder(SpaceCostModel &model, ArrayRef<MetricConstraint> constraints,
         const FoldLimits &limits)
      : model(model), constraints(constraints), limits(limits),
        numMetrics(getNumMetrics(model)) {}

  FailureOr<FoldedCosts> run();

private:
  //===--- Segments ------------------------------------------------------===//

  /// Segment `index`'s `local`-th candidate on `shape`, cached (for the
  /// current cells' decisions when it uses cells). On failure the
  /// diagnostics are kept in `caught` for reportIllShaped.
  FailureOr<const SegmentCosts *>
  analyze(size_t index, const TensorShape &shape, size_t local);
  /// Reports the caught diagnostics of segment `index`'s `local`-th
  /// candidate, reached by the earlier segments' candidates `upstream`,
  /// with notes naming every decision that leads there.
  void reportIllShaped(size_t index, size_t local, ArrayRef<uint32_t> upstream);
  std::vector<CaughtDiagnostic> caught;

  //===--- Minimum and maximum -------------------------------------------===//

  struct Back {
    uint32_t state = 0, local = 0;
  };
  struct Extremes {
    TensorShape shape;
    Values min, max;
    SmallVector<Back, 12> argmin, argmax;
  };
  LogicalResult foldExtremes(FoldedCosts &result, bool first);
  /// The candidate whose path ends at state `state` of the last layer,
  /// following `pick` (argmin or argmax of `metric`).
  Candidate rebuild(const std::vector<std::vector<Extremes>> &layers,
                    size_t state, size_t metric, bool minimum);

  //===--- Counting ------------------------------------------------------===//

  /// Counts the candidates meeting `set` (indices into `constraints`),
  /// adding to `count`; `resolution` is the number of buckets each limit
  /// spans once the table is too large (0: exact).
  LogicalResult countFeasible(ArrayRef<size_t> set, CandidateCount &count);
  LogicalResult countWith(ArrayRef<size_t> set, uint64_t resolution,
                          CandidateCount &count, bool &overflow);
  /// countWith for a single limit, the common case: a partial value is one
  /// number, so tables are arrays over it (hash maps while exact and
  /// sparse) with 128-bit counts, and the segment's candidates are merged
  /// by output shape and value first. Needs the pass to have fewer than
  /// 2^126 candidates.
  LogicalResult countOne(size_t c, uint64_t resolution, CandidateCount &count,
                         bool &overflow);
  /// The candidates of one fold pass: the product of the segments' own.
  DynamicAPInt getPassSize() const;
  /// Whether the counts of countOne fit 128 bits.
  bool fitsCount128() const;

  SpaceCostModel &model;
  ArrayRef<MetricConstraint> constraints;
  FoldLimits limits;
  size_t numMetrics;

  /// Every candidate of each segment on its own.
  std::vector<std::vector<std::vector<uint32_t>>> locals;
  /// The current combination of the cells' decisions.
  SpaceCostModel::CellChoices cells;
  /// Segment costs by (Segment::sameAs, shape, outcomes); those of segments
  /// using cells are dropped when the cells' decisions change.
  std::map<std::tuple<size_t, ShapeKey, std::vector<uint32_t>>, SegmentCosts>
      cache;
  /// Buckets per limit in use for counting (0: exact), kept across cell
  /// combinations once raised.
  std::vector<uint64_t> resolutions;
  /// The network's input, and the outcome of the searched input resolution
  /// it comes from (none when the resolution is not searched).
  TensorShape input;
  std::optional<uint32_t> inputOutcome;
  /// Completes a candidate's outcomes after the network's: the tunables'
  /// first values (they do not change costs) and the input resolution.
  void appendTail(Candidate &candidate) const {
    candidate.outcomes.resize(candidate.outcomes.size() +
                              model.getSpace().getTunableDecisions().size());
    if (inputOutcome)
      candidate.outcomes.push_back(*inputOutcome);
  }
};

} // namespace

FailureOr<const SegmentCosts *>
Folder::analyze(size_t index, const TensorShape &shape, size_t local) {
  auto key = std::make_tuple(model.getSegments()[index].sameAs, keyOf(shape),
                             locals[index][local]);
  auto it = cache.find(key);
  if (it != cache.end())
    return &it->second;
  caught.clear();
  FailureOr<SegmentCosts> costs;
  {
    ScopedDiagnosticHandler catcher(
        model.getSpec().getContext(), [&](Diagnostic &diag) {
          CaughtDiagnostic copy{diag.getLocation(), diag.str(), {}};
          for (Diagnostic &note : diag.getNotes())
            copy.notes.push_back({note.getLocation(), note.str()});
          caught.push_back(std::move(copy));
          return success();
        });
    costs = model.analyzeSegment(index, shape, locals[index][local], cells);
  }
  if (failed(costs))
    return failure();
  return &cache.emplace(key, *costs).first->second;
}

void Folder::reportIllShaped(size_t index, size_t local,
                             ArrayRef<uint32_t> upstream) {
  auto segments = model.getSegments();
  const SpaceCostModel::Segment &segment = segments[index];
  // A whole candidate showing it: these choices, then the first of each
  // later segment.
  Candidate example;
  example.outcomes = cells.outcomes;
  for (size_t k = 0; k < segments.size(); ++k)
    llvm::append_range(example.outcomes, locals[k][k < index    ? upstream[k]
                                                   : k == index ? local
                                                                : 0]);
  appendTail(example);
  for (CaughtDiagnostic &diag : caught) {
    InFlightDiagnostic error = emitError(diag.loc) << diag.message;
    for (auto &[loc, text] : diag.notes)
      error.attachNote(loc) << text;
    // The decisions that make it so: the segment's own, then the cells'.
    auto explain = [&](ArrayRef<Decision> roots, ArrayRef<uint32_t> outcomes) {
      DecisionCursor cursor({roots}, outcomes);
      while (cursor.peek()) {
        auto [decision, outcome] = cursor.take();
        error.attachNote(decision->op->getLoc())
            << "with '" << decision->column
            << "' = " << decision->labels[outcome];
      }
    };
    if (inputOutcome) {
      const Decision &resolution =
          model.getSpace().getResolutionDecisions().front();
      error.attachNote(resolution.op->getLoc())
          << "with 'resolution' = " << resolution.labels[*inputOutcome];
    }
    for (size_t k = 0; k < index; ++k)
      explain(segments[k].decisions, locals[k][upstream[k]]);
    explain(segment.decisions, locals[index][local]);
    if (segment.usesCells) {
      for (size_t c = 0, pos = 0; c < model.getSpace().getCells().size(); ++c) {
        const DecisionSeq &edges = model.getSpace().getCellDecisions(c);
        size_t end = skipOutcomes(edges, cells.outcomes, pos);
        explain(edges,
                ArrayRef<uint32_t>(cells.outcomes).slice(pos, end - pos));
        pos = end;
      }
    }
    error.attachNote(model.getSpec().getLoc())
        << "for example in candidate '" << model.getSpace().encode(example)
        << "'";
  }
}

//===----------------------------------------------------------------------===//
// Minimum and maximum
//===----------------------------------------------------------------------===//

LogicalResult Folder::foldExtremes(FoldedCosts &result, bool first) {
  auto segments = model.getSegments();
  std::vector<std::vector<Extremes>> layers(segments.size() + 1);
  Extremes start;
  start.shape = input;
  start.min.assign(numMetrics, 0);
  start.max.assign(numMetrics, 0);
  layers[0].push_back(start);

  for (size_t k = 0; k < segments.size(); ++k) {
    std::map<ShapeKey, uint32_t> index;
    std::vector<Extremes> &next = layers[k + 1];
    for (uint32_t s = 0; s < layers[k].size(); ++s) {
      for (uint32_t local = 0; local < locals[k].size(); ++local) {
        // layers[k] is not resized below: references stay valid.
        const Extremes &from = layers[k][s];
        FailureOr<const SegmentCosts *> costs = analyze(k, from.shape, local);
        if (failed(costs)) {
          // The earlier choices reaching this shape (any path will do).
          std::vector<uint32_t> upstream(k);
          for (size_t j = k, state = s; j-- > 0;) {
            const Back &back = layers[j + 1][state].argmin[0];
            upstream[j] = back.local;
            state = back.state;
          }
          reportIllShaped(k, local, upstream);
          return failure();
        }
        Values part = getInternal(**costs);
        auto [it, fresh] =
            index.try_emplace(keyOf((*costs)->output), uint32_t(next.size()));
        if (fresh) {
          Extremes to;
          to.shape = (*costs)->output;
          to.min.assign(numMetrics, UINT64_MAX);
          to.max.assign(numMetrics, 0);
          to.argmin.resize(numMetrics);
          to.argmax.resize(numMetrics);
          next.push_back(to);
        }
        Extremes &to = next[it->second];
        for (size_t m = 0; m < numMetrics; ++m) {
          uint64_t low = combine(m, from.min[m], part[m]);
          uint64_t high = combine(m, from.max[m], part[m]);
          if (fresh || low < to.min[m]) {
            to.min[m] = low;
            to.argmin[m] = {s, local};
          }
          if (fresh || high > to.max[m]) {
            to.max[m] = high;
            to.argmax[m] = {s, local};
          }
        }
      }
    }
  }

  const std::vector<Extremes> &last = layers.back();
  for (size_t m = 0; m < numMetrics; ++m) {
    size_t best = 0, worst = 0;
    for (size_t s = 1; s < last.size(); ++s) {
      if (last[s].min[m] < last[best].min[m])
        best = s;
      if (last[s].max[m] > last[worst].max[m])
        worst = s;
    }
    uint64_t low = toReported(m, last[best].min[m]);
    uint64_t high = toReported(m, last[worst].max[m]);
    if (first || low < result.min[m]) {
      result.min[m] = low;
      result.argmin[m] = rebuild(layers, best, m, /*minimum=*/true);
    }
    if (first || high > result.max[m]) {
      result.max[m] = high;
      result.argmax[m] = rebuild(layers, worst, m, /*minimum=*/false);
    }
  }
  return success();
}

Candidate Folder::rebuild(const std::vector<std::vector<Extremes>> &layers,
                          size_t state, size_t metric, bool minimum) {
  size_t numSegments = layers.size() - 1;
  std::vector<uint32_t> picks(numSegments);
  for (size_t k = numSegments; k-- > 0;) {
    const Back &back = minimum ? layers[k + 1][state].argmin[metric]
                               : layers[k + 1][state].argmax[metric];
    picks[k] = back.local;
    state = back.state;
  }
  Candidate candidate;
  candidate.outcomes = cells.outcomes;
  for (size_t k = 0; k < numSegments; ++k)
    llvm::append_range(candidate.outcomes, locals[k][picks[k]]);
  appendTail(candidate);
  return candidate;
}

//===----------------------------------------------------------------------===//
// Counting
//===----------------------------------------------------------------------===//

LogicalResult Folder::countFeasible(ArrayRef<size_t> set,
                                    CandidateCount &count) {
  while (true) {
    bool overflow = false;
    uint64_t resolution = 0;
    for (size_t c : set)
      resolution = std::max(resolution, resolutions[c]);
    CandidateCount part{DynamicAPInt(0), DynamicAPInt(0)};
    if (failed(set.size() == 1 && fitsCount128()
                   ? countOne(set[0], resolution, part, overflow)
                   : countWith(set, resolution, part, overflow)))
      return failure();
    if (!overflow) {
      count.low += part.low;
      count.high += part.high;
      return success();
    }
    // Coarser buckets, from 2^16 per limit down by 4 each time.
    uint64_t coarser = resolution == 0 ? (1u << 16) : resolution / 4;
    if (coarser == 0)
      coarser = 1;
    if (resolution == 1) {
      // No coarser buckets: nothing is sure, everything possible.
      count.high += getPassSize();
      return success();
    }
    for (size_t c : set)
      resolutions[c] = coarser;
  }
}

DynamicAPInt Folder::getPassSize() const {
  DynamicAPInt size(1);
  for (const SpaceCostModel::Segment &segment : model.getSegments())
    size *= segment.size;
  return size;
}

bool Folder::fitsCount128() const {
  DynamicAPInt limit(int64_t(1) << 62);
  return getPassSize() < limit * limit * DynamicAPInt(4);
}

using Count128 = unsigned __int128;

static DynamicAPInt toDynamic(Count128 n) {
  DynamicAPInt result(0), base(int64_t(1) << 32);
  for (int shift = 96; shift >= 0; shift -= 32)
    result = result * base + DynamicAPInt(int64_t((n >> shift) & 0xffffffff));
  return result;
}

LogicalResult Folder::countOne(size_t c, uint64_t resolution,
                               CandidateCount &count, bool &overflow) {
  auto segments = model.getSegments();
  const MetricConstraint &limit = constraints[c];
  size_t metric = limit.metric;
  bool upper = isUpperLimit(limit.cmp);
  uint64_t width = getBucketWidth(limit, resolution);
  auto holds = [&](uint64_t internal) {
    return limit.holds(toReported(metric, internal));
  };
  // The lowest true value of bucket q is q · width, whatever the number
  // of terms: buckets from `cut` on are dead (an upper limit: sums only
  // grow) or already meet a lower limit (counted in `met`).
  uint64_t cut = 0;
  {
    uint64_t lo = 0, hi = UINT64_MAX / width;
    // The first q whose low value breaks an upper limit or meets a lower.
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      if (holds(mid * width) != upper)
        hi = mid;
      else
        lo = mid + 1;
    }
    cut = lo;
  }
  bool dense = cut <= limits.maxTableEntries;
  if (!dense && resolution != 0) {
    // Buckets span the bound: cut is about `resolution`.
    overflow = true;
    return success();
  }

  // Array entries allocated (tables by shape can be many): past 8 times
  // the table limit, the buckets coarsen.
  uint64_t allocated = 0;
  // A table: counts by bucket below `cut` (an array, or a map while
  // exact and sparse), and the count of those that met a lower limit.
  struct Table {
    TensorShape shape;
    std::vector<Count128> byValue;
    llvm::DenseMap<uint64_t, Count128> sparse;
    Count128 met = 0;
    uint64_t first = UINT64_MAX, last = 0; // nonzero range of byValue
  };
  auto addTo = [&](Table &table, uint64_t q, Count128 n) {
    if (q >= cut) {
      if (!upper)
        table.met += n;
      return;
    }
    if (!dense) {
      table.sparse[q] += n;
      return;
    }
    if (table.byValue.empty()) {
      if ((allocated += cut) > 8 * uint64_t(limits.maxTableEntries)) {
        overflow = true;
        return;
      }
      table.byValue.assign(cut, 0);
    }
    table.byValue[q] += n;
    table.first = std::min(table.first, q);
    table.last = std::max(table.last, q);
  };
  std::vector<Table> layer(1);
  layer[0].shape = input;
  addTo(layer[0], 0, 1);
  uint64_t entries = 0;

  for (size_t k = 0; k < segments.size(); ++k) {
    std::map<ShapeKey, size_t> index;
    std::vector<Table> next;
    for (Table &from : layer) {
      // The segment's candidates after `from`, merged by output shape and
      // bucket.
      std::map<std::pair<size_t, uint64_t>, Count128> parts;
      for (size_t local = 0; local < locals[k].size(); ++local) {
        FailureOr<const SegmentCosts *> costs = analyze(k, from.shape, local);
        if (failed(costs))
          return failure();
        auto [it, fresh] =
            index.try_emplace(keyOf((*costs)->output), next.size());
        if (fresh)
          next.emplace_back().shape = (*costs)->output;
        parts[{it->second, getInternal(**costs)[metric] / width}] += 1;
      }
      for (auto &[key, multiplicity] : parts) {
        auto [to, q] = key;
        Table &target = next[to];
        if (from.met)
          target.met += from.met * multiplicity;
        if (!from.byValue.empty())
          for (uint64_t v = from.first; v <= from.last; ++v)
            if (Count128 n = from.byValue[v])
              addTo(target, combine(metric, v, q), n * multiplicity);
        for (auto &[v, n] : from.sparse)
          addTo(target, combine(metric, v, q), n * multiplicity);
        if (overflow)
          return success();
        if (!dense && (entries += from.sparse.size()) >
                          4 * uint64_t(limits.maxTableEntries)) {
          overflow = true;
          return success();
        }
      }
    }
    if (!dense) {
      uint64_t size = 0;
      for (Table &table : next)
        size += table.sparse.size();
      if (size > limits.maxTableEntries) {
        overflow = true;
        return success();
      }
    }
    layer = std::move(next);
  }

  // A bucket's true values lie in [q · width, q · width + slack].
  size_t terms = segments.size();
  uint64_t slack = metric == kPeakMemoryMetric
                       ? width - 1
                       : llvm::SaturatingMultiply(uint64_t(terms), width - 1);
  Count128 low = 0, high = 0;
  auto tally = [&](uint64_t q, Count128 n) {
    uint64_t least = llvm::SaturatingMultiply(q, width);
    uint64_t most = llvm::SaturatingAdd(least, slack);
    bool atLeast = holds(least), atMost = holds(most);
    if (upper ? atMost : atLeast)
      low += n;
    if (upper ? atLeast : atMost)
      high += n;
  };
  for (Table &table : layer) {
    low += table.met;
    high += table.met;
    if (!table.byValue.empty())
      for (uint64_t v = table.first; v <= table.last; ++v)
        if (table.byValue[v])
          tally(v, table.byValue[v]);
    for (auto &[v, n] : table.sparse)
      tally(v, n);
  }
  count.low += toDynamic(low);
  count.high += toDynamic(high);
  return success();
}

LogicalResult Folder::countWith(ArrayRef<size_t> set, uint64_t resolution,
                                CandidateCount &count, bool &overflow) {
  auto segments = model.getSegments();
  // Bucket width per constraint, in internal units.
  SmallVector<uint64_t> width;
  for (size_t c : set)
    width.push_back(getBucketWidth(constraints[c], resolution));
  constexpr uint64_t kMet = UINT64_MAX; // a lower limit already met

  // The interval of true internal values a bucketed value stands for,
  // after `terms` segments.
  auto interval = [&](size_t j, uint64_t q, size_t terms) {
    uint64_t w = width[j];
    uint64_t low = q == kMet ? kMet : llvm::SaturatingMultiply(q, w);
    uint64_t slack = constraints[set[j]].metric == kPeakMemoryMetric
                         ? w - 1
                         : llvm::SaturatingMultiply(uint64_t(terms), w - 1);
    return std::make_pair(low, llvm::SaturatingAdd(low, slack));
  };
  auto holds = [&](size_t j, uint64_t internal) {
    const MetricConstraint &limit = constraints[set[j]];
    return limit.holds(toReported(limit.metric, internal));
  };

  using Key = std::vector<uint64_t>;
  struct State {
    TensorShape shape;
    std::map<Key, DynamicAPInt> table;
  };
  std::vector<State> layer(1);
  layer[0].shape = input;
  layer[0].table[Key(set.size(), 0)] = DynamicAPInt(1);

  for (size_t k = 0; k < segments.size(); ++k) {
    std::map<ShapeKey, size_t> index;
    std::vector<State> next;
    uint64_t entries = 0;
    for (State &from : layer) {
      for (size_t local = 0; local < locals[k].size(); ++local) {
        // foldExtremes has analysed every reachable pair already.
        FailureOr<const SegmentCosts *> costs = analyze(k, from.shape, local);
        if (failed(costs))
          return failure();
        Values part = getInternal(**costs);
        auto [it, fresh] =
            index.try_emplace(keyOf((*costs)->output), next.size());
        if (fresh)
          next.push_back({(*costs)->output, {}});
        State &to = next[it->second];
        for (auto &[key, n] : from.table) {
          Key moved(key.size());
          bool dead = false;
          for (size_t j = 0; j < set.size() && !dead; ++j) {
            const MetricConstraint &limit = constraints[set[j]];
            if (key[j] == kMet) {
              moved[j] = kMet;
              continue;
            }
            uint64_t q = part[limit.metric] / width[j];
            moved[j] = combine(limit.metric, key[j], q);
            uint64_t low = interval(j, moved[j], k + 1).first;
            if (isUpperLimit(limit.cmp))
              dead = !holds(j, low); // only grows from here
            else if (holds(j, low))
              moved[j] = kMet;
          }
          if (dead)
            continue;
          auto [slot, added] = to.table.try_emplace(std::move(moved), n);
          if (!added)
            slot->second += n;
          else if (++entries > limits.maxTableEntries) {
            overflow = true;
            return success();
          }
        }
      }
    }
    layer = std::move(next);
  }

  size_t terms = segments.size();
  for (State &state : layer) {
    for (auto &[key, n] : state.table) {
      bool sure = true, possible = true;
      for (size_t j = 0; j < set.size(); ++j) {
        if (key[j] == kMet)
          continue;
        auto [low, high] = interval(j, key[j], terms);
        bool upper = isUpperLimit(constraints[set[j]].cmp);
        bool atLow = holds(j, low), atHigh = holds(j, high);
        // Upper limits hold more easily for low values, lower limits for
        // high ones.
        sure &= upper ? atHigh : atLow;
        possible &= upper ? atLow : atHigh;
      }
      if (sure)
        count.low += n;
      if (possible)
        count.high += n;
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

static DynamicAPInt sizeOfSeq(ArrayRef<Decision> seq) {
  DynamicAPInt size(1);
  for (const Decision &decision : seq)
    size *= decision.size;
  return size;
}

std::string nasc::getUnfoldableReason(const SpaceCostModel &model,
                                      const FoldLimits &limits) {
  const Space &space = model.getSpace();
  DynamicAPInt cellSize(1);
  for (size_t c = 0; c < space.getCells().size(); ++c)
    cellSize *= sizeOfSeq(space.getCellDecisions(c));
  if (cellSize > DynamicAPInt(int64_t(limits.maxCellCandidates)))
    return "the cells' decisions have " + toString(cellSize) +
           " combinations (at most " +
           std::to_string(limits.maxCellCandidates) + " are folded)";
  DynamicAPInt usingCells(0);
  for (const SpaceCostModel::Segment &segment : model.getSegments()) {
    if (segment.size > DynamicAPInt(int64_t(limits.maxSegmentCandidates)))
      return "'" + std::string(segment.decisions.front().column) +
             "' and the decisions after it in the same layer have " +
             toString(segment.size) + " combinations (at most " +
             std::to_string(limits.maxSegmentCandidates) +
             " per layer are folded)";
    if (segment.usesCells)
      usingCells += segment.size;
  }
  DynamicAPInt work = cellSize * usingCells;
  if (work > DynamicAPInt(int64_t(limits.maxCellSegmentCandidates)))
    return "the layers using cells have " + toString(usingCells) +
           " candidates, each analysed for the cells' " + toString(cellSize) +
           " combinations: " + toString(work) + " analyses (at most " +
           std::to_string(limits.maxCellSegmentCandidates) + " are folded)";
  return "";
}

FailureOr<FoldedCosts> Folder::run() {
  const Space &space = model.getSpace();
  // Every segment's own candidates, enumerated once.
  for (const SpaceCostModel::Segment &segment : model.getSegments()) {
    auto &all = locals.emplace_back();
    for (int64_t i = 0, e = int64_t(segment.size); i < e; ++i)
      unrankOutcomes(segment.decisions, DynamicAPInt(i), all.emplace_back());
  }
  resolutions.assign(constraints.size(), 0);

  DecisionSeq cellDecisions;
  for (size_t c = 0; c < space.getCells().size(); ++c)
    llvm::append_range(cellDecisions, space.getCellDecisions(c));
  int64_t cellCombinations = int64_t(sizeOfSeq(cellDecisions));

  FoldedCosts result;
  result.min.resize(numMetrics);
  result.max.resize(numMetrics);
  result.argmin.resize(numMetrics);
  result.argmax.resize(numMetrics);
  result.feasible = {DynamicAPInt(0), DynamicAPInt(0)};
  result.satisfying.assign(constraints.size(),
                           {DynamicAPInt(0), DynamicAPInt(0)});
  SmallVector<size_t> all;
  for (size_t c = 0; c < constraints.size(); ++c)
    all.push_back(c);

  // The network's candidates for one combination of the cells' decisions
  // and one input resolution: those one fold pass covers.
  DynamicAPInt passSize = sizeOfSeq(space.getNetworkDecisions());
  // Every searched input resolution starts a fold of its own.
  ArrayRef<Decision> resolutionDecisions = space.getResolutionDecisions();
  uint32_t numInputs =
      resolutionDecisions.empty()
          ? 1
          : uint32_t(resolutionDecisions.front().numOutcomes());
  for (uint32_t r = 0; r < numInputs; ++r) {
    input = model.getInputShape();
    if (!resolutionDecisions.empty()) {
      inputOutcome = r;
      int64_t side =
          cast<IntegerAttr>(resolutionDecisions.front().values[r]).getInt();
      input.height = input.width = side;
    }
    for (int64_t assignment = 0; assignment < cellCombinations; ++assignment) {
      std::vector<uint32_t> outcomes;
      unrankOutcomes(cellDecisions, DynamicAPInt(assignment), outcomes);
      model.readCellChoices(outcomes, cells);
      // Segments using cells are analysed again for these decisions.
      for (auto it = cache.begin(); it != cache.end();)
        it = model.getSegments()[std::get<0>(it->first)].usesCells
                 ? cache.erase(it)
                 : std::next(it);
      // This pass's extremes, then the whole space's.
      FoldedCosts pass;
      pass.min.resize(numMetrics);
      pass.max.resize(numMetrics);
      pass.argmin.resize(numMetrics);
      pass.argmax.resize(numMetrics);
      if (failed(foldExtremes(pass, /*first=*/true)))
        return failure();
      bool first = assignment == 0 && r == 0;
      for (size_t m = 0; m < numMetrics; ++m) {
        if (first || pass.min[m] < result.min[m]) {
          result.min[m] = pass.min[m];
          result.argmin[m] = pass.argmin[m];
        }
        if (first || pass.max[m] > result.max[m]) {
          result.max[m] = pass.max[m];
          result.argmax[m] = pass.argmax[m];
        }
      }
      if (constraints.empty())
        continue;
      // A limit is a half-line: met at both of this pass's extremes, every
      // candidate of the pass meets it; at neither, none does. Only the
      // others need the count.
      std::vector<int> decided(constraints.size(), 0); // 1 all, -1 none
      SmallVector<size_t> open;
      bool noneFeasible = false;
      for (size_t c = 0; c < constraints.size(); ++c) {
        const MetricConstraint &limit = constraints[c];
        bool atMin = limit.holds(pass.min[limit.metric]);
        bool atMax = limit.holds(pass.max[limit.metric]);
        decided[c] = atMin && atMax ? 1 : !atMin && !atMax ? -1 : 0;
        noneFeasible |= decided[c] < 0;
        if (decided[c] == 0)
          open.push_back(c);
      }
      auto add = [&](CandidateCount &count, const DynamicAPInt &n) {
        count.low += n;
        count.high += n;
      };
      if (noneFeasible) {
        // Nothing to add.
      } else if (open.empty()) {
        add(result.feasible, passSize);
      } else if (failed(countFeasible(open, result.feasible))) {
        return failure();
      }
      if (constraints.size() > 1)
        for (size_t c = 0; c < constraints.size(); ++c) {
          if (decided[c] > 0)
            add(result.satisfying[c], passSize);
          else if (decided[c] == 0 &&
                   failed(countFeasible({c}, result.satisfying[c])))
            return failure();
        }
    }
  }
  // A sum over the layers saturated: no candidate's own analysis overflowed
  // (it would have failed), but the largest combination does.
  for (size_t m = 0; m < kNumCostMetrics; ++m)
    if (result.max[m] == UINT64_MAX)
      return emitError(model.getSpec().getNetwork().getLoc())
             << "the largest " << kCostMetricNames[m]
             << " over the space is past 64-bit counts (over "
                "2^64 - 1)";
  if (constraints.size() == 1)
    result.satisfying[0] = result.feasible;
  // Every combination of the tunables is a candidate of its own.
  DynamicAPInt tunables = sizeOfSeq(space.getTunableDecisions());
  for (CandidateCount *count : {&result.feasible}) {
    count->low *= tunables;
    count->high *= tunables;
  }
  for (CandidateCount &count : result.satisfying) {
    count.low *= tunables;
    count.high *= tunables;
  }
  return result;
}

FailureOr<FoldedCosts>
nasc::foldSpaceCosts(SpaceCostModel &model,
                     ArrayRef<MetricConstraint> constraints,
                     const FoldLimits &limits) {
  std::string reason = getUnfoldableReason(model, limits);
  if (!reason.empty()) {
    emitError(model.getSpec().getLoc())
        << "costs over the space cannot be folded: " << reason;
    return failure();
  }
  return Folder(model, constraints, limits).run();
}
