//===- Emulation.cpp - The kernels compiled for the host CPU --------------===//
//
// The same gpu.funcs as the PTX, with the block and thread indices as
// arguments, lowered by the CPU pipeline; K_emu unpacks cuLaunchKernel's
// parameter array. A mock driver running them checks the host code, the
// plan and the kernels' indexing on a machine without a GPU.
//
//===----------------------------------------------------------------------===//

#include "GPUInternal.h"

#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/Common/Diagnostics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace mlir;
using namespace nasc;

/// func.func K_impl(operands..., block, blockDim, thread) for each kernel.
static OwningOpRef<ModuleOp> toHostFunctions(ModuleOp kernels,
                                             std::vector<std::string> &names) {
  OwningOpRef<ModuleOp> host = ModuleOp::create(kernels.getLoc());
  OpBuilder b(host->getBodyRegion());
  kernels.walk([&](mlir::gpu::GPUFuncOp kernel) {
    SmallVector<Type> types(kernel.getArgumentTypes());
    Type index = b.getIndexType();
    types.append({index, index, index});
    auto func = b.create<func::FuncOp>(
        kernel.getLoc(), (kernel.getName() + "_impl").str(),
        b.getFunctionType(types, {}));
    Block *entry = func.addEntryBlock();
    IRMapping mapping;
    for (auto [from, to] :
         llvm::zip(kernel.getArguments(), entry->getArguments()))
      mapping.map(from, to);
    OpBuilder body = OpBuilder::atBlockEnd(entry);
    unsigned n = kernel.getNumArguments();
    for (Operation &op : kernel.getBody().front()) {
      if (isa<mlir::gpu::BlockIdOp>(op))
        mapping.map(op.getResult(0), entry->getArgument(n));
      else if (isa<mlir::gpu::BlockDimOp>(op))
        mapping.map(op.getResult(0), entry->getArgument(n + 1));
      else if (isa<mlir::gpu::ThreadIdOp>(op))
        mapping.map(op.getResult(0), entry->getArgument(n + 2));
      else if (isa<mlir::gpu::ReturnOp>(op))
        body.create<func::ReturnOp>(op.getLoc());
      else
        body.clone(op, mapping);
    }
    names.push_back(kernel.getName().str());
  });
  return host;
}

llvm::Expected<std::string> nasc::gpu::emitEmulationObject(ModuleOp kernels) {
  MLIRContext *context = kernels.getContext();
  target::DiagnosticCapture capture(context);
  std::vector<std::string> names;
  OwningOpRef<ModuleOp> host = toHostFunctions(kernels, names);
  PassManager pm(context);
  cpu::populateLLVMLoweringPipeline(pm);
  if (failed(pm.run(*host)))
    return capture.takeError("cannot lower the emulated kernels");

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> module =
      translateModuleToLLVMIR(*host, llvmContext, "emulation");
  if (!module)
    return capture.takeError("cannot translate the emulated kernels");
  // void K_emu(void **params, i64 block, i64 blockDim, i64 thread).
  auto *ptr = llvm::PointerType::getUnqual(llvmContext);
  auto *i64 = llvm::Type::getInt64Ty(llvmContext);
  for (const std::string &name : names) {
    llvm::Function *impl = module->getFunction(name + "_impl");
    if (!impl)
      return llvm::createStringError("no emulated kernel " + name);
    auto *wrapper = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(llvmContext),
                                {ptr, i64, i64, i64}, false),
        llvm::Function::ExternalLinkage, name + "_emu", *module);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(llvmContext, "entry", wrapper));
    std::vector<llvm::Value *> args;
    unsigned params = impl->arg_size() - 3;
    for (unsigned i = 0; i < params; ++i) {
      llvm::Value *slot = b.CreateLoad(
          ptr, b.CreateConstGEP1_64(ptr, wrapper->getArg(0), i));
      args.push_back(b.CreateLoad(impl->getArg(i)->getType(), slot));
    }
    for (unsigned i = 1; i <= 3; ++i)
      args.push_back(wrapper->getArg(i));
    b.CreateCall(impl, args);
    b.CreateRetVoid();
  }
  return emitHostObject(*module);
}
