//===- GPUTarget.h - Candidates as PTX kernels and host C -------*- C++ -*-===//
//
// The GPU backend (docs/gpu.md). A candidate's linalg function is bufferized
// as for the CPU; each linalg op becomes one kernel (a gpu.func in which a
// thread computes one element of the op's parallel iteration space,
// reductions in the order of the CPU's loops), compiled to PTX by LLVM's
// NVPTX target; the host side is a plan (buffers, views, launches) that
// emitHostCode writes as C over the driver-API runtime
// (runtime/nasc_cuda.h), which loads libcuda.so.1 at run time.
//
// C API of a network NAME (see emitHeader):
//   int NAME_init(void);
//   int NAME_run(const float *input, float *output, int batch);
//   int NAME_run_device(unsigned long long input, unsigned long long output,
//                       int batch);
//   int NAME_sync(void);
//   int NAME_time(int batch, int repeats, float *ms);
//   const char *NAME_error(void);
//   void NAME_release(void);
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_GPU_GPUTARGET_H
#define NASC_TARGET_GPU_GPUTARGET_H

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/NASToLinalg/Weights.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nasc::gpu {

struct CompileOptions {
  /// The GPU the PTX is for (LLVM's NVPTX names: sm_75 ... sm_90).
  std::string arch = "sm_90";
  /// Threads per block of every kernel.
  unsigned blockSize = 256;
  /// Output elements a thread computes where its kernel's loads allow
  /// sharing (gpu::getThreadTile, docs/gpu.md "Thread tiles").
  unsigned threadTile = 1;
  /// A producer's kernel takes in its output's initializer and the
  /// element-wise op that next reads it (docs/gpu.md, "Fusion"); off:
  /// one kernel per linalg op.
  bool fuse = true;
  /// The `precision` tunable's fp16: the workspace's and the weights'
  /// floats are stored as halves, arithmetic stays in float (docs/gpu.md,
  /// "Precision").
  bool halfStorage = false;
  /// Layers quantized to at most 8 bits compute on integer levels.
  bool integerArithmetic = true;
};

/// The GPUs --gpu-arch takes.
llvm::ArrayRef<llvm::StringRef> getSupportedArchs();

/// A size or offset in a plan: perSample * batch + fixed.
struct Extent {
  int64_t perSample = 0, fixed = 0;
  bool operator==(const Extent &other) const {
    return perSample == other.perSample && fixed == other.fixed;
  }
};

enum class BufferKind { Input, Output, Weight, Workspace };

/// Device memory the network uses.
struct Buffer {
  BufferKind kind = BufferKind::Workspace;
  /// Weight: the byte offset in the weights; Workspace: in the workspace.
  Extent offset;
  Extent bytes;
};

/// A kernel operand: a strided view of a buffer, in elements.
struct View {
  unsigned buffer = 0;
  /// Bytes of an element.
  unsigned elementBytes = 4;
  int64_t offset = 0;
  std::vector<Extent> sizes;
  std::vector<int64_t> strides;
};

/// One kernel launch: `threads` threads, in blocks, each computing
/// `outputsPerThread` output elements.
struct Launch {
  unsigned kernel = 0;
  std::vector<View> operands;
  Extent threads;
  unsigned outputsPerThread = 1;
  /// What the kernel computes, for the host code's comments.
  std::string what;
};

/// A network as device code and the plan the host code follows.
struct Program {
  /// The C name: entry points NAME_init, NAME_run, ...
  std::string name;
  std::string arch;
  unsigned blockSize = 256;
  LoweredSignature signature;
  /// The kernels' names, indexed by Launch::kernel, and their PTX.
  std::vector<std::string> kernels;
  std::string ptx;
  std::vector<Buffer> buffers;
  std::vector<Launch> launches;
  /// Every weight, each at its Buffer::offset (aligned).
  std::string weights;
  /// Bytes of the workspace for a batch.
  Extent workspaceBytes;
};

/// Lowers the concrete `spec` with `weights` to kernels and a plan, and the
/// kernels to PTX. `kernels`, when given, receives the module of gpu.funcs
/// before their lowering to NVVM (for emulation and tests).
llvm::Expected<Program>
compileProgram(nas::SpecOp spec, WeightSource &weights,
               const CompileOptions &options,
               mlir::OwningOpRef<mlir::ModuleOp> *kernels = nullptr);

/// NAME.h: the C API, sizes and shapes.
std::string emitHeader(const Program &program);
/// NAME.c: the host code over runtime/nasc_cuda.h; it reads NAME_ptx and
/// NAME_weights, which NAME_data.o defines.
std::string emitHostCode(const Program &program);
/// main.c: runs a constant batch and prints the first sample's outputs.
std::string emitExampleMain(const Program &program);
/// NAME_data.o: the PTX (NUL-terminated) and the weights as symbols
/// NAME_ptx and NAME_weights, for the host CPU.
llvm::Expected<std::string> emitDataObject(const Program &program);

/// The host-CPU object of the kernels for emulation: each kernel K becomes
/// `void K_emu(void **params, long long block, long long blockDim,
/// long long thread)`, with cuLaunchKernel's parameters; a mock driver
/// (test/Target/GPU/Inputs/mock_cuda.c) runs them. `kernels` is the module
/// compileProgram returned.
llvm::Expected<std::string> emitEmulationObject(mlir::ModuleOp kernels);

/// Registers the GPU backend for target kind `gpu`
/// (nasc/Target/Common/TargetBackend.h).
void registerGPUBackend();

} // namespace nasc::gpu

#endif // NASC_TARGET_GPU_GPUTARGET_H
