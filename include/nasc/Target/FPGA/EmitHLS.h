//===- EmitHLS.h - A candidate as HLS C++ -----------------------*- C++ -*-===//
//
// The integer network as synthesizable C++ for Vitis/Vivado HLS
// (docs/fpga.md, "HLS C++"): one function per layer, the weights and
// requantization constants as static arrays, a dataflow top function with
// one buffer per tensor, and a C-simulation testbench that checks the top
// against the reference's expected outputs. Plain <cstdint> types only,
// so g++ compiles and runs it too (it ignores the pragmas).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_FPGA_EMITHLS_H
#define NASC_TARGET_FPGA_EMITHLS_H

#include "nasc/Target/Common/IntegerNetwork.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace nasc::fpga {

/// The parallelism of one convolution (or fc) in the HLS design: `pe`
/// output channels and `simd` input channels per cycle, the largest
/// divisors of its output and input channels per group that are at most 4.
/// Pools, additions and copies compute one element per cycle (1, 1).
struct HLSFolding {
  int64_t pe = 1, simd = 1;
};
HLSFolding getHLSFolding(const IntegerNetwork &net, const IntOp &op);

/// `NAME_hls.h`: the top function `void NAME_top(const int8_t in[],
/// int8_t out[])` and the sizes of its arrays.
std::string emitHLSHeader(const IntegerNetwork &net, llvm::StringRef name);

/// `NAME_hls.cpp`: the layers and the dataflow top function; it computes
/// runInteger's levels exactly.
std::string emitHLSSource(const IntegerNetwork &net, llvm::StringRef name);

/// `hls_tb.cpp`: runs `NAME_top` on each image of input.mem and compares
/// with expected.mem; exits 1 on any difference.
std::string emitHLSTestbench(const IntegerNetwork &net, llvm::StringRef name);

} // namespace nasc::fpga

#endif // NASC_TARGET_FPGA_EMITHLS_H
