//===- IntegerNetwork.cpp - A candidate in integer-only arithmetic --------===//
//
// Builds the integer network through LayerSemantics.h and
// NetworkSemantics.h (the one definition of what a candidate computes),
// folds BN, biases and ReLU/ReLU6 into the requantization of the layer
// before them, drops what nothing reads, calibrates the scales on seeded
// inputs, quantizes, and places the tensors in the activation memory.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/Common/IntegerNetwork.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NetworkSemantics.h"
#include "nasc/Target/Common/Diagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace nasc;
using nas::ActKind;
using nas::PoolKind;

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

int64_t Requant::apply(int64_t acc) const {
  int64_t v = (acc * multiplier + offset) >> shift;
  return std::min(std::max(v, lo), hi);
}

Requant Requant::fromRatio(double ratio, double realOffset, int64_t lo,
                           int64_t hi) {
  Requant r;
  r.lo = lo;
  r.hi = hi;
  // 14 significant bits, |multiplier| in [2^13, 2^14]: a signed 16-bit
  // operand (one DSP's width); a ratio of 2^13 or more saturates.
  // A ratio below 2^-10 gets fewer significant bits: the shift stops at
  // kMaxShift (an 8-bit result's relative step is 2^-7 anyway).
  int64_t shift = kMaxShift;
  if (ratio != 0)
    shift = 13 - int64_t(std::floor(std::log2(std::fabs(ratio))));
  r.shift = std::min<int64_t>(std::max<int64_t>(shift, 0), kMaxShift);
  double unit = std::ldexp(1.0, int(r.shift));
  r.multiplier = std::clamp<int64_t>(std::llround(ratio * unit), -32767, 32767);
  // Beyond 2^50 the result saturates at lo or hi anyway.
  double offset = std::min(std::max(realOffset * unit, -0x1p50), 0x1p50);
  r.offset = int64_t(std::llround(offset)) +
             (r.shift > 0 ? int64_t(1) << (r.shift - 1) : 0);
  return r;
}

namespace {
int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }
} // namespace

std::optional<NarrowRequant> Requant::narrow() const {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (shift < 0 || shift > kMaxShift || lo < -128 || hi > 127 || lo > hi)
    return std::nullopt;
  NarrowRequant n;
  n.lo = int32_t(lo);
  n.hi = int32_t(hi);
  n.shift = int32_t(shift);
  auto constant = [&](int64_t level) {
    n.accLo = n.accHi = 0;
    n.multiplier = 0;
    n.offset = int32_t(level);
    n.shift = 0;
    n.clampsResult = false;
    return n;
  };
  if (multiplier == 0)
    return constant(apply(0));
  // The window [first, last]: the accumulators whose v lies in [lo, hi].
  // v(t) >= lo <=> t·m + b >= lo·2^s; v(t) <= hi <=> t·m + b < (hi+1)·2^s.
  int64_t unit = int64_t(1) << shift;
  int64_t atLo = lo * unit - offset, atHi = (hi + 1) * unit - 1 - offset;
  int64_t first, last;
  if (multiplier > 0) {
    first = ceilDiv(atLo, multiplier);
    last = floorDiv(atHi, multiplier);
  } else {
    first = ceilDiv(atHi, multiplier);
    last = floorDiv(atLo, multiplier);
  }
  auto raw = [&](int64_t t) { return (t * multiplier + offset) >> shift; };
  // A step of the multiplier over a level skips it: the window is empty
  // (then last = first - 1) or its edges miss lo or hi. The accumulators
  // just outside saturate, and the result needs its clamp.
  if (first > last || raw(first) != (multiplier > 0 ? lo : hi) ||
      raw(last) != (multiplier > 0 ? hi : lo)) {
    int64_t outsideFirst = std::min(first - 1, last);
    last = std::max(last + 1, first);
    first = outsideFirst;
    n.clampsResult = true;
  }
  // Every 32-bit accumulator lies on one side of the window: a constant.
  if (last < kMin)
    return constant(apply(kMin));
  if (first > kMax)
    return constant(apply(kMax));
  first = std::max(first, kMin);
  last = std::min(last, kMax);
  for (int64_t t : {first, last})
    if (t * multiplier + offset < kMin || t * multiplier + offset > kMax)
      return std::nullopt;
  n.accLo = int32_t(first);
  n.accHi = int32_t(last);
  n.multiplier = int32_t(multiplier);
  n.offset = int32_t(offset);
  return n;
}

int32_t NarrowRequant::apply(int32_t acc) const {
  int32_t t = std::min(std::max(acc, accLo), accHi);
  // The product alone may wrap; the sum lies within 32 bits (as the
  // emitted code's wrapping arithmetic computes it).
  uint32_t sum = uint32_t(t) * uint32_t(multiplier) + uint32_t(offset);
  int32_t v = int32_t(sum) >> shift;
  return clampsResult ? std::min(std::max(v, lo), hi) : v;
}

llvm::StringRef nasc::stringifyIntOpKind(IntOpKind kind) {
  switch (kind) {
  case IntOpKind::Conv:
    return "conv";
  case IntOpKind::MaxPool:
    return "max_pool";
  case IntOpKind::AvgPool:
    return "avg_pool";
  case IntOpKind::Add:
    return "add";
  case IntOpKind::Copy:
    return "copy";
  case IntOpKind::HardSwish:
    return "hswish";
  case IntOpKind::Scale:
    return "scale";
  }
  return "?";
}

//===----------------------------------------------------------------------===//
// Network queries
//===----------------------------------------------------------------------===//

