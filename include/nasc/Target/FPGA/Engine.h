//===- Engine.h - The engines of an FPGA design -----------------*- C++ -*-===//
//
// Both FPGA templates (docs/fpga.md) are built from one engine,
// rtl/nasc_engine.v, which runs a program of layers of an integer network
// from its own memories:
//
//  * folded: one engine runs the whole network, image after image;
//  * dataflow: a chain of engines, one per stage of consecutive layers,
//    each streaming its output tensor into the next, so that the stages
//    work on successive images at once and the slowest stage sets the
//    interval between images. Each stage has its own lanes, the fewest
//    that keep it within the slowest stage's cycles (FINN's folding rule).
//
// This file holds the engine's program (one entry per layer), its cycle
// counts, and the plan of a design: its stages and their lanes.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_ENGINE_H
#define NASC_TARGET_FPGA_ENGINE_H

#include "nasc/Target/Common/IntegerNetwork.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <optional>
#include <vector>

namespace nasc::fpga {

enum class DesignTemplate { Folded, Dataflow };
llvm::StringRef stringifyDesignTemplate(DesignTemplate kind);
std::optional<DesignTemplate> symbolizeDesignTemplate(llvm::StringRef name);

/// The engine's limits: lanes per engine, layers per engine's program,
/// engines per design.
constexpr int64_t kMaxLanes = 64;
constexpr size_t kMaxLayersPerEngine = 256;
constexpr size_t kMaxEngines = 256;

/// nasc_engine.v's K_* layer kinds (ProgramEntry::kind).
enum EngineKind : int64_t {
  KConv = 0,
  KMax = 1,
  KAvg = 2,
  KAdd = 3,
  KCopy = 4,
  KHardSwish = 5,
  KScale = 6
};

/// The requantization memory's words of `op`: its Requants, but an
/// addition's first only (its inputs' coefficients, the multipliers of the
/// other two, are program fields).
llvm::ArrayRef<Requant> getRequantWords(const IntOp &op);

/// A requantization of at most kMaxLevels levels as comparisons, the way
/// FINN folds batch norm and a low-bit activation into thresholds: the
/// result is `lo` plus the number of `thresholds` that x reaches (x >= t),
/// x the 32-bit sum, or its negation where the requantization decreases
/// with the sum. Equal to Requant::apply for every 32-bit sum; a threshold
/// no x reaches is kNever. An engine whose words all take this form
/// compares instead of multiplying (nasc_engine.v's THRESHOLDS).
struct RequantThresholds {
  static constexpr int64_t kMaxLevels = 4;
  /// Past every x (a 33-bit signed value, as the engine compares).
  static constexpr int64_t kNever = (int64_t(1) << 32) - 1;
  bool negate = false;
  int64_t lo = 0;
  std::array<int64_t, kMaxLevels - 1> thresholds{kNever, kNever, kNever};
  int64_t apply(int32_t acc) const;
  /// `r` as thresholds, or none when it gives more than kMaxLevels levels.
  static std::optional<RequantThresholds> from(const Requant &r);
};

/// The largest magnitude of a layer's coefficient (ProgramEntry::coef0,
/// coef1: 16-bit signed operands of lane 0's multiplier).
constexpr int64_t kMaxCoefficient = 32767;

/// One layer of an engine's program (nasc_engine.v's p_* fields).
struct ProgramEntry {
  /// `blocks`: blocks of `lanes` output channels per group.
  int64_t kind, in0, in1, out, cinpg, blocks, outc, inh, inw, outh, outw, kh,
      kw, stride, padt, padl, wbase, rqbase, terms;
  // Running address steps: an input plane, a window row step, a group's
  // input planes, the first window row's offset (negative with padding).
  int64_t plane, rowstep, groupstep, rowstart;
  /// Output channels computed at once (PE, or 1), an output plane, and the
  /// other lanes' planes skipped after a block.
  int64_t lanes, outplane, blockskip;
  /// 16-bit coefficients: an addition's inputs' (in0 · coef0 + in1 ·
  /// coef1), hswish's offset and cap (3/s and 6/s in its input's levels).
  int64_t coef0, coef1;

