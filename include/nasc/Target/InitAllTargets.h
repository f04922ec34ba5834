//===- InitAllTargets.h - Register every backend built ----------*- C++ -*-===//
//
// For tools: each backend registers itself for its target kind
// (nasc/Target/Common/TargetBackend.h). A new backend adds its line here.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_INITALLTARGETS_H
#define NASC_TARGET_INITALLTARGETS_H

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/FPGA/FPGATarget.h"
#include "nasc/Target/GPU/GPUTarget.h"

namespace nasc {

inline void registerAllTargetBackends() {
  cpu::registerCPUBackend();
  fpga::registerFPGABackend();
  gpu::registerGPUBackend();
}

} // namespace nasc

#endif // NASC_TARGET_INITALLTARGETS_H
