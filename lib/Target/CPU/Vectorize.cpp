//===- Vectorize.cpp - Tiling and vectorization of the hot linalg ops -----===//
//
// Convolutions, depthwise convolutions, pooling, matmuls and element-wise
// generics are tiled so that every tile has static sizes (batch 1, one
// output row, widths and channels by divisors: no partial tiles), the 2-D
// windows are decomposed into 1-D ones, and the tiles vectorized; vector
// ops are then lowered to what convert-vector-to-llvm handles (outer
// products, 1-D transfers). This is the transform-dialect recipe of the
// toolchain notes. An element-wise op that is the only reader of a window
// op is tiled first and the window op (with its initializer) fused into its
// tiles, so that the window op's output is never stored whole. Each op
// gets a class attribute by its tiling, and the script tiles each class.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <map>
#include <optional>
#include <tuple>

using namespace mlir;

static constexpr llvm::StringLiteral kClassAttr = "nasc.tile_class";
static constexpr llvm::StringLiteral kPackedMatmulAttr = "nasc.packed_matmul";
static constexpr llvm::StringLiteral kPartialReductionAttr =
    "nasc.partial_reduction";

/// The rows of a matmul's register tile: with two vectors of channels,
/// 16 accumulators.
static constexpr int64_t kMatmulRows = 8;

using nasc::hw::getChannelTile;
using nasc::hw::getDivisorTile;
using nasc::hw::getPeeledChannelTile;

/// The (columns, channels) of a depthwise convolution's or pooling's tile
/// (nasc::hw::getWindowTile).
static std::pair<int64_t, int64_t>
windowTile(linalg::LinalgOp op, const nasc::cpu::TileLimits &limits) {
  auto out = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  auto window = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  nasc::hw::WindowShape shape;
  shape.columns = out.getDimSize(2);
  shape.channels = out.getDimSize(3);
  shape.kernel = window.getDimSize(1);
  if (auto strides = op->getAttrOfType<DenseIntElementsAttr>("strides"))
    shape.stride = strides.getValues<int64_t>()[1];
  if (auto dilations = op->getAttrOfType<DenseIntElementsAttr>("dilations"))
    shape.dilation = dilations.getValues<int64_t>()[1];
  shape.filter = isa<linalg::DepthwiseConv2DNhwcHwcOp>(op);
  return nasc::hw::getWindowTile(shape, limits);
}

/// Tile sizes for `op`, or empty to leave it alone. Shapes are those of
/// the op's output (N first).
static SmallVector<int64_t> tileSizes(linalg::LinalgOp op,
                                      const nasc::cpu::TileLimits &limits) {
  int64_t width = limits.width, channels = limits.channels;
  auto out = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
  if (!out)
    return {};
  // An NHWC tensor reduced over N, H and W (splitFullReductions):
  // tiles of one row's columns and channels, each reduced into the
  // channels' partial results.
  // A matmul on packed weights (packMatmulWeights), (panel, row, lane,
  // k): a panel's lanes, a register tile of rows.
  if (op->hasAttr(kPackedMatmulAttr)) {
    auto in = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    int64_t k = in.getDimSize(1);
    return {1, getDivisorTile(out.getDimSize(1), kMatmulRows),
            out.getDimSize(2), k > 64 ? getDivisorTile(k, 64) : 0};
  }
  if (op->hasAttr(kPartialReductionAttr)) {
    auto in = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
    return {1, 1, getDivisorTile(in.getDimSize(2), width),
            getChannelTile(in.getDimSize(3), channels)};
  }
  ArrayRef<int64_t> shape = out.getShape();
  if (isa<linalg::Conv2DNhwcHwcfOp>(op)) {
    // (n, oh, ow, f, kh, kw, c)
    ArrayRef<int64_t> filter =
        cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
    bool bytes = getElementTypeOrSelf(op.getDpsInputs()[1]).isInteger(8);
    nasc::hw::ConvTile tile = nasc::hw::getConvTile(
        shape[2], shape[3], filter[2], filter[1], limits, bytes ? 4 : 1);
    return {1, 1, tile.width, tile.channels, 1, 0, tile.reduction};
  }
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp, linalg::PoolingNhwcSumOp,
          linalg::PoolingNhwcMaxOp>(op)) {
    // (n, oh, ow, c, kh, kw)
    auto [tileWidth, tileChannels] = windowTile(op, limits);
    return {1, 1, tileWidth, tileChannels, 1, 0};
  }
  if (isa<linalg::MatmulOp>(op)) {
    auto in = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
    int64_t k = in.getShape()[0];
    // The rows of a static block (a split head, SplitHead.cpp) together:
    // each weight vector loaded serves every row's multiply-add.
    int64_t rows = ShapedType::isDynamic(shape[0])
                       ? 1
                       : getDivisorTile(shape[0], kMatmulRows);
    return {rows, getChannelTile(shape[1], channels),
            k > 64 ? getDivisorTile(k, 64) : 0};
  }
  // Element-wise generics; not those reading a broadcast through constant
  // indices (the SE gate), which the vector lowering leaves 2-D.
  if (isa<linalg::GenericOp>(op) &&
      op.getNumParallelLoops() == op.getNumLoops() &&
      llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
        return map.isProjectedPermutation();
      })) {
    if (shape.size() == 4)
      return {1, 1, getDivisorTile(shape[2], width),
              getPeeledChannelTile(shape[3], channels)};
    if (shape.size() == 2)
      return {1, getChannelTile(shape[1], channels)};
    // A channel shuffle's interleave: [N, H, W, C/g, g] from the input
    // viewed as [N, H, W, g, C/g], a row's channels at a time.
    if (shape.size() == 5)
      return {1, 1, 1, getDivisorTile(shape[3], 16), shape[4]};
  }
  return {};
}

