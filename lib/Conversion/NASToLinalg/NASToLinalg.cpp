//===- NASToLinalg.cpp - A concrete candidate as linalg on tensors --------===//
//
// Builds the primitives that nas/IR/LayerSemantics.h decomposes every layer
// into, in its order, as lib/Eval/Network.cpp does: parameters are consumed
// in LibTorch's order and the function computes LibTorch's eval-mode
// forward (docs/evaluation.md, "Lowering"). Activations are kept NHWC:
// channels innermost is what the CPU's vector units want.
//
//===----------------------------------------------------------------------===//

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/NASToLinalg/FilterLayout.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NetworkSemantics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

int64_t LoweredSignature::inputElements() const {
  int64_t n = 1;
  for (int64_t d : inputShape)
    n *= d;
  return n;
}

int64_t LoweredSignature::outputElements() const {
  int64_t n = 1;
  for (int64_t d : outputShape)
    n *= d;
  return n;
}

void nasc::registerLinalgLoweringDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, math::MathDialect,
                  tensor::TensorDialect>();
}

namespace {

/// An activation tensor: [N, H, W, C] when spatial, else [N, F] (F in c).
struct Act {
  Value value;
  int64_t c = 0, h = 1, w = 1;
  bool spatial = true;
};

using History = SmallVector<Act>;

TensorShape getShape(const Act &x) { return {x.c, x.h, x.w, x.spatial}; }

/// The largest level of a symmetric `bits`-bit quantization.
float topLevel(int64_t bits) { return float((int64_t(1) << (bits - 1)) - 1); }

/// The same in float, as LibTorch's fake quantization computes it.
void quantizeWeight(std::vector<float> &w, int64_t outChannels, int64_t bits) {
  if (bits >= 32)
    return;
  std::vector<float> scales = quantizeWeightLevels(w, outChannels, bits);
  size_t per = w.size() / outChannels;
  for (int64_t o = 0; o < outChannels; ++o)
    for (size_t i = 0; i < per; ++i)
      w[o * per + i] *= scales[o];
}

/// An activation quantized to int8 levels, with its scale (a 0-d f32
/// tensor): the real value is level times scale.
struct QuantizedAct {
  Act levels;
  Value scale;
};

/// A convolution whose output a following BN may fold into.
struct ConvRecord {
  Act input; // padded and quantized: what the convolution reads
  Act output;
  int64_t kernel, stride, groups;
  std::vector<float> weight, bias; // [O, I/g, k, k] and [O] (maybe empty)
  /// Integer arithmetic: the int32 accumulator, the input's scale and the
  /// weights' per-channel scales; a BN folds into the dequantization.
  Value accumulator, inputScale;
  std::vector<float> weightScales;
};

class Lowering {
public:
  Lowering(SpecOp spec, CostAnalysis &costs, WeightSource &weights,
           const LinalgLoweringOptions &options, OpBuilder &b)
      : spec(spec), weights(weights), options(options), b(b),
        loc(spec.getLoc()), widths(costs) {
    for (CompressOp op : spec.getBodyBlock().getOps<CompressOp>())
      compress = op;
  }

  Value batch;
  /// Set when an activation is quantized over the whole batch.
  bool batchCoupled = false;
  Act toNHWC(Value nchw, int64_t c, int64_t h, int64_t w);
  Value toNCHW(const Act &x);

  /// LayerSemantics.h's and NetworkSemantics.h's builder.
  struct LayerBuilder;

private:

  // Layers with parameters, in Network.cpp's order of parameters.
  FailureOr<Act> conv(Act x, int64_t out, int64_t kernel, int64_t stride,
                      int64_t groups, bool bias, int64_t wbits, int64_t abits);
  FailureOr<Act> batchNorm(Act x);
  FailureOr<Act> linear(Act x, int64_t out, int64_t wbits, int64_t abits);

  // Parameter-free computations.
  Act emitConv(const Act &padded, int64_t outC, int64_t oh, int64_t ow,
               int64_t kernel, int64_t stride, int64_t groups,
               const std::vector<float> &weight,
               const std::vector<float> &bias);
  Act pool(Act x, PoolKind kind, int64_t kernel, int64_t stride);
  Act globalPool(Act x, PoolKind kind);
  Act activation(Act x, ActKind kind);
  Act hardSigmoid(Act x);
  Act add(Act x, Act y);
  Act multiplyChannels(Act x, Act gate);
  Act quantizeActivation(Act x, int64_t bits);
  /// The largest magnitude of `x` over the whole batch, as a 0-d tensor.
  Value maxAbs(Act x);
  /// The quantization step of `x` at `bits`: max(maxAbs, 1e-8) / top
  /// level, as a 0-d tensor.
  Value activationScale(Act x, int64_t bits);
  QuantizedAct quantizeToLevels(Act x, int64_t bits);
  /// float(acc) * inputScale * scales[c] + shift[c].
  Act dequantize(Act acc, Value inputScale, ArrayRef<float> scales,
                 ArrayRef<float> shift);
  /// Whether a layer of these widths, summing `terms` products per output,
  /// computes in int8 with int32 sums (which must not overflow).
  bool isInteger(int64_t wbits, int64_t abits, int64_t terms) const {
    if (!options.integerArithmetic || wbits > 8 || abits > 8)
      return false;
    // Binary weights are ±1, as 2-bit ones.
    double largest = topLevel(std::max(wbits, int64_t(2))) * topLevel(abits);
    return largest * double(terms) < double(int64_t(1) << 31);
  }
  Act affine(Act x, ArrayRef<float> scale, ArrayRef<float> shift);
  Act pad(Act x, int64_t top, int64_t bottom, int64_t left, int64_t right,
          float value);
  Act concat(ArrayRef<Act> parts);
  Act zerosLike(Act x);
  Act shuffle(Act x, int64_t groups);

