//===- Energy.h - An FPGA design's energy per image --------------*- C++ -*-===//
//
// `energy(T)` of an fpga target: what one image makes the design do,
// counted from its plan (exact: the engines' schedules do not depend on
// the data), at an energy per event, plus the part's static power over
// the image's time (docs/fpga.md, "Energy"). The event energies are
// Horowitz's 45 nm figures (ISSCC 2014) times Kuon and Rose's FPGA/ASIC
// dynamic-power gap with hard multipliers and memories (7.1x; IEEE TCAD
// 26(2), 2007), scaled by feature size for a 28 nm part. The plan's
// estimate gives every event its average (random data toggles half the
// bits); a simulation's toggle counts (SwitchingActivity) price the
// multipliers, accumulators and requantizers by the bits that did toggle.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_ENERGY_H
#define NASC_TARGET_FPGA_ENERGY_H

#include "nasc/Target/FPGA/Emit.h"
#include "nasc/Target/FPGA/Engine.h"

namespace nasc::fpga {

/// The events of one image through a design.
struct DesignActivity {
  /// Multiply-accumulates issued: each active lane's term per cycle.
  int64_t macs = 0;
  /// Those of them on lanes that add or subtract instead of multiplying
  /// (binary and ternary weights, hasMultiplierFreeLanes).
  int64_t multiplierFreeMacs = 0;
  /// Weight memory read: each multiply-accumulate's weight level, at the
  /// engine's weight width.
  int64_t weightBits = 0;
  /// Activation memory read (a level per compute cycle, broadcast to the
  /// lanes) and written (every layer's outputs, every engine's input), at
  /// the engine's activation width.
  int64_t activationBits = 0;
  /// Outputs requantized (one 32x16 multiply each).
  int64_t requantizations = 0;
};
DesignActivity getDesignActivity(const DesignPlan &plan);

/// Bit toggles of one image through a design, from the simulation
/// (nasc_engine.v with NASC_ACTIVITY): the multiplying lanes' operands (the
/// shared input level counted once a lane), the convolutions' accumulators,
/// the requantizer's 32-bit input.
struct SwitchingActivity {
  double multiplierToggles = 0, accumulatorToggles = 0,
         requantizerToggles = 0;
};

/// Joules per event and watts of static power on one part.
struct EnergyFigures {
  /// An 8-bit multiply-accumulate, and an add alone (a multiplier-free
  /// lane's term).
  double mac = 0, add = 0, memoryByte = 0, requantization = 0,
         staticWatts = 0;
  /// Per bit toggled: the events' energies over the toggles random data
  /// makes (half the bits: 8 of an 8x8 multiply's operands, 16 of a 32-bit
  /// sum, 16 of the requantizer's input).
  double multiplierToggle = 0, accumulatorToggle = 0, requantizerToggle = 0;
};
EnergyFigures getEnergyFigures(const FPGAPart &part);

/// Joules for one image that takes `seconds`; with `switching`, the
/// arithmetic is priced by its toggles instead of the events' averages.
double getDesignEnergy(const DesignActivity &activity,
                       const EnergyFigures &figures, double seconds,
                       const SwitchingActivity *switching = nullptr);
/// Joules for one image through the design of `plan` on `part`, its
/// latency in cycles at `clockMHz`.
double getDesignEnergy(const DesignPlan &plan, const FPGAPart &part,
                       double clockMHz);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_ENERGY_H
