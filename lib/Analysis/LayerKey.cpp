//===- LayerKey.cpp - How per-layer cost tables name a record -------------===//

#include "nasc/Analysis/Costs.h"

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;

LayerKind nasc::getLayerKind(const LayerCost &record) {
  LayerKind layer;
  switch (record.kind) {
  case CostKind::Layer: {
    Operation *op = record.op;
    layer.kind = op->getName().stripDialect().str();
    auto integer = [&](llvm::StringRef name, int64_t fallback) {
      auto value = op->getAttrOfType<IntegerAttr>(name);
      return value ? value.getInt() : fallback;
    };
    // Layers with a window have one even when they do not say it.
    bool windowed =
        isa<nas::ConvOp, nas::SepConvOp, nas::MBConvOp, nas::PoolOp>(op);
    layer.kernel = integer("kernel", windowed ? nas::kDefaultKernel : 0);
    layer.stride = integer("stride", 1);
    layer.groups = integer("groups", 1);
    // dwconv is a conv marked depthwise, without a groups attribute.
    if (layer.kind == "conv" && op->hasAttr("depthwise"))
      layer.groups = int64_t(record.input.channels);
    if (layer.kind == "conv" && layer.groups > 1 &&
        layer.groups == record.input.channels)
      layer.kind = "dwconv";
    if (auto pool = dyn_cast<nas::PoolOp>(op))
      layer.kind = (stringifyPoolKind(pool.getKind()) + "_pool").str();
    if (auto act = dyn_cast<nas::ActOp>(op))
      layer.kind = stringifyActKind(act.getKind()).str();
    break;
  }
  case CostKind::Shortcut:
    layer.kind = "shortcut";
    break;
  case CostKind::Add:
  case CostKind::NodeSum:
    layer.kind = "add";
    break;
  case CostKind::Concat:
    layer.kind = "concat";
    break;
  }
  return layer;
}

std::string nasc::getLayerKey(const LayerCost &record) {
  LayerKind layer = getLayerKind(record);
  std::string key;
  llvm::raw_string_ostream os(key);
  os << layer.kind << " " << record.input.channels << "x" << record.input.height
     << "x" << record.input.width << " " << record.output.channels << "x"
     << record.output.height << "x" << record.output.width << " k"
     << layer.kernel << " s" << layer.stride << " g" << layer.groups << " w"
     << record.weightBits << "a" << record.activationBits;
  return key;
}
