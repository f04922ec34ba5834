//===- Passes.h - The CPU pipeline as passes --------------------*- C++ -*-===//
//
// The stages of the CPU backend (docs/cpu.md) as passes and pipelines, so
// that lowerToLLVMDialect builds its pass manager from them and nasc-opt
// (lit tests) runs each one alone:
//   nasc-cpu-prepare               inlining, canonicalization, fusion of
//                                  element-wise ops, CSE
//   nasc-cpu-split-head            NAME_forward cut after the pooled
//                                  features; NAME_head on a block of them
//   nasc-cpu-in-place              shared inits cloned; pads fill their
//                                  border, their source computed in place
//   nasc-cpu-tile-and-vectorize    static tiles, window ops fused into
//                                  their epilogues, 1-D windows, vectors
//   nasc-cpu-add-entry-point       NAME_forward(memref, memref) -> NAME
//   nasc-cpu-bufferize             one-shot bufferization, deallocation
//   nasc-cpu-copy-to-linalg        memref.copy -> linalg.copy
//   nasc-cpu-outline-loop-nests    one function per top-level loop nest
//   nasc-cpu-to-llvm               loops, libm calls, the llvm dialect
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TARGET_CPU_PASSES_H
#define NASC_TARGET_CPU_PASSES_H

#include "nasc/Hardware/CPUTiles.h"

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <memory>
#include <string>

namespace nasc::cpu {

/// Linalg on tensors, before tiling: inline, symbol-dce, canonicalize,
/// linalg-fuse-elementwise-ops, canonicalize, cse.
void populatePreparationPipeline(mlir::OpPassManager &pm);
/// Tensors to memrefs: one-shot bufferization across function boundaries
/// (identity layouts), the deallocation pipeline, bufferization ops to
/// memref. `tiles`, the CPU code's choice: no CSE first (it would merge
/// again the initializers nasc-cpu-in-place gave each op, and each would be
/// copied), and the small buffers allocated in loops (the tiles a fused
/// convolution accumulates in) hoisted out and put on the stack.
void populateBufferizationPipeline(mlir::OpPassManager &pm,
                                   bool tiles = false);
/// Memrefs to the llvm dialect: loops, affine, scf to cf, math to LLVM
/// intrinsics and libm calls (before vector ops are lowered, so that the
/// extracts of scalarized math are lowered too), vector, memref, arith,
/// index, func and cf to LLVM.
void populateLLVMLoweringPipeline(mlir::OpPassManager &pm);

/// The vectorized tiles' limits (the cpu target's tile_* tunables).
using TileLimits = hw::TileLimits;

/// The dot product of bytes that int8 convolutions and matmuls use once
/// vectorized (IntegerDot.cpp), from the target's features: none (32-bit
/// products), AVX-512 VNNI's `vpdpbusd` on 512 bits or AVX-VNNI's on 256.
enum class IntegerDot { None, Avx512Vnni, AvxVnni };

std::unique_ptr<mlir::Pass> createInPlacePass();
std::unique_ptr<mlir::Pass>
createTileAndVectorizePass(TileLimits limits = {},
                           IntegerDot dot = IntegerDot::None);
/// `function`: the tensor function to wrap (empty: the module's only
/// public one).
std::unique_ptr<mlir::Pass> createAddEntryPointPass(std::string function = "");
std::unique_ptr<mlir::Pass> createCopyToLinalgPass();
/// The samples in the head's block (SplitHead.cpp): a matmul's tile of
/// rows shares each weight loaded among them.
inline constexpr int64_t kHeadRows = 8;
/// `entryPoint`: NAME_forward (empty: the module's only one); `rows`: the
/// samples in the head's block.
std::unique_ptr<mlir::Pass> createSplitHeadPass(std::string entryPoint = "",
                                                int64_t rows = kHeadRows);
/// `entryPoint`: the function whose loop nests move out (empty: every
/// public function).
std::unique_ptr<mlir::Pass>
createOutlineLoopNestsPass(std::string entryPoint = "");

/// Registers the passes and the three pipelines with MLIR's registry (for
/// nasc-opt).
void registerCPUPasses();

} // namespace nasc::cpu

#endif // NASC_TARGET_CPU_PASSES_H
