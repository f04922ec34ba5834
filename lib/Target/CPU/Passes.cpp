//===- Passes.cpp - The CPU pipeline as passes ----------------------------===//

#include "nasc/Target/CPU/Passes.h"

#include "CPUPasses.h"
#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace nasc;

void cpu::populatePreparationPipeline(OpPassManager &pm) {
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void cpu::populateBufferizationPipeline(OpPassManager &pm, bool tiles) {
  pm.addPass(createCanonicalizerPass());
  if (!tiles)
    pm.addPass(createCSEPass());
  bufferization::OneShotBufferizationOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(options));
  pm.addPass(createCanonicalizerPass());
  if (tiles) {
    pm.addNestedPass<func::FuncOp>(
        bufferization::createBufferLoopHoistingPass());
    pm.addNestedPass<func::FuncOp>(
        bufferization::createPromoteBuffersToStackPass(
            /*maxAllocSizeInBytes=*/4096));
  }
  bufferization::buildBufferDeallocationPipeline(
      pm, bufferization::BufferDeallocationPipelineOptions());
  pm.addPass(createBufferizationToMemRefPass());
}

void cpu::populateLLVMLoweringPipeline(OpPassManager &pm) {
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// Adds NAME_forward(%input: memref, %output: memref) calling the tensor
/// function NAME, which becomes private and is inlined into it.
static LogicalResult addMemrefEntryPoint(ModuleOp module, func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != 1 || type.getNumResults() != 1 ||
      !isa<RankedTensorType>(type.getInput(0)) ||
      !isa<RankedTensorType>(type.getResult(0)))
    return func.emitError() << "needs one tensor argument and one tensor "
                               "result to get a memref entry point";
  auto inType = cast<RankedTensorType>(type.getInput(0));
  auto outType = cast<RankedTensorType>(type.getResult(0));
  auto inMemref = MemRefType::get(inType.getShape(), inType.getElementType());
  auto outMemref =
      MemRefType::get(outType.getShape(), outType.getElementType());
  OpBuilder b(module.getContext());
  b.setInsertionPointToEnd(module.getBody());
  Location loc = func.getLoc();
  auto entry =
      b.create<func::FuncOp>(loc, (func.getSymName() + "_forward").str(),
                             b.getFunctionType({inMemref, outMemref}, {}));
  if (func->hasAttr(kSamplesCoupledAttr))
    entry->setAttr(kSamplesCoupledAttr, b.getUnitAttr());
  Block *block = entry.addEntryBlock();
  b.setInsertionPointToStart(block);
  Value input = b.create<bufferization::ToTensorOp>(
      loc, inType, block->getArgument(0), /*restrict=*/true,
      /*writable=*/false);
  Value result =
      b.create<func::CallOp>(loc, func, ValueRange{input}).getResult(0);
  auto materialize = b.create<bufferization::MaterializeInDestinationOp>(
      loc, TypeRange{}, result, block->getArgument(1));
  materialize.setRestrict(true);
  materialize.setWritable(true);
  b.create<func::ReturnOp>(loc);
  func.setPrivate();
  return success();
}

namespace {

struct TileAndVectorizePass
    : PassWrapper<TileAndVectorizePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TileAndVectorizePass)
  TileAndVectorizePass() = default;
  TileAndVectorizePass(const TileAndVectorizePass &other)
      : PassWrapper(other), limits(other.limits) {}
  TileAndVectorizePass(cpu::TileLimits limits, cpu::IntegerDot integerDot)
      : limits(limits) {
    dot = integerDot == cpu::IntegerDot::Avx512Vnni ? "avx512-vnni"
          : integerDot == cpu::IntegerDot::AvxVnni  ? "avx-vnni"
                                                    : "none";
  }
  StringRef getArgument() const final { return "nasc-cpu-tile-and-vectorize"; }
  StringRef getDescription() const final {
    return "Tile the hot linalg ops to static sizes and vectorize them "
           "(transform dialect)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry
        .insert<affine::AffineDialect, arith::ArithDialect,
                linalg::LinalgDialect, LLVM::LLVMDialect, scf::SCFDialect,
                tensor::TensorDialect,
                transform::TransformDialect, vector::VectorDialect>();
  }
  void runOnOperation() override {
    std::optional<cpu::IntegerDot> integerDot =
        llvm::StringSwitch<std::optional<cpu::IntegerDot>>(dot)
            .Case("none", cpu::IntegerDot::None)
            .Case("avx512-vnni", cpu::IntegerDot::Avx512Vnni)
            .Case("avx-vnni", cpu::IntegerDot::AvxVnni)
            .Default(std::nullopt);
    if (!integerDot) {
      getOperation().emitError()
          << "unknown dot product '" << dot
          << "' (none, avx512-vnni, avx-vnni)";
      return signalPassFailure();
    }
    if (failed(cpu::tileAndVectorize(getOperation(), limits, *integerDot)))
      signalPassFailure();
  }
  cpu::TileLimits limits;
  Option<std::string> dot{
      *this, "dot",
      llvm::cl::desc("The dot product of bytes int8 contractions use: none, "
                     "avx512-vnni, avx-vnni"),
      llvm::cl::init("none")};
};

