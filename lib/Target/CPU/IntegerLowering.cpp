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
//    channel, in 64-bit integers, is an element-wise op that tiling fuses
//    the convolution into. An fc is a convolution whose window is its
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

#include <algorithm>

using namespace mlir;
using namespace nasc;

namespace {

/// Builds the function's body: values are NHWC tensors with a dynamic
/// batch.
struct IntegerLowering {
  IntegerLowering(const IntegerNetwork &net, OpBuilder &b, Location loc)
      : net(net), b(b), loc(loc) {}

  const IntegerNetwork &net;
  OpBuilder &b;
  Location loc;
  Value batch;
  /// Each tensor's current value (NHWC, int8 levels).
  std::vector<Value> values;

  Type i8() { return b.getI8Type(); }
  Type i32() { return b.getI32Type(); }
  Type i64() { return b.getI64Type(); }

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

  static SmallVector<int64_t> dimsOf(const IntTensor &t) {
    return {t.height, t.width, t.channels};
  }

  /// `x` padded on the spatial dimensions with `value`.
  Value pad(Value x, const IntTensor &in, int64_t top, int64_t bottom,
            int64_t left, int64_t right, int64_t value) {
    if (!top && !bottom && !left && !right)
      return x;
    SmallVector<int64_t> dims{in.height + top + bottom, in.width + left + right,
                              in.channels};
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

  /// Requant::apply on a 64-bit `acc` with 64-bit parameters, as int8.
  static Value requantize(OpBuilder &nb, Location l, Value acc, Value m,
                          Value offset, Value shift, int64_t lo, int64_t hi) {
    Value v = nb.create<arith::ShRSIOp>(
        l,
        nb.create<arith::AddIOp>(l, nb.create<arith::MulIOp>(l, acc, m),
                                 offset),
        shift);
    v = nb.create<arith::MaxSIOp>(l, v, constantI64(nb, l, lo));
    v = nb.create<arith::MinSIOp>(l, v, constantI64(nb, l, hi));
    return nb.create<arith::TruncIOp>(l, nb.getI8Type(), v);
  }
  static Value constantI64(OpBuilder &nb, Location l, int64_t v) {
    return nb.create<arith::ConstantOp>(l, nb.getI64IntegerAttr(v));
  }
  static Value widen(OpBuilder &nb, Location l, Value v) {
    return nb.create<arith::ExtSIOp>(l, nb.getI64Type(), v);
  }

  /// `acc` (int32 [N, H, W, C]) requantized per channel by `requant`.
  Value requantizeChannels(Value acc, ArrayRef<int64_t> dims,
                           ArrayRef<Requant> requant) {
    int64_t c = dims.back();
    std::vector<int64_t> m(c), offset(c), shift(c);
    bool sameClamp = true;
    for (int64_t i = 0; i < c; ++i) {
      m[i] = requant[i].multiplier;
      offset[i] = requant[i].offset;
      shift[i] = requant[i].shift;
      sameClamp &=
          requant[i].lo == requant[0].lo && requant[i].hi == requant[0].hi;
    }
    assert(sameClamp && "one clamp per op");
    (void)sameClamp;
    int64_t lo = requant[0].lo, hi = requant[0].hi;
    AffineMap id = b.getMultiDimIdentityMap(4), ch = channelMap();
    return map(dims, i8(),
               {acc, constant<int64_t>({c}, i64(), m),
                constant<int64_t>({c}, i64(), offset),
                constant<int64_t>({c}, i64(), shift)},
               {id, ch, ch, ch},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 return requantize(nb, l, widen(nb, l, args[0]), args[1],
                                   args[2], args[3], lo, hi);
               });
  }