int64_t nasc::getCopiedChannels(const IntOp &op, const IntTensor &input) {
  return op.channelCount ? op.channelCount : input.channels;
}

int64_t IntegerNetwork::numWeights() const {
  int64_t n = 0;
  for (const IntOp &op : ops)
    n += int64_t(op.weights.size());
  return n;
}

/// The terms one output of `op` sums (window positions times input
/// channels per group; 2 for an add, 1 for a copy).
static int64_t getTermsPerOutput(const IntegerNetwork &net, const IntOp &op) {
  const IntTensor &in = net.tensors[op.input];
  switch (op.kind) {
  case IntOpKind::Conv:
    return in.channels / op.groups * op.kernelH * op.kernelW;
  case IntOpKind::MaxPool:
  case IntOpKind::AvgPool:
    return op.kernelH * op.kernelW;
  case IntOpKind::Add:
    return 2;
  case IntOpKind::Copy:
  case IntOpKind::HardSwish:
  case IntOpKind::Scale:
    return 1;
  }
  return 1;
}

/// The output elements `op` writes.
static int64_t getOutputsOf(const IntegerNetwork &net, const IntOp &op) {
  const IntTensor &out = net.tensors[op.output];
  if (op.kind == IntOpKind::Copy) {
    const IntTensor &in = net.tensors[op.input];
    return getCopiedChannels(op, in) * in.height * in.width;
  }
  return out.size();
}

int64_t IntegerNetwork::numTerms() const {
  int64_t n = 0;
  for (const IntOp &op : ops)
    n += getOutputsOf(*this, op) * getTermsPerOutput(*this, op);
  return n;
}

