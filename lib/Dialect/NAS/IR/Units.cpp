//===- Units.cpp - Units and dimensions of .nas quantities ----------------===//

#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Dialect/NAS/IR/NASAttrs.h"

#include "llvm/ADT/StringSwitch.h"

using namespace nasc::nas;

std::optional<UnitInfo> nasc::nas::lookupUnit(llvm::StringRef unit) {
  using D = Dimension;
  constexpr double Ki = 1024.0;
  return llvm::StringSwitch<std::optional<UnitInfo>>(unit)
      // Plain numbers and multipliers.
      .Case("", UnitInfo{D::Count, 1})
      .Case("K", UnitInfo{D::Count, 1e3})
      .Case("M", UnitInfo{D::Count, 1e6})
      .Case("G", UnitInfo{D::Count, 1e9})
      .Case("T", UnitInfo{D::Count, 1e12})
      .Case("%", UnitInfo{D::Count, 1e-2})
      // Time.
      .Case("h", UnitInfo{D::Time, 3600})
      .Case("min", UnitInfo{D::Time, 60})
      .Case("s", UnitInfo{D::Time, 1})
      .Case("ms", UnitInfo{D::Time, 1e-3})
      .Case("us", UnitInfo{D::Time, 1e-6})
      .Case("ns", UnitInfo{D::Time, 1e-9})
      // Energy.
      .Case("J", UnitInfo{D::Energy, 1})
      .Case("mJ", UnitInfo{D::Energy, 1e-3})
      .Case("uJ", UnitInfo{D::Energy, 1e-6})
      .Case("nJ", UnitInfo{D::Energy, 1e-9})
      .Case("pJ", UnitInfo{D::Energy, 1e-12})
      // Power.
      .Case("W", UnitInfo{D::Power, 1})
      .Case("mW", UnitInfo{D::Power, 1e-3})
      .Case("uW", UnitInfo{D::Power, 1e-6})
      // Bytes: decimal and binary prefixes.
      .Case("B", UnitInfo{D::Bytes, 1})
      .Case("KB", UnitInfo{D::Bytes, 1e3})
      .Case("MB", UnitInfo{D::Bytes, 1e6})
      .Case("GB", UnitInfo{D::Bytes, 1e9})
      .Case("KiB", UnitInfo{D::Bytes, Ki})
      .Case("MiB", UnitInfo{D::Bytes, Ki * Ki})
      .Case("GiB", UnitInfo{D::Bytes, Ki * Ki * Ki})
      // Frequency.
      .Case("Hz", UnitInfo{D::Frequency, 1})
      .Case("kHz", UnitInfo{D::Frequency, 1e3})
      .Case("MHz", UnitInfo{D::Frequency, 1e6})
      .Case("GHz", UnitInfo{D::Frequency, 1e9})
      // Compute throughput (operations per second).
      .Cases("OPS", "FLOPS", UnitInfo{D::OpsRate, 1})
      .Cases("MOPS", "MFLOPS", UnitInfo{D::OpsRate, 1e6})
      .Cases("GOPS", "GFLOPS", UnitInfo{D::OpsRate, 1e9})
      .Cases("TOPS", "TFLOPS", UnitInfo{D::OpsRate, 1e12})
      // Memory bandwidth.
      .Case("B/s", UnitInfo{D::Bandwidth, 1})
      .Case("KB/s", UnitInfo{D::Bandwidth, 1e3})
      .Case("MB/s", UnitInfo{D::Bandwidth, 1e6})
      .Case("GB/s", UnitInfo{D::Bandwidth, 1e9})
      .Case("TB/s", UnitInfo{D::Bandwidth, 1e12})
      .Case("GiB/s", UnitInfo{D::Bandwidth, Ki * Ki * Ki})
      // Silicon area.
      .Case("mm2", UnitInfo{D::Area, 1e-6})
      .Case("um2", UnitInfo{D::Area, 1e-12})
      .Default(std::nullopt);
}

llvm::StringRef nasc::nas::getDimensionName(Dimension dimension) {
  switch (dimension) {
  case Dimension::Count:
    return "plain number";
  case Dimension::Time:
    return "time";
  case Dimension::Energy:
    return "energy";
  case Dimension::Power:
    return "power";
  case Dimension::Bytes:
    return "bytes";
  case Dimension::Frequency:
    return "frequency";
  case Dimension::OpsRate:
    return "compute throughput";
  case Dimension::Bandwidth:
    return "bandwidth";
  case Dimension::Area:
    return "area";
  }
  llvm_unreachable("unknown dimension");
}

llvm::StringRef nasc::nas::getDimensionUnits(Dimension dimension) {
  switch (dimension) {
  case Dimension::Count:
    return "no unit, K, M, G, T, %";
  case Dimension::Time:
    return "h, min, s, ms, us, ns";
  case Dimension::Energy:
    return "J, mJ, uJ, nJ, pJ";
  case Dimension::Power:
    return "W, mW, uW";
  case Dimension::Bytes:
    return "B, KB, MB, GB, KiB, MiB, GiB";
  case Dimension::Frequency:
    return "Hz, kHz, MHz, GHz";
  case Dimension::OpsRate:
    return "OPS, MOPS, GOPS, TOPS, FLOPS, MFLOPS, GFLOPS, TFLOPS";
  case Dimension::Bandwidth:
    return "B/s, KB/s, MB/s, GB/s, TB/s, GiB/s";
  case Dimension::Area:
    return "mm2, um2";
  }
  llvm_unreachable("unknown dimension");
}

llvm::StringRef nasc::nas::getOutputUnit(Dimension dimension) {
  switch (dimension) {
  case Dimension::Count:
    return "";
  // Latencies and energies of one inference are fractions of a second or
  // a joule.
  case Dimension::Time:
    return "ms";
  case Dimension::Energy:
    return "mJ";
  case Dimension::Power:
    return "W";
  case Dimension::Bytes:
    return "B";
  case Dimension::Frequency:
    return "Hz";
  case Dimension::OpsRate:
    return "OPS";
  case Dimension::Bandwidth:
    return "B/s";
  case Dimension::Area:
    return "mm2";
  }
  llvm_unreachable("unknown dimension");
}

Dimension nasc::nas::getMetricDimension(Metric metric) {
  switch (metric) {
  case Metric::accuracy:
  case Metric::macs:
  case Metric::flops:
  case Metric::params:
  case Metric::bops:
  case Metric::cycles:
  case Metric::lut:
  case Metric::ff:
  case Metric::dsp:
  case Metric::bram:
    return Dimension::Count;
  case Metric::model_size:
  case Metric::memory:
    return Dimension::Bytes;
  case Metric::latency:
    return Dimension::Time;
  case Metric::energy:
    return Dimension::Energy;
  case Metric::power:
    return Dimension::Power;
  case Metric::area:
    return Dimension::Area;
  case Metric::fmax:
    return Dimension::Frequency;
  }
  llvm_unreachable("unknown metric");
}

bool nasc::nas::isDimensionValidFor(Metric metric, Dimension dimension) {
  if (metric == Metric::area && dimension == Dimension::Count)
    return true;
  return getMetricDimension(metric) == dimension;
}

bool nasc::nas::metricNeedsTarget(Metric metric) {
  return metric == Metric::latency || metric == Metric::energy ||
         metric == Metric::power || metric == Metric::area ||
         metric == Metric::cycles || metric == Metric::lut ||
         metric == Metric::ff || metric == Metric::dsp ||
         metric == Metric::bram || metric == Metric::fmax;
}

bool nasc::nas::metricTakesTarget(Metric metric) {
  return metricNeedsTarget(metric) || metric == Metric::memory;
}
