//===- PackFilters.cpp - Constant filters read in contiguous panels -------===//
//
// A vectorized convolution's tile reads its constant filter [.., C, F] as
// vectors of its L output channels, one per input channel: L x 4 bytes
// at a stride of F x 4, a new cache line (often a new page) per input
// channel, which the hardware prefetchers follow badly. At batch 1 each
// weight comes from memory once per call: six 352 -> 1984 -> 352 1x1
// convolution pairs at 7x7 whose 34 MB of weights leave the caches ran at
// 125 GFLOP/s, one pair whose weights stay cached at 192. Here each such
// constant is rewritten into panels [.., ceil(F / L), C, L], the layout
// ORT's and the head's (packMatmulWeights) matmuls read, so that a tile's
// reads walk one contiguous panel; the reads are rewritten with it. A
// last, narrower tile (a peeled remainder) reads the first lanes of the
// last panel, whose other lanes are zeros.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

/// Whether `index` is a multiple of `lanes`: a constant, or the induction
/// variable of a loop whose start and step are.
static bool isMultipleOf(Value index, int64_t lanes) {
  if (auto constant = getConstantIntValue(index))
    return *constant % lanes == 0;
  auto arg = dyn_cast<BlockArgument>(index);
  auto loop = arg ? dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp())
                  : nullptr;
  if (!loop || loop.getInductionVar() != arg)
    return false;
  auto start = getConstantIntValue(loop.getLowerBound());
  auto step = getConstantIntValue(loop.getStep());
  return start && step && *start % lanes == 0 && *step % lanes == 0;
}

/// The lanes of the panels the reads of `constant` (a float filter
/// [.., C, F]) call for, or 0 when a read is not a tile of it: an
/// in-bounds read of vectors along F (and C), at an F offset that is a
/// multiple of the widest read's lanes.
static int64_t getPanelLanes(arith::ConstantOp constant) {
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || type.getRank() < 2 || !type.hasStaticShape() ||
      !type.getElementType().isF32() ||
      !isa<DenseElementsAttr>(constant.getValue()) || constant->use_empty())
    return 0;
  int64_t lanes = 0;
  SmallVector<vector::TransferReadOp> reads;
  for (Operation *user : constant->getUsers()) {
    auto read = dyn_cast<vector::TransferReadOp>(user);
    if (!read || read.getSource() != constant.getResult() ||
        !read.getPermutationMap().isMinorIdentity() || read.getMask() ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }) ||
        read.getVectorType().getRank() > 2)
      return 0;
    lanes = std::max(lanes, read.getVectorType().getShape().back());
    reads.push_back(read);
  }
  int64_t channels = type.getShape().back();
  // Panels of every channel, or of fewer than 16 lanes, change nothing.
  if (lanes < 16 || lanes >= channels)
    return 0;
  for (vector::TransferReadOp read : reads)
    if (!isMultipleOf(read.getIndices().back(), lanes))
      return 0;
  return lanes;
}

DenseElementsAttr nasc::cpu::packPanels(DenseElementsAttr weights,
                                        int64_t lanes) {
  auto type = cast<RankedTensorType>(weights.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape.back(), depth = shape[shape.size() - 2];
  int64_t panels = llvm::divideCeil(channels, lanes);
  int64_t outer = type.getNumElements() / (channels * depth);
  std::vector<float> packed(size_t(outer * panels * depth * lanes), 0.0f);
  auto it = weights.getValues<float>().begin();
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k = 0; k < depth; ++k)
      for (int64_t n = 0; n < channels; ++n, ++it)
        packed[size_t(((o * panels + n / lanes) * depth + k) * lanes +
                      n % lanes)] = *it;
  SmallVector<int64_t> packedShape(shape.drop_back(2));
  packedShape.append({panels, depth, lanes});
  return DenseElementsAttr::get(
      RankedTensorType::get(packedShape, type.getElementType()),
      llvm::ArrayRef<float>(packed));
}

void nasc::cpu::packFilterReads(ModuleOp module) {
  SmallVector<std::pair<arith::ConstantOp, int64_t>> filters;
  module.walk([&](arith::ConstantOp constant) {
    if (int64_t lanes = getPanelLanes(constant))
      filters.push_back({constant, lanes});
  });
  for (auto [constant, lanes] : filters) {
    auto weights = cast<DenseElementsAttr>(constant.getValue());
    OpBuilder b(constant);
    auto packed = b.create<arith::ConstantOp>(constant.getLoc(),
                                              packPanels(weights, lanes));
    for (Operation *user : llvm::make_early_inc_range(constant->getUsers())) {
      auto read = cast<vector::TransferReadOp>(user);
      b.setInsertionPoint(read);
      Location loc = read.getLoc();
      SmallVector<Value> indices(read.getIndices());
      Value channel = indices.pop_back_val();
      Value lanesValue = b.create<arith::ConstantIndexOp>(loc, lanes);
      // The channel offset is a multiple of the lanes: lane 0 of a panel.
      Value panel = b.create<arith::DivUIOp>(loc, channel, lanesValue);
      Value depth = indices.pop_back_val();
      indices.append({panel, depth, b.create<arith::ConstantIndexOp>(loc, 0)});
      auto packedRead = b.create<vector::TransferReadOp>(
          loc, read.getVectorType(), packed, indices, read.getPadding(),
          ArrayRef<bool>(SmallVector<bool>(read.getVectorType().getRank(),
                                           true)));
      read.replaceAllUsesWith(packedRead.getResult());
      read.erase();
    }
    constant.erase();
  }
}
