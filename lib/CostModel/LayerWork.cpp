//===- LayerWork.cpp - Layers as the cost models see them -----------------===//

#include "nasc/CostModel/CostModel.h"

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

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
  case Method::Graph:
    return "graph";
  case Method::Measured:
    return "measured";
  }
  return "?";
}

llvm::StringRef cost::stringifyQuantity(Quantity quantity) {
  return quantity == Quantity::Latency ? "latency" : "energy";
}

std::string cost::getContextKey(const LayerWork &layer) {
  return layer.context + ">" + layer.key + " n" +
         std::to_string(layer.kernels.size());
}

LayerWork cost::getRecordWork(const LayerCost &record) {
  LayerWork layer;
  layer.macs = double(record.macs);
  layer.flops = double(record.flops);
  layer.weightBits = record.weightBits;
  layer.activationBits = record.activationBits;
  // Activations move at the record's activation width (fp32 at 32 bits),
  // weights at its weight width.
  double activationBytes = std::min(32u, record.activationBits) / 8.0;
  double weightBytes = std::min(32u, record.weightBits) / 8.0;
  layer.perKernel = true;
  layer.fusedFlops = double(record.fusedFlops);
  for (const LayerCost::Kernel &kernel : record.kernels) {
    LayerWork::Kernel work;
    work.flops = double(kernel.flops);
    work.nest = kernel.nest;
    work.bytes =
        (double(kernel.reads) + double(kernel.writes)) * activationBytes +
        double(kernel.weights) * weightBytes;
    layer.bytes += work.bytes;
    layer.kernels.push_back(work);
  }
  return layer;
}

std::vector<LayerWork> cost::getLayerWork(const CostAnalysis &analysis) {
  std::vector<LayerWork> work;
  // The record writing each tensor of the memory trace, for the inputs.
  llvm::DenseMap<unsigned, unsigned> writer;
  for (const LayerCost &record : analysis.getLayers()) {
    LayerWork layer = getRecordWork(record);
    for (unsigned tensor : record.tensorsRead) {
      auto it = writer.find(tensor);
      if (it != writer.end())
        layer.inputs.push_back(it->second);
    }
    llvm::sort(layer.inputs);
    layer.inputs.erase(std::unique(layer.inputs.begin(), layer.inputs.end()),
                       layer.inputs.end());
    for (unsigned tensor : record.tensorsWritten)
      writer[tensor] = unsigned(work.size());
    LayerKind kind = getLayerKind(record);
    layer.kind = kind.kind;
    layer.kernel = kind.kernel;
    layer.key = getLayerKey(record);
    if (!work.empty())
      layer.context = work.back().kind;
    work.push_back(std::move(layer));
  }
  return work;
}