std::vector<int8_t>
IntegerNetwork::quantizeInput(const std::vector<float> &x) const {
  const IntTensor &in = tensors[input];
  double top = double(in.topLevel());
  std::vector<int8_t> levels(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    levels[i] = int8_t(
        std::min(std::max(std::nearbyint(double(x[i]) / in.scale), -top), top));
  return levels;
}

std::vector<float>
IntegerNetwork::dequantizeOutput(const std::vector<int8_t> &y) const {
  std::vector<float> real(y.size());
  for (size_t i = 0; i < y.size(); ++i)
    real[i] = float(double(y[i]) * tensors[output].scale);
  return real;
}

//===----------------------------------------------------------------------===//
// The two executors
//===----------------------------------------------------------------------===//

namespace {
/// The loops every consumer runs: for each output element of `op`, the
/// input positions it reads. `visit(outIndex, channel, terms)` gets the
/// flat output index (within the op's output tensor) and calls
/// `terms(inIndex, weightIndex)` for each position inside the input.
template <typename Visit>
void forEachWindow(const IntegerNetwork &net, const IntOp &op, Visit visit) {
  const IntTensor &in = net.tensors[op.input];
  const IntTensor &out = net.tensors[op.output];
  int64_t outPerGroup = out.channels / op.groups;
  int64_t inPerGroup = in.channels / op.groups;
  for (int64_t oc = 0; oc < out.channels; ++oc) {
    int64_t group = oc / outPerGroup;
    for (int64_t oy = 0; oy < out.height; ++oy)
      for (int64_t ox = 0; ox < out.width; ++ox) {
        int64_t outIndex = (oc * out.height + oy) * out.width + ox;
        visit(outIndex, oc, [&](auto term) {
          for (int64_t ic = 0; ic < inPerGroup; ++ic)
            for (int64_t ky = 0; ky < op.kernelH; ++ky)
              for (int64_t kx = 0; kx < op.kernelW; ++kx) {
                int64_t iy = oy * op.stride + ky - op.padTop;
                int64_t ix = ox * op.stride + kx - op.padLeft;
                if (iy < 0 || iy >= in.height || ix < 0 || ix >= in.width)
                  continue;
                int64_t channel = group * inPerGroup + ic;
                term((channel * in.height + iy) * in.width + ix,
                     ((oc * inPerGroup + ic) * op.kernelH + ky) * op.kernelW +
                         kx);
              }
        });
      }
  }
}

/// A Copy's elements: `visit(c, from, to)` for copied channel c, the
/// element's index in the input and in the output.
template <typename Visit>
void forEachCopied(const IntegerNetwork &net, const IntOp &op, Visit visit) {
  const IntTensor &in = net.tensors[op.input];
  int64_t plane = in.height * in.width;
  for (int64_t c = 0; c < getCopiedChannels(op, in); ++c)
    for (int64_t i = 0; i < plane; ++i)
      visit(c, (op.inChannelOffset + c) * plane + i,
            (op.outChannelOffset + c * op.outChannelStride) * plane + i);
}

double clampReal(double v, Clamp clamp) {
  if (clamp == Clamp::Relu)
    return std::max(v, 0.0);
  if (clamp == Clamp::Relu6)
    return std::min(std::max(v, 0.0), 6.0);
  if (clamp == Clamp::Unit)
    return std::min(std::max(v, 0.0), 1.0);
  return v;
}
} // namespace

std::vector<int8_t> nasc::runInteger(const IntegerNetwork &net,
                                     const std::vector<int8_t> &input) {
  std::vector<std::vector<int8_t>> values(net.tensors.size());
  for (size_t t = 0; t < net.tensors.size(); ++t)
    values[t].assign(net.tensors[t].size(), 0);
  values[net.input] = input;
  for (const IntOp &op : net.ops) {
    const std::vector<int8_t> &x = values[op.input];
    std::vector<int8_t> &y = values[op.output];
    switch (op.kind) {
    case IntOpKind::Conv:
      forEachWindow(net, op, [&](int64_t o, int64_t oc, auto window) {
        int64_t acc = 0;
        window([&](int64_t i, int64_t w) {
          acc += int64_t(x[i]) * int64_t(op.weights[w]);
        });
        y[o] = int8_t(op.requant[oc].apply(acc));
      });
      break;
    case IntOpKind::MaxPool:
      forEachWindow(net, op, [&](int64_t o, int64_t, auto window) {
        int64_t best = std::numeric_limits<int64_t>::min();
        window(
            [&](int64_t i, int64_t) { best = std::max<int64_t>(best, x[i]); });
        y[o] = int8_t(best == std::numeric_limits<int64_t>::min() ? 0 : best);
      });
      break;
    case IntOpKind::AvgPool:
      forEachWindow(net, op, [&](int64_t o, int64_t, auto window) {
        int64_t sum = 0, count = 0;
        window([&](int64_t i, int64_t) {
          sum += x[i];
          ++count;
        });
        y[o] = int8_t(count ? op.requant[count - 1].apply(sum) : 0);
      });
      break;
    case IntOpKind::Add: {
      const std::vector<int8_t> &z = values[op.secondInput];
      for (size_t i = 0; i < y.size(); ++i)
        y[i] = int8_t(op.requant[0].apply(x[i] * op.requant[1].multiplier +
                                          z[i] * op.requant[2].multiplier));
      break;
    }
    case IntOpKind::Copy:
      forEachCopied(net, op, [&](int64_t c, int64_t from, int64_t to) {
        y[to] = int8_t(op.requant[c].apply(x[from]));
      });
      break;
    case IntOpKind::HardSwish:
      for (size_t i = 0; i < y.size(); ++i) {
        int64_t t = std::clamp<int64_t>(x[i] + op.offsetLevel, 0, op.capLevel);
        y[i] = int8_t(op.requant[0].apply(int64_t(x[i]) * t));
      }
      break;
    case IntOpKind::Scale: {
      const std::vector<int8_t> &gate = values[op.secondInput];
      int64_t plane =
          net.tensors[op.input].height * net.tensors[op.input].width;
      for (size_t i = 0; i < y.size(); ++i)
        y[i] = int8_t(
            op.requant[0].apply(int64_t(x[i]) * int64_t(gate[i / plane])));
      break;
    }
    }
  }
  return values[net.output];
}

std::vector<float> nasc::runFloat(const IntegerNetwork &net,
                                  const std::vector<float> &input,
                                  std::vector<double> *maxAbs) {
  std::vector<std::vector<float>> values(net.tensors.size());
  for (size_t t = 0; t < net.tensors.size(); ++t)
    values[t].assign(net.tensors[t].size(), 0.0f);
  values[net.input] = input;
  for (const IntOp &op : net.ops) {
    const std::vector<float> &x = values[op.input];
    std::vector<float> &y = values[op.output];
    switch (op.kind) {
    case IntOpKind::Conv:
      forEachWindow(net, op, [&](int64_t o, int64_t oc, auto window) {
        double sum = 0;
        window(
            [&](int64_t i, int64_t w) { sum += double(x[i]) * op.weights[w]; });
        sum *= op.weightScales[oc];
        y[o] = float(
            clampReal(op.affineScale[oc] * sum + op.affineShift[oc], op.clamp));
      });
      break;
    case IntOpKind::MaxPool:
    case IntOpKind::AvgPool: {
      bool isMax = op.kind == IntOpKind::MaxPool;
      int64_t window = op.kernelH * op.kernelW;
      forEachWindow(net, op, [&](int64_t o, int64_t, auto terms) {
        double acc = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
        int64_t count = 0;
        terms([&](int64_t i, int64_t) {
          acc = isMax ? std::max(acc, double(x[i])) : acc + x[i];
          ++count;
        });
        if (!count)
          acc = 0;
        else if (!isMax)
          acc /= double(op.countPadding ? window : count);
        y[o] = float(acc);
      });
      break;
    }
    case IntOpKind::Add: {
      const std::vector<float> &z = values[op.secondInput];
      for (size_t i = 0; i < y.size(); ++i)
        y[i] = float(clampReal(double(x[i]) + z[i], op.clamp));
      break;
    }
    case IntOpKind::Copy:
      forEachCopied(net, op, [&](int64_t c, int64_t from, int64_t to) {
        y[to] = float(clampReal(
            op.affineScale[c] * double(x[from]) + op.affineShift[c], op.clamp));
      });
      break;
    case IntOpKind::HardSwish:
      for (size_t i = 0; i < y.size(); ++i) {
        double v = x[i];
        y[i] = float(v * std::min(std::max(v + 3.0, 0.0), 6.0) / 6.0);
      }
      break;
    case IntOpKind::Scale: {
      const std::vector<float> &gate = values[op.secondInput];
      int64_t plane =
          net.tensors[op.input].height * net.tensors[op.input].width;
      for (size_t i = 0; i < y.size(); ++i)
        y[i] = float(double(x[i]) * gate[i / plane]);
      break;
    }
    }
  }
  if (maxAbs) {
    maxAbs->resize(net.tensors.size(), 0.0);
    for (size_t t = 0; t < values.size(); ++t)
      for (float v : values[t])
        (*maxAbs)[t] = std::max((*maxAbs)[t], double(std::fabs(v)));
  }
  return values[net.output];
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

namespace {

/// LayerSemantics.h's and NetworkSemantics.h's builder: values are tensor
/// indices.
struct IntegerBuilder {
  using Value = int;

  IntegerBuilder(IntegerNetwork &net, WeightSource &weights, nas::SpecOp spec,
                 const CostAnalysis &costs, const IntegerOptions &options)
      : net(net), weights(weights), widths(costs), options(options) {
    for (nas::CompressOp op : spec.getBodyBlock().getOps<nas::CompressOp>())
      compress = op;
  }

  IntegerNetwork &net;
  WeightSource &weights;
  SettledWidths widths;
  const IntegerOptions &options;
  nas::CompressOp compress;
  SmallVector<int64_t, 4> scopeInputs;
  Operation *current = nullptr;
  /// The op that last wrote each tensor (-1: the input).
  std::vector<int> producer;
  /// The smallest abits of the layers that read each tensor.
  std::vector<int64_t> readerBits;

  int newTensor(const TensorShape &shape) {
    IntTensor t;
    t.channels = shape.channels;
    t.height = shape.height;
    t.width = shape.width;
    t.spatial = shape.spatial;
    net.tensors.push_back(t);
    producer.push_back(-1);
    readerBits.push_back(8);
    return int(net.tensors.size() - 1);
  }
  /// `file:line:col` of the current layer, as diagnostics print it.
  std::string getLocation() const {
    if (!current)
      return "";
    std::string where = target::getFileLineCol(current->getLoc());
    if (!where.empty())
      return where;
    std::string text;
    llvm::raw_string_ostream os(text);
    current->getLoc().print(os);
    return os.str();
  }
  /// An op of `kind` reading `x` and `second`, with the shape of `x`.
  int pushBinary(IntOpKind kind, int x, int second, llvm::StringRef label) {
    IntOp op;
    op.kind = kind;
    op.input = x;
    op.secondInput = second;
    op.label = label.str();
    return push(std::move(op), getShape(x));
  }
  int push(IntOp op, const TensorShape &shape) {
    op.output = newTensor(shape);
    op.location = getLocation();
    net.ops.push_back(std::move(op));
    producer[net.ops.back().output] = int(net.ops.size() - 1);
    return net.ops.back().output;
  }

  // What buildLayer asks.
  TensorShape getShape(int x) const {
    const IntTensor &t = net.tensors[x];
    return {t.channels, t.height, t.width, t.spatial};
  }
  ArrayRef<int64_t> getScopeInputs() const { return scopeInputs; }
  int64_t getInt(Operation *op, StringRef name, int64_t fallback) const {
    return nas::getIntParam(op->getAttr(name), scopeInputs, fallback);
  }
  int64_t getBits(Operation *op, StringRef name) const {
    return nas::getBitWidth(op, name, compress);
  }
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth,
                              int64_t) const {
    return widths.lookup(op, defaultWidth);
  }
  LogicalResult fail(Operation *op, const Twine &message) const {
    return op->emitError() << message;
  }
  LogicalResult failHere(const Twine &message) const {
    return fail(current, message);
  }
  void setCurrent(Operation *op) { current = op; }
  void pushScope(int64_t channels) { scopeInputs.push_back(channels); }
  void popScope() { scopeInputs.pop_back(); }

  bool param(ParamKind kind, ArrayRef<int64_t> shape,
             std::vector<float> &data) {
    std::string error;
    if (weights.next(kind, shape, data, error))
      return true;
    (void)failHere(error);
    return false;
  }

  /// The weights of a layer of `wbits`, at most 8 (wider layers run at 8).
  FailureOr<int64_t> quantizeWeights(IntOp &op, std::vector<float> &w,
                                     int64_t outChannels, int64_t wbits,
                                     int64_t terms) {
    op.wbits = std::min<int64_t>(wbits, 8);
    op.weightScales = quantizeWeightLevels(w, outChannels, op.wbits);
    op.weights.assign(w.begin(), w.end());
    // The largest sum must fit the engine's 32-bit accumulator.
    if (double(terms) * 127.0 * 127.0 >= double(int64_t(1) << 31)) {
      (void)failHere("sums " + Twine(terms) +
                     " products per output: more than a "
                     "32-bit accumulator holds");
      return failure();
    }
    return op.wbits;
  }

  void noteReader(int x, int64_t abits) {
    readerBits[x] = std::min(readerBits[x], std::clamp<int64_t>(abits, 2, 8));
  }

  FailureOr<int> conv(int x, const nas::ConvSpec &spec) {
    TensorShape in = getShape(x);
    IntOp op;
    op.kind = IntOpKind::Conv;
    op.input = x;
    op.kernelH = op.kernelW = spec.kernel;
    op.stride = spec.stride;
    op.groups = spec.groups;
    nas::SamePadding pad = nas::getSamePadding(in, spec.kernel, spec.stride);
    op.padTop = pad.top;
    op.padLeft = pad.left;
    op.label = "conv " + std::to_string(spec.kernel) + "x" +
               std::to_string(spec.kernel) +
               (spec.groups > 1 ? " g" + std::to_string(spec.groups) : "");
    std::vector<float> w, bias;
    if (!param(ParamKind::ConvWeight,
               {spec.out, in.channels / spec.groups, spec.kernel, spec.kernel},
               w) ||
        (spec.bias && !param(ParamKind::ConvBias, {spec.out}, bias)))
      return failure();
    if (failed(quantizeWeights(op, w, spec.out, spec.wbits,
                               in.channels / spec.groups * spec.kernel *
                                   spec.kernel)))
      return failure();
    op.affineScale.assign(spec.out, 1.0f);
    op.affineShift = bias.empty() ? std::vector<float>(spec.out, 0.0f) : bias;
    noteReader(x, spec.abits);
    return push(std::move(op), nas::getConvShape(in, spec));
  }

  FailureOr<int> linear(int x, const nas::LinearSpec &spec) {
    TensorShape in = getShape(x);
    int64_t features = int64_t(in.getNumElements());
    IntOp op;
    op.kind = IntOpKind::Conv;
    op.input = x;
    // LibTorch flattens CHW: a window over the whole input.
    op.kernelH = in.height;
    op.kernelW = in.width;
    op.label = "fc";
    std::vector<float> w, bias;
    if (!param(ParamKind::LinearWeight, {spec.out, features}, w) ||
        !param(ParamKind::LinearBias, {spec.out}, bias))
      return failure();
    if (failed(quantizeWeights(op, w, spec.out, spec.wbits, features)))
      return failure();
    op.affineScale.assign(spec.out, 1.0f);
    op.affineShift = bias;
    noteReader(x, spec.abits);
    return push(std::move(op), TensorShape::flat(spec.out));
  }

  /// `x`'s producer again with `fold` applied to its copy, when it is a
  /// conv, copy or add that nothing else has read; the original stays for
  /// any later reader (and is dropped when there is none).
  template <typename Fold>
  std::optional<int> refold(int x, bool needsAffine, Fold fold) {
    int p = producer[x];
    if (p < 0)
      return std::nullopt;
    const IntOp &source = net.ops[p];
    bool affine =
        source.kind == IntOpKind::Conv || source.kind == IntOpKind::Copy;
    if (source.clamp != Clamp::None || source.outChannelOffset != 0 ||
        (needsAffine ? !affine : !(affine || source.kind == IntOpKind::Add)))
      return std::nullopt;
    IntOp op = source;
    fold(op);
    return push(std::move(op), getShape(x));
  }

  FailureOr<int> batchNorm(int x) {
    int64_t c = getShape(x).channels;
    std::vector<float> gamma, beta, mean, var;
    if (!param(ParamKind::BNWeight, {c}, gamma) ||
        !param(ParamKind::BNBias, {c}, beta) ||
        !param(ParamKind::BNMean, {c}, mean) ||
        !param(ParamKind::BNVar, {c}, var))
      return failure();
    std::vector<float> scale(c), shift(c);
    for (int64_t k = 0; k < c; ++k) {
      // LibTorch's default epsilon.
      scale[k] = gamma[k] / std::sqrt(var[k] + 1e-5f);
      shift[k] = beta[k] - mean[k] * scale[k];
    }
    auto apply = [&](IntOp &op) {
      for (int64_t k = 0; k < c; ++k) {
        op.affineScale[k] *= scale[k];
        op.affineShift[k] = op.affineShift[k] * scale[k] + shift[k];
      }
    };
    if (std::optional<int> folded = refold(x, /*needsAffine=*/true, apply))
      return *folded;
    IntOp op = copyOp(x, "bn");
    apply(op);
    return push(std::move(op), getShape(x));
  }

  IntOp copyOp(int x, StringRef label) {
    IntOp op;
    op.kind = IntOpKind::Copy;
    op.input = x;
    op.label = label.str();
    int64_t c = getShape(x).channels;
    op.affineScale.assign(c, 1.0f);
    op.affineShift.assign(c, 0.0f);
    return op;
  }

  bool computes(IntOpKind kind) const {
    return options.kinds.empty() || llvm::is_contained(options.kinds, kind);
  }

  FailureOr<int> activation(int x, ActKind kind) {
    if (kind == ActKind::hswish && computes(IntOpKind::HardSwish)) {
      IntOp op;
      op.kind = IntOpKind::HardSwish;
      op.input = x;
      op.label = "hswish";
      return push(std::move(op), getShape(x));
    }
    if (kind != ActKind::relu && kind != ActKind::relu6) {
      (void)failHere(options.consumer + " computes " +
                     (computes(IntOpKind::HardSwish) ? "relu, relu6 and hswish"
                                                     : "relu and relu6") +
                     ", not " + nas::stringifyActKind(kind));
      return failure();
    }
    Clamp clamp = kind == ActKind::relu ? Clamp::Relu : Clamp::Relu6;
    if (std::optional<int> folded = refold(
            x, /*needsAffine=*/false, [&](IntOp &op) { op.clamp = clamp; }))
      return *folded;
    IntOp op = copyOp(x, nas::stringifyActKind(kind));
    op.clamp = clamp;
    return push(std::move(op), getShape(x));
  }

  /// relu6(x + 3) / 6: an affine step and a clamp to [0, 1], folded into
  /// the convolution before it where it can be.
  FailureOr<int> hardSigmoid(int x) {
    if (failed(checkSqueezeExcite()))
      return failure();
    auto apply = [&](IntOp &op) {
      for (size_t k = 0; k < op.affineScale.size(); ++k) {
        op.affineScale[k] /= 6.0f;
        op.affineShift[k] = op.affineShift[k] / 6.0f + 0.5f;
      }
      op.clamp = Clamp::Unit;
    };
    if (std::optional<int> folded = refold(x, /*needsAffine=*/true, apply))
      return *folded;
    IntOp op = copyOp(x, "hsigmoid");
    apply(op);
    return push(std::move(op), getShape(x));
  }
  FailureOr<int> scaleChannels(int x, int gate) {
    if (failed(checkSqueezeExcite()))
      return failure();
    return pushBinary(IntOpKind::Scale, x, gate, "scale");
  }
  /// Whether the consumer computes squeeze-and-excitation (Scale ops).
  LogicalResult checkSqueezeExcite() {
    if (computes(IntOpKind::Scale))
      return success();
    (void)failHere("squeeze-and-excitation (hard sigmoid, channel scaling) "
                   "is not implemented by " +
                   options.consumer);
    return failure();
  }
  /// Output channel j·g + i is input channel i·(C/g) + j (NASToLinalg's
  /// shuffle): one strided copy per group i.
  FailureOr<int> shuffle(int x, int64_t groups) {
    TensorShape shape = getShape(x);
    int64_t perGroup = shape.channels / groups;
    int out = newTensor(shape);
    for (int64_t i = 0; i < groups; ++i) {
      IntOp op = copyOp(x, "shuffle");
      op.inChannelOffset = i * perGroup;
      op.channelCount = perGroup;
      op.outChannelOffset = i;
      op.outChannelStride = groups;
      op.affineScale.assign(perGroup, 1.0f);
      op.affineShift.assign(perGroup, 0.0f);
      op.output = out;
      pushWriter(std::move(op), out);
    }
    return out;
  }

  /// Adds `op` as one of several writers of `out`, which nothing folds into.
  void pushWriter(IntOp op, int out) {
    op.location = getLocation();
    net.ops.push_back(std::move(op));
    producer[out] = -1;
  }

  FailureOr<int> pool(int x, PoolKind kind, int64_t kernel, int64_t stride) {
    TensorShape in = getShape(x);
    IntOp op;
    op.kind = kind == PoolKind::max ? IntOpKind::MaxPool : IntOpKind::AvgPool;
    op.input = x;
    op.kernelH = op.kernelW = kernel;
    op.stride = stride;
    op.groups = in.channels;
    nas::SamePadding pad = nas::getSamePadding(in, kernel, stride);
    op.padTop = pad.top;
    op.padLeft = pad.left;
    // LibTorch counts an asymmetric padding (NASToLinalg's rule).
    op.countPadding = !pad.isSymmetric();
    op.label = std::string(kind == PoolKind::max ? "max" : "avg") + "_pool " +
               std::to_string(kernel) + "x" + std::to_string(kernel);
    TensorShape out = TensorShape::image(
        in.channels, nas::getSameOutputSize(in.height, stride),
        nas::getSameOutputSize(in.width, stride));
    return push(std::move(op), out);
  }

  FailureOr<int> globalPool(int x, PoolKind kind) {
    TensorShape in = getShape(x);
    IntOp op;
    op.kind = kind == PoolKind::max ? IntOpKind::MaxPool : IntOpKind::AvgPool;
    op.input = x;
    op.kernelH = in.height;
    op.kernelW = in.width;
    op.groups = in.channels;
    op.label = std::string("global_") +
               (kind == PoolKind::max ? "max" : "avg") + "_pool";
    return push(std::move(op), TensorShape::image(in.channels, 1, 1));
  }

  FailureOr<int> add(int x, int y) {
    if (getShape(x) != getShape(y)) {
      (void)failHere("adds tensors of shapes " + getShape(x).str() + " and " +
                     getShape(y).str());
      return failure();
    }
    return pushBinary(IntOpKind::Add, x, y, "add");
  }

  FailureOr<int> zeros(int x) {
    IntOp op = copyOp(x, "zero");
    std::fill(op.affineScale.begin(), op.affineScale.end(), 0.0f);
    return push(std::move(op), getShape(x));
  }

  FailureOr<int> concat(ArrayRef<int> parts) {
    TensorShape first = getShape(parts.front());
    int64_t channels = 0;
    for (int part : parts) {
      TensorShape s = getShape(part);
      if (s.height != first.height || s.width != first.width || !s.spatial) {
        (void)failHere("concatenates tensors of shapes " + first.str() +
                       " and " + s.str());
        return failure();
      }
      channels += s.channels;
    }
    int out =
        newTensor(TensorShape::image(channels, first.height, first.width));
    int64_t offset = 0;
    for (int part : parts) {
      IntOp op = copyOp(part, "concat");
      op.outChannelOffset = offset;
      offset += getShape(part).channels;
      op.output = out;
      pushWriter(std::move(op), out);
    }
    return out;
  }
};

/// Drops the ops whose output nothing reads and the tensors no op touches.
void dropDeadOps(IntegerNetwork &net) {
  std::vector<bool> live(net.tensors.size(), false);
  live[net.output] = true;
  std::vector<bool> keep(net.ops.size(), false);
  for (size_t i = net.ops.size(); i-- > 0;) {
    const IntOp &op = net.ops[i];
    if (!live[op.output])
      continue;
    keep[i] = true;
    live[op.input] = true;
    if (op.secondInput >= 0)
      live[op.secondInput] = true;
  }
  live[net.input] = true;
  std::vector<int> renumber(net.tensors.size(), -1);
  std::vector<IntTensor> tensors;
  for (size_t t = 0; t < net.tensors.size(); ++t)
    if (live[t]) {
      renumber[t] = int(tensors.size());
      tensors.push_back(net.tensors[t]);
    }
  std::vector<IntOp> ops;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    if (!keep[i])
      continue;
    IntOp op = std::move(net.ops[i]);
    op.input = renumber[op.input];
    op.output = renumber[op.output];
    if (op.secondInput >= 0)
      op.secondInput = renumber[op.secondInput];
    ops.push_back(std::move(op));
  }
  net.input = renumber[net.input];
  net.output = renumber[net.output];
  net.tensors = std::move(tensors);
  net.ops = std::move(ops);
}

/// Bit widths and scales from the calibration's largest magnitudes; pools
/// keep their input's levels.
void assignScales(IntegerNetwork &net, const std::vector<int64_t> &readerBits) {
  for (size_t t = 0; t < net.tensors.size(); ++t)
    net.tensors[t].bits = readerBits[t];
  auto isPool = [](const IntOp &op) {
    return op.kind == IntOpKind::MaxPool || op.kind == IntOpKind::AvgPool;
  };
  for (auto it = net.ops.rbegin(); it != net.ops.rend(); ++it)
    if (isPool(*it))
      net.tensors[it->input].bits =
          std::min(net.tensors[it->input].bits, net.tensors[it->output].bits);
  for (IntTensor &t : net.tensors)
    t.scale = std::max(t.maxAbs, 1e-8) / double(t.topLevel());
  for (const IntOp &op : net.ops)
    if (isPool(op)) {
      net.tensors[op.output].bits = net.tensors[op.input].bits;
      net.tensors[op.output].scale = net.tensors[op.input].scale;
    }
}

/// The clamp of an output tensor's levels.
std::pair<int64_t, int64_t> getLimits(const IntTensor &out, Clamp clamp) {
  int64_t top = out.topLevel();
  if (clamp == Clamp::None)
    return {-top, top};
  if (clamp == Clamp::Relu)
    return {0, top};
  if (clamp == Clamp::Unit)
    return {0, std::min<int64_t>(top, std::llround(1.0 / out.scale))};
  return {0, std::min<int64_t>(top, std::llround(6.0 / out.scale))};
}

void quantizeOps(IntegerNetwork &net) {
  for (IntOp &op : net.ops) {
    const IntTensor &in = net.tensors[op.input];
    const IntTensor &out = net.tensors[op.output];
    auto [lo, hi] = getLimits(out, op.clamp);
    op.requant.clear();
    switch (op.kind) {
    case IntOpKind::Conv:
      for (size_t c = 0; c < op.affineScale.size(); ++c)
        op.requant.push_back(
            Requant::fromRatio(double(op.affineScale[c]) * in.scale *
                                   op.weightScales[c] / out.scale,
                               op.affineShift[c] / out.scale, lo, hi));
      break;
    case IntOpKind::Copy:
      for (size_t c = 0; c < op.affineScale.size(); ++c)
        op.requant.push_back(
            Requant::fromRatio(double(op.affineScale[c]) * in.scale / out.scale,
                               op.affineShift[c] / out.scale, lo, hi));
      break;
    case IntOpKind::AvgPool: {
      int64_t window = op.kernelH * op.kernelW;
      for (int64_t n = 1; n <= window; ++n)
        op.requant.push_back(Requant::fromRatio(
            1.0 / double(op.countPadding ? window : n), 0.0, lo, hi));
      break;
    }
    case IntOpKind::MaxPool:
      break;
    case IntOpKind::HardSwish:
      op.offsetLevel = std::llround(3.0 / in.scale);
      op.capLevel = std::llround(6.0 / in.scale);
      op.requant = {Requant::fromRatio(in.scale * in.scale / (6.0 * out.scale),
                                       0.0, lo, hi)};
      break;
    case IntOpKind::Scale:
      op.requant = {Requant::fromRatio(
          in.scale * net.tensors[op.secondInput].scale / out.scale, 0.0, lo,
          hi)};
      break;
    case IntOpKind::Add: {
      const IntTensor &second = net.tensors[op.secondInput];
      double r1 = in.scale / out.scale, r2 = second.scale / out.scale;
      // One shift for both ratios: that of the larger.
      Requant shared = Requant::fromRatio(std::max(r1, r2), 0.0, lo, hi);
      double unit = std::ldexp(1.0, int(shared.shift));
      Requant final = shared;
      final.multiplier = 1;
      Requant first, other;
      first.multiplier =
          std::clamp<int64_t>(std::llround(r1 * unit), -32767, 32767);
      other.multiplier =
          std::clamp<int64_t>(std::llround(r2 * unit), -32767, 32767);
      op.requant = {final, first, other};
      break;
    }
    }
  }
}

/// First-fit placement of each tensor over the ops during which it lives
/// (getTensorLifetimes: both ends included, so that no op writes over what
/// it reads).
void placeTensors(IntegerNetwork &net) {
  size_t n = net.tensors.size();
  auto [first, last] = getTensorLifetimes(net);
  std::vector<int> order(n);
  for (size_t t = 0; t < n; ++t)
    order[t] = int(t);
  llvm::stable_sort(order, [&](int a, int b) { return first[a] < first[b]; });
  std::vector<int> placed;
  net.activationMemory = 0;
  for (int t : order) {
    int64_t size = net.tensors[t].size(), address = 0;
    bool moved = true;
    while (moved) {
      moved = false;
      for (int other : placed) {
        bool overlapsInTime =
            first[t] <= last[other] && first[other] <= last[t];
        const IntTensor &o = net.tensors[other];
        if (overlapsInTime && address < o.address + o.size() &&
            o.address < address + size) {
          address = o.address + o.size();
          moved = true;
        }
      }
    }
    net.tensors[t].address = address;
    net.activationMemory = std::max(net.activationMemory, address + size);
    placed.push_back(t);
  }
}

} // namespace