/// A matmul's output channels padded to `padded` with zero weights.
template <typename T>
static DenseElementsAttr padColumns(DenseElementsAttr weights,
                                    int64_t padded) {
  auto type = cast<RankedTensorType>(weights.getType());
  int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
  std::vector<T> values(size_t(rows * padded), T(0));
  auto it = weights.getValues<T>().begin();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < columns; ++c, ++it)
      values[size_t(r * padded + c)] = *it;
  return DenseElementsAttr::get(
      RankedTensorType::get({rows, padded}, type.getElementType()),
      llvm::ArrayRef<T>(values));
}

/// The constant, non-splat weights a matmul on tensors reads (its second
/// input), with the op defining them; null when they are not such.
static std::pair<arith::ConstantOp, DenseElementsAttr>
getConstantWeights(linalg::MatmulOp op) {
  auto constant = op.getDpsInputs()[1].getDefiningOp<arith::ConstantOp>();
  auto weights =
      constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : nullptr;
  if (!op.hasPureTensorSemantics() || !weights || weights.isSplat())
    return {};
  return {constant, weights};
}

/// Replaces the matmul `op` by `result` and drops its weights' constant
/// when nothing else reads it.
static void replaceMatmul(linalg::MatmulOp op, arith::ConstantOp weights,
                          Value result) {
  op.getResult(0).replaceAllUsesWith(result);
  op.erase();
  if (weights->use_empty())
    weights.erase();
}