  // Helpers.
  RankedTensorType type(ArrayRef<int64_t> dims, Type element = {});
  SmallVector<int64_t> dims(const Act &x);
  Type elementType(const Act &x) {
    return cast<RankedTensorType>(x.value.getType()).getElementType();
  }
  Value empty(ArrayRef<int64_t> dims, Type element = {});
  Value filled(ArrayRef<int64_t> dims, float value);
  /// A zero-filled int32 tensor.
  Value zerosI32(ArrayRef<int64_t> dims);
  /// A constant of `element` type (f32, or i8 for integer `data`).
  Value constant(ArrayRef<int64_t> shape, ArrayRef<float> data,
                 Type element = {});
  Value scalar(float value);
  /// A parallel linalg.generic over `outDims` writing a fresh tensor (of
  /// `element` type, f32 by default).
  Value map(ArrayRef<int64_t> outDims, ArrayRef<Value> inputs,
            ArrayRef<AffineMap> inputMaps,
            function_ref<Value(OpBuilder &, Location, ValueRange)> body,
            Type element = {});
  /// `value` broadcast along the channels of a tensor of `outDims`.
  Value broadcastChannels(ArrayRef<int64_t> outDims, ArrayRef<float> values);
  AffineMap channelMap(unsigned rank) {
    return AffineMap::get(rank, 0, b.getAffineDimExpr(rank - 1),
                          b.getContext());
  }
  bool param(ParamKind kind, ArrayRef<int64_t> shape, std::vector<float> &data,
             Operation *op);
  int64_t getInt(Operation *op, StringRef name, int64_t fallback) {
    return getIntParam(op->getAttr(name), scopeInputs, fallback);
  }
  int64_t bits(Operation *op, StringRef name) {
    return options.quantize ? getBitWidth(op, name, compress) : 32;
  }

  SpecOp spec;
  WeightSource &weights;
  const LinalgLoweringOptions &options;
  OpBuilder &b;
  Location loc;
  CompressOp compress;
  SettledWidths widths;
  /// The operation lowered now (for diagnostics).
  Operation *current = nullptr;
  /// The input channels of the user-op calls around the layer lowered now,
  /// innermost last (LayerSemantics.h).
  SmallVector<int64_t, 4> scopeInputs;
  llvm::DenseMap<Value, ConvRecord> convs;
};

struct Lowering::LayerBuilder {
  using Value = Act;
  Lowering &lowering;

  TensorShape getShape(const Act &x) const { return ::getShape(x); }
  ArrayRef<int64_t> getScopeInputs() const { return lowering.scopeInputs; }
  int64_t getInt(Operation *op, StringRef name, int64_t defaultValue) const {
    return lowering.getInt(op, name, defaultValue);
  }
  int64_t getBits(Operation *op, StringRef name) const {
    return lowering.bits(op, name);
  }
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth,
                              int64_t) const {
    return lowering.widths.lookup(op, defaultWidth);
  }
  LogicalResult fail(Operation *op, const Twine &message) const {
    return op->emitError() << message;
  }
  void setCurrent(Operation *op) { lowering.current = op; }
  void pushScope(int64_t channels) { lowering.scopeInputs.push_back(channels); }
  void popScope() { lowering.scopeInputs.pop_back(); }
  FailureOr<Act> concat(ArrayRef<Act> parts) { return lowering.concat(parts); }
  FailureOr<Act> conv(const Act &x, const ConvSpec &spec) {
    return lowering.conv(x, spec.out, spec.kernel, spec.stride, spec.groups,
                         spec.bias, spec.wbits, spec.abits);
  }
  FailureOr<Act> batchNorm(const Act &x) { return lowering.batchNorm(x); }
  FailureOr<Act> activation(const Act &x, ActKind kind) {
    return lowering.activation(x, kind);
  }
  FailureOr<Act> hardSigmoid(const Act &x) { return lowering.hardSigmoid(x); }
  FailureOr<Act> pool(const Act &x, PoolKind kind, int64_t kernel,
                      int64_t stride) {
    return lowering.pool(x, kind, kernel, stride);
  }
  FailureOr<Act> globalPool(const Act &x, PoolKind kind) {
    return lowering.globalPool(x, kind);
  }
  FailureOr<Act> linear(const Act &x, const LinearSpec &spec) {
    return lowering.linear(x, spec.out, spec.wbits, spec.abits);
  }
  FailureOr<Act> add(const Act &x, const Act &y) { return lowering.add(x, y); }
  FailureOr<Act> scaleChannels(const Act &x, const Act &gate) {
    return lowering.multiplyChannels(x, gate);
  }
  FailureOr<Act> zeros(const Act &x) { return lowering.zerosLike(x); }
  FailureOr<Act> shuffle(const Act &x, int64_t groups) {
    return lowering.shuffle(x, groups);
  }
};

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

