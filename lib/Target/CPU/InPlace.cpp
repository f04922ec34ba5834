//===- InPlace.cpp - A destination of its own for every op ----------------===//
//
// One-shot bufferization copies a buffer wherever two ops would write the
// same one, and the linalg the CPU backend receives had two such cases:
//
// 1. Shared inits. CSE merges identical initializers, such as the
//    broadcast of a zero bias into a convolution's output, so that several
//    convolutions accumulate into one value: each got a copy of it (two
//    full copies per inverted residual block). A cheap initializer (a
//    fill or a generic reading only constants) is cloned for each user.
//
// 2. Padding. Bufferized as it is, a tensor.pad allocates its result,
//    fills all of it with the padding value and copies the source into the
//    interior: a convolution's input is written three times (a memset of
//    the whole buffer was 15% of an FBNet candidate's time at 224x224).
//    Here a pad with static amounts and a constant value becomes
//
//   %acc = bufferization.alloc_tensor(...)      the padded buffer
//   %acc = fill of each border slab of %acc     (only the border)
//   ... the source's producers write into extract_slice %acc[low][sizes]
//   %r = tensor.insert_slice %source into %acc[low][sizes]
//
// When the source comes from a chain of destination-style ops that starts
// at a tensor.empty used once, that tensor.empty becomes the interior
// slice of %acc, so the producers compute in place and the insert_slice
// bufferizes to nothing; otherwise the interior is copied once.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

using namespace mlir;

bool nasc::cpu::isConstantInitializer(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || op->getNumResults() != 1 ||
      !linalgOp.hasPureTensorSemantics() ||
      !isa<linalg::FillOp, linalg::GenericOp>(op))
    return false;
  return llvm::all_of(linalgOp.getDpsInputOperands(), [](OpOperand *input) {
    return matchPattern(input->get(), m_Constant());
  });
}

/// Whether `op` is a constant initializer writing into a tensor.empty.
static bool isCheapInit(Operation *op) {
  if (!nasc::cpu::isConstantInitializer(op))
    return false;
  return llvm::all_of(cast<linalg::LinalgOp>(op).getDpsInits(), [](Value init) {
    return init.getDefiningOp<tensor::EmptyOp>();
  });
}

/// A clone of the cheap initializer `producer` (and of its tensor.empty)
/// before `user`.
static Value cloneInit(Operation *producer, Operation *user) {
  OpBuilder b(user);
  IRMapping mapping;
  for (Value dest : cast<DestinationStyleOpInterface>(producer).getDpsInits())
    mapping.map(dest, b.clone(*dest.getDefiningOp())->getResult(0));
  return b.clone(*producer, mapping)->getResult(0);
}

/// The destination operand holding the extract_slice of `insert`'s
/// destination, at the same place, that the destination-style ops
/// producing `insert`'s source start from, if any: the slice they compute
/// in, which `insert` puts back.
static OpOperand *findSliceWrittenBack(tensor::InsertSliceOp insert) {
  Value value = insert.getSource();
  OpOperand *start = nullptr;
  while (auto result = dyn_cast<OpResult>(value)) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
    if (!dps || isa<tensor::InsertSliceOp>(result.getOwner()))
      break;
    start = dps.getTiedOpOperand(result);
    value = start->get();
  }
  auto extract = value.getDefiningOp<tensor::ExtractSliceOp>();
  if (!extract || extract.getSource() != insert.getDest() ||
      extract.getStaticOffsets() != insert.getStaticOffsets() ||
      extract.getStaticSizes() != insert.getStaticSizes() ||
      extract.getStaticStrides() != insert.getStaticStrides() ||
      !llvm::equal(extract.getOffsets(), insert.getOffsets()) ||
      !llvm::equal(extract.getSizes(), insert.getSizes()) ||
      !llvm::equal(extract.getStrides(), insert.getStrides()))
    return nullptr;
  return start;
}

/// Gives each destination operand defined by a cheap initializer with
/// several users a clone of it (and of its tensor.empty) of its own. A
/// grouped convolution writes its first group into a slice of the
/// initializer and inserts it back: that slice (cloned too, as CSE may
/// have merged it with another group's) and that insert_slice share one
/// clone.
static void cloneSharedInits(ModuleOp module) {
  SmallVector<std::pair<OpOperand *, tensor::InsertSliceOp>> groups;
  module.walk([&](tensor::InsertSliceOp insert) {
    Value dest = insert.getDest();
    if (dest.hasOneUse() || !isCheapInit(dest.getDefiningOp()))
      return;
    if (OpOperand *slice = findSliceWrittenBack(insert))
      groups.push_back({slice, insert});
  });
  for (auto [slice, insert] : groups) {
    auto extract = slice->get().getDefiningOp<tensor::ExtractSliceOp>();
    Value clone = cloneInit(insert.getDest().getDefiningOp(), extract);
    OpBuilder b(extract);
    auto own = cast<tensor::ExtractSliceOp>(b.clone(*extract));
    own.getSourceMutable().set(clone);
    slice->set(own.getResult());
    insert.getDestMutable().set(clone);
  }
  SmallVector<OpOperand *> shared;
  module.walk([&](DestinationStyleOpInterface op) {
    // Slices written into it by a grouped convolution's ops and inserted
    // back keep the original.
    if (isa<tensor::InsertSliceOp>(op.getOperation()))
      return;
    for (OpOperand &init : op.getDpsInitsMutable())
      if (!init.get().hasOneUse() && isCheapInit(init.get().getDefiningOp()))
        shared.push_back(&init);
  });
  for (OpOperand *init : shared) {
    Operation *producer = init->get().getDefiningOp();
    if (init->get().hasOneUse())
      continue; // the last one keeps the original
    init->set(cloneInit(producer, init->getOwner()));
  }
}