/// Pads the output channels of each matmul with constant weights to a
/// multiple of whole registers (16 lanes, 32 within `limit` 32 and more)
/// when that wastes at most an eighth of them: the matmul computes zero
/// columns and its users read the slice of the real ones. A classifier of
/// 1000 classes had tiles of 8 lanes, half a 256-bit register (FBNet's
/// 1984x1000: 1.7x faster on blocks of 8 samples).
static void padMatmulChannels(ModuleOp module, int64_t limit) {
  SmallVector<linalg::MatmulOp> matmuls;
  module.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
  for (linalg::MatmulOp op : matmuls) {
    auto [constant, weights] = getConstantWeights(op);
    auto out = cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (!weights || out.getRank() != 2)
      continue;
    int64_t columns = out.getDimSize(1);
    if (ShapedType::isDynamic(columns) || columns % 16 == 0)
      continue;
    int64_t padded = 0;
    for (int64_t multiple : {int64_t(32), int64_t(16)}) {
      int64_t candidate = llvm::alignTo(columns, multiple);
      if (multiple <= std::max<int64_t>(limit, 16) &&
          8 * (candidate - columns) <= columns) {
        padded = candidate;
        break;
      }
    }
    if (!padded)
      continue;
    Type element = weights.getElementType();
    DenseElementsAttr paddedWeights;
    if (element.isF32())
      paddedWeights = padColumns<float>(weights, padded);
    else if (element.isInteger(8))
      paddedWeights = padColumns<int8_t>(weights, padded);
    else
      continue;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value newWeights = b.create<arith::ConstantOp>(loc, paddedWeights);
    Value init = op.getDpsInits()[0];
    SmallVector<int64_t> shape(out.getShape());
    shape[1] = padded;
    auto paddedType = RankedTensorType::get(shape, out.getElementType());
    Value zero = b.create<arith::ConstantOp>(
        loc, b.getZeroAttr(out.getElementType()));
    SmallVector<OpFoldResult> low(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {b.getIndexAttr(0),
                                      b.getIndexAttr(padded - columns)};
    Value paddedInit =
        b.create<tensor::PadOp>(loc, paddedType, init, low, high, zero);
    auto matmul = b.create<linalg::MatmulOp>(
        loc, TypeRange{paddedType},
        ValueRange{op.getDpsInputs()[0], newWeights}, ValueRange{paddedInit});
    SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(b, loc, init, 0), b.getIndexAttr(columns)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    replaceMatmul(op, constant,
                  b.create<tensor::ExtractSliceOp>(loc, matmul.getResult(0),
                                                   offsets, sizes, strides));
  }
}

/// Packs the constant weights [K, N] of each float matmul of a static
/// block of rows (a split head) into panels [N / lanes, K, lanes] of the
/// channel tile's width, computed as a contraction over (panel, row,
/// lane, k) into [N / lanes, M, lanes] between two transposes. Row-major
/// weights put each step of k a whole row (4 KiB for 1024 channels) from
/// the last, one cache line used per page, which the prefetchers do not
/// follow; a panel is contiguous.
static void packMatmulWeights(ModuleOp module, int64_t limit) {
  SmallVector<linalg::MatmulOp> matmuls;
  module.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });
  for (linalg::MatmulOp op : matmuls) {
    auto [constant, weights] = getConstantWeights(op);
    auto out = cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (!weights || !out.hasStaticShape() ||
        !weights.getElementType().isF32() ||
        !out.getElementType().isF32() ||
        !getElementTypeOrSelf(op.getDpsInputs()[0].getType()).isF32())
      continue;
    int64_t rows = out.getDimSize(0), columns = out.getDimSize(1);
    int64_t lanes = getChannelTile(columns, limit);
    int64_t panels = columns / lanes;
    if (panels < 2 || lanes < 16)
      continue;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Type f32 = b.getF32Type();
    Value packedWeights =
        b.create<arith::ConstantOp>(loc, nasc::cpu::packPanels(weights, lanes));
    auto blockType = RankedTensorType::get({rows, panels, lanes}, f32);
    auto panelType = RankedTensorType::get({panels, rows, lanes}, f32);
    SmallVector<ReassociationIndices> split = {{0}, {1, 2}};
    Value init = b.create<tensor::ExpandShapeOp>(loc, blockType,
                                                 op.getDpsInits()[0], split);
    Value panelInit =
        b.create<linalg::TransposeOp>(
             loc, init,
             b.create<tensor::EmptyOp>(loc, panelType.getShape(), f32),
             ArrayRef<int64_t>{1, 0, 2})
            .getResult()[0];
    MLIRContext *ctx = b.getContext();
    AffineExpr panel, row, lane, k;
    bindDims(ctx, panel, row, lane, k);
    auto map = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(4, 0, results, ctx);
    };
    auto product = b.create<linalg::GenericOp>(
        loc, TypeRange{panelType},
        ValueRange{op.getDpsInputs()[0], packedWeights}, ValueRange{panelInit},
        ArrayRef<AffineMap>{map({row, k}), map({panel, k, lane}),
                            map({panel, row, lane})},
        ArrayRef<utils::IteratorType>{
            utils::IteratorType::parallel, utils::IteratorType::parallel,
            utils::IteratorType::parallel, utils::IteratorType::reduction},
        [](OpBuilder &nb, Location l, ValueRange args) {
          Value mul = nb.create<arith::MulFOp>(l, args[0], args[1]);
          nb.create<linalg::YieldOp>(
              l, ValueRange{nb.create<arith::AddFOp>(l, args[2], mul)});
        });
    product->setAttr(kPackedMatmulAttr, b.getUnitAttr());
    Value result =
        b.create<linalg::TransposeOp>(
             loc, product.getResult(0),
             b.create<tensor::EmptyOp>(loc, blockType.getShape(), f32),
             ArrayRef<int64_t>{1, 0, 2})
            .getResult()[0];
    replaceMatmul(op, constant,
                  b.create<tensor::CollapseShapeOp>(loc, out, result, split));
  }
}