RankedTensorType Lowering::type(ArrayRef<int64_t> dims, Type element) {
  SmallVector<int64_t> shape{ShapedType::kDynamic};
  shape.append(dims.begin(), dims.end());
  return RankedTensorType::get(shape, element ? element : b.getF32Type());
}

SmallVector<int64_t> Lowering::dims(const Act &x) {
  if (x.spatial)
    return {x.h, x.w, x.c};
  return {x.c};
}

Value Lowering::empty(ArrayRef<int64_t> dims, Type element) {
  SmallVector<OpFoldResult> sizes{batch};
  for (int64_t d : dims)
    sizes.push_back(b.getIndexAttr(d));
  return b.create<tensor::EmptyOp>(loc, sizes,
                                   element ? element : b.getF32Type());
}

Value Lowering::scalar(float value) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(value));
}

Value Lowering::filled(ArrayRef<int64_t> dims, float value) {
  return b
      .create<linalg::FillOp>(loc, ValueRange{scalar(value)},
                              ValueRange{empty(dims)})
      .getResult(0);
}

Value Lowering::zerosI32(ArrayRef<int64_t> dims) {
  Value zero = b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(0));
  return b
      .create<linalg::FillOp>(loc, ValueRange{zero},
                              ValueRange{empty(dims, b.getI32Type())})
      .getResult(0);
}

Value Lowering::constant(ArrayRef<int64_t> shape, ArrayRef<float> data,
                         Type element) {
  if (element && element.isInteger(8)) {
    std::vector<int8_t> levels(data.begin(), data.end());
    auto type = RankedTensorType::get(shape, element);
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, ArrayRef<int8_t>(levels)));
  }
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, data));
}

Value Lowering::map(ArrayRef<int64_t> outDims, ArrayRef<Value> inputs,
                    ArrayRef<AffineMap> inputMaps,
                    function_ref<Value(OpBuilder &, Location, ValueRange)> body,
                    Type element) {
  unsigned rank = outDims.size() + 1;
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value init = empty(outDims, element);
  return b
      .create<linalg::GenericOp>(
          loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
          [&](OpBuilder &nested, Location l, ValueRange args) {
            nested.create<linalg::YieldOp>(l, body(nested, l, args));
          })
      .getResult(0);
}

Value Lowering::broadcastChannels(ArrayRef<int64_t> outDims,
                                  ArrayRef<float> values) {
  unsigned rank = outDims.size() + 1;
  return map(outDims, {constant({outDims.back()}, values)}, {channelMap(rank)},
             [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

bool Lowering::param(ParamKind kind, ArrayRef<int64_t> shape,
                     std::vector<float> &data, Operation *op) {
  std::string error;
  if (weights.next(kind, shape, data, error))
    return true;
  (op ? op : current)->emitError() << error;
  return false;
}

Act Lowering::toNHWC(Value nchw, int64_t c, int64_t h, int64_t w) {
  Value init = empty({h, w, c});
  Value t = b.create<linalg::TransposeOp>(loc, nchw, init,
                                          ArrayRef<int64_t>{0, 2, 3, 1})
                .getResult()[0];
  return Act{t, c, h, w, true};
}

Value Lowering::toNCHW(const Act &x) {
  Value init = empty({x.c, x.h, x.w});
  return b
      .create<linalg::TransposeOp>(loc, x.value, init,
                                   ArrayRef<int64_t>{0, 3, 1, 2})
      .getResult()[0];
}

//===----------------------------------------------------------------------===//
// Element-wise layers
//===----------------------------------------------------------------------===//

static Value clamp(OpBuilder &b, Location l, Value x, float lo, float hi) {
  Value low = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(lo));
  Value high = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(hi));
  return b.create<arith::MinimumFOp>(l, b.create<arith::MaximumFOp>(l, x, low),
                                     high);
}

/// relu6(x + 3) / 6: LibTorch's hardsigmoid.
static Value hardSigmoidOf(OpBuilder &b, Location l, Value x) {
  Value three = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(3));
  Value six = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(6));
  return b.create<arith::DivFOp>(
      l, clamp(b, l, b.create<arith::AddFOp>(l, x, three), 0, 6), six);
}

static Value sigmoidOf(OpBuilder &b, Location l, Value x) {
  Value one = b.create<arith::ConstantOp>(l, b.getF32FloatAttr(1));
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, x));
  return b.create<arith::DivFOp>(l, one, b.create<arith::AddFOp>(l, one, e));
}

Act Lowering::activation(Act x, ActKind kind) {
  unsigned rank = dims(x).size() + 1;
  x.value = map(dims(x), {x.value}, {b.getMultiDimIdentityMap(rank)},
                [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  Value v = args[0];
                  switch (kind) {
                  case ActKind::relu:
                    return nb.create<arith::MaximumFOp>(
                        l, v,
                        nb.create<arith::ConstantOp>(l, nb.getF32FloatAttr(0)));
                  case ActKind::relu6:
                    return clamp(nb, l, v, 0, 6);
                  case ActKind::hswish:
                    // x * relu6(x + 3) / 6, as LibTorch computes it.
                    return nb.create<arith::MulFOp>(l, v,
                                                    hardSigmoidOf(nb, l, v));
                  case ActKind::swish:
                    return nb.create<arith::MulFOp>(l, v, sigmoidOf(nb, l, v));
                  case ActKind::sigmoid:
                    return sigmoidOf(nb, l, v);
                  case ActKind::tanh:
                    return nb.create<math::TanhOp>(l, v);
                  }
                  return v;
                });
  return x;
}

