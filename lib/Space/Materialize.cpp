//===- Materialize.cpp - One candidate as a concrete nas.spec -------------===//
//
// Resolves every decision of a copy of the spec, in the walk order of
// Space.h, so the candidate's outcomes are consumed exactly as the decision
// tree produced them.
//
//===----------------------------------------------------------------------===//

#include "nasc/Space/Space.h"

#include "SpaceWalk.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

namespace {

/// Copies IR from the spec into the concrete spec, resolving each decision
/// as it is met: a choose copies only its chosen option's layers, a repeat
/// its body once per repetition, a searched parameter its chosen value.
class Materializer {
public:
  Materializer(const Candidate &candidate, CompressOp compress)
      : candidate(candidate), compress(compress) {}

  /// Copies the layers of `body`, resolved, at `builder`.
  void copyBlock(Block &body, OpBuilder &builder);
  /// A copy of `cell` at `builder` with each edge's chosen option.
  CellOp buildCell(CellOp cell, OpBuilder &builder);
  void resolveTunables(TargetOp target);

private:
  const Candidate &candidate;
  CompressOp compress;
  size_t pos = 0;

  uint32_t next() {
    assert(pos < candidate.outcomes.size() && "candidate too short");
    return candidate.outcomes[pos++];
  }
  void copyLayer(Operation &op, OpBuilder &builder);
  void copyRepeat(RepeatOp repeat, OpBuilder &builder);
};

} // namespace

void Materializer::copyBlock(Block &body, OpBuilder &builder) {
  for (Operation &op : body)
    copyLayer(op, builder);
}

void Materializer::copyLayer(Operation &op, OpBuilder &builder) {
  if (auto choose = dyn_cast<ChooseOp>(op)) {
    OptionOp option =
        *std::next(choose.getBody().getOps<OptionOp>().begin(), next());
    copyBlock(option.getBodyBlock(), builder);
    return;
  }
  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    copyRepeat(repeat, builder);
    return;
  }
  Operation *copy = builder.cloneWithoutRegions(op);
  if (isa<CellRefOp>(op))
    return;
  for (auto &[attr, param] : walk::getParams(&op, compress)) {
    if (walk::isSearched(param))
      copy->setAttr(attr, walk::getValues(param)[next()]);
    else if (!op.hasAttr(attr))
      copy->setAttr(attr, param); // a fixed compression default
  }
  for (auto [from, to] : llvm::zip(op.getRegions(), copy->getRegions()))
    for (Block &block : from) {
      OpBuilder inside = OpBuilder::atBlockEnd(&to.emplaceBlock());
      copyBlock(block, inside);
    }
}

void Materializer::copyRepeat(RepeatOp repeat, OpBuilder &builder) {
  Attribute count = repeat.getCount();
  int64_t times =
      cast<IntegerAttr>(walk::isSearched(count) ? walk::getValues(count)[next()]
                                                : count)
          .getInt();
  if (times <= 0)
    return;
  Block *block = builder.getInsertionBlock();
  auto before = builder.getInsertionPoint() == block->begin()
                    ? Block::iterator()
                    : std::prev(builder.getInsertionPoint());
  bool atStart = builder.getInsertionPoint() == block->begin();
  copyBlock(repeat.getBodyBlock(), builder);
  if (!repeat.getShared()) {
    // Every repetition decides anew.
    for (int64_t r = 1; r < times; ++r)
      copyBlock(repeat.getBodyBlock(), builder);
    return;
  }
  // Shared: the first repetition's resolved layers, copied again.
  SmallVector<Operation *> first;
  for (auto it = atStart ? block->begin() : std::next(before);
       it != builder.getInsertionPoint(); ++it)
    first.push_back(&*it);
  for (int64_t r = 1; r < times; ++r)
    for (Operation *op : first)
      builder.clone(*op);
}