/// Splits each reduction of a whole NHWC tensor (static H, W and C) to a
/// scalar whose combiner is idempotent (max, min: an activation's largest
/// magnitude, for its quantization) into a reduction over N, H and W to
/// one partial result per channel, which vectorizes along the channels,
/// and a reduction of those into the scalar. Both start from the
/// original initial value: combining it twice changes nothing.
static void splitFullReductions(ModuleOp module) {
  // Each reduction with its combining op.
  SmallVector<std::pair<linalg::GenericOp, Operation *>> reductions;
  module.walk([&](linalg::GenericOp op) {
    if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
        op.getNumLoops() != 4 || op.getNumReductionLoops() != 4 ||
        !op.hasPureTensorSemantics())
      return;
    auto in = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
    auto out = dyn_cast<RankedTensorType>(op.getDpsInits()[0].getType());
    if (!in || !out || out.getRank() != 0 ||
        !op.getMatchingIndexingMap(op.getDpsInputOperand(0)).isIdentity() ||
        llvm::any_of(in.getShape().drop_front(), ShapedType::isDynamic))
      return;
    // The body: yield combine(f(in), out), out used only there.
    Block *body = op.getBody();
    Value accumulator = body->getArgument(1);
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    Operation *combine = yield.getOperand(0).getDefiningOp();
    if (!combine || combine->getBlock() != body ||
        !isa<arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
             arith::MinNumFOp>(combine) ||
        !accumulator.hasOneUse() || accumulator.getUses().begin()->getOwner() !=
                                        combine)
      return;
    reductions.emplace_back(op, combine);
  });
  for (auto &reduction : reductions) {
    linalg::GenericOp op = reduction.first;
    Operation *combine = reduction.second;
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto in = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
    Value init = op.getDpsInits()[0];
    Type element = in.getElementType();
    int64_t channels = in.getDimSize(3);
    Value start = b.create<tensor::ExtractOp>(loc, init, ValueRange{});
    Value empty = b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{channels},
                                            element);
    Value partialInit =
        b.create<linalg::FillOp>(loc, start, empty).getResult(0);
    auto r = utils::IteratorType::reduction;
    auto p = utils::IteratorType::parallel;
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(3, ctx));
    auto partial = b.create<linalg::GenericOp>(
        loc, partialInit.getType(), op.getDpsInputs(), ValueRange{partialInit},
        ArrayRef<AffineMap>{identity, channel},
        ArrayRef<utils::IteratorType>{r, r, r, p});
    IRMapping mapping;
    op.getRegion().cloneInto(&partial.getRegion(), mapping);
    partial->setAttr(kPartialReductionAttr, UnitAttr::get(ctx));
    // The channels' results combined into the scalar.
    AffineMap vector = AffineMap::getMultiDimIdentityMap(1, ctx);
    AffineMap scalar = AffineMap::get(1, 0, ctx);
    auto final = b.create<linalg::GenericOp>(
        loc, init.getType(), partial.getResult(0), ValueRange{init},
        ArrayRef<AffineMap>{vector, scalar}, ArrayRef<utils::IteratorType>{r},
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          OperationState state(nloc, combine->getName());
          state.addOperands({args[0], args[1]});
          state.addTypes(element);
          state.addAttributes(combine->getAttrs());
          Value value = nb.create(state)->getResult(0);
          nb.create<linalg::YieldOp>(nloc, value);
        });
    op->replaceAllUsesWith(final->getResults());
    op->erase();
  }
}

/// Whether the window op's initializer `init` can be fused with it: a
/// constant initializer (a broadcast bias) nothing else reads.
static bool isFusableInit(Value init) {
  return init.hasOneUse() &&
         nasc::cpu::isConstantInitializer(init.getDefiningOp());
}

