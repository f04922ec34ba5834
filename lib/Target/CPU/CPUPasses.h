//===- CPUPasses.h - Steps of the CPU pipeline ------------------*- C++ -*-===//

#ifndef NASC_LIB_TARGET_CPU_CPUPASSES_H
#define NASC_LIB_TARGET_CPU_CPUPASSES_H

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/Passes.h"
#include "nasc/Target/Common/IntegerNetwork.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace nasc::cpu {

/// The first steps of the CPU pipeline, on linalg on tensors: inlining,
/// canonicalization, fusion of element-wise ops, CSE (dead code goes).
mlir::LogicalResult prepareLinalg(mlir::ModuleOp module);

/// Tiles and vectorizes the linalg ops on tensors of `module`, each tile
/// within `limits`, int8 contractions on the dot product `dot`.
mlir::LogicalResult tileAndVectorize(mlir::ModuleOp module,
                                     const TileLimits &limits,
                                     IntegerDot dot = IntegerDot::None);

/// Rewrites each float constant read only by vectorized tiles along its
/// last dimension ([.., C, F], a convolution's filter) into contiguous
/// panels [.., ceil(F / L), C, L] of the tiles' L lanes, and its reads
/// with it (PackFilters.cpp).
void packFilterReads(mlir::ModuleOp module);
/// Float `weights` [.., C, F] as panels [.., ceil(F / lanes), C, lanes],
/// the last panel zero-padded (PackFilters.cpp; also the split head's
/// matmul weights).
mlir::DenseElementsAttr packPanels(mlir::DenseElementsAttr weights,
                                   int64_t lanes);

/// Adds the patterns that rewrite vector.contract ops summing products of
/// sign-extended i8 vectors in i32 into `dot`'s byte dot products
/// (IntegerDot.cpp); none for IntegerDot::None.
void populateIntegerDotPatterns(mlir::RewritePatternSet &patterns,
                                IntegerDot dot);

/// Declares the dot products' llvm.call_intrinsic ops free of memory
/// effects (others keep every effect), for buffer deallocation.
void registerIntegerDotEffects(mlir::DialectRegistry &registry);

/// The dot product of bytes the CPU `cpu` with `features` (as
/// createTargetMachine takes them) has.
llvm::Expected<IntegerDot> getIntegerDot(llvm::StringRef cpu,
                                         llvm::StringRef features);

/// The integer network `net` as a linalg function `name` at the end of
/// `module`, with lowerToLinalg's signature (float in and out), computing
/// runInteger's levels (IntegerLowering.cpp); `signature` describes it.
mlir::FailureOr<mlir::func::FuncOp>
lowerIntegerNetwork(const IntegerNetwork &net, mlir::ModuleOp module,
                    llvm::StringRef name, LoweredSignature &signature);

/// Whether `op` only writes constants: a linalg.fill, or a linalg.generic
/// on tensors reading nothing but constants (a broadcast bias), with one
/// result. nasc-cpu-in-place clones such initializers for each user, and
/// tiling fuses one into the window op it initializes.
bool isConstantInitializer(mlir::Operation *op);

/// Whether `operand` is read by an element-wise linalg.generic (one
/// result, all loops parallel) as an input at the position the result
/// writes, with the result's shape: the reader that tiling fuses a window
/// op producing `operand` into (its epilogue).
bool isElementwiseRead(mlir::OpOperand &operand);

/// Splits each element-wise linalg.generic reading a tensor assembled from
/// parts along its last dimension (a grouped convolution's groups) into
/// one generic per part, its result assembled the same way
/// (SplitParts.cpp): each group's convolution then feeds an epilogue of
/// its own.
void splitElementwiseOverParts(mlir::ModuleOp module);

/// Gives every op a destination of its own (InPlace.cpp): element-wise ops
/// follow a grouped convolution's groups (splitElementwiseOverParts), a
/// cheap initializer shared by several ops is cloned for each, the parts
/// of a tensor assembled by insert_slice ops are computed in their slices,
/// and a tensor.pad with static amounts and a constant value fills only
/// its border while its source's producers, where they start at a
/// tensor.empty, write the interior in place.
void placeInPlace(mlir::ModuleOp module);

/// Where splitHead cut a network: NAME_head(memref<rows x features>,
/// memref<rows x K>) computes the head of `rows` samples from the
/// features NAME_forward now writes, and `single` (NAME_head_one, where
/// rows > 1) the same on one sample.
struct HeadSplit {
  std::string head;
  int64_t rows = 0;
  int64_t features = 0;
  std::string single;
};
/// The module attribute that records a HeadSplit for code generation:
/// {head = "NAME_head", rows = R, features = F[, single = "NAME_head_one"]}.
inline constexpr llvm::StringLiteral kHeadSplitAttr = "nasc.cpu.head";
/// Cuts the memref entry point `entryPoint` (NAME_forward, on tensors
/// inside) at the first [N, F] value through which alone its output
/// depends on its input (the pooled features before a classifier):
/// NAME_forward keeps the body and writes the features, and a new
/// NAME_head computes the rest on a static block of `rows` samples, and
/// NAME_head_one on one (SplitHead.cpp). Nothing when there is no such
/// value, the head would be empty, or the samples are coupled
/// (kSamplesCoupledAttr).
std::optional<HeadSplit> splitHead(mlir::ModuleOp module,
                                   llvm::StringRef entryPoint, int64_t rows);
/// Moves each top-level loop nest and linalg op of the function
/// `entryPoint` (on memrefs) into a private function of its own that LLVM
/// does not inline.
mlir::LogicalResult outlineLoopNests(mlir::ModuleOp module,
                                     llvm::StringRef entryPoint);

/// Gives every function of `module` the machine's CPU and features, which
/// code generation honours per function (the JIT's own machine is the
/// host's).
void setTargetAttributes(llvm::Module &module,
                         const llvm::TargetMachine &machine);

/// Links the runtime (runtime/BufferCache.c) into a network's LLVM module:
/// its buffers' malloc and free calls go to a cache of freed
/// buffers instead, whose functions become internal to the module.
llvm::Error linkRuntime(llvm::Module &module);

} // namespace nasc::cpu

#endif // NASC_LIB_TARGET_CPU_CPUPASSES_H
