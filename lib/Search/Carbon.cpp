//===- Carbon.cpp - The energy a search consumes --------------------------===//

#include "nasc/Search/Carbon.h"

#include <fstream>
#include <sys/resource.h>

using namespace nasc;
using namespace nasc::search;

static const char *kRaplEnergy = "/sys/class/powercap/intel-rapl:0/energy_uj";
static const char *kRaplRange =
    "/sys/class/powercap/intel-rapl:0/max_energy_range_uj";

double search::getProcessCPUSeconds() {
  double seconds = 0;
  for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    struct rusage usage;
    if (getrusage(who, &usage) == 0)
      seconds += double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                 double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  }
  return seconds;
}

std::optional<double> search::readRaplJoules() {
  std::ifstream in(kRaplEnergy);
  double microjoules;
  if (!(in >> microjoules))
    return std::nullopt;
  return microjoules * 1e-6;
}

EnergyMeter::EnergyMeter(double wattsPerCore, double gridGramsPerKWh)
    : wattsPerCore(wattsPerCore), grid(gridGramsPerKWh),
      startCpu(getProcessCPUSeconds()), startRapl(readRaplJoules()) {}

EnergyReport EnergyMeter::read() const {
  EnergyReport report;
  report.cpuSeconds = getProcessCPUSeconds() - startCpu;
  report.gridGramsPerKWh = grid;
  std::optional<double> now = readRaplJoules();
  if (startRapl && now) {
    double joules = *now - *startRapl;
    if (joules < 0) { // the counter wrapped
      std::ifstream in(kRaplRange);
      double range = 0;
      if (in >> range)
        joules += range * 1e-6;
    }
    report.joules = joules;
    report.method = "rapl";
  } else {
    report.joules = report.cpuSeconds * wattsPerCore;
    report.method = "cpu time x " + std::to_string(int(wattsPerCore)) +
                    " W per core";
  }
  report.gramsCO2 = report.joules / 3.6e6 * grid;
  return report;
}