namespace {
/// How the ops of one class are tiled: the tile sizes of the op matched;
/// whether it has a 2-D window to decompose; for an element-wise epilogue
/// with a window op fused into its tiles, that op's operand, the sizes
/// its reduction is tiled by, and whether its initializer is fused too.
struct TileClass {
  SmallVector<int64_t> sizes;
  bool window = false;
  int64_t producerOperand = -1;
  SmallVector<int64_t> reduction;
  bool fuseInit = false;
  /// Output channels outermost (filterFirst).
  bool channelsOuter = false;
  /// The position among the tiled loops of the channel loop whose tile
  /// does not divide the channels, which is peeled (its last, partial
  /// tile becomes a loop of its own with static sizes); -1: none.
  int64_t peelLoop = -1;
  bool operator<(const TileClass &other) const {
    return std::tie(sizes, window, producerOperand, reduction, fuseInit,
                    channelsOuter, peelLoop) <
           std::tie(other.sizes, other.window, other.producerOperand,
                    other.reduction, other.fuseInit, other.channelsOuter,
                    other.peelLoop);
  }
};
} // namespace

/// TileClass::peelLoop for an op whose output is `out` tiled by `sizes`.
static int64_t getPeelLoop(Value out, ArrayRef<int64_t> sizes,
                           bool channelsOuter) {
  auto type = dyn_cast<RankedTensorType>(out.getType());
  if (!type || type.getRank() != 4 || sizes.size() < 4 || !sizes[3] ||
      type.isDynamicDim(3) || type.getDimSize(3) % sizes[3] == 0)
    return -1;
  if (channelsOuter)
    return 0;
  return llvm::count_if(sizes.take_front(3), [](int64_t s) { return s; });
}

/// Whether a convolution's loops should run over its output channels
/// outermost: with the spatial loops outermost, each output row reads the
/// whole filter again, and with the channels outermost, each tile of them
/// reads the whole input again. The one moving fewer bytes wins: the
/// filter for the deep, small layers (a 352x1984 1x1 convolution at 7x7
/// read its 2.8 MB filter 7 times).
static bool channelsOuter(linalg::LinalgOp op, ArrayRef<int64_t> sizes) {
  if (!isa<linalg::Conv2DNhwcHwcfOp>(op))
    return false;
  auto input = cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto filter = cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  auto output = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  if (!input.hasStaticShape() && input.getNumDynamicDims() != 1)
    return false;
  int64_t inputElements = input.getDimSize(1) * input.getDimSize(2) *
                       input.getDimSize(3);
  int64_t filterElements = filter.getNumElements();
  int64_t rows = output.getDimSize(1);
  int64_t channelTiles = output.getDimSize(3) / sizes[3];
  return rows * filterElements + inputElements >
         channelTiles * inputElements + filterElements;
}

/// The element-wise generic `op`'s class when it is the only user of a
/// convolution (or depthwise convolution or pooling) with tiles of the
/// same output extents: the window op is then computed tile by tile
/// inside the generic's tiles, its result never stored whole, and so is
/// its initializer when nothing else reads that (a broadcast bias): the
/// convolution's output no longer goes through memory three times.
static std::optional<TileClass>
epilogueClass(linalg::GenericOp op, ArrayRef<int64_t> sizes,
              const nasc::cpu::TileLimits &limits) {
  if (sizes.size() != 4)
    return std::nullopt;
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !input->get().hasOneUse() ||
        !isa<linalg::ConvolutionOpInterface>(producer.getOperation()) ||
        !nasc::cpu::isElementwiseRead(*input))
      continue;
    // The epilogue takes the window op's tile where they differ (a
    // depthwise tile sized to the registers, windowTile): an element-wise
    // op computes any tile as well. Unfused, such a depthwise
    // convolution's whole output was zeroed, accumulated and read back by
    // its activation: 3 passes over 4.8 MB at FBNet's 112x112x96.
    SmallVector<int64_t> producerSizes = tileSizes(producer, limits);
    if (producerSizes.size() < 4)
      continue;
    sizes = ArrayRef<int64_t>(producerSizes).take_front(4);
    TileClass tileClass;
    tileClass.sizes.assign(sizes.begin(), sizes.end());
    tileClass.producerOperand = input->getOperandNumber();
    tileClass.reduction.assign(producerSizes.size(), 0);
    for (size_t i = 4; i < producerSizes.size(); ++i)
      tileClass.reduction[i] = producerSizes[i];
    tileClass.fuseInit = isFusableInit(producer.getDpsInits()[0]);
    tileClass.channelsOuter = channelsOuter(producer, producerSizes);
    tileClass.peelLoop = getPeelLoop(op.getDpsInits()[0], sizes,
                                     tileClass.channelsOuter);
    return tileClass;
  }
  return std::nullopt;
}

static std::string sizeList(ArrayRef<int64_t> sizes) {
  std::string list;
  for (size_t i = 0; i < sizes.size(); ++i)
    list += (i ? ", " : "") + std::to_string(sizes[i]);
  return list;
}

