//===- IntegerLowering.cpp - The integer network as linalg ----------------===//
//
// The CPU backend's static int8 path (`--static-int8`, docs/cpu.md): the
// candidate's integer network (nasc/Target/Common/IntegerNetwork.h, what
// the FPGA backend computes) as one linalg function with lowerToLinalg's
// signature, computing runInteger's bits:
//
//   func.func @NAME(%x: tensor<?xCxHxWxf32>) -> tensor<?xKxf32>
//
// The input is quantized once (round-half-even of x / scale in double,
// clamped, as IntegerNetwork::quantizeInput), every activation in between
// is int8 levels in NHWC, and the output levels are scaled back to float
// (IntegerNetwork::dequantizeOutput). Per op kind:
//
//  * Conv: an int8 convolution (per group, or depthwise) summing into
//    int32 from zero, the input padded with level 0; the fixed-point
//    requantization q' = clamp((acc * M + B) >> S, lo, hi) per output
//    channel is an element-wise op that tiling fuses the convolution into:
//    in 32-bit integers with the accumulator clamped to the window that
//    maps inside [lo, hi] first (NarrowRequant, exact), in 64-bit ones for
//    a Requant without that form. An fc is a convolution whose window is its
//    whole input.
//  * MaxPool: int8 max over the input padded with -128, below every level,
//    so that positions outside the input never win.
//  * AvgPool: int32 sums over the input padded with level 0, requantized
//    per output position by the Requant of its count of positions inside.
//  * Add: (x * M1 + z * M2) requantized by requant[0].
//  * Copy: per channel requantized copies into a slice (with a stride for
//    a channel shuffle) of their output, which starts at zero unless the
//    copies cover it.
//  * HardSwish: x · clamp(x + offsetLevel, 0, capLevel), requantized.
//  * Scale: each sample's levels times its gate's level of their channel
//    (squeeze-and-excitation), requantized.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "nasc/Conversion/NASToLinalg/FilterLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace nasc;

namespace {

/// Builds the function's body: values are NHWC tensors with a dynamic
/// batch.
struct IntegerLowering {
  IntegerLowering(const IntegerNetwork &net, OpBuilder &b, Location loc)
      : net(net), b(b), loc(loc) {
    for (const IntTensor &t : net.tensors)
      stored.push_back(getStoredChannels(t.channels));
    stored[net.input] = net.tensors[net.input].channels;
  }

  const IntegerNetwork &net;
  OpBuilder &b;
  Location loc;
  Value batch;
  /// Each tensor's current value (NHWC, int8 levels).
  std::vector<Value> values;
  /// Each tensor's channels in memory (getStoredChannels).
  std::vector<int64_t> stored;

  /// The channels a tensor keeps in memory: its own rounded up to 16 where
  /// that adds at most a fifth, else to 8 where it adds at most a third, so
  /// that the convolutions writing it have output extents VNNI's dot
  /// products cover (IntegerDot.cpp). The channels added hold whatever
  /// the ops compute from zero weights and zero requantizations: nothing
  /// reads them but ops of their own channel, and the output drops them.
  static int64_t getStoredChannels(int64_t channels) {
    int64_t by16 = llvm::alignTo(channels, 16),
            by8 = llvm::alignTo(channels, 8);
    if (5 * by16 <= 6 * channels)
      return by16;
    if (3 * by8 <= 4 * channels)
      return by8;
    return channels;
  }

  Type i8() { return b.getI8Type(); }
  Type i32() { return b.getI32Type(); }

