//===- SplitParts.cpp - Element-wise ops follow a tensor's parts ----------===//
//
// A grouped convolution is one convolution per group, each group's output
// put into the result's channels by a tensor.insert_slice (NASToLinalg's
// emitConv). The element-wise op after it (its BN folded in, its ReLU)
// reads the whole result, so tiling could fuse neither the groups'
// convolutions nor their initializers into it: the result was zeroed,
// accumulated group by group and read back (6.5% of an FBNet candidate's
// time at batch 1 went to that zeroing alone).
//
// Here an element-wise linalg.generic whose input is assembled from parts
// along its last dimension becomes one generic per part, reading that part
// (and the same channels of its other inputs), its results assembled the
// same way:
//
//   %r = insert_slice %p1 into (insert_slice %p0 into tensor.empty)
//   %y = generic ins(%r, %bias) -> f(%r, %bias)
// becomes
//   %y0 = generic ins(%p0, %bias[0, k0)) ...
//   %y1 = generic ins(%p1, %bias[k0, k)) ...
//   %y = insert_slice %y1 into (insert_slice %y0 into tensor.empty)
//
// so that each group's convolution is the producer of its own epilogue. The
// rewrite repeats along a chain of element-wise ops (a residual addition
// after the grouped convolution's BN).
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace {

/// One part of a tensor assembled along its last dimension.
struct Part {
  Value value;
  int64_t offset = 0, size = 0;
};

/// The parts `value` is assembled from: a chain of tensor.insert_slice ops
/// with unit strides, each covering the whole tensor but for a static range
/// of its last dimension, starting at a tensor.empty, the ranges covering
/// the last dimension once, every insert's result used once. Empty if
/// `value` is not such an assembly.
SmallVector<Part> getParts(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() == 0 || type.isDynamicDim(type.getRank() - 1))
    return {};
  int64_t rank = type.getRank(), last = rank - 1;
  SmallVector<tensor::InsertSliceOp> chain;
  Value current = value;
  while (auto insert = current.getDefiningOp<tensor::InsertSliceOp>()) {
    if (!current.hasOneUse() || !insert.hasUnitStride())
      return {};
    chain.push_back(insert);
    current = insert.getDest();
  }
  auto empty = current.getDefiningOp<tensor::EmptyOp>();
  if (chain.size() < 2 || !empty)
    return {};
  SmallVector<OpFoldResult> whole = empty.getMixedSizes();
  SmallVector<Part> parts;
  for (tensor::InsertSliceOp insert : chain) {
    SmallVector<OpFoldResult> offsets = insert.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = insert.getMixedSizes();
    for (int64_t d = 0; d < last; ++d)
      if (!isConstantIntValue(offsets[d], 0) ||
          !isEqualConstantIntOrValue(sizes[d], whole[d]))
        return {};
    std::optional<int64_t> offset = getConstantIntValue(offsets[last]);
    std::optional<int64_t> size = getConstantIntValue(sizes[last]);
    if (!offset || !size)
      return {};
    parts.push_back({insert.getSource(), *offset, *size});
  }
  llvm::sort(parts,
             [](const Part &a, const Part &b) { return a.offset < b.offset; });
  int64_t next = 0;
  for (const Part &part : parts) {
    if (part.offset != next)
      return {};
    next += part.size;
  }
  if (next != type.getDimSize(last))
    return {};
  return parts;
}

/// `source` restricted to [offset, offset + size) of `dim` (its other
/// dimensions whole).
Value sliceAlong(OpBuilder &b, Location loc, Value source, int64_t dim,
                 int64_t offset, int64_t size) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, source);
  int64_t rank = sizes.size();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  offsets[dim] = b.getIndexAttr(offset);
  sizes[dim] = b.getIndexAttr(size);
  return b.create<tensor::ExtractSliceOp>(loc, source, offsets, sizes, strides);
}

/// An element-wise generic (parallel loops, one result through the
/// identity map, its output's old value unread, projected-permutation
/// inputs) reading an assembled tensor through the identity map, split
/// into one generic per part. Whether it was.
bool splitOverParts(linalg::GenericOp op, RewriterBase &rewriter) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)) ||
      llvm::any_of(op.getIndexingMapsArray(),
                   [](AffineMap map) { return !map.isProjectedPermutation(); }))
    return false;
  // linalg.index would see the part's indices.
  if (!op.getBody()->getOps<linalg::IndexOp>().empty())
    return false;
  SmallVector<Part> layout;
  OpOperand *assembled = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!op.getMatchingIndexingMap(input).isIdentity())
      continue;
    layout = getParts(input->get());
    assembled = input;
    if (!layout.empty())
      break;
  }
  if (layout.empty())
    return false;

  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  unsigned lastLoop = op.getNumLoops() - 1;
  Value init = op.getDpsInits()[0];
  auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(rewriter, loc, init);
  SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
  // Each part's generic, then its insertion: the part can be computed in
  // the result's slice (nasc-cpu-in-place).
  Value result =
      rewriter.create<tensor::EmptyOp>(loc, sizes, resultType.getElementType());
  for (const Part &part : layout) {
    SmallVector<Value> inputs;
    for (OpOperand *input : op.getDpsInputOperands()) {
      if (input == assembled) {
        inputs.push_back(part.value);
        continue;
      }
      Value value = input->get();
      AffineMap map = op.getMatchingIndexingMap(input);
      for (unsigned r = 0; r < map.getNumResults(); ++r)
        if (map.getDimPosition(r) == lastLoop)
          value = sliceAlong(rewriter, loc, value, r, part.offset, part.size);
      inputs.push_back(value);
    }
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> partSizes = sizes;
    offsets.back() = rewriter.getIndexAttr(part.offset);
    partSizes.back() = rewriter.getIndexAttr(part.size);
    Value empty = rewriter.create<tensor::EmptyOp>(loc, partSizes,
                                                   resultType.getElementType());
    auto split = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{empty.getType()}, inputs, ValueRange{empty},
        op.getIndexingMapsArray(), op.getIteratorTypesArray());
    IRMapping mapping;
    op.getRegion().cloneInto(&split.getRegion(), mapping);
    result = rewriter.create<tensor::InsertSliceOp>(
        loc, split.getResult(0), result, offsets, partSizes, strides);
  }
  Value assembledValue = assembled->get();
  rewriter.replaceOp(op, result);
  // The assembly read by nothing else goes, so that each part's producer
  // has its part's op as its one reader.
  while (auto insert = assembledValue.getDefiningOp<tensor::InsertSliceOp>()) {
    if (!insert->use_empty())
      break;
    assembledValue = insert.getDest();
    rewriter.eraseOp(insert);
  }
  return true;
}

} // namespace

void nasc::cpu::splitElementwiseOverParts(ModuleOp module) {
  // In program order, so that an op after a split one sees its parts (a
  // chain of element-wise ops is split whole).
  SmallVector<linalg::GenericOp> generics;
  module.walk([&](linalg::GenericOp op) { generics.push_back(op); });
  IRRewriter rewriter(module.getContext());
  for (linalg::GenericOp op : generics)
    splitOverParts(op, rewriter);
}
