//===- Pipeline.cpp - linalg on tensors to the llvm dialect ---------------===//
//
// Entry point, bufferization with deallocation, loops, llvm dialect
// (../shared notes: the pass list is parsed without a builtin.module
// wrapper).
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "CPUPasses.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include <mutex>

using namespace mlir;
using namespace nasc;

void cpu::registerCPUDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

/// Adds NAME_forward(%input: memref, %output: memref) calling the tensor
/// function NAME, which becomes private and is inlined into it.
static LogicalResult addMemrefEntryPoint(ModuleOp module, StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func) {
    module.emitError() << "no function '" << name << "' to compile";
    return failure();
  }
  FunctionType type = func.getFunctionType();
  auto inType = cast<RankedTensorType>(type.getInput(0));
  auto outType = cast<RankedTensorType>(type.getResult(0));
  auto inMemref = MemRefType::get(inType.getShape(), inType.getElementType());
  auto outMemref =
      MemRefType::get(outType.getShape(), outType.getElementType());
  OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  Location loc = func.getLoc();
  auto entry = b.create<func::FuncOp>(
      loc, (name + "_forward").str(),
      b.getFunctionType({inMemref, outMemref}, {}));
  Block *block = entry.addEntryBlock();
  b.setInsertionPointToStart(block);
  Value input = b.create<bufferization::ToTensorOp>(
      loc, inType, block->getArgument(0), /*restrict=*/true,
      /*writable=*/false);
  Value result = b.create<func::CallOp>(loc, func, ValueRange{input})
                     .getResult(0);
  auto materialize = b.create<bufferization::MaterializeInDestinationOp>(
      loc, TypeRange{}, result, block->getArgument(1));
  materialize.setRestrict(true);
  materialize.setWritable(true);
  b.create<func::ReturnOp>(loc);
  func.setPrivate();
  return success();
}

static LogicalResult runPipeline(ModuleOp module, StringRef pipeline) {
  PassManager pm(module.getContext());
  std::string error;
  llvm::raw_string_ostream errors(error);
  if (failed(parsePassPipeline(pipeline, pm, errors))) {
    module.emitError() << "bad CPU pass pipeline: " << error;
    return failure();
  }
  return pm.run(module);
}

static void prepareContext(MLIRContext *context) {
  static std::once_flag registered;
  std::call_once(registered, [] { registerAllPasses(); });
  DialectRegistry registry;
  cpu::registerCPUDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
}

static constexpr llvm::StringLiteral kPreparation =
    "inline,symbol-dce,canonicalize,linalg-fuse-elementwise-ops,canonicalize,"
    "cse";

LogicalResult cpu::prepareLinalg(ModuleOp module) {
  prepareContext(module.getContext());
  return runPipeline(module, kPreparation);
}

LogicalResult cpu::lowerToLLVMDialect(ModuleOp module, StringRef name,
                                      const CompileOptions &options) {
  prepareContext(module.getContext());
  if (failed(addMemrefEntryPoint(module, name)))
    return failure();

  // Bufferization copies with memref.copy, which lowers to a call into
  // MLIR's runtime library for strided copies: they become linalg.copy
  // loops in between.
  std::string bufferize =
      "canonicalize,cse,one-shot-bufferize{bufferize-function-boundaries "
      "function-boundary-type-conversion=identity-layout-map},"
      "canonicalize,buffer-deallocation-pipeline,"
      "convert-bufferization-to-memref";
  // Math ops become libm calls (scalarized through vector.extract) before
  // the vector ops are lowered, so that those extracts are lowered too.
  std::string toLLVM =
      "convert-linalg-to-loops,lower-affine,canonicalize,cse,"
      "convert-vector-to-scf{full-unroll=true},convert-scf-to-cf,expand-strided-metadata,lower-affine,"
      "convert-math-to-llvm,convert-math-to-libm,convert-vector-to-llvm,finalize-memref-to-llvm,"
      "convert-arith-to-llvm,convert-index-to-llvm,convert-func-to-llvm,"
      "convert-cf-to-llvm,reconcile-unrealized-casts";
  if (failed(runPipeline(module, kPreparation)))
    return failure();
  // Vectorization can leave vector ops the LLVM lowering does not take
  // (unrealized casts remain): such a module is compiled again with plain
  // loops rather than not at all.
  OwningOpRef<ModuleOp> plain = module.clone();
  auto finish = [&](ModuleOp m, bool vectorize) -> LogicalResult {
    if (vectorize && failed(tileAndVectorize(m)))
      return failure();
    if (failed(runPipeline(m, bufferize)))
      return failure();
    m.walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(),
                               copy.getTarget());
      copy.erase();
    });
    if (failed(outlineLoopNests(m, (name + "_forward").str())))
      return failure();
    return runPipeline(m, toLLVM);
  };
  if (!options.vectorize)
    return finish(module, false);
  if (succeeded(finish(module, true)) &&
      !module
           .walk([](UnrealizedConversionCastOp) {
             return WalkResult::interrupt();
           })
           .wasInterrupted())
    return success();
  if (!options.fallBackToLoops)
    return module.emitError() << "the vectorized code of '" << name
                              << "' does not lower to LLVM";
  module.getBody()->clear();
  module.getBody()->getOperations().splice(
      module.getBody()->end(), plain->getBody()->getOperations());
  return finish(module, false);
}