  SmallVector<OpFoldResult> sizes(ArrayRef<int64_t> dims) {
    SmallVector<OpFoldResult> all{batch};
    for (int64_t d : dims)
      all.push_back(b.getIndexAttr(d));
    return all;
  }
  /// The offsets of an NHWC slice starting at `channel`.
  SmallVector<OpFoldResult> channelOffsets(int64_t channel) {
    SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
    offsets.push_back(b.getIndexAttr(channel));
    return offsets;
  }
  Value empty(ArrayRef<int64_t> dims, Type element) {
    return b.create<tensor::EmptyOp>(loc, sizes(dims), element);
  }
  Value filled(ArrayRef<int64_t> dims, Type element, int64_t value) {
    Value zero =
        b.create<arith::ConstantOp>(loc, b.getIntegerAttr(element, value));
    return b
        .create<linalg::FillOp>(loc, ValueRange{zero},
                                ValueRange{empty(dims, element)})
        .getResult(0);
  }
  template <typename T>
  Value constant(ArrayRef<int64_t> shape, Type element, ArrayRef<T> data) {
    auto type = RankedTensorType::get(shape, element);
    SmallVector<APInt> bits;
    bits.reserve(data.size());
    for (T v : data)
      bits.push_back(APInt(element.getIntOrFloatBitWidth(), int64_t(v),
                           /*isSigned=*/true));
    return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, bits));
  }

  /// Tensor `index`'s value's dimensions after the batch: H, W and its
  /// stored channels.
  SmallVector<int64_t> dimsOf(int index) const {
    const IntTensor &t = net.tensors[index];
    return {t.height, t.width, stored[index]};
  }

  /// Tensor `index`'s value padded on the spatial dimensions with `value`.
  Value pad(int index, int64_t top, int64_t bottom, int64_t left, int64_t right,
            int64_t value) {
    Value x = values[index];
    if (!top && !bottom && !left && !right)
      return x;
    const IntTensor &in = net.tensors[index];
    SmallVector<int64_t> dims{in.height + top + bottom, in.width + left + right,
                              stored[index]};
    SmallVector<int64_t> shape{ShapedType::kDynamic};
    shape.append(dims);
    SmallVector<OpFoldResult> low{b.getIndexAttr(0), b.getIndexAttr(top),
                                  b.getIndexAttr(left), b.getIndexAttr(0)};
    SmallVector<OpFoldResult> high{b.getIndexAttr(0), b.getIndexAttr(bottom),
                                   b.getIndexAttr(right), b.getIndexAttr(0)};
    Value padding =
        b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i8(), value));
    return b.create<tensor::PadOp>(loc, RankedTensorType::get(shape, i8()), x,
                                   low, high, padding);
  }

  /// The padding below and right of a window op's input: what its last
  /// output reads past the input (none when it reads less).
  static std::pair<int64_t, int64_t>
  getFarPadding(const IntOp &op, const IntTensor &in, const IntTensor &out) {
    int64_t bottom =
        (out.height - 1) * op.stride + op.kernelH - op.padTop - in.height;
    int64_t right =
        (out.width - 1) * op.stride + op.kernelW - op.padLeft - in.width;
    return {std::max<int64_t>(bottom, 0), std::max<int64_t>(right, 0)};
  }

  /// An element-wise generic over NHWC `dims` reading `inputs` through
  /// `maps` into a new tensor of `element`.
  Value map(ArrayRef<int64_t> dims, Type element, ValueRange inputs,
            ArrayRef<AffineMap> maps,
            function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    Value init = empty(dims, element);
    SmallVector<AffineMap> all(maps.begin(), maps.end());
    all.push_back(b.getMultiDimIdentityMap(4));
    return b
        .create<linalg::GenericOp>(
            loc, TypeRange{init.getType()}, inputs, ValueRange{init}, all,
            SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
            [&](OpBuilder &nb, Location l, ValueRange args) {
              nb.create<linalg::YieldOp>(l, body(nb, l, args));
            })
        .getResult(0);
  }

  AffineMap channelMap() {
    return AffineMap::get(4, 0, {b.getAffineDimExpr(3)}, b.getContext());
  }
  AffineMap positionMap() {
    return AffineMap::get(4, 0, {b.getAffineDimExpr(1), b.getAffineDimExpr(2)},
                          b.getContext());
  }

  /// The per-element parameters of Requants (one per channel or position):
  /// their 32-bit form (NarrowRequant: accLo, accHi, M, B, S) where every
  /// one has it and the accumulators fit 32 bits, else 64-bit (M, B, S).
  struct RequantTable {
    bool narrow = true;
    /// Narrow: whether any needs the clamp of its result.
    bool clampsResult = false;
    int64_t lo = 0, hi = 0;
    std::vector<std::vector<int64_t>> columns;

    RequantTable(ArrayRef<Requant> list, bool accumulatorsFit32 = true) {
      lo = list.front().lo;
      hi = list.front().hi;
      std::vector<NarrowRequant> forms;
      for (const Requant &r : list) {
        assert(r.lo == lo && r.hi == hi && "one clamp per op");
        std::optional<NarrowRequant> n = r.narrow();
        narrow &= accumulatorsFit32 && n.has_value();
        if (n)
          forms.push_back(*n);
      }
      if (narrow) {
        columns.assign(5, {});
        for (const NarrowRequant &n : forms) {
          columns[0].push_back(n.accLo);
          columns[1].push_back(n.accHi);
          columns[2].push_back(n.multiplier);
          columns[3].push_back(n.offset);
          columns[4].push_back(n.shift);
          clampsResult |= n.clampsResult;
        }
        return;
      }
      columns.assign(3, {});
      for (const Requant &r : list) {
        columns[0].push_back(r.multiplier);
        columns[1].push_back(r.offset);
        columns[2].push_back(r.shift);
      }
    }

    /// The arithmetic's type (the accumulator is extended to it).
    Type type(OpBuilder &nb) const {
      return narrow ? nb.getI32Type() : nb.getI64Type();
    }
    Value extend(OpBuilder &nb, Location l, Value v) const {
      Type t = type(nb);
      return v.getType() == t ? v : nb.create<arith::ExtSIOp>(l, t, v);
    }
    Value constant(OpBuilder &nb, Location l, int64_t v) const {
      return nb.create<arith::ConstantOp>(l, nb.getIntegerAttr(type(nb), v));
    }
    /// The first Requant's parameters as scalar constants.
    SmallVector<Value> scalars(OpBuilder &nb, Location l) const {
      SmallVector<Value> params;
      for (const std::vector<int64_t> &column : columns)
        params.push_back(constant(nb, l, column.front()));
      return params;
    }
    /// `acc` (of type()) requantized by `params` (one per column), as int8.
    Value apply(OpBuilder &nb, Location l, Value acc, ValueRange params) const {
      Value v = acc;
      if (narrow) {
        v = nb.create<arith::MaxSIOp>(l, v, params[0]);
        v = nb.create<arith::MinSIOp>(l, v, params[1]);
        params = params.drop_front(2);
      }
      v = nb.create<arith::ShRSIOp>(
          l,
          nb.create<arith::AddIOp>(l, nb.create<arith::MulIOp>(l, v, params[0]),
                                   params[1]),
          params[2]);
      if (!narrow || clampsResult) {
        v = nb.create<arith::MaxSIOp>(l, v, constant(nb, l, lo));
        v = nb.create<arith::MinSIOp>(l, v, constant(nb, l, hi));
      }
      return nb.create<arith::TruncIOp>(l, nb.getI8Type(), v);
    }
  };

  /// `acc` ([N, H, W, C], int32 sums or int8 levels) requantized by
  /// `table`, whose columns have `paramShape` and are read through
  /// `paramMap`.
  Value requantize(Value acc, ArrayRef<int64_t> dims, const RequantTable &table,
                   ArrayRef<int64_t> paramShape, AffineMap paramMap) {
    SmallVector<Value> inputs{acc};
    SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(4)};
    for (const std::vector<int64_t> &column : table.columns) {
      inputs.push_back(
          constant<int64_t>(paramShape, table.type(b), ArrayRef(column)));
      maps.push_back(paramMap);
    }
    return map(dims, i8(), inputs, maps,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 return table.apply(nb, l, table.extend(nb, l, args[0]),
                                    args.drop_front());
               });
  }

  /// `acc` requantized per channel by `requant`.
  Value requantizeChannels(Value acc, ArrayRef<int64_t> dims,
                           ArrayRef<Requant> requant) {
    return requantize(acc, dims, RequantTable(requant), {dims.back()},
                      channelMap());
  }

  Value conv(const IntOp &op) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    auto [bottom, right] = getFarPadding(op, in, out);
    Value padded = pad(op.input, op.padTop, bottom, op.padLeft, right, 0);
    int64_t kh = op.kernelH, kw = op.kernelW, groups = op.groups;
    int64_t inC = in.channels, outC = out.channels;
    int64_t inStored = stored[op.input], outStored = stored[op.output];
    // The stored channels beyond the tensors' own: zero weights and a zero
    // requantization.
    std::vector<Requant> requant = op.requant;
    Requant zero;
    zero.multiplier = 0;
    zero.lo = requant.front().lo;
    zero.hi = requant.front().hi;
    requant.resize(outStored, zero);
    int64_t perGroup = inC / groups, outPerGroup = outC / groups;
    int64_t paddedH = in.height + op.padTop + bottom;
    int64_t paddedW = in.width + op.padLeft + right;
    NamedAttribute strides =
        b.getNamedAttr("strides", b.getI64TensorAttr({op.stride, op.stride}));
    NamedAttribute dilations =
        b.getNamedAttr("dilations", b.getI64TensorAttr({1, 1}));
    SmallVector<int64_t> outDims = dimsOf(op.output);
    Value sums;
    if (groups > 1 && groups == inC && outC == inC) {
      // Depthwise: [C, 1, kh, kw] -> [kh, kw, C]. No channel reduction,
      // so no dot product of bytes: 32-bit products (summing the levels in
      // float32, exact below 2^24, with the bytes converted in registers,
      // was as fast on a mobile candidate).
      std::vector<int8_t> weights = op.weights;
      weights.resize(outStored * kh * kw, 0);
      std::vector<int8_t> filter =
          getDepthwiseFilterHWC<int8_t>(weights, outStored, kh, kw);
      Value init = filled(outDims, i32(), 0);
      sums =
          b.create<linalg::DepthwiseConv2DNhwcHwcOp>(
               loc, TypeRange{init.getType()},
               ValueRange{padded,
                          constant<int8_t>({kh, kw, outStored}, i8(), filter)},
               ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
              .getResult(0);
    } else if (groups == 1) {
      // [O, I, kh, kw] with the stored channels -> [kh, kw, I, O].
      std::vector<int8_t> weights(outStored * inStored * kh * kw, 0);
      for (int64_t o = 0; o < outC; ++o)
        std::copy_n(op.weights.begin() + o * inC * kh * kw, inC * kh * kw,
                    weights.begin() + o * inStored * kh * kw);
      std::vector<int8_t> filter =
          getGroupFilterHWCF<int8_t>(weights, 0, outStored, inStored, kh, kw);
      Value init = filled(outDims, i32(), 0);
      sums =
          b.create<linalg::Conv2DNhwcHwcfOp>(
               loc, TypeRange{init.getType()},
               ValueRange{padded,
                          constant<int8_t>({kh, kw, inStored, outStored}, i8(),
                                           filter)},
               ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
              .getResult(0);
    } else {
      // Per group: [O/g, I/g, kh, kw] -> [kh, kw, I/g, O/g], each group
      // summing into an initializer of its own (NASToLinalg's emitConv),
      // the stored channels beyond the groups' at zero.
      SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
      sums =
          outStored == outC ? empty(outDims, i32()) : filled(outDims, i32(), 0);
      for (int64_t g = 0; g < groups; ++g) {
        std::vector<int8_t> filter = getGroupFilterHWCF<int8_t>(
            op.weights, g, outPerGroup, perGroup, kh, kw);
        Value input = b.create<tensor::ExtractSliceOp>(
            loc, padded, channelOffsets(g * perGroup),
            sizes({paddedH, paddedW, perGroup}), ones);
        Value init = filled({out.height, out.width, outPerGroup}, i32(), 0);
        Value group =
            b.create<linalg::Conv2DNhwcHwcfOp>(
                 loc, TypeRange{init.getType()},
                 ValueRange{input,
                            constant<int8_t>({kh, kw, perGroup, outPerGroup},
                                             i8(), filter)},
                 ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
                .getResult(0);
        sums = b.create<tensor::InsertSliceOp>(
            loc, group, sums, channelOffsets(g * outPerGroup),
            sizes({out.height, out.width, outPerGroup}), ones);
      }
    }
    return requantizeChannels(sums, outDims, requant);
  }

  Value pool(const IntOp &op) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    bool isMax = op.kind == IntOpKind::MaxPool;
    auto [bottom, right] = getFarPadding(op, in, out);
    Value padded =
        pad(op.input, op.padTop, bottom, op.padLeft, right, isMax ? -128 : 0);
    SmallVector<int64_t> outDims = dimsOf(op.output);
    NamedAttribute strides =
        b.getNamedAttr("strides", b.getI64TensorAttr({op.stride, op.stride}));
    NamedAttribute dilations =
        b.getNamedAttr("dilations", b.getI64TensorAttr({1, 1}));
    Value window = b.create<tensor::EmptyOp>(
        loc, ArrayRef<int64_t>{op.kernelH, op.kernelW}, i8());
    if (isMax) {
      Value init = filled(outDims, i8(), -128);
      return b
          .create<linalg::PoolingNhwcMaxOp>(
              loc, TypeRange{init.getType()}, ValueRange{padded, window},
              ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
          .getResult(0);
    }
    Value init = filled(outDims, i32(), 0);
    Value sums =
        b.create<linalg::PoolingNhwcSumOp>(
             loc, TypeRange{init.getType()}, ValueRange{padded, window},
             ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
            .getResult(0);
    // Each output position's Requant is that of its count of positions
    // inside the input.
    std::vector<Requant> perPosition;
    for (int64_t oy = 0; oy < out.height; ++oy)
      for (int64_t ox = 0; ox < out.width; ++ox) {
        auto inside = [](int64_t first, int64_t k, int64_t size) {
          return std::min(first + k, size) - std::max<int64_t>(first, 0);
        };
        int64_t count =
            inside(oy * op.stride - op.padTop, op.kernelH, in.height) *
            inside(ox * op.stride - op.padLeft, op.kernelW, in.width);
        perPosition.push_back(op.requant[count - 1]);
      }
    return requantize(sums, outDims, RequantTable(perPosition),
                      {out.height, out.width}, positionMap());
  }

  Value add(const IntOp &op) {
    // |x·M1 + z·M2| < 2^24 with 16-bit multipliers.
    RequantTable table(ArrayRef(op.requant).take_front());
    int64_t m1 = op.requant[1].multiplier, m2 = op.requant[2].multiplier;
    AffineMap id = b.getMultiDimIdentityMap(4);
    return map(
        dimsOf(op.output), i8(), {values[op.input], values[op.secondInput]},
        {id, id}, [&](OpBuilder &nb, Location l, ValueRange args) {
          auto c = [&](int64_t v) { return table.constant(nb, l, v); };
          Value sum = nb.create<arith::AddIOp>(
              l,
              nb.create<arith::MulIOp>(l, table.extend(nb, l, args[0]), c(m1)),
              nb.create<arith::MulIOp>(l, table.extend(nb, l, args[1]), c(m2)));
          return table.apply(nb, l, sum, table.scalars(nb, l));
        });
  }

  /// x · clamp(x + offsetLevel, 0, capLevel), requantized.
  Value hardSwish(const IntOp &op) {
    RequantTable table(ArrayRef(op.requant).take_front(),
                       /*accumulatorsFit32=*/op.capLevel < (int64_t(1) << 23) &&
                           op.offsetLevel < (int64_t(1) << 23));
    AffineMap id = b.getMultiDimIdentityMap(4);
    return map(dimsOf(op.output), i8(), {values[op.input]}, {id},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 auto c = [&](int64_t v) { return table.constant(nb, l, v); };
                 Value x = table.extend(nb, l, args[0]);
                 Value t = nb.create<arith::AddIOp>(l, x, c(op.offsetLevel));
                 t = nb.create<arith::MinSIOp>(
                     l, nb.create<arith::MaxSIOp>(l, t, c(0)), c(op.capLevel));
                 return table.apply(nb, l, nb.create<arith::MulIOp>(l, x, t),
                                    table.scalars(nb, l));
               });
  }

  /// x[n, y, x, c] · gate[n, c], requantized.
  Value scale(const IntOp &op) {
    RequantTable table(ArrayRef(op.requant).take_front());
    Value gate = b.create<tensor::CollapseShapeOp>(
        loc,
        RankedTensorType::get({ShapedType::kDynamic, stored[op.secondInput]},
                              i8()),
        values[op.secondInput], ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    AffineMap id = b.getMultiDimIdentityMap(4);
    AffineMap perSample = AffineMap::get(
        4, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(3)}, b.getContext());
    return map(dimsOf(op.output), i8(), {values[op.input], gate},
               {id, perSample},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 Value product =
                     nb.create<arith::MulIOp>(l, table.extend(nb, l, args[0]),
                                              table.extend(nb, l, args[1]));
                 return table.apply(nb, l, product, table.scalars(nb, l));
               });
  }

  /// Writes `op`'s copied channels into its output's current value.
  void copy(const IntOp &op, Value &output) {
    const IntTensor &in = net.tensors[op.input];
    int64_t count = getCopiedChannels(op, in);
    SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
    Value x = values[op.input];
    if (count != stored[op.input])
      x = b.create<tensor::ExtractSliceOp>(
          loc, x, channelOffsets(op.inChannelOffset),
          sizes({in.height, in.width, count}), ones);
    Value levels =
        requantizeChannels(x, {in.height, in.width, count},
                           ArrayRef<Requant>(op.requant).take_front(count));
    SmallVector<OpFoldResult> strides = ones;
    strides[3] = b.getIndexAttr(op.outChannelStride);
    output = b.create<tensor::InsertSliceOp>(
        loc, levels, output, channelOffsets(op.outChannelOffset),
        sizes({in.height, in.width, count}), strides);
  }
};

} // namespace

