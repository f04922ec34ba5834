//===- GPUInternal.h - The GPU backend's stages -----------------*- C++ -*-===//

#ifndef NASC_LIB_TARGET_GPU_GPUINTERNAL_H
#define NASC_LIB_TARGET_GPU_GPUINTERNAL_H

#include "nasc/Target/GPU/GPUTarget.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace llvm {
class Module;
} // namespace llvm

namespace nasc::gpu {

/// Loads what the GPU pipeline needs: the CPU's dialects (the shared
/// stages), gpu, nvvm and their LLVM translations.
void prepareContext(mlir::MLIRContext *context);

/// The linalg ops one kernel computes (docs/gpu.md, "Fusion"): the
/// producer, the op that initializes its output (a fill, a copy, a bias:
/// the accumulators' first values) and an element-wise consumer of its
/// output (applied to the value in registers, which is then not stored).
struct KernelGroup {
  mlir::linalg::GenericOp init, producer, consumer;
  /// Whether the producer's output is only ever in registers: no other op
  /// uses its buffer, which then takes no memory.
  bool outputInRegisters = false;
};

/// A thread's register tile: `count` consecutive indices of the producer's
/// parallel dimension `dim`, of static extent `extent`. A count of 1 is
/// one element a thread.
struct ThreadTile {
  unsigned dim = 0;
  int64_t extent = 1;
  unsigned count = 1;
  /// The tiles `dim` takes: the threads along it.
  int64_t getTiles() const { return (extent + count - 1) / count; }
};

/// The tile of `outputs` elements (the `thread_tile` tunable) for `op`'s
/// threads: along the static parallel dimension that the most of its
/// memref inputs its payload reads do not depend on, so that each such
/// input is loaded once for all of them; on a tie, the one whose extent
/// the tile wastes least of, then the outermost in thread order. One
/// element when no input would be shared.
ThreadTile getThreadTile(mlir::linalg::GenericOp op, unsigned outputs);
/// At `b`: the elements of thread `linear`'s tile of the producer's
/// parallel iteration space, their reductions in iterator order, then the
/// consumer's payload; the results stored.
mlir::LogicalResult buildElement(mlir::OpBuilder &b, mlir::Location loc,
                                 const KernelGroup &group,
                                 const ThreadTile &tile, mlir::Value linear);
/// At `b`: the number of threads `op` takes with tiles `tile`.
mlir::Value buildThreadCount(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::linalg::GenericOp op,
                             const ThreadTile &tile);

/// The module of gpu.funcs (one gpu.module) for the concrete `spec`, and
/// the plan in `program` (all but its PTX).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildKernels(nas::SpecOp spec, WeightSource &weights,
             const CompileOptions &options, Program &program);

/// A kernel parameter of the plan: base + perSample * batch + fixed
/// (runtime/nasc_network.h).
enum class PlanBase { None, Input, Output, Weights, Workspace };
struct PlanArg {
  PlanBase base = PlanBase::None;
  Extent value;
};
/// `launch`'s parameters: each operand's memref descriptor.
std::vector<PlanArg> getLaunchArgs(const Program &program,
                                   const Launch &launch);

/// `module` (data or code for any x86-64) as an ELF object.
llvm::Expected<std::string> emitHostObject(llvm::Module &module);

/// The PTX of `kernels` for `arch`.
llvm::Expected<std::string> translateToPTX(mlir::ModuleOp kernels,
                                           llvm::StringRef arch);

} // namespace nasc::gpu

#endif // NASC_LIB_TARGET_GPU_GPUINTERNAL_H