Act Lowering::hardSigmoid(Act x) {
  unsigned rank = dims(x).size() + 1;
  x.value = map(dims(x), {x.value}, {b.getMultiDimIdentityMap(rank)},
                [&](OpBuilder &nb, Location l, ValueRange args) {
                  return hardSigmoidOf(nb, l, args[0]);
                });
  return x;
}

Act Lowering::add(Act x, Act y) {
  unsigned rank = dims(x).size() + 1;
  AffineMap id = b.getMultiDimIdentityMap(rank);
  x.value = map(dims(x), {x.value, y.value}, {id, id},
                [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  return nb.create<arith::AddFOp>(l, args[0], args[1]);
                });
  return x;
}

Act Lowering::multiplyChannels(Act x, Act gate) {
  // gate: [N, 1, 1, C].
  MLIRContext *ctx = b.getContext();
  AffineMap gateMap = AffineMap::get(
      4, 0,
      {b.getAffineDimExpr(0), getAffineConstantExpr(0, ctx),
       getAffineConstantExpr(0, ctx), b.getAffineDimExpr(3)},
      ctx);
  x.value = map(dims(x), {x.value, gate.value},
                {b.getMultiDimIdentityMap(4), gateMap},
                [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  return nb.create<arith::MulFOp>(l, args[0], args[1]);
                });
  return x;
}

Act Lowering::affine(Act x, ArrayRef<float> scale, ArrayRef<float> shift) {
  unsigned rank = dims(x).size() + 1;
  Value s = constant({x.c}, scale), t = constant({x.c}, shift);
  x.value = map(dims(x), {x.value, s, t},
                {b.getMultiDimIdentityMap(rank), channelMap(rank),
                 channelMap(rank)},
                [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  return nb.create<arith::AddFOp>(
                      l, nb.create<arith::MulFOp>(l, args[0], args[1]),
                      args[2]);
                });
  return x;
}

Act Lowering::zerosLike(Act x) {
  x.value = filled(dims(x), 0.0f);
  return x;
}

Act Lowering::shuffle(Act x, int64_t groups) {
  // Output channel j * g + i reads input channel i * (C / g) + j: the
  // input viewed as [N, H, W, g, C/g] is written transposed into the
  // output viewed as [N, H, W, C/g, g]. Both maps are permutations, so the
  // copy vectorizes as whole rows interleaved, where one map with
  // `c mod g` and `c floordiv g` made gathers and scatters.
  int64_t per = x.c / groups;
  SmallVector<ReassociationIndices> split{{0}, {1}, {2}, {3, 4}};
  Value grouped = b.create<tensor::ExpandShapeOp>(
      loc,
      RankedTensorType::get({ShapedType::kDynamic, x.h, x.w, groups, per},
                            b.getF32Type()),
      x.value, split);
  MLIRContext *ctx = b.getContext();
  auto dim = [&](unsigned i) { return b.getAffineDimExpr(i); };
  AffineMap read = AffineMap::get(5, 0, {dim(0), dim(1), dim(2), dim(4), dim(3)},
                                  ctx);
  Value interleaved =
      map({x.h, x.w, per, groups}, {grouped}, {read},
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  x.value = b.create<tensor::CollapseShapeOp>(loc, interleaved, split);
  return x;
}

Value Lowering::maxAbs(Act x) {
  unsigned rank = dims(x).size() + 1;
  AffineMap toScalar = AffineMap::get(rank, 0, {}, b.getContext());
  auto scalarType = RankedTensorType::get({}, b.getF32Type());
  Value init = b.create<linalg::FillOp>(
                    loc, ValueRange{scalar(0)},
                    ValueRange{b.create<tensor::EmptyOp>(
                        loc, ArrayRef<int64_t>{}, b.getF32Type())})
                   .getResult(0);
  SmallVector<utils::IteratorType> reduce(rank,
                                          utils::IteratorType::reduction);
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{scalarType}, ValueRange{x.value}, ValueRange{init},
          ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank), toScalar},
          reduce,
          [](OpBuilder &nb, Location l, ValueRange args) {
            Value a = nb.create<math::AbsFOp>(l, args[0]);
            nb.create<linalg::YieldOp>(
                l, ValueRange{nb.create<arith::MaximumFOp>(l, a, args[1])});
          })
      .getResult(0);
}

Value Lowering::activationScale(Act x, int64_t bits) {
  float top = topLevel(bits);
  MLIRContext *ctx = b.getContext();
  return b
      .create<linalg::GenericOp>(
          loc, TypeRange{RankedTensorType::get({}, b.getF32Type())},
          ValueRange{maxAbs(x)},
          ValueRange{b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{},
                                               b.getF32Type())},
          ArrayRef<AffineMap>{AffineMap::get(0, 0, {}, ctx),
                              AffineMap::get(0, 0, {}, ctx)},
          ArrayRef<utils::IteratorType>{},
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value lv = nb.create<arith::ConstantOp>(l, nb.getF32FloatAttr(top));
            Value tiny =
                nb.create<arith::ConstantOp>(l, nb.getF32FloatAttr(1e-8f));
            nb.create<linalg::YieldOp>(
                l, ValueRange{nb.create<arith::DivFOp>(
                       l, nb.create<arith::MaximumFOp>(l, args[0], tiny),
                       lv)});
          })
      .getResult(0);
}