static std::string anyOps(size_t n) {
  std::string types = "!transform.any_op";
  for (size_t i = 1; i < n; ++i)
    types += ", !transform.any_op";
  return types;
}

/// `interchange = [...]` putting loop 3 (output channels) first, or
/// nothing.
static std::string interchange(const TileClass &tileClass, size_t rank) {
  if (!tileClass.channelsOuter)
    return "";
  std::string order = "3, 0, 1, 2";
  for (size_t i = 4; i < rank; ++i)
    order += ", " + std::to_string(i);
  return " interchange = [" + order + "]";
}

/// Peels the loop `loop` (a transform handle): its last, partial
/// iteration becomes a loop of its own, canonicalized to static sizes
/// before vectorization. `prefix` names the new handles.
static std::string peelScript(const std::string &loop,
                              const std::string &prefix) {
  return "  " + prefix + "for = transform.cast " + loop +
         " : !transform.any_op to !transform.op<\"scf.for\">\n"
         "  " + prefix + "main, " + prefix + "rest = transform.loop.peel " +
         prefix + "for : (!transform.op<\"scf.for\">) -> "
         "(!transform.any_op, !transform.any_op)\n";
}

/// The script that tiles the ops of class `id`.
static std::string classScript(const TileClass &tileClass, int64_t id) {
  std::string m = "%m" + std::to_string(id);
  std::string script = "  " + m +
                       " = transform.structured.match attributes {" +
                       kClassAttr.str() + " = " + std::to_string(id) +
                       " : i64} in %root : (!transform.any_op) -> "
                       "!transform.any_op\n";
  size_t loops = llvm::count_if(tileClass.sizes, [](int64_t s) { return s; });
  if (tileClass.producerOperand < 0) {
    std::string t = "%t" + std::to_string(id);
    script += "  " + t + ", %l" + std::to_string(id) + ":" +
              std::to_string(loops) +
              " = transform.structured.tile_using_for " + m + " tile_sizes [" +
              sizeList(tileClass.sizes) + "]" +
              interchange(tileClass, tileClass.sizes.size()) +
              " : (!transform.any_op) -> (" +
              anyOps(loops + 1) + ")\n";
    if (tileClass.window)
      script += "  transform.structured.decompose " + t +
                " : (!transform.any_op) -> !transform.any_op\n";
    if (tileClass.peelLoop >= 0)
      script += peelScript("%l" + std::to_string(id) + "#" +
                               std::to_string(tileClass.peelLoop),
                           "%p" + std::to_string(id) + "_");
    return script;
  }
  // One epilogue at a time: fusion takes one containing loop. The
  // body's handles are named after the class (%eID_...), as SSA names
  // must differ from the enclosing sequence's.
  std::string e = "%e" + std::to_string(id) + "_";
  std::string pair = " : (!transform.any_op, !transform.any_op) -> "
                     "(!transform.any_op, !transform.any_op)\n";
  size_t reductionLoops =
      llvm::count_if(tileClass.reduction, [](int64_t s) { return s; });
  script += "  transform.foreach " + m + " : !transform.any_op {\n  ^bb0(" +
            e + "g: !transform.any_op):\n";
  script += "    " + e + "c = transform.get_producer_of_operand " + e + "g[" +
            std::to_string(tileClass.producerOperand) +
            "] : (!transform.any_op) -> !transform.any_op\n";
  if (tileClass.fuseInit)
    script += "    " + e + "i = transform.get_producer_of_operand " + e +
              "c[2] : (!transform.any_op) -> !transform.any_op\n";
  script += "    " + e + "tg, " + e + "l:" + std::to_string(loops) +
            " = transform.structured.tile_using_for " + e + "g tile_sizes [" +
            sizeList(tileClass.sizes) + "]" + interchange(tileClass, 4) +
            " : (!transform.any_op) -> (" + anyOps(loops + 1) + ")\n";
  script += "    " + e + "fc, " + e +
            "inner = transform.structured.fuse_into_containing_op " + e +
            "c into " + e + "l#" + std::to_string(loops - 1) + pair;
  if (tileClass.fuseInit)
    script += "    " + e + "fi, " + e +
              "inner2 = transform.structured.fuse_into_containing_op " + e +
              "i into " + e + "inner" + pair;
  std::string tiled = e + "fc";
  if (reductionLoops) {
    script += "    " + e + "tc, " + e + "r:" + std::to_string(reductionLoops) +
              " = transform.structured.tile_using_for " + e +
              "fc tile_sizes [" + sizeList(tileClass.reduction) +
              "] : (!transform.any_op) -> (" + anyOps(reductionLoops + 1) +
              ")\n";
    tiled = e + "tc";
  }
  script += "    transform.structured.decompose " + tiled +
            " : (!transform.any_op) -> !transform.any_op\n";
  if (tileClass.peelLoop >= 0) {
    // Fusion replaced the innermost loop, which holds the fused ops.
    std::string loop = size_t(tileClass.peelLoop) + 1 == loops
                           ? e + (tileClass.fuseInit ? "inner2" : "inner")
                           : e + "l#" + std::to_string(tileClass.peelLoop);
    script += "  " + peelScript(loop, e + "p");
  }
  script += "  }\n";
  return script;
}

