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

class Materializer {
public:
  Materializer(const Candidate &candidate, CompressOp compress)
      : candidate(candidate), compress(compress) {}

  void resolveBlock(Block &body);
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
  void resolveLayer(Operation *op);
  void resolveRepeat(RepeatOp repeat);
};

} // namespace

void Materializer::resolveBlock(Block &body) {
  // Resolving a choose or repeat inserts resolved ops before it; the
  // iterator has already moved past them.
  for (Operation &op : llvm::make_early_inc_range(body))
    resolveLayer(&op);
}

void Materializer::resolveLayer(Operation *op) {
  if (auto choose = dyn_cast<ChooseOp>(op)) {
    auto options = choose.getBody().getOps<OptionOp>();
    OptionOp option = *std::next(options.begin(), next());
    resolveBlock(option.getBodyBlock());
    Block &body = option.getBodyBlock();
    op->getBlock()->getOperations().splice(Block::iterator(op),
                                           body.getOperations());
    op->erase();
    return;
  }
  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    resolveRepeat(repeat);
    return;
  }
  if (isa<CellRefOp>(op))
    return;
  for (auto &[attr, param] : walk::getParams(op, compress)) {
    if (walk::isSearched(param))
      op->setAttr(attr, walk::getValues(param)[next()]);
    else if (!op->hasAttr(attr))
      op->setAttr(attr, param); // a fixed compression default
  }
  for (Region &region : op->getRegions())
    for (Block &block : region)
      resolveBlock(block);
}

void Materializer::resolveRepeat(RepeatOp repeat) {
  Attribute count = repeat.getCount();
  int64_t times =
      cast<IntegerAttr>(walk::isSearched(count) ? walk::getValues(count)[next()]
                                                : count)
          .getInt();
  OpBuilder builder(repeat);
  Block &body = repeat.getBodyBlock();
  if (repeat.getShared())
    resolveBlock(body); // one set of decisions for every repetition
  for (int64_t r = 0; r < times; ++r) {
    SmallVector<Operation *> copies;
    for (Operation &op : body)
      copies.push_back(builder.clone(op));
    if (!repeat.getShared())
      for (Operation *copy : copies)
        resolveLayer(copy);
  }
  repeat.erase();
}

CellOp Materializer::buildCell(CellOp cell, OpBuilder &builder) {
  // Only the chosen option of each edge is copied.
  auto copy = cast<CellOp>(builder.cloneWithoutRegions(*cell.getOperation()));
  OpBuilder inside = OpBuilder::atBlockEnd(&copy.getBody().emplaceBlock());
  for (EdgeOp edge : walk::getEdgesInOrder(cell)) {
    auto edgeCopy =
        cast<EdgeOp>(inside.cloneWithoutRegions(*edge.getOperation()));
    OpBuilder edgeBuilder =
        OpBuilder::atBlockEnd(&edgeCopy.getBody().emplaceBlock());
    OptionOp chosen = *std::next(edge.getBody().getOps<OptionOp>().begin(),
                                 next());
    auto option = cast<OptionOp>(edgeBuilder.clone(*chosen.getOperation()));
    resolveBlock(option.getBodyBlock());
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
  NetworkOp network;
  SmallVector<TargetOp> targets;
  for (Operation &op : original.getBodyBlock()) {
    if (auto cell = dyn_cast<CellOp>(op)) {
      if (llvm::is_contained(used, cell))
        materializer.buildCell(cell, builder);
      continue;
    }
    if (isa<CompressOp>(op))
      continue;
    Operation *clone = builder.clone(op);
    if (auto cloned = dyn_cast<NetworkOp>(clone))
      network = cloned;
    else if (auto target = dyn_cast<TargetOp>(clone))
      targets.push_back(target);
  }
  materializer.resolveBlock(network.getBodyBlock());
  for (TargetOp target : targets)
    materializer.resolveTunables(target);
  return module;
}
