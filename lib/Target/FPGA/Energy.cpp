//===- Energy.cpp - An FPGA design's energy per image ---------------------===//

#include "nasc/Target/FPGA/Energy.h"

#include "nasc/Target/FPGA/ResourceModel.h"

using namespace nasc;
using namespace nasc::fpga;

DesignActivity fpga::getDesignActivity(const DesignPlan &plan) {
  DesignActivity activity;
  for (const EngineStage &stage : plan.stages) {
    EngineParameters params = getEngineParameters(stage);
    int64_t weightBits = params.weightBits;
    activity.activationBits +=
        stage.net.tensors[stage.net.input].size() * params.activationBits;
    for (const ProgramEntry &e : stage.program) {
      int64_t outputs = e.outc * e.outh * e.outw;
      int64_t cycles = getComputeCycles(e);
      activity.activationBits += (cycles + outputs) * params.activationBits;
      if (e.kind == KConv) {
        activity.macs += cycles * e.lanes;
        activity.weightBits += cycles * e.lanes * weightBits;
        // Lane 0 adds too where no layer scales by a coefficient.
        if (hasMultiplierFreeLanes(weightBits))
          activity.multiplierFreeMacs +=
              cycles * (params.multiplierFreeLane0 ? e.lanes : e.lanes - 1);
      }
      if (e.kind != KMax && e.kind != KCopy)
        activity.requantizations += outputs;
    }
  }
  return activity;
}

EnergyFigures fpga::getEnergyFigures(const FPGAPart &part) {
  // Horowitz (ISSCC 2014, 45 nm): 8-bit multiply 0.2 pJ, 32-bit add 0.1
  // pJ, 32-bit multiply 3.1 pJ, an 8 KB SRAM's 64-bit read 10 pJ; times
  // 7.1, Kuon and Rose's FPGA/ASIC dynamic-power ratio with hard blocks.
  constexpr double kGap = 7.1;
  EnergyFigures figures;
  figures.mac = (0.2 + 0.1) * kGap * 1e-12;
  figures.add = 0.1 * kGap * 1e-12;
  figures.memoryByte = 10.0 / 8 * kGap * 1e-12;
  figures.requantization = (3.1 + 0.1) * kGap * 1e-12;
  figures.multiplierToggle = 0.2 / 8 * kGap * 1e-12;
  figures.accumulatorToggle = 0.1 / 16 * kGap * 1e-12;
  figures.requantizerToggle = figures.requantization / 16;
  if (part.name == "up5k") {
    // iCE40 UltraPlus (40 nm): 75 uA core standby current at 1.2 V
    // (Lattice's data sheet).
    figures.staticWatts = 75e-6 * 1.2;
  } else if (part.name == "hx8k") {
    // iCE40 HX (40 nm): about 1 mA core standby at 1.2 V (assumed, the
    // order of Lattice's data sheet figure for the HX8K).
    figures.staticWatts = 1e-3 * 1.2;
  } else {
    // 7-series (28 nm): switched capacitance scales with the feature size;
    // the programmable logic's static power is assumed 0.1 W, the order of
    // Xilinx's power estimator for a Zynq-7020 at 25 C.
    double scale = 28.0 / 45.0;
    figures.mac *= scale;
    figures.add *= scale;
    figures.memoryByte *= scale;
    figures.requantization *= scale;
    figures.multiplierToggle *= scale;
    figures.accumulatorToggle *= scale;
    figures.requantizerToggle *= scale;
    figures.staticWatts = 0.1;
  }
  return figures;
}

double fpga::getDesignEnergy(const DesignActivity &activity,
                             const EnergyFigures &figures, double seconds,
                             const SwitchingActivity *switching) {
  double memory = double(activity.weightBits + activity.activationBits) / 8 *
                  figures.memoryByte;
  double arithmetic;
  if (switching) {
    arithmetic = switching->multiplierToggles * figures.multiplierToggle +
                 switching->accumulatorToggles * figures.accumulatorToggle +
                 switching->requantizerToggles * figures.requantizerToggle;
  } else {
    int64_t multiplies = activity.macs - activity.multiplierFreeMacs;
    arithmetic = double(multiplies) * figures.mac +
                 double(activity.multiplierFreeMacs) * figures.add +
                 double(activity.requantizations) * figures.requantization;
  }
  return arithmetic + memory + figures.staticWatts * seconds;
}

double fpga::getDesignEnergy(const DesignPlan &plan, const FPGAPart &part,
                             double clockMHz) {
  return getDesignEnergy(
      getDesignActivity(plan), getEnergyFigures(part),
      getDesignSeconds(plan.latencyCycles, plan.intervalCycles, 1, clockMHz));
}