CellOp Materializer::buildCell(CellOp cell, OpBuilder &builder) {
  // Only the chosen option of each edge is copied.
  auto copy = cast<CellOp>(builder.cloneWithoutRegions(*cell.getOperation()));
  OpBuilder inside = OpBuilder::atBlockEnd(&copy.getBody().emplaceBlock());
  for (EdgeOp edge : getEdgesInOrder(cell)) {
    auto edgeCopy =
        cast<EdgeOp>(inside.cloneWithoutRegions(*edge.getOperation()));
    OpBuilder edgeBuilder =
        OpBuilder::atBlockEnd(&edgeCopy.getBody().emplaceBlock());
    OptionOp chosen =
        *std::next(edge.getBody().getOps<OptionOp>().begin(), next());
    auto option =
        cast<OptionOp>(edgeBuilder.cloneWithoutRegions(*chosen.getOperation()));
    OpBuilder optionBuilder =
        OpBuilder::atBlockEnd(&option.getBody().emplaceBlock());
    copyBlock(chosen.getBodyBlock(), optionBuilder);
  }
  return copy;
}

void Materializer::resolveTunables(TargetOp target) {
  DictionaryAttr tunables = target.getTunablesAttr();
  if (!tunables)
    return;
  SmallVector<NamedAttribute> resolved;
  for (NamedAttribute tunable : tunables) {
    Attribute value = walk::getValues(tunable.getValue())[next()];
    resolved.push_back(
        {tunable.getName(),
         ChoiceAttr::get(target.getContext(),
                         ArrayAttr::get(target.getContext(), {value}))});
  }
  target.setTunablesAttr(DictionaryAttr::get(target.getContext(), resolved));
}

OwningOpRef<ModuleOp> Space::materialize(const Candidate &candidate) const {
  SpecOp original = spec;
  OwningOpRef<ModuleOp> module = ModuleOp::create(original.getLoc());
  OpBuilder builder(module->getBodyRegion());
  auto copy =
      cast<SpecOp>(builder.cloneWithoutRegions(*original.getOperation()));
  builder.setInsertionPointToEnd(&copy.getBody().emplaceBlock());

  // Declarations in their order; the used cells take their decisions first
  // (in declaration order), then the network, then the tunables. Unused
  // cells are dropped, and the compression defaults go onto the layers.
  CompressOp compress = walk::getCompress(original);
  Materializer materializer(candidate, compress);
  SmallVector<CellOp> used = walk::getUsedCells(original);
  // The network is copied after the cells (its decisions come after
  // theirs) but keeps its place among the declarations.
  NetworkOp network;
  Operation *networkPlace = nullptr;
  SmallVector<TargetOp> targets;
  DatasetOp inputDataset;
  for (Operation &op : original.getBodyBlock()) {
    if (auto cell = dyn_cast<CellOp>(op)) {
      if (llvm::is_contained(used, cell))
        materializer.buildCell(cell, builder);
      continue;
    }
    if (isa<CompressOp>(op))
      continue;
    if (auto net = dyn_cast<NetworkOp>(op)) {
      network = net;
      networkPlace = builder.cloneWithoutRegions(op);
      continue;
    }
    Operation *clone = builder.clone(op);
    if (auto target = dyn_cast<TargetOp>(clone))
      targets.push_back(target);
    if (auto dataset = dyn_cast<DatasetOp>(clone);
        dataset && dataset.getSymName() == original.getNetwork().getDataset())
      inputDataset = dataset;
  }
  OpBuilder inside =
      OpBuilder::atBlockEnd(&networkPlace->getRegion(0).emplaceBlock());
  materializer.copyBlock(network.getBodyBlock(), inside);
  for (TargetOp target : targets)
    materializer.resolveTunables(target);
  // The resolution, the last decision: the input is [C, r, r].
  if (inputDataset && inputDataset.getResolutionAttr()) {
    TensorShape input = getInputShape(candidate);
    inputDataset.setInputShape(
        {input.channels, input.height, input.width});
    inputDataset.removeResolutionAttr();
  }
  return module;
}
