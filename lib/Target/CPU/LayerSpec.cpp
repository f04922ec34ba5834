//===- LayerSpec.cpp - One layer of a candidate as a spec -----------------===//
//
// Per-layer latencies feed the lookup-table cost model, whose keys are
// cost::getLayerWork's (lib/CostModel/LayerWork.cpp). A layer keeps its own
// attributes; what its context decided (channels a cell or `choose`
// passed down, nas.compress's bit widths, pruning) is set from the
// record, so the one-layer network computes the same shapes.
//
//===----------------------------------------------------------------------===//

#include "LayerSpec.h"

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Target/CPU/Measure.h"

#include "mlir/IR/Builders.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;

bool cpu::isFoldedBatchNorm(Operation *op) {
  return isa<nas::BatchNormOp>(op) && op->getPrevNode() &&
         isa<nas::ConvOp>(op->getPrevNode());
}

/// nas.spec @layer whose network is `op` (its text) on an input of shape
/// `in`.
static llvm::Expected<OwningOpRef<ModuleOp>>
parseLayerSpec(MLIRContext *context, const TensorShape &in, int64_t classes,
               llvm::StringRef op, llvm::StringRef what) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "nas.spec @layer {\n  nas.dataset @data input [" << in.channels;
  if (in.spatial)
    os << ", " << in.height << ", " << in.width;
  os << "] classes " << std::max<int64_t>(classes, 1)
     << "\n  nas.network @layer on @data {\n    " << op << "\n  }\n}\n";
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(context), what);
  if (!module)
    return llvm::createStringError("cannot build a spec of " + what + ":\n" +
                                   text);
  return std::move(module);
}

llvm::Expected<OwningOpRef<ModuleOp>>
cpu::buildLayerSpec(const LayerCost &record) {
  if (record.kind != CostKind::Layer || !record.op)
    return llvm::createStringError("not a layer: " + record.path);
  MLIRContext *context = record.op->getContext();
  OpBuilder b(context);
  // A detached copy, so that the spec's own op is left alone.
  OwningOpRef<Operation *> layer = b.clone(*record.op);
  // Out of its calls, an expression's value is written out.
  for (NamedAttribute attr : (*layer)->getAttrs())
    if (isa<nas::ExprAttr>(attr.getValue()))
      (*layer)->setAttr(attr.getName(),
                        b.getI64IntegerAttr(nas::getIntParam(
                            attr.getValue(), record.scopeInputs, 1)));
  if (isa<nas::ConvOp, nas::SepConvOp, nas::MBConvOp, nas::FCOp>(*layer)) {
    (*layer)->removeAttr("prune");
    for (auto [name, bits] : {std::pair{"wbits", record.weightBits},
                              std::pair{"abits", record.activationBits}})
      if (bits < 32)
        (*layer)->setAttr(name, b.getI64IntegerAttr(bits));
      else
        (*layer)->removeAttr(name);
  }
  if (isa<nas::ConvOp, nas::SepConvOp, nas::MBConvOp, nas::FCOp,
          nas::IdentityOp>(*layer))
    (*layer)->setAttr("out", b.getI64IntegerAttr(record.output.channels));

  std::string op;
  llvm::raw_string_ostream os(op);
  (*layer)->print(os, OpPrintingFlags().useLocalScope());
  return parseLayerSpec(context, record.input, record.output.channels, op,
                        record.path);
}

llvm::Expected<OwningOpRef<ModuleOp>>
cpu::buildIdentitySpec(MLIRContext *context, const TensorShape &shape) {
  return parseLayerSpec(context, shape, shape.channels, "nas.identity",
                        "identity");
}
