//===- Codegen.cpp - LLVM IR, the C API and object files ------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <mutex>

using namespace nasc;

/// int NAME_run(const float *input, float *output, int batch): builds the
/// two memref descriptors (contiguous, row-major) and calls NAME_forward,
/// whose lowered arguments are (allocated, aligned, offset, sizes...,
/// strides...) per memref: once per sample when samples are independent,
/// else once for the whole batch.
static void addRunFunction(llvm::Module &module, llvm::StringRef name,
                           const LoweredSignature &signature) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Function *forward = module.getFunction((name + "_forward").str());
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *runType = llvm::FunctionType::get(i32, {ptr, ptr, i32}, false);
  auto *run = llvm::Function::Create(runType, llvm::Function::ExternalLinkage,
                                     (name + "_run").str(), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", run));
  llvm::Value *batch = b.CreateSExt(run->getArg(2), i64);
  // A batch below 1 is an error (-1), not a call.
  llvm::BasicBlock *call = llvm::BasicBlock::Create(ctx, "call", run);
  llvm::BasicBlock *bad = llvm::BasicBlock::Create(ctx, "bad", run);
  b.CreateCondBr(b.CreateICmpSGT(batch, llvm::ConstantInt::get(i64, 0)), call,
                 bad);
  b.SetInsertPoint(bad);
  b.CreateRet(llvm::ConstantInt::getSigned(i32, -1));
  b.SetInsertPoint(call);
  auto addMemref = [&](std::vector<llvm::Value *> &args, llvm::Value *data,
                       llvm::Value *rows, const std::vector<int64_t> &dims) {
    args.push_back(data);
    args.push_back(data);
    args.push_back(llvm::ConstantInt::get(i64, 0));
    args.push_back(rows);
    for (int64_t d : dims)
      args.push_back(llvm::ConstantInt::get(i64, d));
    // Strides: the row-major suffix products.
    int64_t stride = 1;
    for (int64_t d : dims)
      stride *= d;
    args.push_back(llvm::ConstantInt::get(i64, stride));
    for (int64_t d : dims) {
      stride /= d;
      args.push_back(llvm::ConstantInt::get(i64, stride));
    }
  };
  if (!signature.samplesIndependent) {
    std::vector<llvm::Value *> args;
    addMemref(args, run->getArg(0), batch, signature.inputShape);
    addMemref(args, run->getArg(1), batch, signature.outputShape);
    b.CreateCall(forward, args);
    b.CreateRet(llvm::ConstantInt::get(i32, 0));
  } else {
    // One sample at a time: a sample's activations stay in the cache from
    // one layer to the next, where a whole batch's would not (2.5-6x
    // faster at batch 64 on NB201).
    llvm::BasicBlock *loop = llvm::BasicBlock::Create(ctx, "sample", run);
    llvm::BasicBlock *done = llvm::BasicBlock::Create(ctx, "done", run);
    b.CreateBr(loop);
    b.SetInsertPoint(loop);
    llvm::PHINode *i = b.CreatePHI(i64, 2);
    i->addIncoming(llvm::ConstantInt::get(i64, 0), call);
    auto *f32 = llvm::Type::getFloatTy(ctx);
    llvm::Value *in = b.CreateGEP(
        f32, run->getArg(0),
        b.CreateMul(i, llvm::ConstantInt::get(i64, signature.inputElements())));
    llvm::Value *out = b.CreateGEP(
        f32, run->getArg(1),
        b.CreateMul(i,
                    llvm::ConstantInt::get(i64, signature.outputElements())));
    std::vector<llvm::Value *> args;
    llvm::Value *one = llvm::ConstantInt::get(i64, 1);
    addMemref(args, in, one, signature.inputShape);
    addMemref(args, out, one, signature.outputShape);
    b.CreateCall(forward, args);
    llvm::Value *next = b.CreateAdd(i, one);
    i->addIncoming(next, loop);
    b.CreateCondBr(b.CreateICmpSLT(next, batch), loop, done);
    b.SetInsertPoint(done);
    b.CreateRet(llvm::ConstantInt::get(i32, 0));
  }

  // NAME_init: the weights are constant data, so there is nothing to set
  // up; kept so that callers need not change when a target needs it.
  auto *init = llvm::Function::Create(llvm::FunctionType::get(i32, false),
                                      llvm::Function::ExternalLinkage,
                                      (name + "_init").str(), module);
  llvm::IRBuilder<> ib(llvm::BasicBlock::Create(ctx, "entry", init));
  ib.CreateRet(llvm::ConstantInt::get(i32, 0));
}

std::unique_ptr<llvm::Module>
cpu::translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context,
                       llvm::StringRef name,
                       const LoweredSignature &signature) {
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, name);
  if (!llvmModule)
    return nullptr;
  if (!llvmModule->getFunction((name + "_forward").str())) {
    module.emitError() << "no " << name << "_forward after lowering";
    return nullptr;
  }
  addRunFunction(*llvmModule, name, signature);
  return llvmModule;
}

/// A TargetMachine for the host CPU with its features, PIC.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine() {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  std::string triple = llvm::sys::getProcessTriple(), error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);
  llvm::SubtargetFeatures features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.AddFeature(feature.first(), feature.second);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), features.getString(), options,
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   triple);
  return std::move(machine);
}

llvm::Expected<std::string> cpu::emitObject(llvm::Module &module) {
  auto machine = createHostTargetMachine();
  if (!machine)
    return machine.takeError();
  module.setDataLayout((*machine)->createDataLayout());
  module.setTargetTriple((*machine)->getTargetTriple().str());
  auto optimize = mlir::makeOptimizingTransformer(3, 0, machine->get());
  if (llvm::Error error = optimize(&module))
    return std::move(error);
  llvm::SmallString<0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager passes;
  if ((*machine)->addPassesToEmitFile(passes, os, nullptr,
                                      llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  passes.run(module);
  return std::string(buffer.str());
}

llvm::Expected<std::string> cpu::makeStaticLibrary(llvm::StringRef memberName,
                                                   llvm::StringRef object) {
  std::vector<llvm::NewArchiveMember> members;
  members.emplace_back(llvm::MemoryBufferRef(object, memberName));
  members.back().MemberName = memberName;
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  if (llvm::Error error = llvm::writeArchiveToStream(
          os, members, llvm::SymtabWritingMode::NormalSymtab,
          llvm::object::Archive::K_GNU, /*Deterministic=*/true,
          /*Thin=*/false))
    return std::move(error);
  return bytes;
}