  Value conv(const IntOp &op) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    auto [bottom, right] = getFarPadding(op, in, out);
    Value padded =
        pad(values[op.input], in, op.padTop, bottom, op.padLeft, right, 0);
    int64_t kh = op.kernelH, kw = op.kernelW, groups = op.groups;
    int64_t inC = in.channels, outC = out.channels;
    int64_t perGroup = inC / groups, outPerGroup = outC / groups;
    int64_t paddedH = in.height + op.padTop + bottom;
    int64_t paddedW = in.width + op.padLeft + right;
    NamedAttribute strides =
        b.getNamedAttr("strides", b.getI64TensorAttr({op.stride, op.stride}));
    NamedAttribute dilations =
        b.getNamedAttr("dilations", b.getI64TensorAttr({1, 1}));
    SmallVector<int64_t> outDims = dimsOf(out);
    Value sums;
    if (groups > 1 && groups == inC && outC == inC) {
      // Depthwise: [C, 1, kh, kw] -> [kh, kw, C]. No channel reduction,
      // so no dot product of bytes: 32-bit products (summing the levels in
      // float32, exact below 2^24, with the bytes converted in registers,
      // was as fast on a mobile candidate).
      std::vector<int8_t> filter =
          getDepthwiseFilterHWC<int8_t>(op.weights, inC, kh, kw);
      Value init = filled(outDims, i32(), 0);
      sums =
          b.create<linalg::DepthwiseConv2DNhwcHwcOp>(
               loc, TypeRange{init.getType()},
               ValueRange{padded,
                          constant<int8_t>({kh, kw, inC}, i8(), filter)},
               ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
              .getResult(0);
    } else {
      // Per group: [O/g, I/g, kh, kw] -> [kh, kw, I/g, O/g], each group
      // summing into an initializer of its own (NASToLinalg's emitConv).
      SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
      if (groups > 1)
        sums = empty(outDims, i32());
      for (int64_t g = 0; g < groups; ++g) {
        std::vector<int8_t> filter = getGroupFilterHWCF<int8_t>(
            op.weights, g, outPerGroup, perGroup, kh, kw);
        Value input = padded;
        if (groups > 1)
          input = b.create<tensor::ExtractSliceOp>(
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
        if (groups == 1) {
          sums = group;
          break;
        }
        sums = b.create<tensor::InsertSliceOp>(
            loc, group, sums, channelOffsets(g * outPerGroup),
            sizes({out.height, out.width, outPerGroup}), ones);
      }
    }
    return requantizeChannels(sums, outDims, op.requant);
  }

  Value pool(const IntOp &op) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    bool isMax = op.kind == IntOpKind::MaxPool;
    auto [bottom, right] = getFarPadding(op, in, out);
    Value padded = pad(values[op.input], in, op.padTop, bottom, op.padLeft,
                       right, isMax ? -128 : 0);
    SmallVector<int64_t> outDims = dimsOf(out);
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
    int64_t positions = out.height * out.width;
    std::vector<int64_t> m(positions), offset(positions), shift(positions);
    for (int64_t oy = 0; oy < out.height; ++oy)
      for (int64_t ox = 0; ox < out.width; ++ox) {
        auto inside = [](int64_t first, int64_t k, int64_t size) {
          return std::min(first + k, size) - std::max<int64_t>(first, 0);
        };
        int64_t count =
            inside(oy * op.stride - op.padTop, op.kernelH, in.height) *
            inside(ox * op.stride - op.padLeft, op.kernelW, in.width);
        const Requant &r = op.requant[count - 1];
        int64_t p = oy * out.width + ox;
        m[p] = r.multiplier;
        offset[p] = r.offset;
        shift[p] = r.shift;
      }
    int64_t lo = op.requant[0].lo, hi = op.requant[0].hi;
    SmallVector<int64_t> grid{out.height, out.width};
    AffineMap id = b.getMultiDimIdentityMap(4), pos = positionMap();
    return map(outDims, i8(),
               {sums, constant<int64_t>(grid, i64(), m),
                constant<int64_t>(grid, i64(), offset),
                constant<int64_t>(grid, i64(), shift)},
               {id, pos, pos, pos},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 return requantize(nb, l, widen(nb, l, args[0]), args[1],
                                   args[2], args[3], lo, hi);
               });
  }

