//===- LayerWork.cpp - Layers as the cost models see them -----------------===//

#include "nasc/CostModel/CostModel.h"

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

CostModel::~CostModel() = default;

llvm::StringRef cost::stringifyMethod(Method method) {
  switch (method) {
  case Method::Analytical:
    return "analytical";
  case Method::LookupTable:
    return "lookup_table";
  case Method::Predictor:
    return "predictor";
  case Method::Measured:
    return "measured";
  }
  return "?";
}

llvm::StringRef cost::stringifyQuantity(Quantity quantity) {
  return quantity == Quantity::Latency ? "latency" : "energy";
}

static int64_t elements(const TensorShape &shape) {
  return shape.channels * shape.height * shape.width;
}

std::vector<LayerWork> cost::getLayerWork(const CostAnalysis &analysis) {
  std::vector<LayerWork> work;
  for (const LayerCost &record : analysis.getLayers()) {
    LayerWork layer;
    int64_t kernel = 0, stride = 1, groups = 1;
    switch (record.kind) {
    case CostKind::Layer: {
      Operation *op = record.op;
      layer.kind = op->getName().stripDialect().str();
      auto integer = [&](llvm::StringRef name, int64_t fallback) {
        auto value = op->getAttrOfType<IntegerAttr>(name);
        return value ? value.getInt() : fallback;
      };
      kernel = integer("kernel", 0);
      stride = integer("stride", 1);
      groups = integer("groups", 1);
      if (layer.kind == "conv" && groups > 1 &&
          groups == record.input.channels)
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
    layer.kernel = kernel;
    layer.macs = double(record.macs);
    layer.flops = double(record.flops);
    layer.weightBits = record.weightBits;
    layer.activationBits = record.activationBits;
    double inBytes = double(elements(record.input)) * 4;
    if (record.activationBits < 32)
      inBytes *= record.activationBits / 32.0;
    layer.bytes = inBytes + double(record.activationBytes) +
                  double(record.params) * record.weightBits / 8.0;
    llvm::raw_string_ostream key(layer.key);
    key << layer.kind << " " << record.input.channels << "x"
        << record.input.height << "x" << record.input.width << " "
        << record.output.channels << "x" << record.output.height << "x"
        << record.output.width << " k" << kernel << " s" << stride << " g"
        << groups << " w" << record.weightBits << "a"
        << record.activationBits;
    work.push_back(std::move(layer));
  }
  return work;
}
