//===- FPGATarget.h - The FPGA backend --------------------------*- C++ -*-===//

#ifndef NASC_TARGET_FPGA_FPGATARGET_H
#define NASC_TARGET_FPGA_FPGATARGET_H

namespace nasc::fpga {

/// Registers the backend for target kind `fpga`
/// (nasc/Target/Common/TargetBackend.h).
void registerFPGABackend();

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_FPGATARGET_H
