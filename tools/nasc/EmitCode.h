//===- EmitCode.h - nasc --emit=linalg|llvm|cpu -----------------*- C++ -*-===//

#ifndef NASC_TOOLS_NASC_EMITCODE_H
#define NASC_TOOLS_NASC_EMITCODE_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace nasc::tool {

enum class CodeKind { Linalg, LLVM, CPU, FPGA, GPU, ONNX };

struct CodeOptions {
  /// A LibTorch archive of the candidate's network (e.g. best.pt); empty:
  /// the seeded initializer.
  std::string weights;
  uint64_t seed = 0;
  bool vectorize = true;
  /// Layers of at most 8 bits on int8 levels (--fake-quant: in float).
  bool integerArithmetic = true;
  /// --static-int8: the candidate's integer network (static scales).
  bool staticInt8 = false;
  /// --float: the candidate's float network (bit widths ignored).
  bool quantize = true;
  /// --emit=fpga: the part (fpga::getFPGAParts).
  std::string part;
  /// --emit=fpga: the engine's lanes (0: the target's tunable, else 1).
  int64_t lanes = 0;
  /// --emit=fpga: the template and a dataflow chain's most engines (empty,
  /// 0: the target's tunables, else folded and one per stage).
  std::string hardwareTemplate;
  int64_t stages = 0;
  /// --emit=cpu|llvm: --cpu and --mattr (empty: this machine's).
  std::string cpu, cpuFeatures;
  /// --emit=gpu: --gpu-arch (empty: the target's tunable, else sm_90) and
  /// whether to write the emulation object too.
  std::string gpuArch;
  bool gpuEmulation = false;
  /// --emit=gpu: --gpu-thread-tile and --gpu-precision (0, empty: the
  /// target's tunables, else 1 and fp32).
  int64_t gpuThreadTile = 0;
  std::string gpuPrecision;
  /// --emit=cpu: NAME_run's default threads (0: the target's tunable, else 1).
  int64_t threads = 0;
};

/// --emit=linalg and --emit=llvm print to `os`; --emit=cpu and
/// --emit=fpga write their backend's files into `outputDir`, all or
/// nothing (TargetBackend::emit); --emit=onnx writes the ONNX model to the
/// file `outputDir`. Errors are printed.
mlir::LogicalResult emitCode(nas::SpecOp spec, CodeKind kind,
                             const CodeOptions &options,
                             llvm::StringRef outputDir, llvm::raw_ostream &os);

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_EMITCODE_H
