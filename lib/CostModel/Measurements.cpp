//===- Measurements.cpp - Measured candidates and the model they fit ------===//

#include "nasc/CostModel/Measurements.h"

#include "nasc/Support/CSV.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

std::optional<std::vector<Measurement>>
cost::loadMeasurements(const Space &space, const TargetDesc &target,
                       llvm::StringRef path, int64_t batch,
                       std::optional<Records> &records, std::string &error,
                       std::vector<std::string> *warnings) {
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
  // A candidate measured more than once, under any spelling of its
  // encoding, is one row: the mean of its measurements.
  struct Repeats {
    std::vector<unsigned> lines;
    double sum[2] = {0, 0}, least[2] = {INFINITY, INFINITY},
           most[2] = {0, 0};
    unsigned count[2] = {0, 0};
  };
  llvm::StringMap<size_t> rowOf;
  std::vector<Repeats> repeats;
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
    std::string encoding = space.encode(*candidate);
    auto [slot, fresh] = rowOf.try_emplace(encoding, rows.size());
    if (fresh) {
      FailureOr<std::vector<LayerWork>> layers =
          getCandidateLayers(space, *candidate, *records);
      if (failed(layers)) {
        error = where + ": the candidate is ill-shaped";
        return std::nullopt;
      }
      rows.emplace_back().encoding = encoding;
      rows.back().layers = std::move(*layers);
      repeats.emplace_back();
    }
    Repeats &seen = repeats[slot->second];
    seen.lines.push_back(csv.lines[r]);
    Measurement m;
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
    for (auto [quantity, value] : {std::pair(0, m.latency), {1, m.energy}})
      if (!std::isnan(value)) {
        seen.sum[quantity] += value;
        seen.least[quantity] = std::min(seen.least[quantity], value);
        seen.most[quantity] = std::max(seen.most[quantity], value);
        ++seen.count[quantity];
      }
  }
  for (auto [row, seen] : llvm::zip(rows, repeats)) {
    row.repeats = seen.lines.size();
    double *values[2] = {&row.latency, &row.energy};
    for (int quantity : {0, 1}) {
      if (seen.count[quantity] == 0)
        continue;
      *values[quantity] = seen.sum[quantity] / seen.count[quantity];
      // Repeats more than 10% apart are worth a look: another batch size,
      // a loaded machine, a mislabelled row.
      if (!warnings || seen.most[quantity] <= 1.10 * seen.least[quantity])
        continue;
      std::string text;
      llvm::raw_string_ostream os(text);
      os << path << ":";
      llvm::interleave(seen.lines, os, ",");
      os << ": candidate '" << row.encoding << "' measured "
         << seen.count[quantity] << " times, "
         << (quantity == 0 ? "latency " : "energy ")
         << llvm::format("%g", seen.least[quantity] * 1e3) << " to "
         << llvm::format("%g", seen.most[quantity] * 1e3)
         << (quantity == 0 ? " ms" : " mJ")
         << " (more than 10% apart): averaged to "
         << llvm::format("%g", *values[quantity] * 1e3);
      warnings->push_back(std::move(text));
    }
  }
  return rows;
}

void cost::checkMeasurementSpread(llvm::ArrayRef<Measurement> rows,
                                  std::vector<std::string> &warnings) {
  if (rows.size() < 10)
    warnings.push_back(
        "only " + std::to_string(rows.size()) +
        " measured candidates: cross-validated figures from so few are "
        "rough, and the methods hard to tell apart (measure 10 to 20 or "
        "more; docs/costmodel.md)");
  for (bool latency : {true, false}) {
    std::vector<double> values;
    for (const Measurement &row : rows) {
      double value = latency ? row.latency : row.energy;
      if (!std::isnan(value))
        values.push_back(value);
    }
    if (values.size() < 2)
      continue;
    double mean = 0, variance = 0;
    for (double value : values)
      mean += value / double(values.size());
    for (double value : values)
      variance += (value - mean) * (value - mean) / double(values.size());
    double variation = std::sqrt(variance) / mean;
    if (variation >= 0.05)
      continue;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "the measured " << (latency ? "latencies" : "energies")
       << " vary by only " << llvm::format("%.1f%%", 100 * variation)
       << " (coefficient of variation): measurement noise can decide their "
          "ranks, and the methods cannot be told apart on them";
    warnings.push_back(std::move(text));
  }
}

std::optional<Calibration> cost::calibrate(
    const TargetDesc &target, llvm::ArrayRef<Measurement> rows,
    llvm::StringRef source, std::optional<Method> method, Records records,
    std::string &error,
    llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors) {
  bool hasRoofline =
      target.peakFlops > 0 || target.bandwidth > 0 || !priors.empty();
  auto needsRoofline = [](Method m) {
    return m != Method::Predictor && m != Method::Graph;
  };
  if (!hasRoofline && method && needsRoofline(*method)) {
    error = "target '" + target.name +
            "' has no peak_compute or bandwidth: the " +
            stringifyMethod(*method).str() +
            " method needs a roofline (use --method predictor or graph)";
    return std::nullopt;
  }
  Calibration result;
  for (Method m : {Method::Analytical, Method::Predictor, Method::LookupTable,
                   Method::Graph}) {
    if (method && *method != m)
      continue;
    if (needsRoofline(m) && !hasRoofline)
      continue;
    std::unique_ptr<CalibratedModel> model =
        CalibratedModel::fit(target, m, rows, error, records, priors);
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
  // The methods come simplest first; a later one must beat the choice by
  // more than 1% of its error and 0.01 points, not by fitting the rounding
  // of an exact truth.
  for (size_t i = 1; i < result.fitted.size(); ++i) {
    double best = mape(*result.fitted[result.chosen]);
    if (mape(*result.fitted[i]) < 0.99 * best - 0.01)
      result.chosen = i;
  }
  return result;
}