/// Applies the transform script `body` (the statements of a named
/// sequence over `%root`) to `module`.
static LogicalResult applyScript(ModuleOp module, const std::string &body) {
  std::string script =
      "module attributes {transform.with_named_sequence} {\n"
      "transform.named_sequence @nasc_vectorize(%root: !transform.any_op "
      "{transform.readonly}) {\n" +
      body + "  transform.yield\n}\n}\n";
  OwningOpRef<ModuleOp> library =
      parseSourceString<ModuleOp>(script, module.getContext());
  if (!library) {
    module.emitError() << "bad vectorization script:\n" << script;
    return failure();
  }
  Operation *entry = nullptr;
  library->walk([&](transform::NamedSequenceOp op) { entry = op; });
  return transform::applyTransformNamedSequence(module, entry, *library,
                                                transform::TransformOptions());
}

namespace {
/// A reduction of a 1-D vector to a scalar (the channels' partial results
/// of splitFullReductions combined) as one vector.reduction, a tree of
/// vector ops; the "inner parallel" lowering of the 2-D reductions made
/// it one scalar op per channel: a candidate's code had 18,700 scalar
/// maximums, 5% of its time.
struct FlatReduction : OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getSourceVectorType().getRank() != 1 ||
        isa<VectorType>(op.getDestType()))
      return rewriter.notifyMatchFailure(op, "not a 1-D vector to a scalar");
    rewriter.replaceOpWithNewOp<vector::ReductionOp>(
        op, op.getDestType(), op.getKind(), op.getSource(), op.getAcc());
    return success();
  }
};
} // namespace

/// Each loop's reads and writes of one loop-invariant slice of a tensor
/// it carries, hoisted out of it: a tile's accumulators, read and written
/// back on each step of its reduction (input channels, window rows),
/// stay in registers.
static void hoistAccumulators(ModuleOp module) {
  IRRewriter rewriter(module.getContext());
  // Innermost loops first: what leaves a loop may leave the next too.
  SmallVector<scf::ForOp> loops;
  module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops)
    hoistLoopInvariantSubsets(rewriter,
                              cast<LoopLikeOpInterface>(loop.getOperation()));
}

/// The vector rewrites between vectorization and lowering: flat
/// reductions and, where the host has them, byte dot products.
static LogicalResult rewriteVectorOps(ModuleOp module,
                                      nasc::cpu::IntegerDot dot) {
  RewritePatternSet patterns(module.getContext());
  patterns.add<FlatReduction>(module.getContext());
  nasc::cpu::populateIntegerDotPatterns(patterns, dot);
  return applyPatternsAndFoldGreedily(module, std::move(patterns));
}

