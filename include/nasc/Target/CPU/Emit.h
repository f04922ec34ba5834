//===- Emit.h - A candidate as a C library ----------------------*- C++ -*-===//
//
// What `nasc SPEC --candidate ENC --emit=llvm|cpu` produces, as library
// calls (docs/cpu.md): errors, MLIR diagnostics included, come back as
// llvm::Error. The context of the spec gets the CPU pipeline's dialects
// loaded; do not compile on one context from several threads.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_CPU_EMIT_H
#define NASC_TARGET_CPU_EMIT_H

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/Common/Lowering.h"

#include "mlir/IR/OwningOpRef.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nasc::cpu {

/// The linalg lowering's options for these compile options.
LinalgLoweringOptions getLoweringOptions(const CompileOptions &options);

/// The concrete `spec` with `weights` as a new module holding the linalg
/// function of its C name that the CPU pipeline compiles: lowerCandidate's,
/// or with `options.staticInt8` its integer network's.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
lowerForCPU(nas::SpecOp spec, WeightSource &weights,
            LoweredSignature &signature, const CompileOptions &options);

/// The concrete `spec` (seeded weights) as linalg on tensors after the
/// first steps of the CPU pipeline (inlining, canonicalization, fusion of
/// element-wise ops, dead code removed): its linalg ops and tensor pads
/// are the kernels the emitted code runs.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
prepareKernels(nas::SpecOp spec, const CompileOptions &options = {});

/// The concrete `spec` as LLVM IR with the C API, optimized (O3) for the
/// host CPU; `object` (when not null) receives its object file.
llvm::Expected<std::unique_ptr<llvm::Module>>
compileToLLVMIR(nas::SpecOp spec, WeightSource &weights,
                llvm::LLVMContext &context, const CompileOptions &options,
                LoweredSignature &signature, std::string *object = nullptr);

/// Writes what --emit=cpu writes into `dir` (created if needed): NAME.h,
/// NAME.o, libNAME.a and main.c, all or none. The weights are those of the
/// LibTorch archive `weightsPath`, or seeded by `seed` when it is empty.
llvm::Error emitCPU(mlir::ModuleOp concreteSpec, llvm::StringRef weightsPath,
                    uint64_t seed, llvm::StringRef dir,
                    const CompileOptions &options = {});

} // namespace nasc::cpu

#endif // NASC_TARGET_CPU_EMIT_H