/// round_half_even(x / scale), clamped to ±top: a level, in float.
static Value levelOf(OpBuilder &b, Location l, Value x, Value scale,
                     float top) {
  Value level =
      b.create<math::RoundEvenOp>(l, b.create<arith::DivFOp>(l, x, scale));
  return clamp(b, l, level, -top, top);
}

/// Network.cpp's quantizeActivation: symmetric, per tensor, the scale from
/// the whole batch's largest magnitude.
Act Lowering::quantizeActivation(Act x, int64_t bits) {
  if (bits >= 32)
    return x;
  batchCoupled = true;
  unsigned rank = dims(x).size() + 1;
  AffineMap toScalar = AffineMap::get(rank, 0, {}, b.getContext());
  float top = topLevel(bits);
  x.value = map(
      dims(x), {x.value, activationScale(x, bits)},
      {b.getMultiDimIdentityMap(rank), toScalar},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return nb.create<arith::MulFOp>(
            l, levelOf(nb, l, args[0], args[1], top), args[1]);
      });
  return x;
}

/// The same levels as quantizeActivation, kept as int8.
QuantizedAct Lowering::quantizeToLevels(Act x, int64_t bits) {
  batchCoupled = true;
  unsigned rank = dims(x).size() + 1;
  AffineMap toScalar = AffineMap::get(rank, 0, {}, b.getContext());
  float top = topLevel(bits);
  Value scale = activationScale(x, bits);
  Act q = x;
  q.value = map(
      dims(x), {x.value, scale}, {b.getMultiDimIdentityMap(rank), toScalar},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return nb.create<arith::FPToSIOp>(
            l, nb.getI8Type(), levelOf(nb, l, args[0], args[1], top));
      },
      b.getI8Type());
  return {q, scale};
}

Act Lowering::dequantize(Act acc, Value inputScale, ArrayRef<float> scales,
                         ArrayRef<float> shift) {
  unsigned rank = dims(acc).size() + 1;
  AffineMap toScalar = AffineMap::get(rank, 0, {}, b.getContext());
  Value s = constant({acc.c}, scales), t = constant({acc.c}, shift);
  acc.value = map(dims(acc), {acc.value, inputScale, s, t},
                  {b.getMultiDimIdentityMap(rank), toScalar, channelMap(rank),
                   channelMap(rank)},
                  [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                    Value sum = nb.create<arith::SIToFPOp>(
                        l, nb.getF32Type(), args[0]);
                    Value scale = nb.create<arith::MulFOp>(l, args[1], args[2]);
                    return nb.create<arith::AddFOp>(
                        l, nb.create<arith::MulFOp>(l, sum, scale), args[3]);
                  });
  return acc;
}

