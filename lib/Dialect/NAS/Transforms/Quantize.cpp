//===- Quantize.cpp - Apply and record per-layer bit widths ---------------===//

#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/Builders.h"

namespace nasc::nas {
#define GEN_PASS_DEF_NASQUANTIZE
#include "nasc/Dialect/NAS/Transforms/Passes.h.inc"
} // namespace nasc::nas

using namespace mlir;
using namespace nasc::nas;

namespace {

struct QuantizePass : public nasc::nas::impl::NASQuantizeBase<QuantizePass> {
  using NASQuantizeBase::NASQuantizeBase;

  void runOnOperation() override;

private:
  /// The layer's fixed width for `name`, or `fallback`; fails on a width
  /// that is still searched.
  FailureOr<int64_t> getBits(Operation *op, StringRef name, int64_t fallback);
};

} // namespace

FailureOr<int64_t> QuantizePass::getBits(Operation *op, StringRef name,
                                         int64_t fallback) {
  Attribute bits = op->getAttr(name);
  if (!bits)
    return fallback;
  if (auto fixed = dyn_cast<IntegerAttr>(bits))
    return fixed.getInt();
  return op->emitOpError() << "'" << name
                           << "' is still searched; nas-quantize needs a "
                              "concrete candidate (nasc --candidate)";
}

void QuantizePass::runOnOperation() {
  if (scheme != "symmetric" && scheme != "asymmetric") {
    emitError(getOperation().getLoc())
        << "nas-quantize: scheme must be symmetric or asymmetric, got '"
        << scheme << "'";
    return signalPassFailure();
  }
  if (granularity != "per_channel" && granularity != "per_tensor") {
    emitError(getOperation().getLoc())
        << "nas-quantize: granularity must be per_channel or per_tensor, "
           "got '"
        << granularity << "'";
    return signalPassFailure();
  }
  for (int64_t bits :
       {int64_t(defaultWeightBits), int64_t(defaultActivationBits)})
    if (bits < 1 || bits > 32) {
      emitError(getOperation().getLoc())
          << "nas-quantize: default bit widths must be in [1, 32], got "
          << bits;
      return signalPassFailure();
    }

  Builder builder(&getContext());
  WalkResult result = getOperation().walk([&](Operation *op) {
    if (!isa<ConvOp, SepConvOp, MBConvOp, FCOp>(op))
      return WalkResult::advance();
    FailureOr<int64_t> wbits = getBits(op, "wbits", defaultWeightBits);
    FailureOr<int64_t> abits = getBits(op, "abits", defaultActivationBits);
    if (failed(wbits) || failed(abits))
      return WalkResult::interrupt();
    op->setAttr("wbits", builder.getI64IntegerAttr(*wbits));
    op->setAttr("abits", builder.getI64IntegerAttr(*abits));
    // One bit: sign of the weight times a per-channel scale (XNOR-Net).
    StringRef weightScheme = *wbits == 1 ? StringRef("binary") : scheme;
    op->setAttr("nas.quant",
                builder.getDictionaryAttr(
                    {builder.getNamedAttr("wbits", op->getAttr("wbits")),
                     builder.getNamedAttr("abits", op->getAttr("abits")),
                     builder.getNamedAttr("scheme",
                                          builder.getStringAttr(weightScheme)),
                     builder.getNamedAttr(
                         "granularity", builder.getStringAttr(granularity))}));
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    signalPassFailure();
}