LogicalResult nasc::cpu::tileAndVectorize(ModuleOp module,
                                          const TileLimits &limits,
                                          IntegerDot dot) {
  MLIRContext *ctx = module.getContext();
  splitFullReductions(module);
  padMatmulChannels(module, limits.channels);
  packMatmulWeights(module, limits.channels);
  std::map<TileClass, int64_t> classes;
  auto setClass = [&](Operation *op, const TileClass &tileClass) {
    int64_t id = classes.try_emplace(tileClass, classes.size()).first->second;
    op->setAttr(kClassAttr, IntegerAttr::get(IntegerType::get(ctx, 64), id));
  };
  // Epilogues first: the window ops fused into them, and their
  // initializers, get no class.
  llvm::DenseSet<Operation *> fused;
  module.walk([&](linalg::GenericOp op) {
    SmallVector<int64_t> sizes = tileSizes(op, limits);
    if (std::optional<TileClass> tileClass = epilogueClass(op, sizes, limits)) {
      setClass(op, *tileClass);
      auto producer = op->getOperand(tileClass->producerOperand)
                          .getDefiningOp<linalg::LinalgOp>();
      fused.insert(producer);
      if (tileClass->fuseInit)
        fused.insert(producer.getDpsInits()[0].getDefiningOp());
    }
  });
  module.walk([&](linalg::LinalgOp op) {
    if (op->hasAttr(kClassAttr) || fused.contains(op.getOperation()))
      return;
    TileClass tileClass;
    tileClass.sizes = tileSizes(op, limits);
    if (tileClass.sizes.empty())
      return;
    tileClass.window = isa<linalg::ConvolutionOpInterface>(op.getOperation());
    tileClass.channelsOuter = channelsOuter(op, tileClass.sizes);
    tileClass.peelLoop = getPeelLoop(op.getDpsInits()[0], tileClass.sizes,
                                     tileClass.channelsOuter);
    setClass(op, tileClass);
  });

  std::string tiles;
  for (const auto &[tileClass, id] : classes)
    tiles += classScript(tileClass, id);
  tiles +=
      "  %f = transform.structured.match ops{[\"func.func\"]} in %root : "
      "(!transform.any_op) -> !transform.any_op\n";
  // A peeled remainder's single iteration and its tile sizes fold to
  // constants: its ops get static shapes to vectorize.
  if (llvm::any_of(classes, [](const auto &entry) {
        return entry.first.peelLoop >= 0;
      }))
    tiles += "  transform.apply_patterns to %f {\n"
             "    transform.apply_patterns.canonicalization\n"
             "  } : !transform.any_op\n";
  tiles +=
      "  %v = transform.structured.vectorize_children_and_apply_patterns %f "
      ": (!transform.any_op) -> !transform.any_op\n";
  std::string lowering =
      "  transform.apply_patterns to %v {\n"
      "    transform.apply_patterns.vector.cast_away_vector_leading_one_dim\n"
      "    transform.apply_patterns.vector.lower_contraction "
      "lowering_strategy = outerproduct\n"
      "    transform.apply_patterns.vector.transfer_permutation_patterns\n"
      "    transform.apply_patterns.vector.lower_multi_reduction "
      "lowering_strategy = innerparallel\n"
      "    transform.apply_patterns.vector.transfer_to_scf "
      "max_transfer_rank = 1 full_unroll = true\n"
      "    transform.apply_patterns.vector.lower_transfer "
      "max_transfer_rank = 1\n"
      "    transform.apply_patterns.vector.lower_shape_cast\n"
      "    transform.apply_patterns.vector.lower_transpose "
      "lowering_strategy = shuffle_1d\n"
      "    transform.apply_patterns.vector.lower_outerproduct\n"
      "    transform.apply_patterns.vector.lower_broadcast\n"
      "  } : !transform.any_op\n"
      // The window ops fused into their epilogues are dead but for
      // tensor.dim ops.
      "  transform.apply_patterns to %v {\n"
      "    transform.apply_patterns.canonicalization\n"
      "  } : !transform.any_op\n";
  // Three phases: tiling and vectorization (the operands' unit dimensions
  // dropped); accumulators hoisted and the vector rewrites in C++; the
  // lowering to what convert-vector-to-llvm handles.
  std::string matchFunctions =
      "  %v = transform.structured.match ops{[\"func.func\"]} in %root : "
      "(!transform.any_op) -> !transform.any_op\n";
  LogicalResult result = applyScript(
      module, tiles + "  transform.apply_patterns to %v {\n"
                      "    transform.apply_patterns.vector."
                      "cast_away_vector_leading_one_dim\n"
                      "  } : !transform.any_op\n");
  if (succeeded(result))
    hoistAccumulators(module);
  if (succeeded(result))
    result = rewriteVectorOps(module, dot);
  if (succeeded(result))
    result = applyScript(module, matchFunctions + lowering);
  // After the lowering's canonicalization: the window ops fused into
  // their epilogues no longer read the filters.
  if (succeeded(result))
    packFilterReads(module);
  module.walk([](Operation *op) {
    op->removeAttr(kClassAttr);
    op->removeAttr(kPartialReductionAttr);
  });
  return result;
}
