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

LayerWork cost::getRecordWork(const LayerCost &record) {
  LayerWork layer;
  layer.macs = double(record.macs);
  layer.flops = double(record.flops);
  layer.weightBits = record.weightBits;
  layer.activationBits = record.activationBits;
  double inBytes = double(elements(record.input)) * 4;
  if (record.activationBits < 32)
    inBytes *= record.activationBits / 32.0;
  layer.bytes = inBytes + double(record.activationBytes) +
                double(record.params) * record.weightBits / 8.0;
  return layer;
}

std::vector<LayerWork> cost::getLayerWork(const CostAnalysis &analysis) {
  std::vector<LayerWork> work;
  for (const LayerCost &record : analysis.getLayers()) {
    LayerWork layer = getRecordWork(record);
    LayerKind kind = getLayerKind(record);
    layer.kind = kind.kind;
    layer.kernel = kind.kernel;
    layer.key = getLayerKey(record);
    work.push_back(std::move(layer));
  }
  return work;
}
