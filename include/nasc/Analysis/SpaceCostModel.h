//===- SpaceCostModel.h - Costs of a space's candidates, fast -----*- C++
//-*-===//
//
// The cost analysis compiled for one space: the network is split into
// segments (its layers in sequence, stages and fixed repeats unrolled), each
// analysed on its own for the decisions taken inside it and the shape
// flowing into it, and cached. A candidate's costs are then a few cache
// look-ups; the costs over the whole space fold segment by segment
// (SpaceFolding.h). docs/analysis.md, "Costs of many candidates", has the
// details and when the split is exact.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_ANALYSIS_SPACECOSTMODEL_H
#define NASC_ANALYSIS_SPACECOSTMODEL_H

#include "nasc/Analysis/Costs.h"
#include "nasc/Space/Space.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DynamicAPInt.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace nasc {

class SpaceCostModel {
public:
  /// A run of consecutive network layers analysed as one unit.
  struct Segment {
    llvm::SmallVector<mlir::Operation *, 1> layers;
    /// The decisions taken inside these layers (a slice of the network's).
    llvm::ArrayRef<Decision> decisions;
    /// Candidates of the segment alone: the product of its decisions' sizes.
    llvm::DynamicAPInt size;
    /// Whether a cell is instantiated inside (its costs then also depend
    /// on the cells' decisions).
    bool usesCells = false;
    /// The first segment with the same layers (an unrolled repeat repeats
    /// them): for the same outcomes and input shape, the same costs.
    size_t sameAs = 0;
  };

  /// Prepares the model of `space`, which must outlive it. Fails after a
  /// diagnostic when the network's dataset is unknown.
  static mlir::FailureOr<SpaceCostModel> build(const Space &space);

  const Space &getSpace() const { return *space; }
  nas::SpecOp getSpec() const { return space->getSpec(); }
  /// The network's input; a searched resolution sets its height and width
  /// per candidate (Space::getInputShape).
  const TensorShape &getInputShape() const { return input; }
  llvm::ArrayRef<Segment> getSegments() const { return segments; }
  /// Whether each layer of the sequence is its own segment (exact when no
  /// cell reads the outputs of earlier layers, i.e. every used cell has one
  /// input); otherwise the whole network is one segment.
  bool isSplit() const { return split; }

  /// Sums `metrics` per record too, from now on (CostTotals::recordSums,
  /// SegmentCosts::recordSums); they must outlive the model.
  void setRecordMetrics(const RecordMetrics *metrics);
  /// The record metrics summed, or null.
  const RecordMetrics *getRecordMetrics() const { return recordMetrics; }
  /// Sums the record metrics as for candidates of their variant `variant`
  /// (RecordMetrics::variants) from now on.
  void selectRecordVariant(size_t variant);

  /// The candidate's costs: those of CostAnalysis on the materialized
  /// candidate. Fails when it is ill-shaped, after a diagnostic at the
  /// layer and one naming the candidate.
  mlir::FailureOr<CostTotals> evaluate(const Candidate &candidate);

  /// The cells' decisions of a candidate, ready for CostAnalysis: a cursor
  /// over `cellOutcomes` and each edge's choice.
  struct CellChoices {
    std::vector<uint32_t> outcomes;
    std::unique_ptr<DecisionCursor> cursor;
    EdgeChoices edges;
  };
  /// Reads the cells' outcomes (the first ones of a candidate) into
  /// `choices`; returns how many outcomes they take.
  size_t readCellChoices(llvm::ArrayRef<uint32_t> outcomes,
                         CellChoices &choices) const;
  /// How many of a candidate's first outcomes are the cells'.
  size_t skipOutcomesOfCells(llvm::ArrayRef<uint32_t> outcomes) const;

  /// Segment `index` for the segment's own outcomes (in walk order), on an
  /// input of shape `shape`. Fails after a diagnostic when ill-shaped.
  mlir::FailureOr<SegmentCosts>
  analyzeSegment(size_t index, const TensorShape &shape,
                 llvm::ArrayRef<uint32_t> outcomes,
                 const CellChoices &cells) const;

  /// Adds `part` (the next segment's costs) to `total`.
  static void accumulate(SegmentCosts &total, const SegmentCosts &part);
  /// The totals of a whole candidate from its accumulated segments.
  static CostTotals getTotals(const SegmentCosts &sum);

private:
  explicit SpaceCostModel(const Space &space) : space(&space) {}

  const Space *space;
  TensorShape input;
  std::vector<Segment> segments;
  bool split = true;
  bool anyCells = false;
  const RecordMetrics *recordMetrics = nullptr;
  /// The variant they count under (selectRecordVariant).
  size_t recordVariant = 0;
  /// Costs of segments that use no cell: the first few per segment class
  /// (Segment::sameAs) in a list, the rest by (class, input shape,
  /// outcomes) packed into a string.
  struct CachedCosts {
    TensorShape shape;
    llvm::SmallVector<uint32_t, 4> outcomes;
    SegmentCosts costs;
  };
  std::vector<std::vector<CachedCosts>> recent;
  std::unordered_map<std::string, SegmentCosts> cache;
  /// Costs of segments using cells, for `cells` only.
  struct CellSegmentCosts {
    size_t sameAs;
    TensorShape shape;
    std::vector<uint32_t> outcomes;
    SegmentCosts costs;
  };
  std::vector<CellSegmentCosts> cellCache;
  /// The cells' decisions of the last candidate evaluated.
  CellChoices cells;
  std::string key;
  /// Traces of cell edges (mutable: a cache behind const analyses).
  mutable EdgeTraceCache edgeTraces;
};

} // namespace nasc

#endif // NASC_ANALYSIS_SPACECOSTMODEL_H
