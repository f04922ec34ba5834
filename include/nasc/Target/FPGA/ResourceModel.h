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
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_RESOURCEMODEL_H
#define NASC_TARGET_FPGA_RESOURCEMODEL_H

#include "nasc/Target/FPGA/Engine.h"
#include "nasc/Target/FPGA/Measure.h"

#include "llvm/Support/JSON.h"

#include <array>
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

struct ResourceModel {
  std::string part;
  /// "default" or the measurements it was fitted to.
  std::string source = "default";
  /// Per resource, a coefficient per feature.
  std::array<std::vector<double>, kNumResourceKinds> coefficients;

  /// The part's uncalibrated model.
  static ResourceModel getDefault(const FPGAPart &part);
  Resources predict(llvm::ArrayRef<double> features) const;
  llvm::json::Value toJSON() const;
  /// A model `nasc calibrate` wrote; an error names what is wrong.
  static llvm::Expected<ResourceModel> fromJSON(const llvm::json::Value &v);
};

/// One measured design.
struct MeasuredDesign {
  std::vector<double> features;
  Resources measured;
};

/// Least squares on the relative errors (each row weighted by
/// 1/measured), per resource, starting from nothing but the rows.
ResourceModel fitResourceModel(const FPGAPart &part,
                               llvm::ArrayRef<MeasuredDesign> rows,
                               llvm::StringRef source);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_RESOURCEMODEL_H
