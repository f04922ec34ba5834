//===- Measure.h - An FPGA design simulated and synthesized -----*- C++ -*-===//
//
// `nasc measure --target fpga`: the design of --emit=fpga is written to a
// temporary directory and its build.sh runs there: Verilator gives the
// cycles (and checks the outputs against the reference), Yosys the
// resources, nextpnr-ice40 the Fmax (docs/fpga.md, "Measuring").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_MEASURE_H
#define NASC_TARGET_FPGA_MEASURE_H

#include "nasc/Target/FPGA/Emit.h"
#include "nasc/Target/FPGA/Energy.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace nasc::fpga {

/// What a part holds (data sheet figures).
struct PartCapacity {
  int64_t luts = 0, flipFlops = 0, dsps = 0, brams = 0;
};
PartCapacity getPartCapacity(const FPGAPart &part);

/// A design's resources, as Yosys counts its cells for the part: LUTs
/// (LUT4 or LUT1-6), flip-flops, DSPs (SB_MAC16, DSP48E1) and block RAMs
/// (EBR SB_RAM40_4K; RAMB18E1, a RAMB36E1 counting as two).
struct Resources {
  int64_t luts = 0, flipFlops = 0, dsps = 0, brams = 0;
};

/// Reads Yosys's `stat` report (resources.txt).
Resources parseResources(llvm::StringRef report);

/// The resources beyond the part's, as "LUT 6120 of 5280 (+16%)", one per
/// resource; empty when the design fits.
std::vector<std::string> getOverflows(const Resources &used,
                                      const PartCapacity &capacity);

struct DesignMeasurement {
  /// Cycles from the first input level taken to the last output level
  /// given, and between the starts of two images.
  int64_t latencyCycles = 0, intervalCycles = 0;
  Resources resources;
  /// Empty when the design fits the part.
  std::vector<std::string> overflows;
  /// From nextpnr-ice40 (parts it places and that fit), else none.
  std::optional<double> fmaxMHz;
  /// An image's toggles, the engines' summed (each engine's counts over
  /// the images it ran), when the simulation printed them.
  std::optional<SwitchingActivity> switching;
};

/// Reads the testbench's output: the latency and interval lines; an error
/// when it reports outputs that differ from the reference.
llvm::Expected<DesignMeasurement> parseSimulation(llvm::StringRef output);

/// Reads nextpnr-ice40's log: the last "Max frequency" in MHz.
std::optional<double> parseFmax(llvm::StringRef log);

/// The resources nextpnr-ice40's log says a design needs beyond the part's
/// ("LC 5709 of 5280 (+9%)"): none when it placed it.
std::vector<std::string> getPlacementOverflows(llvm::StringRef log);

/// Writes the design of `net` into a fresh temporary directory, simulates,
/// synthesizes and (when it fits and nextpnr places the part) places and
/// routes it, and removes the directory. Needs verilator, yosys and, for
/// iCE40 parts, nextpnr-ice40 on the PATH.
llvm::Expected<DesignMeasurement> measureDesign(const IntegerNetwork &net,
                                                const FPGAPart &part,
                                                const EmitOptions &options);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_MEASURE_H