FailureOr<func::FuncOp> cpu::lowerIntegerNetwork(const IntegerNetwork &net,
                                                 ModuleOp module,
                                                 StringRef name,
                                                 LoweredSignature &signature) {
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerLinalgLoweringDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadAllAvailableDialects();

  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Location loc = UnknownLoc::get(ctx);
  const IntTensor &in = net.tensors[net.input];
  const IntTensor &out = net.tensors[net.output];
  SmallVector<int64_t> inputDims{ShapedType::kDynamic, in.channels};
  if (in.spatial)
    inputDims.append({in.height, in.width});
  SmallVector<int64_t> outputDims{ShapedType::kDynamic, out.channels};
  if (out.spatial)
    outputDims.append({out.height, out.width});
  auto inputType = RankedTensorType::get(inputDims, b.getF32Type());
  auto outputType = RankedTensorType::get(outputDims, b.getF32Type());
  auto func = b.create<func::FuncOp>(
      loc, name, b.getFunctionType({inputType}, {outputType}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);

  IntegerLowering lowering(net, b, loc);
  Value input = entry->getArgument(0);
  lowering.batch = b.create<tensor::DimOp>(loc, input, 0).getResult();
  lowering.values.assign(net.tensors.size(), Value());

  // The input's levels, NCHW (or [N, F]) to NHWC.
  auto d = [&](unsigned i) { return b.getAffineDimExpr(i); };
  AffineMap fromInput =
      in.spatial ? AffineMap::get(4, 0, {d(0), d(3), d(1), d(2)}, ctx)
                 : AffineMap::get(4, 0, {d(0), d(3)}, ctx);
  double scale = in.scale, top = double(in.topLevel());
  lowering.values[net.input] = lowering.map(
      lowering.dimsOf(net.input), b.getI8Type(), {input}, {fromInput},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        auto f64 = [&](double v) -> Value {
          return nb.create<arith::ConstantOp>(l, nb.getF64FloatAttr(v));
        };
        Value x = nb.create<arith::ExtFOp>(l, nb.getF64Type(), args[0]);
        Value level = nb.create<math::RoundEvenOp>(
            l, nb.create<arith::DivFOp>(l, x, f64(scale)));
        level = nb.create<arith::MinimumFOp>(
            l, nb.create<arith::MaximumFOp>(l, level, f64(-top)), f64(top));
        return nb.create<arith::FPToSIOp>(l, nb.getI8Type(), level);
      });

  // A Copy's output starts at zero unless its copies cover it.
  std::vector<int64_t> copied(net.tensors.size(), 0);
  for (const IntOp &op : net.ops)
    if (op.kind == IntOpKind::Copy)
      copied[op.output] += getCopiedChannels(op, net.tensors[op.input]);
  for (const IntOp &op : net.ops) {
    Value &y = lowering.values[op.output];
    switch (op.kind) {
    case IntOpKind::Conv:
      y = lowering.conv(op);
      break;
    case IntOpKind::MaxPool:
    case IntOpKind::AvgPool:
      y = lowering.pool(op);
      break;
    case IntOpKind::Add:
      y = lowering.add(op);
      break;
    case IntOpKind::HardSwish:
      y = lowering.hardSwish(op);
      break;
    case IntOpKind::Scale:
      y = lowering.scale(op);
      break;
    case IntOpKind::Copy:
      if (!y) {
        SmallVector<int64_t> dims = lowering.dimsOf(op.output);
        y = copied[op.output] == dims.back()
                ? lowering.empty(dims, b.getI8Type())
                : lowering.filled(dims, b.getI8Type(), 0);
      }
      lowering.copy(op, y);
      break;
    }
  }

  // The output's real values, NHWC to NCHW (or [N, K]), without the
  // channels stored beyond its own.
  Value levels = lowering.values[net.output];
  if (lowering.stored[net.output] != out.channels)
    levels = b.create<tensor::ExtractSliceOp>(
        loc, levels, lowering.channelOffsets(0),
        lowering.sizes({out.height, out.width, out.channels}),
        SmallVector<OpFoldResult>(4, b.getIndexAttr(1)));
  unsigned rank = out.spatial ? 4 : 2;
  AffineMap toOutput = out.spatial
                           ? AffineMap::get(4, 0, {d(0), d(2), d(3), d(1)}, ctx)
                           : b.getMultiDimIdentityMap(2);
  if (!out.spatial)
    levels = b.create<tensor::CollapseShapeOp>(
        loc, RankedTensorType::get(outputDims, b.getI8Type()), levels,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  SmallVector<OpFoldResult> outSizes{lowering.batch};
  for (int64_t dim : ArrayRef<int64_t>(outputDims).drop_front())
    outSizes.push_back(b.getIndexAttr(dim));
  Value init = b.create<tensor::EmptyOp>(loc, outSizes, b.getF32Type());
  double outScale = out.scale;
  Value result =
      b.create<linalg::GenericOp>(
           loc, TypeRange{outputType}, ValueRange{levels}, ValueRange{init},
           ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank), toOutput},
           SmallVector<utils::IteratorType>(rank,
                                            utils::IteratorType::parallel),
           [&](OpBuilder &nb, Location l, ValueRange args) {
             Value y = nb.create<arith::SIToFPOp>(l, nb.getF64Type(), args[0]);
             y = nb.create<arith::MulFOp>(
                 l, y,
                 nb.create<arith::ConstantOp>(l, nb.getF64FloatAttr(outScale)));
             nb.create<linalg::YieldOp>(
                 l,
                 ValueRange{nb.create<arith::TruncFOp>(l, nb.getF32Type(), y)});
           })
          .getResult(0);
  b.create<func::ReturnOp>(loc, result);

  signature.inputShape.assign(inputDims.begin() + 1, inputDims.end());
  signature.outputShape.assign(outputDims.begin() + 1, outputDims.end());
  signature.samplesIndependent = true;
  return func;
}
