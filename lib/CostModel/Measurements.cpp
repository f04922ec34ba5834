//===- Measurements.cpp - Measured candidates and the model they fit ------===//

#include "nasc/CostModel/Measurements.h"

#include "nasc/Support/CSV.h"


#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

std::optional<std::vector<Measurement>>
cost::loadMeasurements(const Space &space, const TargetDesc &target,
                       llvm::StringRef path, int64_t batch,
                       std::optional<Records> &records, std::string &error) {
  CSVTable csv;
  if (!loadCSVFile(path, csv, error))
    return std::nullopt;
  int encodingColumn = csv.column("encoding");
  int latencyColumn = csv.column("latency_ms");
  if (latencyColumn < 0)
    latencyColumn = csv.column("median_ms");
  int energyColumn = csv.column("energy_mj");
  // Kernels when the measurements are of nasc's own code: this machine's
  // target, or `nasc measure`'s CSV (its median_ms column).
  if (!records)
    records = target.preset == "host_cpu" || csv.column("median_ms") >= 0
                  ? Records::Kernels
                  : Records::Layers;
  int batchColumn = csv.column("batch");
  if (encodingColumn < 0 || (latencyColumn < 0 && energyColumn < 0)) {
    error = path.str() + ":1: expected an 'encoding' column and "
                         "'latency_ms' (or 'median_ms') and/or 'energy_mj'";
    return std::nullopt;
  }
  std::vector<Measurement> rows;
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const std::vector<std::string> &row = csv.rows[r];
    std::string where = path.str() + ":" + std::to_string(csv.lines[r]);
    if (batchColumn >= 0) {
      int64_t rowBatch;
      if (llvm::StringRef(row[batchColumn]).getAsInteger(10, rowBatch)) {
        error = where + ": batch '" + row[batchColumn] + "' is not an integer";
        return std::nullopt;
      }
      if (rowBatch != batch)
        continue;
    }
    std::string why;
    FailureOr<Candidate> candidate = space.decode(row[encodingColumn], why);
    if (failed(candidate)) {
      error = where + ": '" + row[encodingColumn] + "': " + why;
      return std::nullopt;
    }
    FailureOr<std::vector<LayerWork>> layers =
        getCandidateLayers(space, *candidate, *records);
    if (failed(layers)) {
      error = where + ": the candidate is ill-shaped";
      return std::nullopt;
    }
    Measurement m;
    m.encoding = row[encodingColumn];
    m.layers = std::move(*layers);
    auto read = [&](int column, double &out) -> bool {
      if (column < 0 || row[column].empty())
        return true;
      double value;
      if (llvm::StringRef(row[column]).getAsDouble(value) || !(value > 0)) {
        error = where + ": '" + row[column] + "' in column '" +
                csv.header[column] + "' is not a positive number";
        return false;
      }
      out = value * 1e-3; // ms → s, mJ → J
      return true;
    };
    if (!read(latencyColumn, m.latency) || !read(energyColumn, m.energy))
      return std::nullopt;
    rows.push_back(std::move(m));
  }
  return rows;
}

std::optional<Calibration> cost::calibrate(const TargetDesc &target,
                                           llvm::ArrayRef<Measurement> rows,
                                           llvm::StringRef source,
                                           std::optional<Method> method,
                                           Records records,
                                           std::string &error) {
  bool hasRoofline = target.peakFlops > 0 || target.bandwidth > 0;
  if (!hasRoofline && method && *method != Method::Predictor) {
    error = "target '" + target.name +
            "' has no peak_compute or bandwidth: the " +
            stringifyMethod(*method).str() +
            " method needs a roofline (use --method predictor)";
    return std::nullopt;
  }
  Calibration result;
  for (Method m :
       {Method::Analytical, Method::Predictor, Method::LookupTable}) {
    if (method && *method != m)
      continue;
    if (m != Method::Predictor && !hasRoofline)
      continue;
    std::unique_ptr<CalibratedModel> model =
        CalibratedModel::fit(target, m, rows, error, records);
    if (!model) {
      error = source.str() + ": " + error;
      return std::nullopt;
    }
    result.fitted.push_back(std::move(model));
  }
  auto mape = [](const CalibratedModel &m) {
    const Quality *q = m.getQuality(Quantity::Latency);
    if (!q)
      q = m.getQuality(Quantity::Energy);
    return q ? q->meanAbsolutePercentageError : INFINITY;
  };
  for (size_t i = 1; i < result.fitted.size(); ++i)
    if (mape(*result.fitted[i]) < mape(*result.fitted[result.chosen]))
      result.chosen = i;
  return result;
}
