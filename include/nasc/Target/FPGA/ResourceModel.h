//===- ResourceModel.h - A design's resources, from its plan ----*- C++ -*-===//
//
// An analytical model of what Yosys counts for a design (docs/fpga.md,
// "The resource model"), read from the plan without synthesizing it: each
// resource is a linear function of the design's features. The block RAMs
// feature maps each engine memory onto the part's RAM blocks as Yosys
// does (the block shape that needs fewest, kept when it is used well
// enough, else the memory's bits go to logic); the other features count
// engines, lanes, layers, bits in logic and engines without weights.
//
// The default coefficients come from the engine's structure (a multiplier
// per lane, a 32x16 requantizer) and the reference designs of
// bench/RESULTS.md; `nasc calibrate --target T` fits them to measured
// designs (fitResourceModel).
//
// The model's Fmax is one clock per part: the critical path is the
// engine's (its multiply-accumulate and requantizer), which every design
// instantiates, so it hardly moves with the design (13.2 to 13.8 MHz over
// the UP5K designs of bench/fpga-calibration-up5k.csv). The default is the
// clock build.sh constrains a design to (getNominalClockMHz); calibration
// takes the mean of the measured Fmax.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_RESOURCEMODEL_H
#define NASC_TARGET_FPGA_RESOURCEMODEL_H

#include "nasc/Target/FPGA/Engine.h"
#include "nasc/Target/FPGA/Measure.h"

#include "llvm/Support/JSON.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace nasc::fpga {

/// The features, in order: one, engines, lanes, layers, block RAMs, kbits
/// in logic (memories left out of block RAM), engines without weights.
llvm::ArrayRef<llvm::StringRef> getResourceFeatureNames();
std::vector<double> getResourceFeatures(const DesignPlan &plan,
                                        const FPGAPart &part);

/// The resources the model predicts, in Resources' order.
enum class ResourceKind { LUT, FF, DSP, BRAM };
constexpr size_t kNumResourceKinds = 4;
llvm::StringRef stringifyResourceKind(ResourceKind kind); // lut, ff, ...
int64_t getResource(const Resources &r, ResourceKind kind);

/// The clock build.sh asks place and route for (iCE40: 12 MHz), or the
/// one a design is assumed to run at without place and route (xc7z020:
/// 100 MHz).
double getNominalClockMHz(const FPGAPart &part);

/// Seconds for `batch` images to stream through a design at `clockMHz`:
/// the first image's latency, then one interval per further image (what
/// nasc measure reports, and what the plan estimates for one image).
double getDesignSeconds(int64_t latencyCycles, int64_t intervalCycles,
                        int64_t batch, double clockMHz);

struct ResourceModel {
  std::string part;
  /// "default" or the measurements it was fitted to.
  std::string source = "default";
  /// Per resource, a coefficient per feature.
  std::array<std::vector<double>, kNumResourceKinds> coefficients;
  /// The design's Fmax, MHz.
  double fmaxMHz = 0;

  /// The part's uncalibrated model.
  static ResourceModel getDefault(const FPGAPart &part);
  Resources predict(llvm::ArrayRef<double> features) const;
  /// The clock a design with `used` resources runs at on `part`: the
  /// model's Fmax where it fits, else the nominal clock (as nasc measure's
  /// clock_mhz, for a design place and route cannot take).
  double getClockMHz(const Resources &used, const FPGAPart &part) const;
  llvm::json::Value toJSON() const;
  /// A model `nasc calibrate` wrote; an error names what is wrong.
  static llvm::Expected<ResourceModel> fromJSON(const llvm::json::Value &v);
};

/// One measured design.
struct MeasuredDesign {
  std::vector<double> features;
  Resources measured;
  /// nextpnr's Fmax, where it placed and routed the design.
  std::optional<double> fmaxMHz;
};

/// Least squares on the relative errors (each row weighted by
/// 1/measured), per resource, starting from nothing but the rows; the
/// Fmax is the mean of the rows' (the default where none has one).
ResourceModel fitResourceModel(const FPGAPart &part,
                               llvm::ArrayRef<MeasuredDesign> rows,
                               llvm::StringRef source);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_RESOURCEMODEL_H
