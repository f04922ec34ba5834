//===- SpaceCostModel.cpp - Costs of a space's candidates, fast -----------===//

#include "nasc/Analysis/SpaceCostModel.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <map>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using llvm::DynamicAPInt;

FailureOr<SpaceCostModel> SpaceCostModel::build(const Space &space) {
  SpaceCostModel model(space);
  SpecOp spec = space.getSpec();
  NetworkOp network = spec.getNetwork();
  auto dataset = SymbolTable::lookupNearestSymbolFrom<DatasetOp>(
      network, network.getDatasetAttr());
  if (!dataset)
    return network.emitOpError()
           << "refers to unknown dataset " << network.getDatasetAttr();
  ArrayRef<int64_t> dims = dataset.getInputShape();
  model.input = dims.size() == 3 ? TensorShape::image(dims[0], dims[1], dims[2])
                                 : TensorShape::flat(dims[0]);
  // A fixed resolution replaces the height and width; a searched one is
  // read per candidate.
  if (auto side = dyn_cast_or_null<IntegerAttr>(dataset.getResolutionAttr()))
    model.input.height = model.input.width = side.getInt();

  model.anyCells = !space.getCells().empty();
  // A cell with several inputs reads earlier layers' outputs: the layers
  // are then not independent, and the network is one segment.
  model.split = llvm::all_of(space.getCells(), [](CellOp cell) {
    return cell.getNumInputsAttr().getInt() == 1;
  });
  auto usesCells = [](Operation *op) {
    return op->walk([](CellRefOp) { return WalkResult::interrupt(); })
        .wasInterrupted();
  };
  auto sizeOf = [](ArrayRef<Decision> decisions) {
    DynamicAPInt size(1);
    for (const Decision &decision : decisions)
      size *= decision.size;
    return size;
  };
  if (model.split) {
    for (const Space::LayerDecisions &layer : space.getNetworkLayers())
      model.segments.push_back({{layer.layer},
                                layer.decisions,
                                sizeOf(layer.decisions),
                                usesCells(layer.layer)});
  } else {
    Segment whole;
    for (Operation &op : network.getBodyBlock())
      whole.layers.push_back(&op);
    whole.decisions = space.getNetworkDecisions();
    whole.size = sizeOf(whole.decisions);
    whole.usesCells = true;
    model.segments.push_back(std::move(whole));
  }
  // The first segment of the same layers, found in one pass.
  std::map<std::vector<Operation *>, size_t> first;
  for (size_t i = 0; i < model.segments.size(); ++i) {
    Segment &segment = model.segments[i];
    std::vector<Operation *> key(segment.layers.begin(), segment.layers.end());
    segment.sameAs = first.try_emplace(std::move(key), i).first->second;
  }
  return model;
}

size_t SpaceCostModel::skipOutcomesOfCells(ArrayRef<uint32_t> outcomes) const {
  size_t end = 0;
  for (size_t c = 0, e = space->getCells().size(); c < e; ++c)
    end = skipOutcomes(space->getCellDecisions(c), outcomes, end);
  return end;
}

size_t SpaceCostModel::readCellChoices(ArrayRef<uint32_t> outcomes,
                                       CellChoices &choices) const {
  size_t numCells = space->getCells().size();
  size_t end = skipOutcomesOfCells(outcomes);
  choices.outcomes.assign(outcomes.begin(), outcomes.begin() + end);
  choices.edges.clear();
  SmallVector<ArrayRef<Decision>> roots;
  for (size_t c = 0; c < numCells; ++c)
    roots.push_back(space->getCellDecisions(c));
  choices.cursor = std::make_unique<DecisionCursor>(roots, choices.outcomes);
  DecisionCursor &cursor = *choices.cursor;
  while (cursor.peek()) {
    size_t depth = cursor.getDepth();
    auto [edge, option] = cursor.take();
    EdgeChoice &choice = choices.edges[edge->op];
    choice.option = option;
    choice.inside = cursor.save();
    choice.insideBegin = cursor.getPosition();
    cursor.skipBelow(depth);
    choice.insideEnd = cursor.getPosition();
  }
  return end;
}

FailureOr<SegmentCosts>
SpaceCostModel::analyzeSegment(size_t index, const TensorShape &shape,
                               ArrayRef<uint32_t> outcomes,
                               const CellChoices &cells) const {
  const Segment &segment = segments[index];
  DecisionCursor cursor({segment.decisions}, outcomes);
  CandidateDecisions decisions{&cursor, cells.cursor.get(), &cells.edges,
                               &edgeTraces};
  return CostAnalysis::analyzeLayers(getSpec(), segment.layers, shape,
                                     decisions, recordMetrics);
}

void SpaceCostModel::selectRecordVariant(size_t variant) {
  if (!recordMetrics || !recordMetrics->select || variant == recordVariant)
    return;
  recordMetrics->select(variant);
  recordVariant = variant;
  // What is cached was computed under another variant.
  setRecordMetrics(recordMetrics);
}

void SpaceCostModel::setRecordMetrics(const RecordMetrics *metrics) {
  if (metrics != recordMetrics)
    recordVariant = 0;
  recordMetrics = metrics;
  // What is cached was computed without them.
  recent.clear();
  cache.clear();
  cellCache.clear();
  edgeTraces.clear();
}

