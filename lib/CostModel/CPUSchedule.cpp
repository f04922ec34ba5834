//===- CPUSchedule.cpp - The share of the peak the CPU code's tiles reach ===//
//
// The roofline's compute term takes a kernel's FLOPs at the core's peak,
// the rate of a loop of independent multiply-adds. The CPU backend's code
// reaches that rate only as far as its tiles let it: a tile keeps
// `columns x channels` outputs in vector registers through the reduction
// and, per input channel, broadcasts the input row's values (one per
// column of the window's span, shared by the taps) and loads the filter
// row, a vector per tap and register of channels (the code's shape in
// objdump). A step of the reduction is costed on a core with two FMA
// pipes, two loads and one store a cycle and a 4-cycle FMA latency (the
// x86 server cores nasc's code runs on: AMD Zen 4, Intel Skylake-SP and
// later): its cycles are the most of its multiply-adds over the pipes,
// its loads over the load ports, its stores over the store port, and the
// chain of dependent multiply-adds on each accumulator; values live beyond
// the register file spill, a store and a reload each a step. The tiles are
// those the code has (nasc/Hardware/CPUTiles.h), and channels a tile
// leaves in a partial register waste its lanes.
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace nasc;
using namespace nasc::cost;

namespace {
/// Per cycle: vector multiply-adds, loads, stores; cycles from a
/// multiply-add to the next one on its result.
constexpr double kFmaPipes = 2, kLoadPorts = 2, kStorePorts = 1,
                 kFmaLatency = 4;

/// One step of a tile: the multiply-adds it issues, the loads and stores
/// beside them, and the longest chain of dependent multiply-adds.
struct TileStep {
  double fmas = 0, loads = 0, stores = 0, chain = 0;

  /// The share of the FMA pipes' cycles the step keeps busy.
  double getEfficiency() const {
    double busy = fmas / kFmaPipes;
    double cycles = std::max(
        {busy, loads / kLoadPorts, stores / kStorePorts, chain * kFmaLatency});
    return cycles > 0 ? busy / cycles : 1;
  }
  /// `live` values in `registers`: each one past the file is stored and
  /// reloaded `uses` times a step.
  void spill(int64_t live, int64_t registers, double uses) {
    double excess = double(std::max<int64_t>(0, live - registers));
    loads += excess * uses;
    stores += excess * uses;
  }
};

/// The share of the lanes computing channels when `channels` are tiled by
/// `tile`, each tile in whole registers of `lanes` (the last one partial).
double getLaneUse(int64_t channels, int64_t tile, int64_t lanes) {
  int64_t full = channels / tile, rest = channels % tile;
  int64_t used = full * llvm::divideCeil(tile, lanes) * lanes +
                 llvm::divideCeil(rest, lanes) * lanes;
  return used > 0 ? double(channels) / double(used) : 1;
}
} // namespace

double cost::getTileEfficiency(const hw::TargetDesc::CPUSchedule &schedule,
                               const KernelNest &nest) {
  if (schedule.vectorBits == 0 || nest.kind == KernelNest::Kind::Other ||
      nest.channels <= 0 || nest.columns <= 0)
    return 1;
  int64_t lanes = schedule.vectorBits / 32;
  int64_t registers = schedule.vectorBits >= 512 ? 32 : 16;
  const hw::TileLimits &limits = schedule.tiles;
  TileStep step;
  double laneUse = 1, perOperation = 1;
  switch (nest.kind) {
  case KernelNest::Kind::Conv: {
    // A step: one input channel's window row, its input span broadcast
    // (a value per column, shared by the taps) and its filter row loaded
    // once, an outer product per tap; the accumulators stay in registers
    // through the reduction.
    hw::ConvTile tile = hw::getConvTile(nest.columns, nest.channels,
                                        nest.reduction, nest.window, limits);
    int64_t vectors = llvm::divideCeil(tile.channels, lanes);
    int64_t accumulators = tile.width * vectors;
    int64_t span = (tile.width - 1) * nest.stride + nest.window;
    int64_t filter = nest.window * vectors;
    step.fmas = double(nest.window * accumulators);
    step.loads = double(span + filter);
    step.chain = double(nest.window);
    step.spill(accumulators + span + filter, registers, 1);
    laneUse = getLaneUse(nest.channels, tile.channels, lanes);
    break;
  }
  case KernelNest::Kind::Depthwise:
  case KernelNest::Kind::Pool: {
    // A step: one window row, its input span and (depthwise) its filter
    // row loaded once, a multiply-add (or add, max) per column and tap,
    // the accumulators in registers.
    hw::WindowShape shape;
    shape.columns = nest.columns;
    shape.channels = nest.channels;
    shape.kernel = nest.window;
    shape.stride = nest.stride;
    shape.filter = nest.kind == KernelNest::Kind::Depthwise;
    auto [width, channels] = hw::getWindowTile(shape, limits);
    int64_t vectors = llvm::divideCeil(channels, lanes);
    int64_t accumulators = width * vectors;
    int64_t span = (width - 1) * nest.stride + nest.window;
    int64_t filter = shape.filter ? nest.window * vectors : 0;
    step.fmas = double(nest.window * accumulators);
    step.loads = double(span * vectors + filter);
    step.chain = double(nest.window);
    step.spill(accumulators + span * vectors + filter, registers, 1);
    laneUse = getLaneUse(nest.channels, channels, lanes);
    // An add or a max is one FLOP where a multiply-add is two.
    perOperation = shape.filter ? 1 : 0.5;
    break;
  }
  case KernelNest::Kind::Linear: {
    // A step: one input feature, a weight vector per register of the
    // tile's channels, on one row (batch 1).
    int64_t tile = hw::getChannelTile(nest.channels, limits.channels);
    int64_t vectors = llvm::divideCeil(tile, lanes);
    step.fmas = double(vectors);
    step.loads = double(vectors + 1);
    step.chain = 1;
    laneUse = getLaneUse(nest.channels, tile, lanes);
    break;
  }
  case KernelNest::Kind::Other:
    break;
  }
  return step.getEfficiency() * laneUse * perOperation;
}
