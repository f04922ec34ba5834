//===- LayerSemantics.h - What each layer of a candidate computes -*- C++
//-*-===//
//
// The one definition of what the nas ops compute on a concrete candidate:
// shapes, "same" padding, and the decomposition of every leaf layer (conv,
// sep_conv, mbconv with its squeeze-and-excitation and inverted residual,
// identity projections, pooling, fc, ...) and of a residual's shortcut into
// a few primitives: convolution (with groups and bias), batch norm,
// activation, hard sigmoid, pooling, global pooling, linear, addition,
// channel scaling and zeros. Primitives carry their quantization (wbits,
// abits) and come in LibTorch's parameter order.
//
// Every consumer reads this definition through a builder of its own: the
// cost analysis (lib/Analysis/Costs.cpp) counts the primitives, the LibTorch
// network (lib/Eval/Network.cpp) makes modules of them, the linalg lowering
// (lib/Conversion/NASToLinalg) emits tensor code for them. A new backend
// implements the builder, not the layers. docs/analysis.md gives the
// formulas, docs/conventions.md the contract.
//
// A Builder provides:
//   using Value = ...;                     an activation flowing through
//   TensorShape getShape(const Value &);
//   ArrayRef<int64_t> getScopeInputs();    the input channels of the user-op
//                                          calls (`nas.block ... scope`)
//                                          around the layer, innermost last
//   int64_t getInt(Operation *, StringRef name, int64_t defaultValue);
//                                          a hyper-parameter as the
//                                          candidate fixes it (getIntParam
//                                          evaluates a #nas.expr)
//   int64_t getBits(Operation *, StringRef name);    wbits or abits
//   FailureOr<int64_t> getWidth(Operation *, int64_t defaultWidth,
//                               int64_t inChannels); out, pruning applied
//   LogicalResult fail(Operation *, const Twine &message);
//   FailureOr<Value> conv(const Value &, const ConvSpec &);
//   FailureOr<Value> batchNorm(const Value &);
//   FailureOr<Value> activation(const Value &, ActKind);
//   FailureOr<Value> hardSigmoid(const Value &);
//   FailureOr<Value> pool(const Value &, PoolKind, int64_t kernel,
//                         int64_t stride);
//   FailureOr<Value> globalPool(const Value &, PoolKind);
//   FailureOr<Value> linear(const Value &, const LinearSpec &); flattens
//   FailureOr<Value> add(const Value &, const Value &);
//   FailureOr<Value> scaleChannels(const Value &, const Value &gate);
//   FailureOr<Value> zeros(const Value &);
//   FailureOr<Value> shuffle(const Value &, int64_t groups);
// Each primitive's output shape is the one the functions below compute.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_LAYERSEMANTICS_H
#define NASC_DIALECT_NAS_IR_LAYERSEMANTICS_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace nasc {

/// The shape of one activation tensor (batch 1): [C, H, W], or [F] once an
/// fc has flattened it (or when the dataset gives features).
struct TensorShape {
  /// C, or F for a flat tensor.
  int64_t channels = 0;
  int64_t height = 1;
  int64_t width = 1;
  /// False for a flat [F] tensor.
  bool spatial = true;

  static TensorShape image(int64_t c, int64_t h, int64_t w) {
    return {c, h, w, true};
  }
  static TensorShape flat(int64_t features) { return {features, 1, 1, false}; }

  /// C·H·W (saturating).
  uint64_t getNumElements() const;
  bool operator==(const TensorShape &other) const {
    return channels == other.channels && height == other.height &&
           width == other.width && spatial == other.spatial;
  }
  bool operator!=(const TensorShape &other) const { return !(*this == other); }
  /// "[C, H, W]" or "[F]".
  void print(llvm::raw_ostream &os) const;
  std::string str() const;
};

