//===- EliminateDeadEdges.cpp - Cell edges that cannot matter -------------===//

#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/Builders.h"

namespace nasc::nas {
#define GEN_PASS_DEF_NASELIMINATEDEADEDGES
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"
} // namespace nasc::nas

using namespace mlir;
using namespace nasc::nas;

/// The one option of a concrete edge, or null.
static OptionOp getOnlyOption(EdgeOp edge) {
  auto options = edge.getBody().getOps<OptionOp>();
  if (std::distance(options.begin(), options.end()) != 1)
    return {};
  return *options.begin();
}

static bool isZero(OptionOp option) {
  Block &body = option.getBodyBlock();
  return llvm::hasSingleElement(body) && isa<ZeroOp>(body.front());
}

namespace {
struct EliminateDeadEdgesPass
    : public nasc::nas::impl::NASEliminateDeadEdgesBase<
          EliminateDeadEdgesPass> {
  void runOnOperation() override;
  LogicalResult eliminate(CellOp cell);
};
} // namespace

LogicalResult EliminateDeadEdgesPass::eliminate(CellOp cell) {
  int64_t nodes = cell.getNumNodesAttr().getInt();
  int64_t inputs = cell.getNumInputsAttr().getInt();
  SmallVector<EdgeOp> edges(cell.getBody().getOps<EdgeOp>());
  for (EdgeOp edge : edges)
    if (!getOnlyOption(edge))
      return edge.emitOpError()
             << "has several options; nas-eliminate-dead-edges needs a "
                "concrete candidate (nasc --candidate)";
  auto live = [&](EdgeOp edge) { return !isZero(getOnlyOption(edge)); };

  // Nodes fed only by zero edges or by such nodes, in node order (edges go
  // forward, so one pass suffices).
  SmallVector<bool> zeroNode(nodes, false);
  for (int64_t node = inputs; node < nodes; ++node) {
    bool fed = false;
    for (EdgeOp edge : edges)
      if (edge.getToAttr().getInt() == node && live(edge) &&
          !zeroNode[edge.getFromAttr().getInt()])
        fed = true;
    zeroNode[node] = !fed;
  }
  // Nodes whose value reaches the output through live edges, backwards.
  SmallVector<bool> reaches(nodes, false);
  for (int64_t node = nodes - 1; node >= 0; --node) {
    bool isOutput = cell.getOutput() == CellOutput::last ? node == nodes - 1
                                                         : node >= inputs;
    reaches[node] = isOutput;
    for (EdgeOp edge : edges)
      if (edge.getFromAttr().getInt() == node && live(edge) &&
          reaches[edge.getToAttr().getInt()])
        reaches[node] = true;
  }

  OpBuilder builder(cell.getContext());
  for (EdgeOp edge : edges) {
    if (!live(edge))
      continue;
    if (!zeroNode[edge.getFromAttr().getInt()] &&
        reaches[edge.getToAttr().getInt()])
      continue;
    OptionOp option = getOnlyOption(edge);
    Block &body = option.getBodyBlock();
    while (!body.empty())
      body.back().erase();
    builder.setInsertionPointToEnd(&body);
    builder.create<ZeroOp>(edge.getLoc(), StringAttr());
    option->setAttr("nas.dead", builder.getUnitAttr());
  }
  return success();
}

void EliminateDeadEdgesPass::runOnOperation() {
  WalkResult result = getOperation().walk([&](CellOp cell) {
    return failed(eliminate(cell)) ? WalkResult::interrupt()
                                   : WalkResult::advance();
  });
  if (result.wasInterrupted())
    signalPassFailure();
}