TensorLifetimes nasc::getTensorLifetimes(const IntegerNetwork &net) {
  size_t n = net.tensors.size();
  int64_t end = int64_t(net.ops.size());
  TensorLifetimes life{std::vector<int64_t>(n, end),
                       std::vector<int64_t>(n, -1)};
  life.first[net.input] = -1;
  for (size_t i = 0; i < net.ops.size(); ++i) {
    const IntOp &op = net.ops[i];
    life.first[op.output] =
        std::min<int64_t>(life.first[op.output], int64_t(i));
    life.last[op.output] = std::max<int64_t>(life.last[op.output], int64_t(i));
    for (int t : {op.input, op.secondInput})
      if (t >= 0)
        life.last[t] = std::max<int64_t>(life.last[t], int64_t(i));
  }
  life.last[net.output] = end;
  return life;
}

/// The tensors that live across the boundary before op `b`.
static std::vector<int> getLiveTensors(const IntegerNetwork &net,
                                       const TensorLifetimes &life, size_t b) {
  std::vector<int> live;
  for (size_t t = 0; t < net.tensors.size(); ++t)
    if (life.first[t] < int64_t(b) && life.last[t] >= int64_t(b))
      live.push_back(int(t));
  return live;
}

std::vector<size_t> nasc::getCutPoints(const IntegerNetwork &net) {
  TensorLifetimes life = getTensorLifetimes(net);
  std::vector<int64_t> lastWrite(net.tensors.size(), -1);
  for (size_t i = 0; i < net.ops.size(); ++i)
    lastWrite[net.ops[i].output] = int64_t(i);
  std::vector<size_t> cuts;
  for (size_t b = 1; b < net.ops.size(); ++b) {
    std::vector<int> live = getLiveTensors(net, life, b);
    if (live.size() == 1 && lastWrite[live[0]] < int64_t(b))
      cuts.push_back(b);
  }
  return cuts;
}

