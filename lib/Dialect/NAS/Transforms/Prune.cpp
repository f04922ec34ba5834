//===- Prune.cpp - Structured channel pruning by per-layer ratio ----------===//

#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

namespace nasc::nas {
#define GEN_PASS_DEF_NASPRUNE
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"
} // namespace nasc::nas

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

/// Layers that set their output width.
static bool setsWidth(Operation *op) {
  return isa<ConvOp, SepConvOp, MBConvOp, IdentityOp, FCOp>(op);
}

/// The last width-setting layer of `body`, looking into nested groups.
static Operation *getLastWidthLayer(Block &body) {
  for (Operation &op : llvm::reverse(body)) {
    if (setsWidth(&op))
      return &op;
    if (isa<StageOp, BlockOp>(op))
      if (Operation *last = getLastWidthLayer(op.getRegion(0).front()))
        return last;
  }
  return nullptr;
}

/// Why a layer's output width cannot change, or "" when it can.
static std::string
getPinReason(Operation *op, const LayerCost &cost, FCOp classifier,
             const llvm::SmallPtrSetImpl<Operation *> &residualOutputs) {
  if (op->getParentOfType<EdgeOp>())
    return "cell edges keep the node's channel count";
  if (op == classifier.getOperation())
    return "the classifier's width is the class count";
  if (residualOutputs.contains(op))
    return "its output is added to an identity shortcut";
  if (isa<MBConvOp>(op) && cost.input == cost.output)
    return "its own residual add needs the input's width";
  return "";
}

namespace {
struct PrunePass : public nasc::nas::impl::NASPruneBase<PrunePass> {
  void runOnOperation() override;
  LogicalResult prune(SpecOp spec);
};
} // namespace

LogicalResult PrunePass::prune(SpecOp spec) {
  WalkResult searched = spec.walk([](Operation *op) {
    if (isa_and_nonnull<ChoiceAttr>(op->getAttr("prune"))) {
      op->emitOpError() << "'prune' is still searched; nas-prune needs a "
                           "concrete candidate (nasc --candidate)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (searched.wasInterrupted())
    return failure();
  CostAnalysis before(spec);
  if (before.failed())
    return failure();
  // Output widths by layer (a cell's layers appear once per use; any will
  // do since pruning them is refused anyway).
  llvm::DenseMap<Operation *, const LayerCost *> costs;
  for (const LayerCost &cost : before.getLayers())
    if (cost.kind == CostKind::Layer)
      costs.try_emplace(cost.op, &cost);

  FCOp classifier;
  for (Operation &op : llvm::reverse(spec.getNetwork().getBodyBlock()))
    if ((classifier = dyn_cast<FCOp>(op)))
      break;
  llvm::SmallPtrSet<Operation *, 8> residualOutputs;
  spec.walk([&](ResidualOp residual) {
    if (residual.getShortcut() == Shortcut::identity)
      if (Operation *last = getLastWidthLayer(residual.getBodyBlock()))
        residualOutputs.insert(last);
  });

  Builder builder(spec.getContext());
  spec.walk([&](Operation *op) {
    Attribute prune = op->getAttr("prune");
    if (!prune)
      return;
    auto ratio = cast<FloatAttr>(prune);
    op->removeAttr("prune");
    double r = ratio.getValueAsDouble();
    const LayerCost *cost = costs.lookup(op);
    if (r == 0.0 || !cost)
      return;
    std::string reason = getPinReason(op, *cost, classifier, residualOutputs);
    if (!reason.empty()) {
      op->emitWarning() << "prune ratio "
                        << llvm::formatv("{0}", llvm::format("%g", r)).str()
                        << " not applied: " << reason;
      return;
    }
    int64_t width = cost->output.channels;
    int64_t kept = std::max<int64_t>(
        1, width - static_cast<int64_t>(std::floor(width * r)));
    op->setAttr("out", builder.getI64IntegerAttr(kept));
    op->setAttr("nas.pruned_from", builder.getI64IntegerAttr(width));
  });
  // Consumers follow their producers; the analysis checks every shape again
  // (a grouped conv whose groups no longer divide its input, ...).
  return CostAnalysis(spec).getStatus();
}

void PrunePass::runOnOperation() {
  for (SpecOp spec : getOperation().getOps<SpecOp>())
    if (failed(prune(spec)))
      return signalPassFailure();
}
