//===- Kernels.cpp - The CPU backend's kernels as cost-model records ------===//
//
// A candidate's layers as the language counts them are not what its code
// computes: BN folds into the convolution before it, element-wise ops fuse,
// and whatever does not reach the output (a cell whose every path to the
// output is `none` makes everything before it dead) is removed. The
// kernels are read off the linalg module the CPU pipeline has before
// tiling (TargetBackend::prepareKernels of `cpu`), one record per linalg op or tensor pad or
// insertion, sizes per sample.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"

#include "nasc/Target/Common/TargetBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

llvm::StringRef cost::stringifyRecords(Records records) {
  return records == Records::Layers ? "layers" : "kernels";
}

std::optional<Records> cost::parseRecords(llvm::StringRef name) {
  if (name == "layers")
    return Records::Layers;
  if (name == "kernels")
    return Records::Kernels;
  return std::nullopt;
}

namespace {
/// Elements of one sample (the dynamic batch dimension counts 1).
double sampleElements(ShapedType type) {
  double n = 1;
  for (int64_t d : type.getShape())
    n *= ShapedType::isDynamic(d) ? 1 : double(d);
  return n;
}

double sampleBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped)
    return 0;
  return sampleElements(shaped) *
         double(shaped.getElementTypeBitWidth()) / 8.0;
}

/// "?x34x34x16xf32" for tensor<?x34x34x16xf32>.
void printShape(llvm::raw_ostream &os, Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped) {
    os << type;
    return;
  }
  for (int64_t d : shaped.getShape()) {
    if (ShapedType::isDynamic(d))
      os << '?';
    else
      os << d;
    os << 'x';
  }
  os << shaped.getElementType();
}

/// The product of the static loop ranges (the batch loop counts 1).
double iterations(linalg::LinalgOp op) {
  double n = 1;
  for (int64_t range : op.getStaticLoopRanges())
    n *= ShapedType::isDynamic(range) ? 1 : double(range);
  return n;
}

std::string attributeText(Operation *op, llvm::StringRef name) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto attr = op->getAttrOfType<DenseIntElementsAttr>(name))
    llvm::interleave(
        attr.getValues<llvm::APInt>(), os,
        [&](const llvm::APInt &v) { os << v.getSExtValue(); }, "x");
  return text;
}

/// The record of one kernel; false for ops that compute nothing.
bool describe(Operation *op, LayerWork &work) {
  std::string key;
  llvm::raw_string_ostream os(key);
  double bytes = 0;
  auto operands = [&](ValueRange values) {
    for (Value v : values) {
      os << ' ';
      printShape(os, v.getType());
      bytes += sampleBytes(v.getType());
    }
  };
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    work.kind = "pad";
    os << work.kind;
    operands(ValueRange{pad.getSource(), pad.getResult()});
  } else if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
    work.kind = "insert";
    os << work.kind;
    operands(ValueRange{insert.getSource(), insert.getDest()});
  } else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    double n = iterations(linalgOp);
    unsigned bodyOps = 0;
    if (!linalgOp->getRegions().empty() &&
        !linalgOp->getRegion(0).empty())
      bodyOps = linalgOp->getRegion(0).front().getOperations().size() - 1;
    if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
      work.kind = "conv";
      auto filter = cast<ShapedType>(linalgOp.getDpsInputs()[1].getType());
      work.kernel = filter.getShape()[0];
      work.macs = n;
    } else if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op)) {
      work.kind = "dwconv";
      auto filter = cast<ShapedType>(linalgOp.getDpsInputs()[1].getType());
      work.kernel = filter.getShape()[0];
      work.macs = n;
    } else if (isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(op)) {
      work.kind = "pool";
      work.flops = n;
    } else if (isa<linalg::MatmulOp>(op)) {
      work.kind = "fc";
      work.macs = n;
    } else if (isa<linalg::TransposeOp>(op)) {
      work.kind = "transpose";
    } else if (isa<linalg::FillOp>(op)) {
      work.kind = "fill";
    } else if (linalgOp.getNumReductionLoops() > 0) {
      work.kind = "reduce";
      work.flops = n * bodyOps;
    } else {
      work.kind = "elementwise";
      work.flops = n * bodyOps;
    }
    if (work.macs > 0)
      work.flops = 2 * work.macs;
    os << work.kind;
    operands(linalgOp->getOperands());
    std::string strides = attributeText(op, "strides");
    if (!strides.empty())
      os << " s" << strides;
    if (isa<linalg::GenericOp>(op))
      os << " ops" << bodyOps;
    // Integer kernels: int8 operands.
    for (Value v : linalgOp.getDpsInputs())
      if (getElementTypeOrSelf(v.getType()).isInteger(8))
        work.weightBits = work.activationBits = 8;
  } else {
    return false;
  }
  work.bytes = bytes;
  work.key = os.str();
  return true;
}
/// The kernel records whose results `op` reads, through the ops that only
/// reshape, slice or allocate (tensor.empty, collapse_shape, extract_slice,
/// ...): the record graph of the kernels.
llvm::SmallVector<unsigned, 2>
getProducers(Operation *op,
             const llvm::DenseMap<Operation *, unsigned> &recordOf) {
  llvm::SmallVector<unsigned, 2> producers;
  llvm::SmallVector<Value, 8> work(op->getOperands().begin(),
                                   op->getOperands().end());
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || !seen.insert(def).second)
      continue;
    auto it = recordOf.find(def);
    if (it != recordOf.end())
      producers.push_back(it->second);
    else
      work.append(def->getOperands().begin(), def->getOperands().end());
  }
  llvm::sort(producers);
  producers.erase(std::unique(producers.begin(), producers.end()),
                  producers.end());
  return producers;
}
} // namespace

FailureOr<std::vector<LayerWork>> cost::getKernelWork(nas::SpecOp spec,
                                                      std::string &error) {
  // The kernels are those of the CPU backend's code, the one measured here.
  llvm::Expected<target::TargetBackend &> backend =
      target::getTargetBackend("cpu");
  if (!backend) {
    error = llvm::toString(backend.takeError());
    return failure();
  }
  auto module = backend->prepareKernels(spec);
  if (!module) {
    error = llvm::toString(module.takeError());
    return failure();
  }
  std::vector<LayerWork> kernels;
  llvm::DenseMap<Operation *, unsigned> recordOf;
  (*module)->walk([&](func::FuncOp func) {
    func.walk([&](Operation *op) {
      LayerWork work;
      if (!describe(op, work))
        return;
      if (!kernels.empty())
        work.context = kernels.back().kind;
      work.inputs = getProducers(op, recordOf);
      recordOf[op] = unsigned(kernels.size());
      kernels.push_back(std::move(work));
    });
  });
  return kernels;
}