void SpaceCostModel::accumulate(SegmentCosts &total, const SegmentCosts &part) {
  using llvm::SaturatingAdd;
  total.macs = SaturatingAdd(total.macs, part.macs);
  total.flops = SaturatingAdd(total.flops, part.flops);
  total.params = SaturatingAdd(total.params, part.params);
  total.bops = SaturatingAdd(total.bops, part.bops);
  total.activationBytes =
      SaturatingAdd(total.activationBytes, part.activationBytes);
  total.modelBits = SaturatingAdd(total.modelBits, part.modelBits);
  total.peakMemoryBytes = std::max(total.peakMemoryBytes, part.peakMemoryBytes);
  total.recordSums.resize(part.recordSums.size());
  for (auto [sum, count] : llvm::zip(total.recordSums, part.recordSums))
    sum = SaturatingAdd(sum, count);
  total.output = part.output;
}

CostTotals SpaceCostModel::getTotals(const SegmentCosts &sum) {
  CostTotals totals;
  totals.macs = sum.macs;
  totals.flops = sum.flops;
  totals.params = sum.params;
  totals.modelBytes = sum.modelBits / 8 + (sum.modelBits % 8 != 0);
  totals.bops = sum.bops;
  totals.activationBytes = sum.activationBytes;
  totals.peakMemoryBytes = sum.peakMemoryBytes;
  totals.recordSums = sum.recordSums;
  return totals;
}

/// Segment costs kept in a list per segment before the hash map is used.
static constexpr size_t kRecentPerSegment = 16;

/// Appends the raw bytes of `value` to a cache key.
template <typename T> static void pack(std::string &key, const T &value) {
  key.append(reinterpret_cast<const char *>(&value), sizeof(T));
}

FailureOr<CostTotals> SpaceCostModel::evaluate(const Candidate &candidate) {
  ArrayRef<uint32_t> outcomes = candidate.outcomes;
  size_t pos = 0;
  if (anyCells) {
    // The cells' decisions change: so do the segments using them.
    pos = skipOutcomesOfCells(outcomes);
    if (!cells.cursor ||
        ArrayRef<uint32_t>(cells.outcomes) != outcomes.take_front(pos)) {
      readCellChoices(outcomes, cells);
      cellCache.clear();
    }
  }

  if (recent.empty())
    recent.resize(segments.size());
  // Bounded memory: a long run over a large space starts afresh.
  if (cache.size() > (1u << 20))
    cache.clear();
  if (edgeTraces.size() > (1u << 16))
    edgeTraces.clear();

  SegmentCosts sum;
  TensorShape shape = input;
  if (ArrayRef<Decision> resolution = space->getResolutionDecisions();
      !resolution.empty())
    shape.height = shape.width =
        cast<IntegerAttr>(resolution.front().values[outcomes.back()]).getInt();
  for (size_t index = 0; index < segments.size(); ++index) {
    const Segment &segment = segments[index];
    size_t end = skipOutcomes(segment.decisions, outcomes, pos);
    ArrayRef<uint32_t> own = outcomes.slice(pos, end - pos);
    pos = end;

    const SegmentCosts *costs = nullptr;
    if (segment.usesCells) {
      for (const CellSegmentCosts &entry : cellCache)
        if (entry.sameAs == segment.sameAs && entry.shape == shape &&
            ArrayRef<uint32_t>(entry.outcomes) == own) {
          costs = &entry.costs;
          break;
        }
    } else {
      for (const CachedCosts &entry : recent[segment.sameAs])
        if (entry.shape == shape && ArrayRef<uint32_t>(entry.outcomes) == own) {
          costs = &entry.costs;
          break;
        }
    }
    // The map holds a class's entries once its list is full.
    bool inMap = !segment.usesCells &&
                 recent[segment.sameAs].size() >= kRecentPerSegment;
    if (!costs && inMap) {
      key.clear();
      pack(key, uint32_t(segment.sameAs));
      pack(key, shape.channels);
      pack(key, shape.height);
      pack(key, shape.width);
      pack(key, shape.spatial);
      key.append(reinterpret_cast<const char *>(own.data()),
                 own.size() * sizeof(uint32_t));
      auto it = cache.find(key);
      if (it != cache.end())
        costs = &it->second;
    }
    if (!costs) {
      FailureOr<SegmentCosts> computed =
          analyzeSegment(index, shape, own, cells);
      if (failed(computed)) {
        emitError(getSpec().getLoc())
            << "candidate '" << space->encode(candidate)
            << "' is ill-shaped (see above)";
        return failure();
      }
      if (segment.usesCells) {
        cellCache.push_back({segment.sameAs, shape,
                             std::vector<uint32_t>(own.begin(), own.end()),
                             *computed});
        costs = &cellCache.back().costs;
      } else if (!inMap) {
        recent[segment.sameAs].push_back(
            {shape, SmallVector<uint32_t, 4>(own.begin(), own.end()),
             *computed});
        costs = &recent[segment.sameAs].back().costs;
      } else {
        costs = &cache.emplace(key, *computed).first->second;
      }
    }
    accumulate(sum, *costs);
    shape = costs->output;
  }
  return getTotals(sum);
}