struct InPlacePass : PassWrapper<InPlacePass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(InPlacePass)
  StringRef getArgument() const final { return "nasc-cpu-in-place"; }
  StringRef getDescription() const final {
    return "Give every op a destination of its own: clone shared cheap "
           "inits; pads fill their border, their source computed in place";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                    linalg::LinalgDialect, tensor::TensorDialect>();
  }
  void runOnOperation() override { cpu::placeInPlace(getOperation()); }
};

struct AddEntryPointPass
    : PassWrapper<AddEntryPointPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(AddEntryPointPass)
  AddEntryPointPass() = default;
  AddEntryPointPass(const AddEntryPointPass &other) : PassWrapper(other) {}
  explicit AddEntryPointPass(std::string name) { function = std::move(name); }
  StringRef getArgument() const final { return "nasc-cpu-add-entry-point"; }
  StringRef getDescription() const final {
    return "Add NAME_forward(memref, memref) calling the tensor function "
           "NAME";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<bufferization::BufferizationDialect, func::FuncDialect,
                    memref::MemRefDialect>();
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp func;
    if (!function.empty()) {
      func = module.lookupSymbol<func::FuncOp>(function);
      if (!func) {
        module.emitError() << "no function '" << function << "' to compile";
        return signalPassFailure();
      }
    } else {
      for (auto candidate : module.getOps<func::FuncOp>()) {
        if (!candidate.isPublic())
          continue;
        if (func) {
          module.emitError() << "several public functions: name one "
                                "(function=NAME)";
          return signalPassFailure();
        }
        func = candidate;
      }
      if (!func) {
        module.emitError() << "no public function to compile";
        return signalPassFailure();
      }
    }
    if (failed(addMemrefEntryPoint(module, func)))
      signalPassFailure();
  }
  Option<std::string> function{*this, "function",
                               llvm::cl::desc("The tensor function")};
};

struct CopyToLinalgPass
    : PassWrapper<CopyToLinalgPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CopyToLinalgPass)
  StringRef getArgument() const final { return "nasc-cpu-copy-to-linalg"; }
  StringRef getDescription() const final {
    return "Turn memref.copy (a call into MLIR's runtime library for strided "
           "copies) into linalg.copy loops";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<linalg::LinalgDialect>();
  }
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(),
                               copy.getTarget());
      copy.erase();
    });
  }
};

struct OutlineLoopNestsPass
    : PassWrapper<OutlineLoopNestsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(OutlineLoopNestsPass)
  OutlineLoopNestsPass() = default;
  OutlineLoopNestsPass(const OutlineLoopNestsPass &other)
      : PassWrapper(other) {}
  explicit OutlineLoopNestsPass(std::string name) {
    entryPoint = std::move(name);
  }
  StringRef getArgument() const final { return "nasc-cpu-outline-loop-nests"; }
  StringRef getDescription() const final {
    return "Move each top-level loop nest of the entry point into a private, "
           "never-inlined function (linear O3 time)";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<func::FuncDialect, LLVM::LLVMDialect, scf::SCFDialect>();
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::string> entries;
    if (!entryPoint.empty())
      entries.push_back(entryPoint);
    else
      for (auto func : module.getOps<func::FuncOp>())
        if (func.isPublic() && !func.isExternal())
          entries.push_back(func.getSymName().str());
    for (const std::string &entry : entries)
      if (failed(cpu::outlineLoopNests(module, entry)))
        return signalPassFailure();
  }
  Option<std::string> entryPoint{
      *this, "entry-point",
      llvm::cl::desc("The function whose loop nests move out")};
};

