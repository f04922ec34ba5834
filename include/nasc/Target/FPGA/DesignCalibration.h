//===- DesignCalibration.h - FPGA resource models fitted to designs -*- C++
//-*-===//
//
// `nasc calibrate SPEC --target T` for an fpga target T: fits the resource
// model (nasc/Target/FPGA/ResourceModel.h) to designs `nasc measure
// --target fpga --csv` measured, and reports, cross-validated, how many
// designs each resource's prediction gets within ±15% (and the cycles
// within ±10%), beside the uncalibrated model's share (docs/fpga.md).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_DESIGNCALIBRATION_H
#define NASC_TARGET_FPGA_DESIGNCALIBRATION_H

#include "nasc/Space/Space.h"
#include "nasc/Target/FPGA/ResourceModel.h"

#include "llvm/Support/Error.h"

#include <array>
#include <string>
#include <vector>

namespace nasc::fpga {

/// How close a model's predictions come to the measured designs.
struct ResourceQuality {
  /// Per resource (lut, ff, dsp, bram): the share within ±15%, the mean
  /// absolute percentage error.
  std::array<double, kNumResourceKinds> within15{}, mape{};
  /// The Fmax, over the designs with one (fmaxDesigns): the share within
  /// ±10%, the mean absolute percentage error.
  double fmaxWithin10 = 0, fmaxMape = 0;
  size_t fmaxDesigns = 0;
};

struct DesignCalibration {
  std::string part;
  size_t designs = 0;
  /// The model fitted to every design.
  ResourceModel model;
  /// The default model on every design; the fitted one cross-validated
  /// (leave-one-out below 20 designs, else 5-fold).
  ResourceQuality uncalibrated, calibrated;
  /// The plan's cycles against the simulated ones: the share within ±10%.
  double cyclesWithin10 = 0;
  bool leaveOneOut = true;
  std::vector<std::string> warnings;
};

/// Reads `csvPath` (nasc measure --target fpga --csv: encoding, cycles,
/// lut, ff, dsp, bram, part, and the design's template, pe and stages, and
/// fmax_mhz where place and route gave one),
/// rebuilds each design's plan from its encoding and options, and fits.
/// Errors name the file and line.
llvm::Expected<DesignCalibration>
calibrateDesignResources(const Space &space, llvm::StringRef csvPath);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_DESIGNCALIBRATION_H
