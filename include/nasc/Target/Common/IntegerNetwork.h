//===- IntegerNetwork.h - A candidate in integer-only arithmetic -*- C++
//-*-===//
//
// What the FPGA backend and the CPU's `--static-int8` code compute: the
// concrete candidate as a list of integer operations on int8 activation
// levels, with static per-tensor scales and fixed-point requantization, so
// that every consumer (the C++ reference here, the Verilog engine, the HLS
// C++, the CPU's linalg lowering) computes the same bits.
// docs/fpga.md gives the rules; in short:
//
//  * every activation tensor holds levels q in [-L, L], L = 2^(bits-1) - 1,
//    bits the smallest `abits` of the layers that read it (8 when none
//    does), its real value q · scale; the scale is the tensor's largest
//    magnitude over a calibration batch divided by L;
//  * weights are LibTorch's fake-quantization levels (symmetric per output
//    channel, NASToLinalg's rule), 8 bits at most;
//  * a convolution or fc sums level products in an integer accumulator;
//    BN, bias and a following ReLU/ReLU6 fold into its requantization:
//    q' = clamp((acc · M + B) >> S, lo, hi) per output channel (arithmetic
//    shift, so floor; B includes the rounding half);
//  * an addition sums its inputs' levels times fixed-point ratios of their
//    scales, then requantizes with M = 1;
//  * max pooling keeps the input's levels and scale, average pooling sums
//    the levels and requantizes by 1/count (the count rule of LibTorch's
//    avg_pool2d and NASToLinalg);
//  * BN or an activation that cannot fold, a concatenation's parts and
//    `zero` are per-channel requantizing copies;
//  * hswish is x · clamp(x + round(3 / s), 0, round(6 / s)) requantized
//    (s the input's scale); squeeze-and-excitation's hard sigmoid folds into
//    its last convolution's requantization (clamped to [0, 1]), and the
//    channel scaling multiplies levels by the gate's levels, requantized.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_COMMON_INTEGERNETWORK_H
#define NASC_TARGET_COMMON_INTEGERNETWORK_H

#include "nasc/Conversion/NASToLinalg/Weights.h"
#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Space/Space.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nasc {

/// One activation tensor: [C, H, W] (a flat [F] is [F, 1, 1]).
struct IntTensor {
  int64_t channels = 0, height = 1, width = 1;
  bool spatial = true;
  /// Levels lie in [-L, L], L = 2^(bits-1) - 1.
  int64_t bits = 8;
  double scale = 1;
  /// Largest magnitude seen in calibration.
  double maxAbs = 0;
  /// First element in the engine's activation memory (CHW order).
  int64_t address = 0;
  int64_t size() const { return channels * height * width; }
  int64_t topLevel() const { return (int64_t(1) << (bits - 1)) - 1; }
};

struct NarrowRequant;

/// q' = clamp((acc · multiplier + offset) >> shift, lo, hi).
struct Requant {
  int64_t multiplier = 1;
  int64_t offset = 0;
  int64_t shift = 0;
  int64_t lo = -127, hi = 127;
  int64_t apply(int64_t acc) const;
  /// The fixed point of `ratio` with up to 14 significant bits (a signed
  /// 16-bit multiplier) and a shift of at most kMaxShift, with `realOffset`
  /// (an offset in output levels) and the rounding half in `offset`.
  static Requant fromRatio(double ratio, double realOffset, int64_t lo,
                           int64_t hi);
  /// The largest shift fromRatio picks: levels of 8 bits or fewer times
  /// 2^23 stay below 2^31, so the requantization has a 32-bit form.
  static constexpr int64_t kMaxShift = 23;
  /// This requantization of 32-bit accumulators in 32-bit arithmetic (see
  /// NarrowRequant), or none where no such form is exact.
  std::optional<NarrowRequant> narrow() const;
};

/// Requant::apply for every 32-bit `acc`, computed in 32 bits:
///   t = clamp(acc, accLo, accHi); v = (t · multiplier + offset) >> shift,
/// then clamped to [lo, hi] only where `clampsResult`. [accLo, accHi] is
/// the window of accumulators whose result lies in [lo, hi]: outside it the
/// result saturates, so clamping the accumulator first keeps the product
/// within 32 bits (|v · 2^shift| < 2^31) without changing the result.
struct NarrowRequant {
  int32_t accLo = 0, accHi = 0;
  int32_t multiplier = 0, offset = 0, shift = 0;
  int32_t lo = -127, hi = 127;
  /// Whether the window's edges map outside [lo, hi] (a multiplier of
  /// 2^shift or more steps over levels), so the result needs the clamp.
  bool clampsResult = false;
  int32_t apply(int32_t acc) const;
};

enum class IntOpKind {
  /// Convolution and fc: weights [Cout, Cin/groups, kh, kw], sums of level
  /// products, one Requant per output channel.
  Conv,
  /// Largest level in the window (positions outside the input skipped).
  MaxPool,
  /// Sum of the levels inside the window; requant[count - 1].
  AvgPool,
  /// (in0 · requant[1].multiplier + in1 · requant[2].multiplier) then
  /// requant[0].
  Add,
  /// Each element of `channelCount` input channels from `inChannelOffset`
  /// times its channel's Requant, channel c written to output channel
  /// outChannelOffset + c · outChannelStride (a concatenation's part, a
  /// channel shuffle's group).
  Copy,
  /// x · clamp(x + offsetLevel, 0, capLevel), then requant[0] (hswish).
  HardSwish,
  /// x[c, y, x] · gate[c] (secondInput, [C, 1, 1]), then requant[0]
  /// (squeeze-and-excitation's channel scaling).
  Scale,
};