Act Lowering::pad(Act x, int64_t top, int64_t bottom, int64_t left,
                  int64_t right, float value) {
  if (!top && !bottom && !left && !right)
    return x;
  SmallVector<OpFoldResult> low{b.getIndexAttr(0), b.getIndexAttr(top),
                                b.getIndexAttr(left), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high{b.getIndexAttr(0), b.getIndexAttr(bottom),
                                 b.getIndexAttr(right), b.getIndexAttr(0)};
  Act out = x;
  out.h += top + bottom;
  out.w += left + right;
  Type element = elementType(x);
  Value padding =
      element.isF32()
          ? scalar(value)
          : b.create<arith::ConstantOp>(loc, b.getIntegerAttr(element, 0));
  out.value = b.create<tensor::PadOp>(loc, type(dims(out), element), x.value,
                                      low, high, padding);
  return out;
}

Act Lowering::concat(ArrayRef<Act> parts) {
  Act out = parts.front();
  out.c = 0;
  for (const Act &part : parts)
    out.c += part.c;
  Value result = empty(dims(out));
  int64_t offset = 0;
  for (const Act &part : parts) {
    SmallVector<OpFoldResult> offsets{b.getIndexAttr(0), b.getIndexAttr(0),
                                      b.getIndexAttr(0),
                                      b.getIndexAttr(offset)};
    SmallVector<OpFoldResult> sizes{batch, b.getIndexAttr(part.h),
                                    b.getIndexAttr(part.w),
                                    b.getIndexAttr(part.c)};
    SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
    result = b.create<tensor::InsertSliceOp>(loc, part.value, result, offsets,
                                             sizes, strides);
    offset += part.c;
  }
  out.value = result;
  return out;
}

//===----------------------------------------------------------------------===//
// Convolution, BN, pooling, fc
//===----------------------------------------------------------------------===//

Act Lowering::emitConv(const Act &padded, int64_t outC, int64_t oh, int64_t ow,
                       int64_t kernel, int64_t stride, int64_t groups,
                       const std::vector<float> &weight,
                       const std::vector<float> &bias) {
  int64_t inC = padded.c, perGroup = inC / groups, outPerGroup = outC / groups;
  SmallVector<int64_t> outDims{oh, ow, outC};
  // int8 input: int8 weight levels summed in int32 (no bias).
  Type filterType = elementType(padded);
  bool integer = filterType.isInteger(8);
  // The sums' starting values over `channels` output channels from
  // `first`: zero, or the bias.
  auto initializer = [&](int64_t first, int64_t channels) {
    SmallVector<int64_t> dims{oh, ow, channels};
    if (integer)
      return zerosI32(dims);
    if (bias.empty())
      return filled(dims, 0.0f);
    return broadcastChannels(
        dims, ArrayRef<float>(bias).slice(first, channels));
  };
  NamedAttribute strides =
      b.getNamedAttr("strides", b.getI64TensorAttr({stride, stride}));
  NamedAttribute dilations =
      b.getNamedAttr("dilations", b.getI64TensorAttr({1, 1}));
  Act out{Value(), outC, oh, ow, true};
  if (groups == inC && outC == inC) {
    // Depthwise: [C, 1, k, k] -> [k, k, C].
    std::vector<float> filter =
        getDepthwiseFilterHWC<float>(weight, inC, kernel, kernel);
    Value init = initializer(0, outC);
    out.value = b.create<linalg::DepthwiseConv2DNhwcHwcOp>(
                     loc, TypeRange{init.getType()},
                     ValueRange{padded.value,
                                constant({kernel, kernel, inC}, filter,
                                         filterType)},
                     ValueRange{init},
                     ArrayRef<NamedAttribute>{strides, dilations})
                    .getResult(0);
    return out;
  }
  // Per group: [O/g, I/g, k, k] -> [k, k, I/g, O/g] (HWCF). Each group
  // sums into an initializer of its own, and the groups' outputs are put
  // side by side into the result: a group's sums never start from (or
  // share) another value's buffer, so that the CPU backend can fuse each
  // group's initializer and element-wise consumers into its tiles.
  Value result =
      groups == 1 ? Value() : empty(outDims, integer ? b.getI32Type() : Type());
  SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
  for (int64_t g = 0; g < groups; ++g) {
    std::vector<float> filter = getGroupFilterHWCF<float>(
        weight, g, outPerGroup, perGroup, kernel, kernel);
    Value input = padded.value;
    if (groups > 1)
      input = b.create<tensor::ExtractSliceOp>(
          loc, padded.value,
          ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0),
                                 b.getIndexAttr(0),
                                 b.getIndexAttr(g * perGroup)},
          ArrayRef<OpFoldResult>{batch, b.getIndexAttr(padded.h),
                                 b.getIndexAttr(padded.w),
                                 b.getIndexAttr(perGroup)},
          ones);
    Value init = initializer(g * outPerGroup, outPerGroup);
    Value conv =
        b.create<linalg::Conv2DNhwcHwcfOp>(
             loc, TypeRange{init.getType()},
             ValueRange{input, constant({kernel, kernel, perGroup, outPerGroup},
                                        filter, filterType)},
             ValueRange{init}, ArrayRef<NamedAttribute>{strides, dilations})
            .getResult(0);
    if (groups == 1) {
      result = conv;
      break;
    }
    result = b.create<tensor::InsertSliceOp>(
        loc, conv, result,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0),
                               b.getIndexAttr(0),
                               b.getIndexAttr(g * outPerGroup)},
        ArrayRef<OpFoldResult>{batch, b.getIndexAttr(oh), b.getIndexAttr(ow),
                               b.getIndexAttr(outPerGroup)},
        ones);
  }
  out.value = result;
  return out;
}

FailureOr<Act> Lowering::conv(Act x, int64_t out, int64_t kernel,
                              int64_t stride, int64_t groups, bool hasBias,
                              int64_t wbits, int64_t abits) {
  if (!x.spatial || groups < 1 || x.c % groups || out % groups) {
    current->emitError() << "cannot lower a convolution of " << x.c
                         << " channels to " << out << " in " << groups
                         << " groups";
    return failure();
  }
  ConvRecord record;
  record.kernel = kernel;
  record.stride = stride;
  record.groups = groups;
  if (!param(ParamKind::ConvWeight, {out, x.c / groups, kernel, kernel},
             record.weight, nullptr))
    return failure();
  if (hasBias && !param(ParamKind::ConvBias, {out}, record.bias, nullptr))
    return failure();
  auto [top, bottom, left, right] = getSamePadding(getShape(x), kernel, stride);
  int64_t oh = getSameOutputSize(x.h, stride),
          ow = getSameOutputSize(x.w, stride);
  if (isInteger(wbits, abits, kernel * kernel * (x.c / groups))) {
    record.weightScales = quantizeWeightLevels(record.weight, out, wbits);
    QuantizedAct input = quantizeToLevels(x, abits);
    record.input = pad(input.levels, top, bottom, left, right, 0.0f);
    record.inputScale = input.scale;
    Act sums = emitConv(record.input, out, oh, ow, kernel, stride, groups,
                        record.weight, {});
    record.accumulator = sums.value;
    std::vector<float> shift = record.bias;
    shift.resize(out, 0.0f);
    record.output =
        dequantize(sums, input.scale, record.weightScales, shift);
  } else {
    quantizeWeight(record.weight, out, wbits);
    Act input = quantizeActivation(x, abits);
    record.input = pad(input, top, bottom, left, right, 0.0f);
    record.output = emitConv(record.input, out, oh, ow, kernel, stride, groups,
                             record.weight, record.bias);
  }
  Act result = record.output;
  convs.try_emplace(result.value, std::move(record));
  return result;
}

