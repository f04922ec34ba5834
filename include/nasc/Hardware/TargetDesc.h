//===- TargetDesc.h - Targets described by their figures ---------*- C++ -*-===//
//
// A hardware target as the cost models and the search's limits see it: peak
// throughput, memory bandwidth, per-layer overhead, energy figures and memory
// limits, in SI base units. From a spec's `target` declaration, whose `preset`
// names one of the built-in descriptions (docs/costmodel.md, "Targets") and
// whose own properties override the preset's.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_HARDWARE_TARGETDESC_H
#define NASC_HARDWARE_TARGETDESC_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Hardware/CPUTiles.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace nasc::hw {

struct TargetDesc {
  std::string name;
  nas::TargetKind kind = nas::TargetKind::cpu;
  /// The built-in description it starts from, or empty.
  std::string preset;
  /// Peak throughput: fp32 FLOP/s, and 8-bit OP/s (0: the fp32 figure).
  double peakFlops = 0, peakInt8 = 0;
  /// Bytes per second to and from memory.
  double bandwidth = 0;
  /// Bytes per second a working set of at most `bytes` moves at (the
  /// caches), smallest set first; larger ones move at `bandwidth`.
  /// host_cpu measures them; other targets have none.
  struct CacheBandwidth {
    double bytes = 0, bandwidth = 0;
  };
  std::vector<CacheBandwidth> cacheBandwidths;
  /// Seconds of fixed cost per layer (launch, loop setup).
  double overhead = 0;
  /// Joules per fp32 MAC and per byte moved from memory (0: the defaults of
  /// docs/costmodel.md); watts.
  double energyPerMac = 0, energyPerByte = 0, power = 0;
  /// Bytes: on-chip memory (a tiny target's SRAM), non-volatile storage
  /// for weights, main memory.
  double sram = 0, flash = 0, memory = 0;
  /// FPGA resources.
  double dsp = 0, bram = 0, lut = 0;
  /// Bits a float takes in memory: 16 on a gpu target whose tunable
  /// `precision` is fp16 (its code stores floats as halves, docs/gpu.md).
  unsigned floatStorageBits = 32;
  /// Where the figures come from.
  std::string source;
  /// The schedule of the CPU backend's code on a `cpu` target (its
  /// tunables `vector` and `tile_*`, docs/language.md), which the
  /// analytical latency reads (docs/costmodel.md, "Tiles"); `vectorBits`
  /// 0 on other kinds.
  struct CPUSchedule {
    unsigned vectorBits = 0;
    TileLimits tiles;
    bool operator==(const CPUSchedule &other) const {
      return vectorBits == other.vectorBits && tiles == other.tiles;
    }
    bool operator!=(const CPUSchedule &other) const {
      return !(*this == other);
    }
  };
  CPUSchedule schedule;
};

/// The built-in descriptions: host_cpu (this machine, measured on first
/// use), jetson_nano, mobile_a76, pynq_z2, stm32f746.
llvm::ArrayRef<TargetDesc> getBuiltinTargets();
/// A built-in description by name, or null.
const TargetDesc *findBuiltinTarget(llvm::StringRef name);

/// Values given to a target's tunables: (tunable name, value).
using TunableValues =
    llvm::ArrayRef<std::pair<llvm::StringRef, mlir::Attribute>>;

/// The description of a declared target: its preset's figures overridden
/// by its own properties; a tunable it reads takes its value from `chosen`,
/// else its only alternative, else the backend's default.
TargetDesc getTargetDesc(nas::TargetOp target, TunableValues chosen = {});
/// The tunables of `target` with more than one alternative that its
/// description reads (a cpu target's `vector` and `tile_*`, a gpu target's
/// `precision`), each with its alternatives, sorted by name.
std::vector<std::pair<std::string, llvm::SmallVector<mlir::Attribute>>>
getCostTunables(nas::TargetOp target);
/// Every target the spec declares.
std::vector<TargetDesc> getSpecTargets(nas::SpecOp spec);

/// This machine's single-core fp32 peak (FLOP/s) with vectors of at most
/// `vectorBits` (256: AVX2, 512: AVX-512, as the host has them) and its
/// memory bandwidth (B/s), measured once per process (and width) by a
/// vectorized multiply-add loop and a large copy. host_cpu's peak is the
/// one of a decided `vector` tunable of its target, else the widest.
double measureHostPeakFlops(unsigned vectorBits = 512);
double measureHostBandwidth();
/// This core's bandwidth for working sets of 16 KiB to 16 MiB (a copy
/// between two buffers of half the set, repeated), measured once per
/// process: host_cpu's cache bandwidths.
std::vector<TargetDesc::CacheBandwidth> measureHostCacheBandwidths();
/// The bandwidth `target` moves a working set of `bytes` at: the first of
/// its cache bandwidths that holds it, else its memory bandwidth.
double getWorkingSetBandwidth(const TargetDesc &target, double bytes);

} // namespace nasc::hw

#endif // NASC_HARDWARE_TARGETDESC_H