  /// nasc_program.v's 32-bit outputs after `kind`, in order, and their
  /// values here.
  static constexpr size_t kNumFields = 25;
  static const char *const kFieldNames[kNumFields];
  std::array<int64_t, kNumFields> getFields() const {
    return {in0,      in1,   out,      cinpg,    blocks, outc,    inh,
            inw,      outh,  outw,     kh,       kw,     stride,  padt,
            padl,     wbase, rqbase,   terms,    plane,  rowstep, groupstep,
            rowstart, lanes, outplane, blockskip};
  }
};

/// The program of `net` for an engine of `pe` lanes. A convolution gets
/// them when its output channels per group are a multiple of `pe` and each
/// output sums at least `pe` terms (its write-backs then keep up).
std::vector<ProgramEntry> getProgram(const IntegerNetwork &net, int64_t pe);

/// A layer's compute cycles: a term per cycle on each lane, each block of
/// output channels once.
int64_t getComputeCycles(const ProgramEntry &entry);
/// The program's, summed.
int64_t getComputeCycles(const std::vector<ProgramEntry> &program);

/// An engine's cycles from its first input level taken to its last output
/// level given, its streams never waiting: one per input level, per layer
/// a start cycle, its terms and a drain of 6 + PE cycles, two per output
/// level.
int64_t getEngineLatency(const IntegerNetwork &net,
                         const std::vector<ProgramEntry> &program, int64_t pe);

/// One engine of a design.
struct EngineStage {
  IntegerNetwork net;
  int64_t lanes = 1;
  /// The stage's ops are the whole network's [firstOp, firstOp + ops).
  size_t firstOp = 0;
  std::vector<ProgramEntry> program;
  /// Cycles per image when it is the slowest stage: taking its input at
  /// the rate the previous engine sends it (1 level per cycle for the
  /// first), computing, and sending its output.
  int64_t cycleCycles = 0;
};

/// The bits a layer's weight levels take in the engine's weight memory:
/// its `wbits` (at most 8), two's complement; a 1-bit layer takes 1 bit
/// (1 is +1, 0 is -1) unless pruning left zero levels (then 2, ternary).
int64_t getWeightStorageBits(const IntOp &op);

/// Whether an engine with `weightBits`-bit weights gives its lanes after
/// the first an add or subtract instead of a multiplier: binary and
/// ternary levels (-1, 0, +1). Lane 0 keeps its multiplier, which also
/// scales an addition's inputs.
inline bool hasMultiplierFreeLanes(int64_t weightBits) {
  return weightBits <= 2;
}

/// The memories and program nasc_engine.v is instantiated with for one
/// engine (its parameters ACT_DEPTH, ABITS, W_DEPTH, WBITS, RQ_DEPTH,
/// NUM_LAYERS, PE): what the emitter writes and the resource model reads.
struct EngineParameters {
  /// Activation levels of `activationBits` each, the widest of the
  /// engine's tensors' bits (a tensor's levels lie in [-L, L],
  /// L = 2^(bits-1) - 1).
  int64_t activationDepth = 0;
  int64_t activationBits = 8;
  /// Words of `lanes` weights of `weightBits` each; 0 for an engine
  /// without weights.
  int64_t weightDepth = 0;
  /// The widest of the engine's layers' getWeightStorageBits (8 for an
  /// engine without weights).
  int64_t weightBits = 8;
  /// 128-bit requantization words.
  int64_t requantDepth = 0;
  int64_t layers = 0;
  int64_t lanes = 1;
  /// Bits of the engine's counters and addresses (nasc_engine.v's CW,
  /// signed): a sign bit and a bit of headroom over its largest program
  /// field, memory depth or stream size, at most 32.
  int64_t counterBits = 32;
  /// Whether its layers include hswish, or a channel scaling (HSWISH,
  /// SCALE): only then does the engine carry their logic.
  bool hardSwish = false;
  bool scale = false;
  /// Whether every requantization word takes RequantThresholds' form
  /// (THRESHOLDS): the engine compares instead of multiplying.
  bool thresholds = false;
  /// Whether lane 0 adds or subtracts too (LANE0_ADD): binary or ternary
  /// weights and no layer that scales by a coefficient (an addition,
  /// hswish, a channel scaling).
  bool multiplierFreeLane0 = false;
};
EngineParameters getEngineParameters(const EngineStage &stage);

/// What a design is made of, and its cycles as the engine's timing gives
/// them.
struct DesignPlan {
  DesignTemplate kind = DesignTemplate::Folded;
  std::vector<EngineStage> stages;
  /// Of one image through the empty design.
  int64_t latencyCycles = 0;
  /// Between two images' starts in steady state: the latency when folded,
  /// the slowest stage's cycle in a dataflow chain.
  int64_t intervalCycles = 0;
  int64_t getMaxLanes() const;
};

/// The design of `net`: one engine of `pe` lanes (folded), or a chain of
/// at most `maxStages` engines (0: as many as the network's cut points
/// allow) of at most `pe` lanes each (dataflow). An error when the engine
/// cannot run it (lanes outside 1..64, more layers or engines than it
/// holds).
llvm::Expected<DesignPlan> planDesign(const IntegerNetwork &net,
                                      DesignTemplate kind, int64_t pe,
                                      int64_t maxStages = 0);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_ENGINE_H
