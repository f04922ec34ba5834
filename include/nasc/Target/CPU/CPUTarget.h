//===- CPUTarget.h - Candidates as native CPU code --------------*- C++ -*-===//
//
// The CPU backend (docs/cpu.md): a linalg function from lowerToLinalg is
// bufferized, tiled and vectorized, lowered to the llvm dialect, translated
// to LLVM IR with a plain C entry point, and compiled in process for the
// host CPU into an object file, or run through the JIT.
//
// C API of a network NAME (see emitHeader):
//   int NAME_init(void);
//   int NAME_run(const float *input, float *output, int batch, int threads);
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_CPU_CPUTARGET_H
#define NASC_TARGET_CPU_CPUTARGET_H

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Target/CPU/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace nasc::cpu {

struct CompileOptions {
  /// Tile and vectorize convolutions, matmuls and pooling (else plain loops).
  bool vectorize = true;
  /// When the vectorized module does not lower to LLVM, compile plain loops
  /// instead (else fail; tests use it to catch such modules).
  bool fallBackToLoops = true;
  /// Layers quantized to at most 8 bits compute on int8 levels with int32
  /// sums (else in float, as LibTorch's fake quantization).
  bool integerArithmetic = true;
  /// Compute the candidate's integer network instead (IntegerNetwork.h, as
  /// the FPGA backend): every activation int8 levels with a static scale
  /// from a seeded calibration, fixed-point requantization, the same bits
  /// as runInteger (`--static-int8`).
  bool staticInt8 = false;
  /// Apply the candidate's bit widths (else the float network, `--float`).
  bool quantize = true;
  /// The CPU the object is for (LLVM's names: `znver4`, `skylake-avx512`,
  /// `x86-64-v3`) and feature changes (`+avx512f,-avx512vnni`); empty: this
  /// machine's CPU and features.
  std::string cpu, features;
  /// The vectorized tiles' limits (the cpu target's tile_* tunables).
  TileLimits tiles;
  /// The threads NAME_run uses when its caller passes 0 (`--threads`, the
  /// cpu target's tunable `threads`).
  unsigned threads = 1;
};

/// The entry points of a network NAME.
struct EntryPoints {
  std::string name;
  std::string forward() const { return name + "_forward"; } // memrefs
  std::string run() const { return name + "_run"; }         // C API
  std::string init() const { return name + "_init"; }       // C API
};

/// Registers the CPU backend for target kind `cpu`
/// (nasc/Target/Common/TargetBackend.h).
void registerCPUBackend();

/// Registers what the CPU pipeline needs in `registry` (dialects, their
/// bufferization and LLVM translation interfaces).
void registerCPUDialects(mlir::DialectRegistry &registry);

/// Lowers the module holding the linalg function `name` (lowerToLinalg) to
/// the llvm dialect, in place; a memref entry point NAME_forward(input,
/// output) is added. Fails after a diagnostic.
mlir::LogicalResult lowerToLLVMDialect(mlir::ModuleOp module,
                                       llvm::StringRef name,
                                       const CompileOptions &options);

/// Translates an llvm-dialect module to LLVM IR and adds the C API, whose
/// NAME_run uses `defaultThreads` when its caller passes 0.
std::unique_ptr<llvm::Module>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context,
                  llvm::StringRef name, const LoweredSignature &signature,
                  unsigned defaultThreads = 1);

/// A TargetMachine for `cpu` with `features` (CompileOptions' rules;
/// empty: this machine's), PIC, or an error for a CPU or feature LLVM does
/// not know.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu, llvm::StringRef features);

/// Optimizes (O3) and compiles `module` for the host CPU (PIC) into an ELF
/// object; the bytes, or an error.
llvm::Expected<std::string> emitObject(llvm::Module &module,
                                       const CompileOptions &options = {});

/// The vector and bit-manipulation features that code for `cpu` with
/// `features` (CompileOptions' rules) may use and a CPU must have to run
/// it, by their x86 names (`avx2`, `avx512f`, ...); an error for a CPU or
/// feature LLVM does not know.
llvm::Expected<std::vector<std::string>>
getRequiredFeatures(llvm::StringRef cpu, llvm::StringRef features);

/// An ar archive holding `object` as `memberName`.
llvm::Expected<std::string> makeStaticLibrary(llvm::StringRef memberName,
                                              llvm::StringRef object);

/// NAME.h: the C API, with NAME_INPUT_SIZE / NAME_OUTPUT_SIZE (floats per
/// sample) and the shapes in a comment.
std::string emitHeader(llvm::StringRef name, const LoweredSignature &signature,
                       unsigned defaultThreads = 1);
/// main.c: runs the network on a batch of a constant input and prints the
/// first sample's outputs.
std::string emitExampleMain(llvm::StringRef name,
                            const LoweredSignature &signature);

/// A network compiled by the JIT (from an llvm-dialect module).
class JitNetwork {
public:
  ~JitNetwork();
  /// Compiles for `options`' CPU and features (this machine's by
  /// default); NAME_run's default threads are `options.threads`.
  static llvm::Expected<std::unique_ptr<JitNetwork>>
  create(mlir::ModuleOp module, llvm::StringRef name,
         const LoweredSignature &signature,
         const CompileOptions &options = {});
  /// Links `object` (emitObject's, as compileToLLVMIR gives it) into this
  /// process.
  static llvm::Expected<std::unique_ptr<JitNetwork>>
  load(llvm::StringRef object, llvm::StringRef name,
       const LoweredSignature &signature);
  /// NAME_run: 0 on success; `threads` 0 is the default of create.
  int run(const float *input, float *output, int batch, int threads = 0) const;
  const LoweredSignature &getSignature() const { return signature; }

private:
  JitNetwork() = default;
  struct Impl;
  std::unique_ptr<Impl> impl;
  LoweredSignature signature;
  int (*runFn)(const float *, float *, int, int) = nullptr;
};

} // namespace nasc::cpu

#endif // NASC_TARGET_CPU_CPUTARGET_H
