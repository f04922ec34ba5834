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

/// At `b`: element `linear` of the producer's parallel iteration space,
/// its reduction in iterator order, then the consumer's payload; the
/// results stored.
mlir::LogicalResult buildElement(mlir::OpBuilder &b, mlir::Location loc,
                                 const KernelGroup &group, mlir::Value linear);
/// At `b`: the number of elements of `op`'s parallel iteration space.
mlir::Value buildParallelSize(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::linalg::GenericOp op);

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
