//===- Units.h - Units and dimensions of .nas quantities --------*- C++ -*-===//
//
// Every quantity in a spec carries a unit as written (`ms`, `GB/s`, `M`).
// This table gives each unit its physical dimension and its scale to the SI
// base unit of that dimension, so `5 ms` and `0.005 s` compare equal and a
// latency bound written in `mJ` is caught as an error.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_UNITS_H
#define NASC_DIALECT_NAS_IR_UNITS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace nasc::nas {

enum class Metric : uint32_t;

/// Physical dimension of a quantity. `Count` is a plain number (with an
/// optional K/M/G/T multiplier or `%`).
enum class Dimension {
  Count,
  Time,
  Energy,
  Power,
  Bytes,
  Frequency,
  OpsRate,
  Bandwidth,
  Area,
};

struct UnitInfo {
  Dimension dimension;
  /// Multiply a value in this unit by `scale` to get the base unit.
  double scale;
};

/// Looks up a unit; the empty string is a plain number.
std::optional<UnitInfo> lookupUnit(llvm::StringRef unit);

/// A readable name for diagnostics: "time", "bytes", ...
llvm::StringRef getDimensionName(Dimension dimension);

/// Example units of a dimension for diagnostics: "s, ms, us, ns".
llvm::StringRef getDimensionUnits(Dimension dimension);

/// The unit nasc's outputs give values of `dimension` in, whatever the spec
/// wrote: ms, mJ, W and B (empty for a plain count; the base unit for the
/// dimensions no metric has). Every table header, printed line, JSON file
/// and plot axis takes its unit from here, so --emit=stats,
/// --emit=candidates, a search's files and nasc transfer agree; values are
/// kept in base units and converted only when written.
llvm::StringRef getOutputUnit(Dimension dimension);

/// The dimension of a metric's values (latency: time, params: count, ...).
Dimension getMetricDimension(Metric metric);

/// Whether a value of `dimension` can bound `metric` (area accepts a plain
/// count too, for FPGA resources).
bool isDimensionValidFor(Metric metric, Dimension dimension);

/// Metrics that depend on a hardware target and therefore must name one.
bool metricNeedsTarget(Metric metric);

/// Metrics that may name a target (the ones that need one, and memory).
bool metricTakesTarget(Metric metric);

} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_IR_UNITS_H