IntegerNetwork nasc::extractStage(const IntegerNetwork &net, size_t begin,
                                  size_t end) {
  TensorLifetimes life = getTensorLifetimes(net);
  auto boundaryTensor = [&](size_t b, int whole) {
    if (b == 0 || b == net.ops.size())
      return whole;
    std::vector<int> live = getLiveTensors(net, life, b);
    assert(live.size() == 1 && "not a cut point");
    return live.front();
  };
  IntegerNetwork stage;
  stage.name = net.name;
  std::vector<int> renumbered(net.tensors.size(), -1);
  auto use = [&](int t) {
    if (t < 0)
      return -1;
    if (renumbered[t] < 0) {
      renumbered[t] = int(stage.tensors.size());
      stage.tensors.push_back(net.tensors[t]);
    }
    return renumbered[t];
  };
  stage.input = use(boundaryTensor(begin, net.input));
  for (size_t i = begin; i < end; ++i) {
    IntOp op = net.ops[i];
    op.input = use(op.input);
    op.secondInput = use(op.secondInput);
    op.output = use(op.output);
    stage.ops.push_back(std::move(op));
  }
  stage.output = use(boundaryTensor(end, net.output));
  placeTensors(stage);
  return stage;
}

std::vector<float> nasc::drawUniformImage(int64_t size, Random &random) {
  std::vector<float> x(size);
  for (float &v : x)
    v = float(double(random.next() >> 11) * 0x1.0p-52 - 1.0);
  return x;
}

