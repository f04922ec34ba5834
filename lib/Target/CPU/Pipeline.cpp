//===- Pipeline.cpp - linalg on tensors to the llvm dialect ---------------===//
//
// The CPU pipeline's pass managers, built from the passes and pipelines of
// Passes.h: entry point and preparation, then tiling and vectorization,
// bufferization with deallocation, outlining, loops and the llvm dialect.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "CPUPasses.h"
#include "nasc/Target/CPU/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"


using namespace mlir;
using namespace nasc;

void cpu::registerCPUDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerIntegerDotEffects(registry);
}

static void prepareContext(MLIRContext *context) {
  DialectRegistry registry;
  cpu::registerCPUDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
}

LogicalResult cpu::prepareLinalg(ModuleOp module) {
  prepareContext(module.getContext());
  PassManager pm(module.getContext());
  populatePreparationPipeline(pm);
  return pm.run(module);
}

LogicalResult cpu::lowerToLLVMDialect(ModuleOp module, StringRef name,
                                      const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  prepareContext(context);
  PassManager prepare(context);
  prepare.addPass(createAddEntryPointPass(name.str()));
  populatePreparationPipeline(prepare);
  prepare.addPass(createSplitHeadPass((name + "_forward").str()));
  prepare.addPass(createCanonicalizerPass());
  prepare.addPass(createCSEPass());
  prepare.addPass(createInPlacePass());
  if (failed(prepare.run(module)))
    return failure();
  // Vectorization can leave vector ops the LLVM lowering does not take
  // (unrealized casts remain): such a module is compiled again with plain
  // loops rather than not at all.
  OwningOpRef<ModuleOp> plain = module.clone();
  // int8 contractions on the target's dot product of bytes, if any (an
  // unknown CPU fails later, with its message, where the object is made).
  IntegerDot dot = IntegerDot::None;
  if (options.vectorize) {
    llvm::Expected<IntegerDot> known =
        getIntegerDot(options.cpu, options.features);
    if (known)
      dot = *known;
    else
      llvm::consumeError(known.takeError());
  }
  auto finish = [&](ModuleOp m, bool vectorize) -> LogicalResult {
    PassManager pm(context);
    if (vectorize)
      pm.addPass(createTileAndVectorizePass(options.tiles, dot));
    populateBufferizationPipeline(pm, /*tiles=*/true);
    // Bufferization copies with memref.copy, which lowers to a call into
    // MLIR's runtime library for strided copies: they become linalg.copy
    // loops in between.
    pm.addPass(createCopyToLinalgPass());
    // NAME_forward and NAME_head, when the head was split.
    pm.addPass(createOutlineLoopNestsPass());
    populateLLVMLoweringPipeline(pm);
    return pm.run(m);
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