  Value add(const IntOp &op) {
    const IntTensor &out = net.tensors[op.output];
    const Requant &r = op.requant[0];
    int64_t m1 = op.requant[1].multiplier, m2 = op.requant[2].multiplier;
    AffineMap id = b.getMultiDimIdentityMap(4);
    return map(dimsOf(out), i8(), {values[op.input], values[op.secondInput]},
               {id, id}, [&](OpBuilder &nb, Location l, ValueRange args) {
                 auto c = [&](int64_t v) { return constantI64(nb, l, v); };
                 Value sum = nb.create<arith::AddIOp>(
                     l,
                     nb.create<arith::MulIOp>(l, widen(nb, l, args[0]), c(m1)),
                     nb.create<arith::MulIOp>(l, widen(nb, l, args[1]), c(m2)));
                 return requantize(nb, l, sum, c(r.multiplier), c(r.offset),
                                   c(r.shift), r.lo, r.hi);
               });
  }

  /// x · clamp(x + offsetLevel, 0, capLevel), requantized.
  Value hardSwish(const IntOp &op) {
    const IntTensor &out = net.tensors[op.output];
    const Requant &r = op.requant[0];
    AffineMap id = b.getMultiDimIdentityMap(4);
    return map(dimsOf(out), i8(), {values[op.input]}, {id},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 auto c = [&](int64_t v) { return constantI64(nb, l, v); };
                 Value x = widen(nb, l, args[0]);
                 Value t = nb.create<arith::AddIOp>(l, x, c(op.offsetLevel));
                 t = nb.create<arith::MinSIOp>(
                     l, nb.create<arith::MaxSIOp>(l, t, c(0)), c(op.capLevel));
                 return requantize(nb, l, nb.create<arith::MulIOp>(l, x, t),
                                   c(r.multiplier), c(r.offset), c(r.shift),
                                   r.lo, r.hi);
               });
  }

  /// x[n, y, x, c] · gate[n, c], requantized.
  Value scale(const IntOp &op) {
    const IntTensor &out = net.tensors[op.output];
    const IntTensor &gateTensor = net.tensors[op.secondInput];
    const Requant &r = op.requant[0];
    Value gate = b.create<tensor::CollapseShapeOp>(
        loc,
        RankedTensorType::get({ShapedType::kDynamic, gateTensor.channels},
                              i8()),
        values[op.secondInput], ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    AffineMap id = b.getMultiDimIdentityMap(4);
    AffineMap perSample = AffineMap::get(
        4, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(3)}, b.getContext());
    return map(dimsOf(out), i8(), {values[op.input], gate}, {id, perSample},
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 auto c = [&](int64_t v) { return constantI64(nb, l, v); };
                 Value product = nb.create<arith::MulIOp>(
                     l, widen(nb, l, args[0]), widen(nb, l, args[1]));
                 return requantize(nb, l, product, c(r.multiplier), c(r.offset),
                                   c(r.shift), r.lo, r.hi);
               });
  }

  /// Writes `op`'s copied channels into its output's current value.
  void copy(const IntOp &op, Value &output) {
    const IntTensor &in = net.tensors[op.input];
    int64_t count = getCopiedChannels(op, in);
    SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
    Value x = values[op.input];
    if (count != in.channels)
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
      IntegerLowering::dimsOf(in), b.getI8Type(), {input}, {fromInput},
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
    const IntTensor &t = net.tensors[op.output];
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
      if (!y)
        y = copied[op.output] == t.channels
                ? lowering.empty(IntegerLowering::dimsOf(t), b.getI8Type())
                : lowering.filled(IntegerLowering::dimsOf(t), b.getI8Type(), 0);
      lowering.copy(op, y);
      break;
    }
  }

  // The output's real values, NHWC to NCHW (or [N, K]).
  Value levels = lowering.values[net.output];
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