struct SplitHeadPass : PassWrapper<SplitHeadPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SplitHeadPass)
  SplitHeadPass() = default;
  SplitHeadPass(const SplitHeadPass &other) : PassWrapper(other) {}
  SplitHeadPass(std::string name, int64_t blockRows) {
    entryPoint = std::move(name);
    rows = blockRows;
  }
  StringRef getArgument() const final { return "nasc-cpu-split-head"; }
  StringRef getDescription() const final {
    return "Cut NAME_forward after its pooled features: NAME_head computes "
           "the rest on a static block of samples";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                    func::FuncDialect, tensor::TensorDialect>();
  }
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (rows < 1) {
      module.emitError() << "nasc-cpu-split-head: rows must be at least 1, "
                            "not "
                         << int64_t(rows);
      return signalPassFailure();
    }
    SmallVector<std::string> entries;
    if (!entryPoint.empty())
      entries.push_back(entryPoint);
    else
      for (auto func : module.getOps<func::FuncOp>())
        if (func.isPublic() && func.getSymName().ends_with("_forward"))
          entries.push_back(func.getSymName().str());
    if (entries.size() != 1)
      return;
    std::optional<cpu::HeadSplit> split =
        cpu::splitHead(module, entries.front(), rows);
    if (!split)
      return;
    Builder b(module.getContext());
    SmallVector<NamedAttribute> fields = {
        b.getNamedAttr("head", b.getStringAttr(split->head)),
        b.getNamedAttr("rows", b.getI64IntegerAttr(split->rows)),
        b.getNamedAttr("features", b.getI64IntegerAttr(split->features))};
    if (!split->single.empty())
      fields.push_back(
          b.getNamedAttr("single", b.getStringAttr(split->single)));
    module->setAttr(cpu::kHeadSplitAttr, b.getDictionaryAttr(fields));
  }
  Option<std::string> entryPoint{
      *this, "entry-point",
      llvm::cl::desc("NAME_forward (default: the module's only one)")};
  Option<int64_t> rows{*this, "rows",
                       llvm::cl::desc("Samples in the head's block"),
                       llvm::cl::init(cpu::kHeadRows)};
};

} // namespace

std::unique_ptr<Pass> cpu::createSplitHeadPass(std::string entryPoint,
                                               int64_t rows) {
  return std::make_unique<SplitHeadPass>(std::move(entryPoint), rows);
}
std::unique_ptr<Pass> cpu::createInPlacePass() {
  return std::make_unique<InPlacePass>();
}
std::unique_ptr<Pass> cpu::createTileAndVectorizePass(TileLimits limits,
                                                      IntegerDot dot) {
  return std::make_unique<TileAndVectorizePass>(limits, dot);
}
std::unique_ptr<Pass> cpu::createAddEntryPointPass(std::string function) {
  return std::make_unique<AddEntryPointPass>(std::move(function));
}
std::unique_ptr<Pass> cpu::createCopyToLinalgPass() {
  return std::make_unique<CopyToLinalgPass>();
}
std::unique_ptr<Pass> cpu::createOutlineLoopNestsPass(std::string entryPoint) {
  return std::make_unique<OutlineLoopNestsPass>(std::move(entryPoint));
}

void cpu::registerCPUPasses() {
  PassRegistration<InPlacePass>();
  PassRegistration<TileAndVectorizePass>();
  PassRegistration<AddEntryPointPass>();
  PassRegistration<CopyToLinalgPass>();
  PassRegistration<OutlineLoopNestsPass>();
  PassRegistration<SplitHeadPass>();
  PassPipelineRegistration<>("nasc-cpu-prepare",
                             "The CPU pipeline's first steps on linalg",
                             populatePreparationPipeline);
  PassPipelineRegistration<>("nasc-cpu-bufferize",
                             "The CPU pipeline's bufferization",
                             [](OpPassManager &pm) {
                               populateBufferizationPipeline(pm, true);
                             });
  PassPipelineRegistration<>("nasc-cpu-to-llvm",
                             "The CPU pipeline's lowering to the llvm dialect",
                             populateLLVMLoweringPipeline);
}
