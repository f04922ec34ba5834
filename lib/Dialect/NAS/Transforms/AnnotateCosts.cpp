//===- AnnotateCosts.cpp - Fold the cost analysis into attributes ---------===//

#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/Support/MathExtras.h"

namespace nasc::nas {
#define GEN_PASS_DEF_NASANNOTATECOSTS
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"
} // namespace nasc::nas

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

namespace {

/// Costs summed over the records of one op.
struct Sum {
  uint64_t macs = 0, flops = 0, params = 0, modelBits = 0, bops = 0,
           activationBytes = 0;
  std::optional<TensorShape> output;

  void add(const LayerCost &record) {
    using llvm::SaturatingAdd;
    macs = SaturatingAdd(macs, record.macs);
    flops = SaturatingAdd(flops, record.flops);
    params = SaturatingAdd(params, record.params);
    modelBits = SaturatingAdd(modelBits, record.modelBits);
    bops = SaturatingAdd(bops, record.bops);
    activationBytes = SaturatingAdd(activationBytes, record.activationBytes);
  }
};

struct AnnotateCostsPass
    : public nasc::nas::impl::NASAnnotateCostsBase<AnnotateCostsPass> {
  void runOnOperation() override;
};

} // namespace

static Attribute count(Builder &builder, uint64_t value) {
  return builder.getIntegerAttr(
      builder.getIntegerType(64, /*isSigned=*/false), APInt(64, value));
}

static DictionaryAttr toAttr(Builder &builder, const Sum &sum,
                             std::optional<uint64_t> peak = std::nullopt) {
  SmallVector<NamedAttribute> entries = {
      builder.getNamedAttr("macs", count(builder, sum.macs)),
      builder.getNamedAttr("flops", count(builder, sum.flops)),
      builder.getNamedAttr("params", count(builder, sum.params)),
      builder.getNamedAttr(
          "model_bytes",
          count(builder, sum.modelBits / 8 + (sum.modelBits % 8 != 0))),
      builder.getNamedAttr("bops", count(builder, sum.bops)),
      builder.getNamedAttr("activation_bytes",
                           count(builder, sum.activationBytes)),
  };
  if (peak)
    entries.push_back(
        builder.getNamedAttr("peak_memory_bytes", count(builder, *peak)));
  if (sum.output) {
    SmallVector<int64_t> dims = {sum.output->channels};
    if (sum.output->spatial) {
      dims.push_back(sum.output->height);
      dims.push_back(sum.output->width);
    }
    entries.push_back(
        builder.getNamedAttr("output", builder.getDenseI64ArrayAttr(dims)));
  }
  return builder.getDictionaryAttr(entries);
}

void AnnotateCostsPass::runOnOperation() {
  Builder builder(&getContext());
  for (SpecOp spec : getOperation().getOps<SpecOp>()) {
    CostAnalysis costs(spec);
    if (costs.failed())
      return signalPassFailure();
    // Each record goes to its op, or to the cell instance it is part of.
    llvm::MapVector<Operation *, Sum> sums;
    for (const LayerCost &record : costs.getLayers()) {
      Sum &sum = sums[record.instance ? record.instance : record.op];
      sum.add(record);
      if (!record.instance && record.kind == CostKind::Layer)
        sum.output = record.output;
    }
    for (auto &[op, sum] : sums)
      op->setAttr("nas.costs", toAttr(builder, sum));
    const CostTotals &totals = costs.getTotals();
    Sum total;
    total.macs = totals.macs;
    total.flops = totals.flops;
    total.params = totals.params;
    total.modelBits = totals.modelBytes * 8;
    total.bops = totals.bops;
    total.activationBytes = totals.activationBytes;
    spec->setAttr("nas.costs", toAttr(builder, total, totals.peakMemoryBytes));
    spec->setAttr("nas.cost_convention", builder.getStringAttr(kCostConvention));
  }
}