namespace nas {

/// a · b, saturating at INT64_MAX (a hidden width, a flattened size).
int64_t mulCount(int64_t a, int64_t b);

/// The output size of a window with "same" padding: ceil(size / stride).
inline int64_t getSameOutputSize(int64_t size, int64_t stride) {
  return size / stride + (size % stride != 0);
}

/// "Same" padding of a k x k window with `stride` (TensorFlow's rule: the
/// odd pixel goes after).
struct SamePadding {
  int64_t top = 0, bottom = 0, left = 0, right = 0;
  bool isSymmetric() const { return top == bottom && left == right; }
};
SamePadding getSamePadding(const TensorShape &in, int64_t kernel,
                           int64_t stride);

/// The window of a conv, dwconv, sep_conv, mbconv or pooling layer that
/// does not say `kernel`.
inline constexpr int64_t kDefaultKernel = 3;

/// A k x k convolution with "same" padding.
struct ConvSpec {
  int64_t out = 0, kernel = 1, stride = 1, groups = 1;
  bool bias = false;
  int64_t wbits = 32, abits = 32;
};
TensorShape getConvShape(const TensorShape &in, const ConvSpec &conv);
/// A k x k pooling window with "same" padding.
TensorShape getPoolShape(const TensorShape &in, int64_t stride);

/// A fully connected layer over the flattened input, with bias.
struct LinearSpec {
  int64_t out = 0;
  int64_t wbits = 32, abits = 32;
};

/// The stride of a residual's projection shortcut: the smallest that takes
/// the input's height and width to the body's (1 when none does).
int64_t getShortcutStride(const TensorShape &in, const TensorShape &body);

/// The channels of a squeeze-and-excitation bottleneck by default (an
/// mbconv's, a `se` without `squeeze`).
inline int64_t getSqueezeChannels(int64_t hidden) {
  return std::max<int64_t>(1, hidden / 4);
}

/// The value of an integer hyper-parameter `param` (an integer, or a
/// #nas.expr evaluated with `scopeInputs`), else `defaultValue`: also for
/// an expression that does not evaluate, which checkExprs reports first.
int64_t getIntParam(mlir::Attribute param, llvm::ArrayRef<int64_t> scopeInputs,
                    int64_t defaultValue);

/// Whether `residual` adds a shortcut to a body output of shape `body` from
/// an input of shape `in`: always, except an `identity_or_none` shortcut
/// where the body changes the shape.
bool addsShortcut(ResidualOp residual, const TensorShape &in,
                  const TensorShape &body);

/// Checks every #nas.expr hyper-parameter of `op` evaluates, with
/// `scopeInputs`, to an integer of at least 1; `fail(message)` reports it.
mlir::LogicalResult
checkExprs(mlir::Operation *op, llvm::ArrayRef<int64_t> scopeInputs,
           llvm::function_ref<mlir::LogicalResult(const llvm::Twine &)> fail);

//===----------------------------------------------------------------------===//
// Decompositions
//===----------------------------------------------------------------------===//

namespace detail {
template <typename Builder>
mlir::LogicalResult requireImage(Builder &b, mlir::Operation *op,
                                 const TensorShape &in) {
  if (in.spatial)
    return mlir::success();
  return b.fail(op, "needs a [C, H, W] input, but its input is the flat " +
                        llvm::Twine(in.str()));
}

template <typename Builder>
mlir::LogicalResult checkGroups(Builder &b, mlir::Operation *op, int64_t in,
                                int64_t out, int64_t groups) {
  if (groups <= 0 || in % groups != 0)
    return b.fail(op, "groups " + llvm::Twine(groups) + " do not divide its " +
                          llvm::Twine(in) + " input channels");
  if (out % groups != 0)
    return b.fail(op, "groups " + llvm::Twine(groups) + " do not divide its " +
                          llvm::Twine(out) + " output channels");
  return mlir::success();
}

/// Applies `step` to a value that succeeded, keeps a failure.
template <typename Value, typename Step>
mlir::FailureOr<Value> then(mlir::FailureOr<Value> x, Step step) {
  if (mlir::failed(x))
    return mlir::failure();
  return step(*x);
}

/// Squeeze-and-excitation (MobileNetV3) of `features` through `squeeze`
/// channels: global average pool, 1x1 conv with bias, ReLU, 1x1 conv back
/// with bias, hard sigmoid, then the features scaled. Full precision.
template <typename Builder>
mlir::FailureOr<typename Builder::Value>
squeezeExcite(Builder &b, const typename Builder::Value &features,
              int64_t squeeze) {
  using Value = typename Builder::Value;
  int64_t channels = b.getShape(features).channels;
  mlir::FailureOr<Value> gate = b.globalPool(features, PoolKind::avg);
  gate = then(gate, [&](const Value &v) {
    return b.conv(v, ConvSpec{squeeze, 1, 1, 1, true, 32, 32});
  });
  gate = then(gate,
              [&](const Value &v) { return b.activation(v, ActKind::relu); });
  gate = then(gate, [&](const Value &v) {
    return b.conv(v, ConvSpec{channels, 1, 1, 1, true, 32, 32});
  });
  gate = then(gate, [&](const Value &v) { return b.hardSigmoid(v); });
  return then(gate,
              [&](const Value &g) { return b.scaleChannels(features, g); });
}
} // namespace detail

/// What the leaf layer `op` (not a stage, block, residual, cell, choice or
/// repeat) computes on `x`.
template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildLayer(Builder &b, mlir::Operation *op, const typename Builder::Value &x) {
  using Value = typename Builder::Value;
  using mlir::failed;
  using mlir::failure;
  TensorShape in = b.getShape(x);
  int64_t channels = in.channels;
  auto bn = [&](const Value &v) { return b.batchNorm(v); };
  if (failed(checkExprs(op, b.getScopeInputs(), [&](const llvm::Twine &m) {
        return b.fail(op, m);
      })))
    return failure();

  if (auto conv = llvm::dyn_cast<ConvOp>(op)) {
    mlir::FailureOr<int64_t> out = b.getWidth(op, channels, channels);
    int64_t groups = conv.getDepthwise() ? channels : b.getInt(op, "groups", 1);
    if (failed(out) || failed(detail::requireImage(b, op, in)) ||
        failed(detail::checkGroups(b, op, channels, *out, groups)))
      return failure();
    return b.conv(x, ConvSpec{*out, b.getInt(op, "kernel", kDefaultKernel),
                              b.getInt(op, "stride", 1), groups, false,
                              b.getBits(op, "wbits"), b.getBits(op, "abits")});
  }

  if (llvm::isa<SepConvOp>(op)) {
    // Depthwise k x k (strided) -> BN -> ReLU -> pointwise 1x1 -> BN.
    mlir::FailureOr<int64_t> out = b.getWidth(op, channels, channels);
    if (failed(out) || failed(detail::requireImage(b, op, in)))
      return failure();
    int64_t wbits = b.getBits(op, "wbits"), abits = b.getBits(op, "abits");
    mlir::FailureOr<Value> h = b.conv(
        x, ConvSpec{channels, b.getInt(op, "kernel", kDefaultKernel),
                    b.getInt(op, "stride", 1), channels, false, wbits, abits});
    h = detail::then(h, bn);
    h = detail::then(
        h, [&](const Value &v) { return b.activation(v, ActKind::relu); });
    h = detail::then(h, [&](const Value &v) {
      return b.conv(v, ConvSpec{*out, 1, 1, 1, false, wbits, abits});
    });
    return detail::then(h, bn);
  }

  if (auto mb = llvm::dyn_cast<MBConvOp>(op)) {
    // MobileNetV2's inverted residual: 1x1 expansion (none when expand is
    // 1) -> BN -> ReLU6 -> depthwise k x k -> BN -> ReLU6 -> [SE] -> 1x1
    // projection -> BN, plus the input when the shape is kept.
    int64_t expand = b.getInt(op, "expand", 6);
    int64_t groups = b.getInt(op, "groups", 1);
    int64_t stride = b.getInt(op, "stride", 1);
    int64_t hidden = mulCount(channels, expand);
    mlir::FailureOr<int64_t> width = b.getWidth(op, channels, channels);
    if (failed(width))
      return failure();
    int64_t out = *width;
    if (failed(detail::requireImage(b, op, in)) ||
        failed(detail::checkGroups(b, op, channels, out, groups)))
      return failure();
    int64_t wbits = b.getBits(op, "wbits"), abits = b.getBits(op, "abits");
    auto relu6 = [&](const Value &v) {
      return b.activation(v, ActKind::relu6);
    };
    mlir::FailureOr<Value> h = x;
    if (expand > 1) {
      h = b.conv(x, ConvSpec{hidden, 1, 1, groups, false, wbits, abits});
      h = detail::then(detail::then(h, bn), relu6);
    }
    h = detail::then(h, [&](const Value &v) {
      return b.conv(v, ConvSpec{hidden, b.getInt(op, "kernel", kDefaultKernel),
                                stride, hidden, false, wbits, abits});
    });
    h = detail::then(detail::then(h, bn), relu6);
    if (mb.getSe())
      h = detail::then(h, [&](const Value &v) {
        return detail::squeezeExcite(b, v, getSqueezeChannels(hidden));
      });
    h = detail::then(h, [&](const Value &v) {
      return b.conv(v, ConvSpec{out, 1, 1, groups, false, wbits, abits});
    });
    h = detail::then(h, bn);
    if (stride == 1 && out == channels)
      h = detail::then(h, [&](const Value &v) { return b.add(v, x); });
    return h;
  }

  if (llvm::isa<SEOp>(op)) {
    if (failed(detail::requireImage(b, op, in)))
      return failure();
    return detail::squeezeExcite(
        b, x, b.getInt(op, "squeeze", getSqueezeChannels(channels)));
  }

  if (llvm::isa<ShuffleOp>(op)) {
    int64_t groups = b.getInt(op, "groups", 1);
    if (failed(detail::requireImage(b, op, in)))
      return failure();
    if (channels % groups != 0)
      return b.fail(op, "groups " + llvm::Twine(groups) +
                            " do not divide its " + llvm::Twine(channels) +
                            " channels");
    // One group moves nothing.
    return groups == 1 ? mlir::FailureOr<Value>(x) : b.shuffle(x, groups);
  }

  if (auto pool = llvm::dyn_cast<PoolOp>(op)) {
    if (failed(detail::requireImage(b, op, in)))
      return failure();
    return b.pool(x, pool.getKind(), b.getInt(op, "kernel", kDefaultKernel),
                  b.getInt(op, "stride", 1));
  }

  if (auto pool = llvm::dyn_cast<GlobalPoolOp>(op)) {
    if (failed(detail::requireImage(b, op, in)))
      return failure();
    return b.globalPool(x, pool.getKind());
  }

  if (llvm::isa<FCOp>(op)) {
    // Flattens its input: C·H·W features.
    int64_t features = int64_t(std::min<uint64_t>(
        in.getNumElements(), uint64_t(std::numeric_limits<int64_t>::max())));
    mlir::FailureOr<int64_t> out = b.getWidth(op, features, channels);
    if (failed(out))
      return failure();
    return b.linear(
        x, LinearSpec{*out, b.getBits(op, "wbits"), b.getBits(op, "abits")});
  }

  if (llvm::isa<IdentityOp>(op)) {
    mlir::FailureOr<int64_t> width = b.getWidth(op, channels, channels);
    if (failed(width))
      return failure();
    int64_t out = *width, stride = b.getInt(op, "stride", 1);
    // Unchanged, the input itself.
    if (out == channels && stride == 1)
      return x;
    // Otherwise a 1x1 conv + BN projection (FBNet's skip).
    if (failed(detail::requireImage(b, op, in)))
      return failure();
    return detail::then(
        b.conv(x, ConvSpec{out, 1, stride, 1, false, b.getBits(op, "wbits"),
                           b.getBits(op, "abits")}),
        bn);
  }

  // NAS-Bench-201's Zero (x.mul(0.)).
  if (llvm::isa<ZeroOp>(op))
    return b.zeros(x);
  if (llvm::isa<BatchNormOp>(op))
    return b.batchNorm(x);
  if (auto act = llvm::dyn_cast<ActOp>(op))
    return b.activation(x, act.getKind());

  (void)b.fail(op, "is not a layer of a concrete candidate");
  return failure();
}

/// What the shortcut of `residual` computes on its input `x`, given the
/// shape of the body's output; the residual adds the two. Only where
/// addsShortcut holds.
template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildShortcut(Builder &b, ResidualOp residual, const typename Builder::Value &x,
              const TensorShape &body) {
  using Value = typename Builder::Value;
  TensorShape in = b.getShape(x);
  Shortcut kind = residual.getShortcut();
  if (kind == Shortcut::identity || kind == Shortcut::identity_or_none) {
    if (body != in) {
      (void)b.fail(residual, "identity shortcut adds its input of shape " +
                                 llvm::Twine(in.str()) +
                                 " to a body output of shape " + body.str());
      return mlir::failure();
    }
    return x;
  }
  if (mlir::failed(detail::requireImage(b, residual, in)))
    return mlir::failure();
  mlir::FailureOr<Value> shortcut = mlir::failure();
  if (kind == Shortcut::projection) {
    // A 1x1 conv with the body's stride, then BN.
    shortcut = detail::then(
        b.conv(x, ConvSpec{body.channels, 1, getShortcutStride(in, body), 1}),
        [&](const Value &v) { return b.batchNorm(v); });
  } else {
    // NAS-Bench-201's ResNet downsample: 2x2 average pool, stride 2, then a
    // 1x1 conv (no BN).
    shortcut =
        detail::then(b.pool(x, PoolKind::avg, 2, 2), [&](const Value &v) {
          return b.conv(v, ConvSpec{body.channels, 1, 1, 1});
        });
  }
  if (mlir::failed(shortcut))
    return mlir::failure();
  if (b.getShape(*shortcut) != body) {
    (void)b.fail(residual, "'" + stringifyShortcut(kind) +
                               "' shortcut produces " +
                               b.getShape(*shortcut).str() +
                               ", but the body produces " + body.str());
    return mlir::failure();
  }
  return shortcut;
}

} // namespace nas
} // namespace nasc

#endif // NASC_DIALECT_NAS_IR_LAYERSEMANTICS_H
