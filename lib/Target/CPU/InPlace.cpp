//===- InPlace.cpp - A destination of its own for every op ----------------===//
//
// One-shot bufferization copies a buffer wherever two ops would write the
// same one, and tiling fuses a window op (and its initializer) only into
// an element-wise epilogue. The linalg the CPU backend receives had these
// cases:
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
// at a tensor.empty, each of its results used once, it starts at the interior
// slice of %acc, so the producers compute in place and the insert_slice
// bufferizes to nothing; otherwise the interior is copied once.
//
// 3. Parts. A tensor assembled by insert_slice ops (a grouped
//    convolution's groups) had its parts computed apart and copied in.
//    Element-wise ops over it are split per part first (SplitParts.cpp);
//    a part's chain of ops that starts at a tensor.empty then starts at
//    its slice of the destination instead, as a pad's source does.
//
// 4. Window ops without an epilogue. A convolution whose output goes to
//    another convolution, a pooling or a global pool had its output
//    initialized whole, accumulated and read back; it gets an element-wise
//    epilogue (x + 0.0) that tiling fuses it and its initializer into.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Dominance.h"
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

/// Gives each destination operand defined by a cheap initializer with
/// several users a clone of it (and of its tensor.empty) of its own.
static void cloneSharedInits(ModuleOp module) {
  SmallVector<OpOperand *> shared;
  module.walk([&](DestinationStyleOpInterface op) {
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
/// chain but `value` and the tensor.empty (which others may share) used
/// once; null if there is none.
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

bool nasc::cpu::isElementwiseRead(OpOperand &operand) {
  auto generic = dyn_cast<linalg::GenericOp>(operand.getOwner());
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.isDpsInput(&operand))
    return false;
  return generic.getMatchingIndexingMap(&operand) ==
             generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)) &&
         cast<ShapedType>(operand.get().getType()).getShape() ==
             cast<ShapedType>(generic->getResult(0).getType()).getShape();
}

/// Gives each float window op (convolution, pooling) that starts from a
/// cheap initializer and has no element-wise epilogue one that adds +0.0:
/// tiling fuses a window op and its initializer into its epilogue's tiles
/// only, so without one its output was initialized whole, accumulated and
/// read back (a convolution before another convolution or a global pool, a
/// grouped convolution's groups). The epilogue writes each tile's sums
/// once. It adds +0.0 because an identity would fold away (and only
/// changes -0.0 to +0.0).
static void addEpilogues(ModuleOp module) {
  SmallVector<linalg::LinalgOp> windows;
  module.walk([&](linalg::LinalgOp op) {
    if (!isa<linalg::ConvolutionOpInterface>(op.getOperation()) ||
        !op.hasPureTensorSemantics() || op->getNumResults() != 1 ||
        !isa<FloatType>(getElementTypeOrSelf(op->getResult(0))) ||
        !isCheapInit(op.getDpsInits()[0].getDefiningOp()))
      return;
    Value result = op->getResult(0);
    if (result.hasOneUse() &&
        nasc::cpu::isElementwiseRead(*result.getUses().begin()))
      return;
    windows.push_back(op);
  });
  for (linalg::LinalgOp op : windows) {
    Value result = op->getResult(0);
    auto type = cast<RankedTensorType>(result.getType());
    OpBuilder b(op->getContext());
    b.setInsertionPointAfter(op);
    Location loc = op.getLoc();
    // The sizes of the initializer's tensor.empty (isCheapInit): a
    // tensor.dim of the initializer would be a second use of it, which
    // keeps it out of the tiles.
    auto init =
        cast<DestinationStyleOpInterface>(op.getDpsInits()[0].getDefiningOp());
    Value empty = b.create<tensor::EmptyOp>(
        loc,
        init.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>().getMixedSizes(),
        type.getElementType());
    AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
    auto epilogue = b.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{result}, ValueRange{empty},
        ArrayRef<AffineMap>{identity, identity},
        SmallVector<utils::IteratorType>(type.getRank(),
                                         utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value zero = nb.create<arith::ConstantOp>(
              l, nb.getFloatAttr(type.getElementType(), 0.0));
          nb.create<linalg::YieldOp>(
              l, ValueRange{nb.create<arith::AddFOp>(l, args[0], zero)});
        });
    result.replaceAllUsesExcept(epilogue.getResult(0), epilogue);
  }
}

/// Each part of a tensor assembled by tensor.insert_slice ops (the groups
/// of a grouped convolution, splitElementwiseOverParts' element-wise ops on
/// them) computed in its slice: where the inserted value comes from a chain
/// of destination-style ops, each result in it used once, that starts at a
/// tensor.empty (which others may share: only its sizes are read) after
/// the insert's destination is defined, the chain starts at the
/// destination's slice instead, and the insert_slice bufferizes to nothing.
static void insertInPlace(ModuleOp module) {
  SmallVector<tensor::InsertSliceOp> inserts;
  module.walk([&](tensor::InsertSliceOp insert) { inserts.push_back(insert); });
  DominanceInfo dominance;
  for (tensor::InsertSliceOp insert : inserts) {
    OpOperand *start = findChainStart(insert.getSource());
    if (!start)
      continue;
    Operation *owner = start->getOwner();
    // CSE may have hoisted a constant initializer above the insert's
    // destination: it moves down to its one user.
    if (owner->getBlock() == insert->getBlock() &&
        !dominance.properlyDominates(insert.getDest(), owner) &&
        nasc::cpu::isConstantInitializer(owner) && owner->hasOneUse() &&
        owner->getResult(0).getUsers().begin()->getBlock() == owner->getBlock())
      owner->moveBefore(*owner->getResult(0).getUsers().begin());
    if (owner->getBlock() != insert->getBlock() ||
        llvm::any_of(insert->getOperands().drop_front(), [&](Value operand) {
          return !dominance.properlyDominates(operand, owner);
        }))
      continue;
    OpBuilder b(owner);
    start->set(b.create<tensor::ExtractSliceOp>(
        insert.getLoc(), cast<RankedTensorType>(start->get().getType()),
        insert.getDest(), insert.getMixedOffsets(), insert.getMixedSizes(),
        insert.getMixedStrides()));
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
    Value filled = b.create<linalg::FillOp>(loc, value, slab).getResult(0);
    acc =
        b.create<tensor::InsertSliceOp>(loc, filled, acc, offsets, sizes, ones);
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
  splitElementwiseOverParts(module);
  cloneSharedInits(module);
  addEpilogues(module);
  insertInPlace(module);
  SmallVector<tensor::PadOp> pads;
  module.walk([&](tensor::PadOp pad) { pads.push_back(pad); });
  for (tensor::PadOp pad : pads)
    ::padInPlace(pad);
}
