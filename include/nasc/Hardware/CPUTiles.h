//===- CPUTiles.h - The tiles of the CPU backend's code -------*- C++ -*-===//
//
// How the CPU backend tiles a convolution, a window op (depthwise
// convolution, pooling) or an element-wise op from its shape and the cpu
// target's tile limits (the tunables tile_width, tile_channels and
// tile_reduction). The tiling pass (lib/Target/CPU/Vectorize.cpp) and the
// analytical model of the code's schedule (lib/CostModel/CPUSchedule.cpp)
// both read these rules, so that a model sees the tiles the code has.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_HARDWARE_CPUTILES_H
#define NASC_HARDWARE_CPUTILES_H

#include <cstdint>
#include <utility>

namespace nasc::hw {

/// The most elements a vectorized tile spans in each dimension: output
/// columns (`width`), output channels, the vectors' length (`channels`),
/// and the window taps a convolution's reduction step holds (twice
/// `reduction`, a kernel x kernel window's worth per input channel, at
/// least one channel: 16 channels of a 1x1 window, one of a 3x3); each
/// tile takes the largest divisor of its dimension within the limit
/// (multiples of 8 first; for channels, multiples of 16, else at most 16).
/// The cpu target's tunables tile_width, tile_channels and tile_reduction
/// set them (docs/language.md).
struct TileLimits {
  int64_t width = 8;
  int64_t channels = 32;
  int64_t reduction = 8;
  bool operator==(const TileLimits &other) const {
    return width == other.width && channels == other.channels &&
           reduction == other.reduction;
  }
};

/// The registers of the vector unit the tiles are sized for: AVX-512's
/// 32 of 16 floats.
inline constexpr int64_t kTileRegisters = 32, kTileLanes = 16;

/// The largest divisor of `n` at most `limit`, preferring multiples of 8.
int64_t getDivisorTile(int64_t n, int64_t limit);

/// The tile of `n` channels, the vectorized dimension, at most `limit`:
/// the largest divisor that is a multiple of 16 (whole 512-bit or 256-bit
/// registers), else `getDivisorTile` within one 512-bit register.
int64_t getChannelTile(int64_t n, int64_t limit);

/// The channel tile of an NHWC op whose channel loop may end in a
/// remainder, peeled into a loop of its own: 16 lanes, a whole 512-bit
/// register, where `getChannelTile` has less for more than 16 channels.
int64_t getPeeledChannelTile(int64_t n, int64_t limit);

/// The channel tile of a convolution: whole registers up to `limit`, the
/// last, partial tile peeled.
int64_t getConvChannelTile(int64_t n, int64_t limit);

/// A convolution's tile: output columns, output channels and the input
/// channels it reduces at once (0: all of them, in one step).
struct ConvTile {
  int64_t width = 1, channels = 1, reduction = 0;
};
/// The tile of a convolution (groups 1) of `outChannels` x `columns`
/// outputs reducing `inChannels` channels over a `kernel`-wide window, in
/// groups of `channelGroup` channels (4 for int8: a dot product of bytes).
ConvTile getConvTile(int64_t columns, int64_t outChannels, int64_t inChannels,
                     int64_t kernel, const TileLimits &limits,
                     int64_t channelGroup = 1);

/// A depthwise convolution's or pooling's window: `columns` and `channels`
/// of the output, the window's width, stride and dilation along a row, and
/// whether it reads a filter (a depthwise convolution) or not (pooling).
struct WindowShape {
  int64_t columns = 1, channels = 1, kernel = 1, stride = 1, dilation = 1;
  bool filter = false;
};
/// The (columns, channels) of a window op's tile: the widest, then most
/// channels, whose values fit in the registers. A tile row reads its whole
/// input window at once, `(columns - 1) x stride + kernel` columns, beside
/// its accumulators and the kernel's row of filter vectors.
std::pair<int64_t, int64_t> getWindowTile(const WindowShape &window,
                                          const TileLimits &limits);

} // namespace nasc::hw

#endif // NASC_HARDWARE_CPUTILES_H
