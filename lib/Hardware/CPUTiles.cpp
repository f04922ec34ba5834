//===- CPUTiles.cpp - The tiles of the CPU backend's vectorized ops -------===//

#include "nasc/Hardware/CPUTiles.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace nasc;
using namespace nasc::hw;

int64_t hw::getDivisorTile(int64_t n, int64_t limit) {
  for (int64_t d = limit - limit % 8; d >= 8; d -= 8)
    if (n % d == 0)
      return d;
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

// A tile of 24 or 48 lanes is legalized by widening, with a shuffle and a
// spill per lane group: FBNet's 72-channel layers made a network 1.6x
// slower, hence whole registers or at most one.
int64_t hw::getChannelTile(int64_t n, int64_t limit) {
  for (int64_t d = limit - limit % 16; d >= 16; d -= 16)
    if (n % d == 0)
      return d;
  return getDivisorTile(n, std::min<int64_t>(limit, 16));
}

// FBNet's 72, 184 and 552 channels had tiles of 8 (half a register), a
// quarter of a candidate's time.
int64_t hw::getPeeledChannelTile(int64_t n, int64_t limit) {
  int64_t tile = getChannelTile(n, limit);
  return tile < 16 && n > 16 && limit >= 16 ? 16 : tile;
}

// A divisor of fewer lanes halves the work per loaded input value:
// FBNet's 144, 552 and 1104 channels had tiles of 16, 7 accumulators at
// 7x7.
int64_t hw::getConvChannelTile(int64_t n, int64_t limit) {
  int64_t widest = limit - limit % 16;
  return n > widest && widest >= 16 ? widest : getPeeledChannelTile(n, limit);
}

// A step of the reduction is unrolled into one outer product per input
// channel and window tap, and holds each channel's broadcast input row:
// it takes input channels until it holds 2 x `reduction` taps (16 by
// default), at least one channel. A 1x1 convolution thus reduces 16
// channels a step (FBNet: 9% faster than 8); a 3x3 or 5x5 one reduces
// one. With 8 channels of a 3x3 window a step held 80 broadcast inputs,
// which LLVM loaded up front and spilled (116 spill stores in a 16-channel
// convolution at 32x32, none with 1 or 2 channels): one channel a step
// made an NB201 candidate of 3x3 convolutions 1.33x faster at batch 1 and
// 1.35x at batch 64 (bench/RESULTS.md). An int8 convolution reduces whole
// groups of 4 channels (`channelGroup`), the bytes of one dot product.
ConvTile hw::getConvTile(int64_t columns, int64_t outChannels,
                         int64_t inChannels, int64_t kernel,
                         const TileLimits &limits, int64_t channelGroup) {
  int64_t reduction = llvm::alignTo(
      std::max<int64_t>(1, 2 * limits.reduction / (kernel * kernel)),
      channelGroup);
  ConvTile tile;
  tile.width = getDivisorTile(columns, limits.width);
  tile.channels = getConvChannelTile(outChannels, limits.channels);
  tile.reduction =
      inChannels > reduction ? getDivisorTile(inChannels, reduction) : 0;
  return tile;
}

// 32 channels by 8 columns of a 5-wide, stride-2 window held 64 vectors
// and spilled 38 of them to the stack on every row.
std::pair<int64_t, int64_t> hw::getWindowTile(const WindowShape &window,
                                              const TileLimits &limits) {
  std::pair<int64_t, int64_t> best = {
      getDivisorTile(window.columns, limits.width),
      getPeeledChannelTile(window.channels, limits.channels)};
  int64_t bestWork = -1;
  for (int64_t channelCap :
       {limits.channels, std::min<int64_t>(limits.channels, 16)}) {
    int64_t tileChannels = getPeeledChannelTile(window.channels, channelCap);
    int64_t vectors = llvm::divideCeil(tileChannels, kTileLanes);
    for (int64_t cap = limits.width; cap >= 1; --cap) {
      int64_t tileWidth = getDivisorTile(window.columns, cap);
      int64_t span = (tileWidth - 1) * window.stride +
                     (window.kernel - 1) * window.dilation + 1;
      int64_t live =
          vectors * (tileWidth + span + (window.filter ? window.kernel : 0));
      if (live > kTileRegisters - 2)
        continue;
      int64_t work = tileWidth * tileChannels;
      if (work > bestWork || (work == bestWork && tileWidth > best.first)) {
        best = {tileWidth, tileChannels};
        bestWork = work;
      }
      break;
    }
  }
  return best;
}