llvm::StringRef stringifyIntOpKind(IntOpKind kind);

struct IntTensor;
struct IntOp;
/// The channels a Copy copies.
int64_t getCopiedChannels(const IntOp &op, const IntTensor &input);

/// Activation folded into an op's requantization (Unit: [0, 1], a hard
/// sigmoid's).
enum class Clamp { None, Relu, Relu6, Unit };

struct IntOp {
  IntOpKind kind = IntOpKind::Conv;
  int input = -1, secondInput = -1, output = -1;
  /// The window (Conv, pools): an fc is a conv whose window is its input.
  int64_t kernelH = 1, kernelW = 1, stride = 1, padTop = 0, padLeft = 0;
  int64_t groups = 1;
  int64_t outChannelOffset = 0;
  /// Copy: the input channels copied (0: all) and the output's step.
  int64_t inChannelOffset = 0, channelCount = 0, outChannelStride = 1;
  /// HardSwish: 3 and 6 in the input's levels.
  int64_t offsetLevel = 0, capLevel = 0;
  int64_t wbits = 8;
  /// Conv: [Cout, Cin/groups, kernelH, kernelW] levels.
  std::vector<int8_t> weights;
  std::vector<Requant> requant;
  /// What the layer is, for reports ("conv 3x3", "fc"), and its source
  /// as `file:line:col`.
  std::string label;
  std::string location;

  // Before quantization (the float network the calibration runs).
  /// Conv: the weights' per-output-channel scales.
  std::vector<float> weightScales;
  /// Conv, Copy: y[c] = scale[c] · x[c] + shift[c] after the sums (BN,
  /// bias); Copy's x is the input's real value, c its copied channel.
  std::vector<float> affineScale, affineShift;
  Clamp clamp = Clamp::None;
  /// AvgPool: divide by k·k always (asymmetric padding, as LibTorch).
  bool countPadding = false;
};

/// The whole candidate.
struct IntegerNetwork {
  std::string name;
  std::vector<IntTensor> tensors;
  std::vector<IntOp> ops;
  int input = 0, output = 0;
  /// Elements of the activation memory the tensors occupy.
  int64_t activationMemory = 0;
  int64_t numWeights() const;
  /// Σ over ops of the terms each output sums (the engine's cycles at one
  /// term per cycle).
  int64_t numTerms() const;

  /// The input's levels: round-half-even(x / scale) clamped to ±L.
  std::vector<int8_t> quantizeInput(const std::vector<float> &x) const;
  /// The output levels' real values.
  std::vector<float> dequantizeOutput(const std::vector<int8_t> &y) const;
};

struct IntegerOptions {
  /// Seeded calibration inputs (uniform in [-1, 1]) whose largest
  /// magnitudes set the scales.
  int64_t calibrationSamples = 8;
  uint64_t calibrationSeed = 1;
  /// The op kinds the consumer computes (empty: all) and its name in the
  /// errors for a layer that needs another.
  std::vector<IntOpKind> kinds;
  std::string consumer = "the integer network";
};

/// The concrete `spec` with `weights`, calibrated and quantized. Errors name
/// the layer (file:line:col) that the backend cannot compute in integers.
llvm::Expected<IntegerNetwork>
buildIntegerNetwork(nas::SpecOp spec, WeightSource &weights,
                    const IntegerOptions &options = {});

/// When each tensor lives: from its first writer (-1: the input) to its
/// last reader (the number of ops: the output), both included, in op
/// indices.
struct TensorLifetimes {
  std::vector<int64_t> first, last;
};
TensorLifetimes getTensorLifetimes(const IntegerNetwork &net);

/// The op boundaries where the network may be cut into stages that pass
/// one tensor from one to the next (the dataflow template's stages): each
/// b in (0, ops.size()) across which exactly one tensor lives, and which no
/// op from b on writes. Ascending.
std::vector<size_t> getCutPoints(const IntegerNetwork &net);

/// Ops [begin, end) as a network of their own, `begin` and `end` cut
/// points or the ends: its input is the one tensor live before `begin`,
/// its output the one live after `end`, its tensors are placed anew.
/// runInteger of the stages one after another is runInteger of `net`.
IntegerNetwork extractStage(const IntegerNetwork &net, size_t begin,
                            size_t end);

/// `size` values uniform in [-1, 1] from `random` (the calibration's and
/// the testbenches' seeded images).
std::vector<float> drawUniformImage(int64_t size, Random &random);

/// The reference: the output levels of one sample's input levels.
std::vector<int8_t> runInteger(const IntegerNetwork &net,
                               const std::vector<int8_t> &input);

/// The float network before quantization (fake-quantized weights, real
/// activations): what the calibration measures.
std::vector<float> runFloat(const IntegerNetwork &net,
                            const std::vector<float> &input,
                            std::vector<double> *maxAbs = nullptr);

} // namespace nasc

#endif // NASC_TARGET_COMMON_INTEGERNETWORK_H