llvm::Expected<IntegerNetwork>
nasc::buildIntegerNetwork(nas::SpecOp spec, WeightSource &weights,
                          const IntegerOptions &options) {
  target::DiagnosticCapture capture(spec.getContext());
  CostAnalysis costs(spec);
  if (costs.failed())
    return capture.takeError("cannot analyse " + spec.getSymName().str());
  IntegerNetwork net;
  net.name = spec.getSymName().str();
  IntegerBuilder builder(net, weights, spec, costs, options);
  net.input = builder.newTensor(costs.getInputShape());
  SmallVector<int> history;
  FailureOr<int> y = nas::buildSequence(
      builder, spec.getNetwork().getBodyBlock(), net.input, history);
  std::string error;
  if (succeeded(y) && !weights.exhausted(error)) {
    spec.emitError() << error;
    y = failure();
  }
  if (failed(y))
    return capture.takeError("cannot build the integer network of " + net.name);
  if (*y == net.input)
    return llvm::createStringError(net.name + ": the network computes nothing "
                                              "(its output is its input)");
  net.output = *y;
  std::vector<int64_t> readerBits = builder.readerBits;
  // dropDeadOps renumbers: carry the widths along as a tensor field.
  for (size_t t = 0; t < net.tensors.size(); ++t)
    net.tensors[t].bits = readerBits[t];
  dropDeadOps(net);
  readerBits.clear();
  for (const IntTensor &t : net.tensors)
    readerBits.push_back(t.bits);

  // The images drawn in order, then run on the cores: the largest
  // magnitudes do not depend on which finishes first.
  Random random(options.calibrationSeed);
  int64_t samples = std::max<int64_t>(options.calibrationSamples, 1);
  std::vector<std::vector<float>> images;
  for (int64_t s = 0; s < samples; ++s)
    images.push_back(drawUniformImage(net.tensors[net.input].size(), random));
  std::vector<std::vector<double>> seen(samples);
  {
    llvm::DefaultThreadPool pool(llvm::optimal_concurrency(samples));
    for (int64_t s = 0; s < samples; ++s)
      pool.async([&, s] { runFloat(net, images[s], &seen[s]); });
    pool.wait();
  }
  for (size_t t = 0; t < net.tensors.size(); ++t) {
    net.tensors[t].maxAbs = 0;
    for (const std::vector<double> &sample : seen)
      net.tensors[t].maxAbs = std::max(net.tensors[t].maxAbs, sample[t]);
  }
  assignScales(net, readerBits);
  quantizeOps(net);
  placeTensors(net);
  return net;
}