/// The destination operand holding the tensor.empty that a chain of
/// destination-style ops producing `value` starts from, each value of the
/// chain but `value` and the tensor.empty used once; null if there is
/// none.
static OpOperand *findChainStart(Value value) {
  OpOperand *start = nullptr;
  for (bool last = true;; last = false) {
    auto result = dyn_cast<OpResult>(value);
    if (!result || (!last && !value.getDefiningOp<tensor::EmptyOp>() &&
                    !value.hasOneUse()))
      return nullptr;
    Operation *op = result.getOwner();
    if (isa<tensor::EmptyOp>(op))
      return start;
    auto dps = dyn_cast<DestinationStyleOpInterface>(op);
    if (!dps || !dps.hasPureTensorSemantics())
      return nullptr;
    start = dps.getTiedOpOperand(result);
    value = start->get();
  }
}

static void padInPlace(tensor::PadOp pad) {
  Attribute padAttr;
  Value padValue = pad.getConstantPaddingValue();
  if (!padValue || !matchPattern(padValue, m_Constant(&padAttr)))
    return;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  RankedTensorType sourceType = pad.getSourceType();
  RankedTensorType resultType = pad.getResultType();
  int64_t rank = sourceType.getRank();
  for (int64_t d = 0; d < rank; ++d)
    if (ShapedType::isDynamic(low[d]) || ShapedType::isDynamic(high[d]) ||
        ((low[d] || high[d]) && sourceType.isDynamicDim(d)))
      return;

  OpOperand *start = findChainStart(pad.getSource());
  if (start && start->getOwner()->getBlock() != pad->getBlock())
    start = nullptr;
  Location loc = pad.getLoc();
  OpBuilder b(start ? start->getOwner() : pad.getOperation());
  SmallVector<OpFoldResult> sourceSizes =
      start ? start->get().getDefiningOp<tensor::EmptyOp>().getMixedSizes()
            : tensor::getMixedSizes(b, loc, pad.getSource());
  // Padded dimensions are static: the dynamic ones keep their size.
  SmallVector<OpFoldResult> resultSizes = sourceSizes;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (resultType.isDynamicDim(d))
      dynamicSizes.push_back(cast<Value>(sourceSizes[d]));
    else
      resultSizes[d] = b.getIndexAttr(resultType.getDimSize(d));
  }
  Value value = b.create<arith::ConstantOp>(loc, cast<TypedAttr>(padAttr));
  Value acc =
      b.create<bufferization::AllocTensorOp>(loc, resultType, dynamicSizes);
  SmallVector<OpFoldResult> ones(rank, b.getIndexAttr(1));
  auto fillSlab = [&](int64_t d, int64_t offset, int64_t size) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = resultSizes;
    offsets[d] = b.getIndexAttr(offset);
    sizes[d] = b.getIndexAttr(size);
    Value slab =
        b.create<tensor::ExtractSliceOp>(loc, acc, offsets, sizes, ones);
    Value filled =
        b.create<linalg::FillOp>(loc, value, slab).getResult(0);
    acc = b.create<tensor::InsertSliceOp>(loc, filled, acc, offsets, sizes,
                                          ones);
  };
  for (int64_t d = 0; d < rank; ++d) {
    if (low[d])
      fillSlab(d, 0, low[d]);
    if (high[d])
      fillSlab(d, low[d] + sourceType.getDimSize(d), high[d]);
  }
  SmallVector<OpFoldResult> interior;
  for (int64_t d = 0; d < rank; ++d)
    interior.push_back(b.getIndexAttr(low[d]));
  if (start) {
    start->set(b.create<tensor::ExtractSliceOp>(
        loc, cast<RankedTensorType>(start->get().getType()), acc, interior,
        sourceSizes, ones));
    b.setInsertionPoint(pad);
  }
  Value result = b.create<tensor::InsertSliceOp>(loc, pad.getSource(), acc,
                                                 interior, sourceSizes, ones);
  pad.replaceAllUsesWith(result);
  pad.erase();
}

void nasc::cpu::placeInPlace(ModuleOp module) {
  cloneSharedInits(module);
  SmallVector<tensor::PadOp> pads;
  module.walk([&](tensor::PadOp pad) { pads.push_back(pad); });
  for (tensor::PadOp pad : pads)
    ::padInPlace(pad);
}