FailureOr<Act> Lowering::batchNorm(Act x) {
  std::vector<float> weight, bias, mean, var;
  if (!param(ParamKind::BNWeight, {x.c}, weight, nullptr) ||
      !param(ParamKind::BNBias, {x.c}, bias, nullptr) ||
      !param(ParamKind::BNMean, {x.c}, mean, nullptr) ||
      !param(ParamKind::BNVar, {x.c}, var, nullptr))
    return failure();
  // LibTorch's default epsilon.
  std::vector<float> scale(x.c), shift(x.c);
  for (int64_t c = 0; c < x.c; ++c) {
    scale[c] = weight[c] / std::sqrt(var[c] + 1e-5f);
    shift[c] = bias[c] - mean[c] * scale[c];
  }
  auto it = options.foldBatchNorm ? convs.find(x.value) : convs.end();
  if (it == convs.end())
    return affine(x, scale, shift);
  // Convolve again with scaled weights and the shift as bias; the unfolded
  // convolution is left dead unless something else reads it.
  const ConvRecord &record = it->second;
  if (record.accumulator) {
    // Integer sums: the BN scales the dequantization.
    std::vector<float> scales(x.c), shifts(x.c);
    for (int64_t o = 0; o < x.c; ++o) {
      scales[o] = record.weightScales[o] * scale[o];
      shifts[o] =
          (record.bias.empty() ? 0.0f : record.bias[o] * scale[o]) + shift[o];
    }
    Act sums = record.output;
    sums.value = record.accumulator;
    return dequantize(sums, record.inputScale, scales, shifts);
  }
  std::vector<float> w = record.weight, bsum(x.c);
  size_t per = w.size() / x.c;
  for (int64_t o = 0; o < x.c; ++o) {
    for (size_t i = 0; i < per; ++i)
      w[o * per + i] *= scale[o];
    bsum[o] = (record.bias.empty() ? 0.0f : record.bias[o] * scale[o]) +
              shift[o];
  }
  return emitConv(record.input, x.c, x.h, x.w, record.kernel, record.stride,
                  record.groups, w, bsum);
}

FailureOr<Act> Lowering::linear(Act x, int64_t out, int64_t wbits,
                                int64_t abits) {
  int64_t features = x.c * x.h * x.w;
  std::vector<float> weight, bias;
  if (!param(ParamKind::LinearWeight, {out, features}, weight, nullptr) ||
      !param(ParamKind::LinearBias, {out}, bias, nullptr))
    return failure();
  bool integer = isInteger(wbits, abits, features);
  std::vector<float> weightScales;
  if (integer)
    weightScales = quantizeWeightLevels(weight, out, wbits);
  else
    quantizeWeight(weight, out, wbits);
  // LibTorch flattens NCHW.
  Value flat = x.value;
  if (x.spatial) {
    Value nchw = x.h * x.w == 1 ? x.value : toNCHW(x);
    flat = b.create<tensor::CollapseShapeOp>(
        loc, type({features}), nchw,
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  }
  Act in{flat, features, 1, 1, false};
  QuantizedAct levels;
  if (integer)
    levels = quantizeToLevels(in, abits);
  else
    in = quantizeActivation(in, abits);
  std::vector<float> transposed(weight.size());
  for (int64_t o = 0; o < out; ++o)
    for (int64_t i = 0; i < features; ++i)
      transposed[i * out + o] = weight[o * features + i];
  Type filterType = integer ? Type(b.getI8Type()) : Type(b.getF32Type());
  Value init = integer ? zerosI32({out}) : broadcastChannels({out}, bias);
  Value y = b.create<linalg::MatmulOp>(
                 loc, TypeRange{init.getType()},
                 ValueRange{integer ? levels.levels.value : in.value,
                            constant({features, out}, transposed, filterType)},
                 ValueRange{init})
                .getResult(0);
  if (integer)
    return dequantize(Act{y, out, 1, 1, false}, levels.scale, weightScales,
                      bias);
  return Act{y, out, 1, 1, false};
}

Act Lowering::pool(Act x, PoolKind kind, int64_t kernel, int64_t stride) {
  auto [top, bottom, left, right] = getSamePadding(getShape(x), kernel, stride);
  bool symmetric = top == bottom && left == right;
  int64_t oh = getSameOutputSize(x.h, stride),
          ow = getSameOutputSize(x.w, stride);
  bool isMax = kind == PoolKind::max;
  float lowest = -std::numeric_limits<float>::infinity();
  Act padded = pad(x, top, bottom, left, right, isMax ? lowest : 0.0f);
  SmallVector<int64_t> outDims{oh, ow, x.c};
  Value init = filled(outDims, isMax ? lowest : 0.0f);
  Value window = b.create<tensor::EmptyOp>(
      loc, ArrayRef<int64_t>{kernel, kernel}, b.getF32Type());
  NamedAttribute strides =
      b.getNamedAttr("strides", b.getI64TensorAttr({stride, stride}));
  NamedAttribute dilations =
      b.getNamedAttr("dilations", b.getI64TensorAttr({1, 1}));
  SmallVector<Value> ins{padded.value, window};
  Value y;
  if (isMax) {
    y = b.create<linalg::PoolingNhwcMaxOp>(
             loc, TypeRange{init.getType()}, ins, ValueRange{init},
             ArrayRef<NamedAttribute>{strides, dilations})
            .getResult(0);
    return Act{y, x.c, oh, ow, true};
  }
  y = b.create<linalg::PoolingNhwcSumOp>(
           loc, TypeRange{init.getType()}, ins, ValueRange{init},
           ArrayRef<NamedAttribute>{strides, dilations})
          .getResult(0);
  // The divisor: positions inside the input (NAS-Bench-201), except that
  // LibTorch counts an asymmetric padding, which it adds explicitly.
  std::vector<float> count(oh * ow);
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j) {
      auto inside = [&](int64_t start, int64_t size) {
        if (!symmetric)
          return kernel;
        int64_t from = std::max<int64_t>(start, 0);
        int64_t to = std::min<int64_t>(start + kernel, size);
        return std::max<int64_t>(to - from, 0);
      };
      count[i * ow + j] =
          float(inside(i * stride - top, x.h) * inside(j * stride - left, x.w));
    }
  MLIRContext *ctx = b.getContext();
  AffineMap hw = AffineMap::get(
      4, 0, {b.getAffineDimExpr(1), b.getAffineDimExpr(2)}, ctx);
  y = map(outDims, {y, constant({oh, ow}, count)},
          {b.getMultiDimIdentityMap(4), hw},
          [](OpBuilder &nb, Location l, ValueRange args) -> Value {
            return nb.create<arith::DivFOp>(l, args[0], args[1]);
          });
  return Act{y, x.c, oh, ow, true};
}

