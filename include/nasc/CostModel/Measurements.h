//===- Measurements.h - Measured candidates and the model they fit -*- C++ -*-===//
//
// `nasc calibrate` (docs/costmodel.md, "Calibration"): a CSV of measured
// candidates is read into Measurements, the calibrated models that apply
// are fitted to them, and the one predicting unseen rows best is chosen.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_MEASUREMENTS_H
#define NASC_COSTMODEL_MEASUREMENTS_H

#include "nasc/CostModel/CostModel.h"
#include "nasc/Space/Space.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::cost {

/// Reads measured candidates from the CSV at `path`: an `encoding` column
/// and `latency_ms` (or `nasc measure`'s `median_ms`) and/or `energy_mj`;
/// with a `batch` column, only the rows at `batch`. Values are converted
/// to seconds and joules. Unless `records` is set, it becomes Kernels for
/// measurements of nasc's own code (a `host_cpu` target, or a `median_ms`
/// column) and Layers otherwise. A candidate measured several times (under
/// any spelling of its encoding) becomes one row with the mean of its
/// values and its canonical encoding; repeats more than 10% apart add a
/// warning naming the file and lines. Errors (in `error`) name the file
/// and line.
std::optional<std::vector<Measurement>>
loadMeasurements(const Space &space, const TargetDesc &target,
                 llvm::StringRef path, int64_t batch,
                 std::optional<Records> &records, std::string &error,
                 std::vector<std::string> *warnings = nullptr);

/// Adds warnings when `rows` are too few (under 10 candidates) or too
/// uniform (a coefficient of variation under 5%) for their calibration
/// figures to tell the methods apart.
void checkMeasurementSpread(llvm::ArrayRef<Measurement> rows,
                            std::vector<std::string> &warnings);

struct Calibration {
  /// Every method fitted, in the order analytical, predictor, lookup table.
  std::vector<std::unique_ptr<CalibratedModel>> fitted;
  /// The one with the least cross-validated error (latency's, else
  /// energy's); a later, richer method must beat an earlier one by more
  /// than 1% of its MAPE and 0.01 points.
  size_t chosen = 0;
};

/// Fits `method`, or with none every method that applies (the analytical
/// and lookup-table methods need the target's roofline figures or a
/// prior), to `rows`, read from `source`, with `priors` (models of other
/// devices: CalibratedModel::fit). Fails with `error` (a fitting error
/// names `source`).
std::optional<Calibration>
calibrate(const TargetDesc &target, llvm::ArrayRef<Measurement> rows,
          llvm::StringRef source, std::optional<Method> method,
          Records records, std::string &error,
          llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors = {});

} // namespace nasc::cost

#endif // NASC_COSTMODEL_MEASUREMENTS_H
