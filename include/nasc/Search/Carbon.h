//===- Carbon.h - The energy a search consumes ------------------*- C++ -*-===//
//
// Carbon accounting (docs/search.md, "Energy and carbon"): the energy a
// search consumed, from the package's RAPL counter where Linux exposes it
// (/sys/class/powercap/intel-rapl:0/energy_uj), else the process's CPU time
// (user + system, threads and children included) times a power per busy
// core; and the CO2 that energy means at a grid's carbon intensity.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_CARBON_H
#define NASC_SEARCH_CARBON_H

#include <optional>
#include <string>

namespace nasc::search {

struct EnergyReport {
  double cpuSeconds = 0;
  double joules = 0;
  double gramsCO2 = 0;
  double gridGramsPerKWh = 0;
  /// "rapl", or "cpu time x W per core".
  std::string method;
};

class EnergyMeter {
public:
  /// Starts measuring now.
  EnergyMeter(double wattsPerCore, double gridGramsPerKWh);
  EnergyReport read() const;

private:
  double wattsPerCore, grid;
  double startCpu;
  std::optional<double> startRapl;
};

/// The process's CPU seconds so far (children included).
double getProcessCPUSeconds();
/// The package's RAPL energy counter in joules, when readable.
std::optional<double> readRaplJoules();

} // namespace nasc::search

#endif // NASC_SEARCH_CARBON_H
