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
  // The analysis decides every layer's pruned width (docs/analysis.md,
  // "Pruning"); the pass writes it into the IR.
  CostAnalysis costs(spec);
  if (costs.failed())
    return failure();
  Builder builder(spec.getContext());
  llvm::SmallPtrSet<Operation *, 16> done;
  for (const LayerCost &cost : costs.getLayers()) {
    if (cost.kind != CostKind::Layer || cost.pruneRatio <= 0.0 ||
        !done.insert(cost.op).second)
      continue;
    if (cost.pruneSkipped) {
      cost.op->emitWarning()
          << "prune ratio "
          << llvm::formatv("{0}", llvm::format("%g", cost.pruneRatio)).str()
          << " not applied: " << cost.pruneSkipped;
      continue;
    }
    if (cost.prunedFrom == 0)
      continue;
    cost.op->setAttr("out", builder.getI64IntegerAttr(cost.output.channels));
    cost.op->setAttr("nas.pruned_from",
                     builder.getI64IntegerAttr(cost.prunedFrom));
  }
  // The ratios are applied: none is left to apply twice, nor a default.
  spec.walk([](Operation *op) {
    if (!isa<CompressOp>(op))
      op->removeAttr("prune");
  });
  for (CompressOp compress : spec.getBodyBlock().getOps<CompressOp>())
    compress->removeAttr("prune");
  // Consumers follow their producers; the analysis checks every shape again
  // (a grouped conv whose groups no longer divide its input, ...).
  return CostAnalysis(spec).getStatus();
}

void PrunePass::runOnOperation() {
  for (SpecOp spec : getOperation().getOps<SpecOp>())
    if (failed(prune(spec)))
      return signalPassFailure();
}
