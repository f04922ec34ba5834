//===- PTX.cpp - gpu.funcs to PTX through NVVM and LLVM's NVPTX -----------===//
//
// The kernels' math goes to arithmetic (polynomial exp and tanh) or to
// intrinsics NVPTX selects (fabs, roundeven), so that the PTX calls no
// libdevice function: no CUDA toolkit is needed to emit it. Anything else
// the module would call is refused before code generation, which would
// otherwise stop the process.
//
//===----------------------------------------------------------------------===//

#include "GPUInternal.h"

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/Common/Diagnostics.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <mutex>

using namespace mlir;
using namespace nasc;

void nasc::gpu::prepareContext(MLIRContext *context) {
  DialectRegistry registry;
  cpu::registerCPUDialects(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
}

namespace {

/// exp and tanh as polynomials (libdevice would have them).
struct ExpandMathPass
    : public PassWrapper<ExpandMathPass, OperationPass<mlir::gpu::GPUModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExpandMathPass)
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};

/// Collects LLVM's error diagnostics instead of letting the default handler
/// end the process.
struct CollectingHandler : public llvm::DiagnosticHandler {
  std::string *errors;
  explicit CollectingHandler(std::string *errors) : errors(errors) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &info) override {
    if (info.getSeverity() != llvm::DS_Error)
      return true;
    llvm::raw_string_ostream os(*errors);
    llvm::DiagnosticPrinterRawOStream printer(os);
    info.print(printer);
    os << "\n";
    return true;
  }
};

} // namespace

/// convert-gpu-to-nvvm turns math ops into calls to libdevice, which only a
/// CUDA toolkit ships: the ones the kernels may call get bodies from LLVM
/// intrinsics that NVPTX selects with the same results (round to nearest
/// even, IEEE sqrt); any other call is an error.
static llvm::Error defineLibdeviceCalls(llvm::Module &module) {
  static const std::pair<const char *, llvm::Intrinsic::ID> kIntrinsics[] = {
      {"__nv_fabsf", llvm::Intrinsic::fabs},
      {"__nv_fabs", llvm::Intrinsic::fabs},
      {"__nv_rintf", llvm::Intrinsic::roundeven},
      {"__nv_rint", llvm::Intrinsic::roundeven},
      {"__nv_sqrtf", llvm::Intrinsic::sqrt},
      {"__nv_sqrt", llvm::Intrinsic::sqrt},
      {"__nv_floorf", llvm::Intrinsic::floor},
      {"__nv_floor", llvm::Intrinsic::floor},
      {"__nv_ceilf", llvm::Intrinsic::ceil},
      {"__nv_ceil", llvm::Intrinsic::ceil},
      {"__nv_truncf", llvm::Intrinsic::trunc},
      {"__nv_trunc", llvm::Intrinsic::trunc},
      {"__nv_fmaf", llvm::Intrinsic::fma},
      {"__nv_fma", llvm::Intrinsic::fma},
  };
  for (llvm::Function &f : module) {
    if (!f.isDeclaration() || f.isIntrinsic() || f.use_empty())
      continue;
    const auto *entry = llvm::find_if(kIntrinsics, [&](const auto &e) {
      return f.getName() == e.first;
    });
    if (entry == std::end(kIntrinsics))
      return llvm::createStringError("the kernels call '" +
                                     f.getName().str() +
                                     "', which the gpu backend cannot link");
    llvm::Function *intrinsic = llvm::Intrinsic::getDeclaration(
        &module, entry->second, {f.getReturnType()});
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(module.getContext(), "entry",
                                                 &f));
    std::vector<llvm::Value *> args;
    for (llvm::Argument &arg : f.args())
      args.push_back(&arg);
    b.CreateRet(b.CreateCall(intrinsic, args));
    f.setLinkage(llvm::GlobalValue::InternalLinkage);
    f.addFnAttr(llvm::Attribute::AlwaysInline);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> nasc::gpu::translateToPTX(ModuleOp kernels,
                                                llvm::StringRef arch) {
  if (!llvm::is_contained(getSupportedArchs(), arch))
    return llvm::createStringError(
        "unknown GPU '" + arch.str() + "' (" +
        llvm::join(getSupportedArchs(), ", ") + ")");
  MLIRContext *context = kernels.getContext();
  target::DiagnosticCapture capture(context);
  OwningOpRef<ModuleOp> lowered = kernels.clone();
  PassManager pm(context);
  OpPassManager &device = pm.nest<mlir::gpu::GPUModuleOp>();
  device.addPass(createLowerAffinePass());
  device.addPass(createConvertSCFToCFPass());
  device.addPass(std::make_unique<ExpandMathPass>());
  device.addPass(createConvertGpuOpsToNVVMOps());
  // What it leaves (roundeven) as LLVM intrinsics.
  device.addPass(createConvertMathToLLVMPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  if (failed(pm.run(*lowered)))
    return capture.takeError("cannot lower the kernels to NVVM");
  auto gpuModules = lowered->getOps<mlir::gpu::GPUModuleOp>();
  if (gpuModules.empty())
    return llvm::createStringError("no kernels");

  static std::once_flag initialized;
  std::call_once(initialized, [] {
    LLVMInitializeNVPTXTargetInfo();
    LLVMInitializeNVPTXTarget();
    LLVMInitializeNVPTXTargetMC();
    LLVMInitializeNVPTXAsmPrinter();
  });
  const std::string triple = "nvptx64-nvidia-cuda";
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("LLVM has no NVPTX target: " + error);
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, arch, "", llvm::TargetOptions(), std::nullopt, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create an NVPTX target machine");

  llvm::LLVMContext llvmContext;
  std::string errors;
  llvmContext.setDiagnosticHandler(
      std::make_unique<CollectingHandler>(&errors));
  std::unique_ptr<llvm::Module> module = translateModuleToLLVMIR(
      *gpuModules.begin(), llvmContext, "kernels");
  if (!module)
    return capture.takeError("cannot translate the kernels to LLVM IR");
  module->setTargetTriple(triple);
  module->setDataLayout(machine->createDataLayout());
  if (llvm::Error e = defineLibdeviceCalls(*module))
    return std::move(e);

  auto optimize = makeOptimizingTransformer(3, 0, machine.get());
  if (llvm::Error e = optimize(module.get()))
    return std::move(e);
  std::string ptx;
  {
    llvm::raw_string_ostream os(ptx);
    llvm::buffer_ostream stream(os);
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                     llvm::CodeGenFileType::AssemblyFile))
      return llvm::createStringError("NVPTX cannot emit PTX");
    codegen.run(*module);
  }
  if (!errors.empty())
    return llvm::createStringError("NVPTX: " + errors);
  return ptx;
}

llvm::Expected<nasc::gpu::Program>
nasc::gpu::compileProgram(nas::SpecOp spec, WeightSource &weights,
                    const CompileOptions &options,
                    OwningOpRef<ModuleOp> *kernelsOut) {
  Program program;
  auto kernels = buildKernels(spec, weights, options, program);
  if (!kernels)
    return kernels.takeError();
  llvm::Expected<std::string> ptx = translateToPTX(**kernels, options.arch);
  if (!ptx)
    return ptx.takeError();
  program.ptx = std::move(*ptx);
  if (kernelsOut)
    *kernelsOut = std::move(*kernels);
  return program;
}