Act Lowering::globalPool(Act x, PoolKind kind) {
  bool isMax = kind == PoolKind::max;
  MLIRContext *ctx = b.getContext();
  Value init = filled({x.c}, isMax ? -std::numeric_limits<float>::infinity()
                                   : 0.0f);
  AffineMap nc = AffineMap::get(
      4, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(3)}, ctx);
  using utils::IteratorType;
  Value reduced =
      b.create<linalg::GenericOp>(
           loc, TypeRange{init.getType()}, ValueRange{x.value},
           ValueRange{init},
           ArrayRef<AffineMap>{b.getMultiDimIdentityMap(4), nc},
           ArrayRef<IteratorType>{IteratorType::parallel,
                                  IteratorType::reduction,
                                  IteratorType::reduction,
                                  IteratorType::parallel},
           [&](OpBuilder &nb, Location l, ValueRange args) {
             Value r =
                 isMax ? nb.create<arith::MaximumFOp>(l, args[0], args[1])
                             .getResult()
                       : nb.create<arith::AddFOp>(l, args[0], args[1])
                             .getResult();
             nb.create<linalg::YieldOp>(l, r);
           })
          .getResult(0);
  float area = float(x.h * x.w);
  Value y = map({1, 1, x.c}, {reduced}, {nc},
                [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                  if (isMax)
                    return args[0];
                  return nb.create<arith::DivFOp>(
                      l, args[0],
                      nb.create<arith::ConstantOp>(l, nb.getF32FloatAttr(area)));
                });
  return Act{y, x.c, 1, 1, true};
}

} // namespace

FailureOr<func::FuncOp>
nasc::lowerToLinalg(SpecOp spec, ModuleOp module, WeightSource &weights,
                    const LinalgLoweringOptions &options,
                    LoweredSignature *signature) {
  MLIRContext *ctx = module.getContext();
  DialectRegistry registry;
  registerLinalgLoweringDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadAllAvailableDialects();

  // The analysis checks shapes and settles every width (pruning).
  CostAnalysis costs(spec);
  if (costs.failed())
    return failure();
  const TensorShape &in = costs.getInputShape();

  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module.getBody());
  Location loc = spec.getLoc();
  std::string name = options.functionName.empty()
                         ? spec.getSymName().str()
                         : options.functionName;
  SmallVector<int64_t> inputDims{ShapedType::kDynamic, in.channels};
  if (in.spatial)
    inputDims.append({in.height, in.width});
  auto inputType = RankedTensorType::get(inputDims, b.getF32Type());
  // The result type is set once the body is built.
  auto func = b.create<func::FuncOp>(loc, name,
                                     b.getFunctionType({inputType}, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);

  Lowering lowering(spec, costs, weights, options, b);
  Value input = entry->getArgument(0);
  lowering.batch = b.create<tensor::DimOp>(loc, input, 0);
  Act x = in.spatial ? lowering.toNHWC(input, in.channels, in.height, in.width)
                     : Act{input, in.channels, 1, 1, false};
  History history;
  Lowering::LayerBuilder builder{lowering};
  FailureOr<Act> y =
      buildSequence(builder, spec.getNetwork().getBodyBlock(), x, history);
  std::string error;
  if (succeeded(y) && !weights.exhausted(error)) {
    spec.emitError() << error;
    y = failure();
  }
  if (failed(y)) {
    func.erase();
    return failure();
  }
  Value result = y->spatial ? lowering.toNCHW(*y) : y->value;
  b.create<func::ReturnOp>(loc, result);
  func.setFunctionType(b.getFunctionType({inputType}, {result.getType()}));

  // Drop what folding left unused (unfolded convolutions, their weights).
  bool changed = true;
  while (changed) {
    changed = false;
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*entry)))
      if (isOpTriviallyDead(&op)) {
        op.erase();
        changed = true;
      }
  }
  if (lowering.batchCoupled)
    func->setAttr(kSamplesCoupledAttr, UnitAttr::get(func->getContext()));
  if (signature) {
    signature->inputShape.assign(inputDims.begin() + 1, inputDims.end());
    if (y->spatial)
      signature->outputShape = {y->c, y->h, y->w};
    else
      signature->outputShape = {y->c};
    signature->samplesIndependent = !lowering.batchCoupled;
  }
  return func;
}
