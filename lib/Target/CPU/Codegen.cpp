//===- Codegen.cpp - LLVM IR, the C API and object files ------------------===//

#include "nasc/Target/CPU/CPUTarget.h"

#include "CPUPasses.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
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

/// Appends NAME_forward's lowered memref arguments for contiguous,
/// row-major `data` of `rows` samples of `dims`: (allocated, aligned,
/// offset, sizes..., strides...).
static void addMemref(std::vector<llvm::Value *> &args, llvm::Value *data,
                      llvm::Value *rows, const std::vector<int64_t> &dims) {
  auto *i64 = llvm::Type::getInt64Ty(data->getContext());
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
}

/// void NAME(const float *in, float *out): `callee` (a lowered memref
/// function) on `rows` rows of `inDims` in and of `outDims` out,
/// contiguous and row-major, for the runtime's C code (runtime/Head.c).
static llvm::Function *addPartFunction(llvm::Module &module,
                                       llvm::StringRef name,
                                       llvm::Function *callee, int64_t rows,
                                       const std::vector<int64_t> &inDims,
                                       const std::vector<int64_t> &outDims) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *part = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr}, false),
      llvm::Function::InternalLinkage, name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", part));
  llvm::Value *count =
      llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), rows);
  std::vector<llvm::Value *> args;
  addMemref(args, part->getArg(0), count, inDims);
  addMemref(args, part->getArg(1), count, outDims);
  b.CreateCall(callee, args);
  b.CreateRetVoid();
  return part;
}

/// void *NAME_samples(struct { const float *in; float *out; i64 begin, end; }
/// *range): NAME_forward once per sample of [begin, end), so that a
/// sample's activations stay in the cache from one layer to the next,
/// where a whole batch's would not (2.5-6x faster at batch 64 on NB201).
/// With a split head (`head`), NAME_forward writes a sample's features and
/// runtime/Head.c runs NAME_head on blocks of them (NAME_head_one on the
/// samples of a short last block). A thread's body
/// (pthread's signature), also called directly.
static llvm::Function *
addSamplesFunction(llvm::Module &module, llvm::StringRef name,
                   llvm::StructType *rangeType,
                   const LoweredSignature &signature,
                   const std::optional<cpu::HeadSplit> &head) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Function *forward = module.getFunction((name + "_forward").str());
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *f32 = llvm::Type::getFloatTy(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *samples = llvm::Function::Create(
      llvm::FunctionType::get(ptr, {ptr}, false),
      llvm::Function::InternalLinkage, (name + "_samples").str(), module);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", samples);
  llvm::IRBuilder<> b(entry);
  llvm::Value *range = samples->getArg(0);
  auto field = [&](unsigned index, llvm::Type *type) {
    return b.CreateLoad(type, b.CreateStructGEP(rangeType, range, index));
  };
  llvm::Value *input = field(0, ptr), *output = field(1, ptr);
  llvm::Value *begin = field(2, i64), *end = field(3, i64);
  auto constant = [&](int64_t v) { return llvm::ConstantInt::get(i64, v); };
  if (head) {
    llvm::Function *body =
        addPartFunction(module, (name + "_body_one").str(), forward, 1,
                        signature.inputShape, {head->features});
    llvm::Function *block = addPartFunction(
        module, (name + "_head_block").str(),
        module.getFunction(head->head), head->rows, {head->features},
        signature.outputShape);
    llvm::Value *single = llvm::ConstantPointerNull::get(ptr);
    if (llvm::Function *one = head->single.empty()
                                  ? nullptr
                                  : module.getFunction(head->single))
      single = addPartFunction(module, (name + "_head_single").str(), one, 1,
                               {head->features}, signature.outputShape);
    llvm::FunctionCallee headed = module.getOrInsertFunction(
        "nasc_rt_headed_samples",
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                {ptr, ptr, ptr, ptr, ptr, i64, i64, i64, i64,
                                 i64, i64},
                                false));
    b.CreateCall(headed, {body, block, single, input, output, begin, end,
                          constant(signature.inputElements()),
                          constant(head->features),
                          constant(signature.outputElements()),
                          constant(head->rows)});
    b.CreateRet(llvm::ConstantPointerNull::get(ptr));
    return samples;
  }
  auto *loop = llvm::BasicBlock::Create(ctx, "sample", samples);
  auto *done = llvm::BasicBlock::Create(ctx, "done", samples);
  b.CreateCondBr(b.CreateICmpSLT(begin, end), loop, done);
  b.SetInsertPoint(loop);
  llvm::PHINode *i = b.CreatePHI(i64, 2);
  i->addIncoming(begin, entry);
  llvm::Value *in =
      b.CreateGEP(f32, input, b.CreateMul(i, constant(signature.inputElements())));
  llvm::Value *out = b.CreateGEP(
      f32, output, b.CreateMul(i, constant(signature.outputElements())));
  std::vector<llvm::Value *> args;
  llvm::Value *one = constant(1);
  addMemref(args, in, one, signature.inputShape);
  addMemref(args, out, one, signature.outputShape);
  b.CreateCall(forward, args);
  llvm::Value *next = b.CreateAdd(i, one);
  i->addIncoming(next, loop);
  b.CreateCondBr(b.CreateICmpSLT(next, end), loop, done);
  b.SetInsertPoint(done);
  b.CreateRet(llvm::ConstantPointerNull::get(ptr));
  return samples;
}

/// int NAME_run(const float *input, float *output, int batch, int threads):
/// NAME_forward once for the whole batch when its samples are coupled (a
/// quantized activation's scale comes from the batch); else the batch in
/// `threads` contiguous shares (0: the emitted default), one on the
/// calling thread and the others on the workers of the network's thread
/// pool (runtime/ThreadPool.c; a share without a worker runs on the
/// caller).
static void addRunFunction(llvm::Module &module, llvm::StringRef name,
                           const LoweredSignature &signature,
                           unsigned defaultThreads,
                           const std::optional<cpu::HeadSplit> &split) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Function *forward = module.getFunction((name + "_forward").str());
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *runType = llvm::FunctionType::get(i32, {ptr, ptr, i32, i32}, false);
  auto *run = llvm::Function::Create(runType, llvm::Function::ExternalLinkage,
                                     (name + "_run").str(), module);
  llvm::Value *input = run->getArg(0), *output = run->getArg(1);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", run));
  llvm::Value *batch = b.CreateSExt(run->getArg(2), i64);
  llvm::Value *threads = b.CreateSExt(run->getArg(3), i64);
  auto constant = [&](int64_t value) {
    return llvm::ConstantInt::getSigned(i64, value);
  };
  // A batch below 1 or a negative thread count is an error (-1).
  llvm::BasicBlock *call = llvm::BasicBlock::Create(ctx, "call", run);
  llvm::BasicBlock *bad = llvm::BasicBlock::Create(ctx, "bad", run);
  b.CreateCondBr(b.CreateAnd(b.CreateICmpSGT(batch, constant(0)),
                             b.CreateICmpSGE(threads, constant(0))),
                 call, bad);
  b.SetInsertPoint(bad);
  b.CreateRet(llvm::ConstantInt::getSigned(i32, -1));
  b.SetInsertPoint(call);
  if (!signature.samplesIndependent) {
    std::vector<llvm::Value *> args;
    addMemref(args, input, batch, signature.inputShape);
    addMemref(args, output, batch, signature.outputShape);
    b.CreateCall(forward, args);
    b.CreateRet(llvm::ConstantInt::get(i32, 0));
    return;
  }

  auto *rangeType = llvm::StructType::create(ctx, {ptr, ptr, i64, i64},
                                             (name + ".range").str());
  llvm::Function *samples =
      addSamplesFunction(module, name, rangeType, signature, split);
  // shares = min(threads ? threads : default, batch), at least 1.
  llvm::Value *wanted = b.CreateSelect(b.CreateICmpEQ(threads, constant(0)),
                                       constant(defaultThreads), threads);
  llvm::Value *shares =
      b.CreateSelect(b.CreateICmpSLT(wanted, batch), wanted, batch);
  shares =
      b.CreateSelect(b.CreateICmpSLT(shares, constant(1)), constant(1), shares);
  llvm::Value *ranges = b.CreateAlloca(rangeType, shares, "ranges");
  // Share k is [k * batch / shares, (k + 1) * batch / shares).
  auto *before = b.GetInsertBlock();
  auto *head = llvm::BasicBlock::Create(ctx, "range", run);
  auto *step = llvm::BasicBlock::Create(ctx, "range.body", run);
  auto *after = llvm::BasicBlock::Create(ctx, "range.end", run);
  b.CreateBr(head);
  b.SetInsertPoint(head);
  llvm::PHINode *k = b.CreatePHI(i64, 2);
  k->addIncoming(constant(0), before);
  b.CreateCondBr(b.CreateICmpSLT(k, shares), step, after);
  b.SetInsertPoint(step);
  llvm::Value *range = b.CreateGEP(rangeType, ranges, k);
  b.CreateStore(input, b.CreateStructGEP(rangeType, range, 0));
  b.CreateStore(output, b.CreateStructGEP(rangeType, range, 1));
  b.CreateStore(b.CreateSDiv(b.CreateMul(k, batch), shares),
                b.CreateStructGEP(rangeType, range, 2));
  b.CreateStore(
      b.CreateSDiv(b.CreateMul(b.CreateAdd(k, constant(1)), batch), shares),
      b.CreateStructGEP(rangeType, range, 3));
  k->addIncoming(b.CreateAdd(k, constant(1)), step);
  b.CreateBr(head);
  b.SetInsertPoint(after);
  // The runtime's pool (runtime/ThreadPool.c) runs the shares.
  llvm::FunctionCallee parallel = module.getOrInsertFunction(
      "nasc_rt_parallel", llvm::FunctionType::get(llvm::Type::getVoidTy(ctx),
                                                  {ptr, ptr, i64, i64}, false));
  b.CreateCall(parallel, {samples, ranges,
                          llvm::ConstantExpr::getSizeOf(rangeType), shares});
  b.CreateRet(llvm::ConstantInt::get(i32, 0));
}

/// int NAME_init(void): the weights are constant data, so there is
/// nothing to set up; kept so that callers need not change when a target
/// needs it.
static void addInitFunction(llvm::Module &module, llvm::StringRef name) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *init = llvm::Function::Create(llvm::FunctionType::get(i32, false),
                                      llvm::Function::ExternalLinkage,
                                      (name + "_init").str(), module);
  llvm::IRBuilder<> ib(llvm::BasicBlock::Create(ctx, "entry", init));
  ib.CreateRet(llvm::ConstantInt::get(i32, 0));
}

/// void NAME_release(void): stops and joins the thread pool's workers
/// (nothing when NAME_run never started any); a later NAME_run starts
/// them again. For a program that unloads the network's code.
static void addReleaseFunction(llvm::Module &module, llvm::StringRef name) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *voidType = llvm::Type::getVoidTy(ctx);
  auto *release = llvm::Function::Create(
      llvm::FunctionType::get(voidType, false),
      llvm::Function::ExternalLinkage, (name + "_release").str(), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", release));
  if (module.getFunction("nasc_rt_parallel"))
    b.CreateCall(module.getOrInsertFunction(
        "nasc_rt_pool_stop", llvm::FunctionType::get(voidType, false)));
  // The buffer cache's kept buffers (linkRuntime redirects malloc to it).
  if (llvm::Function *malloc = module.getFunction("malloc"))
    if (!malloc->use_empty())
      b.CreateCall(module.getOrInsertFunction(
          "nasc_rt_cache_release", llvm::FunctionType::get(voidType, false)));
  b.CreateRetVoid();
}

std::unique_ptr<llvm::Module>
cpu::translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &context,
                       llvm::StringRef name, const LoweredSignature &signature,
                       unsigned defaultThreads) {
  // NAME_head, where nasc-cpu-split-head cut the network.
  std::optional<cpu::HeadSplit> head;
  if (auto split = module->getAttrOfType<mlir::DictionaryAttr>(kHeadSplitAttr)) {
    auto headName = split.getAs<mlir::StringAttr>("head");
    auto rows = split.getAs<mlir::IntegerAttr>("rows");
    auto features = split.getAs<mlir::IntegerAttr>("features");
    if (!headName || !rows || !features) {
      module.emitError() << "malformed " << kHeadSplitAttr << " attribute";
      return nullptr;
    }
    auto single = split.getAs<mlir::StringAttr>("single");
    head = cpu::HeadSplit{headName.str(), rows.getInt(), features.getInt(),
                          single ? single.str() : std::string()};
  }
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, name);
  if (!llvmModule)
    return nullptr;
  if (!llvmModule->getFunction((name + "_forward").str())) {
    module.emitError() << "no " << name << "_forward after lowering";
    return nullptr;
  }
  if (head && !llvmModule->getFunction(head->head)) {
    module.emitError() << "no " << head->head << " after lowering";
    return nullptr;
  }
  addRunFunction(*llvmModule, name, signature, defaultThreads, head);
  addInitFunction(*llvmModule, name);
  addReleaseFunction(*llvmModule, name);
  if (llvm::Error error = linkRuntime(*llvmModule)) {
    module.emitError() << llvm::toString(std::move(error));
    return nullptr;
  }
  return llvmModule;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
cpu::createTargetMachine(llvm::StringRef cpu, llvm::StringRef features) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // The CPU check's cpuid and xgetbv are inline assembly.
    llvm::InitializeNativeTargetAsmParser();
  });
  std::string triple = llvm::sys::getProcessTriple(), error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError(error);
  std::string cpuName = cpu.str(), featureText = features.str();
  if (cpu.empty()) {
    cpuName = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures host;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      host.AddFeature(feature.first(), feature.second);
    featureText =
        host.getString() + (features.empty() ? "" : ",") + features.str();
  }
  // LLVM accepts an unknown CPU or feature with a warning on stderr and
  // generic code: refuse them instead.
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, cpuName, ""));
  if (!info || !info->isCPUStringValid(cpuName))
    return llvm::createStringError("unknown CPU '" + cpuName +
                                   "' (LLVM's names: znver4, skylake-avx512, "
                                   "x86-64-v3, ...)");
  for (llvm::StringRef feature : llvm::split(features, ',')) {
    feature = feature.trim();
    if (feature.empty())
      continue;
    llvm::StringRef bare = feature.drop_front();
    bool known = llvm::any_of(
        info->getAllProcessorFeatures(),
        [&](const llvm::SubtargetFeatureKV &kv) { return bare == kv.Key; });
    if ((!feature.starts_with("+") && !feature.starts_with("-")) || !known)
      return llvm::createStringError(
          "unknown CPU feature '" + feature +
          "' (write +NAME or -NAME with LLVM's names: +avx2, -avx512f, ...)");
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, featureText, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   triple);
  return std::move(machine);
}

llvm::Expected<cpu::IntegerDot> cpu::getIntegerDot(llvm::StringRef cpu,
                                                   llvm::StringRef features) {
  auto machine = createTargetMachine(cpu, features);
  if (!machine)
    return machine.takeError();
  const llvm::MCSubtargetInfo *info = (*machine)->getMCSubtargetInfo();
  if (info->checkFeatures("+avx512vnni,+avx512bw"))
    return IntegerDot::Avx512Vnni;
  if (info->checkFeatures("+avxvnni"))
    return IntegerDot::AvxVnni;
  return IntegerDot::None;
}

void cpu::setTargetAttributes(llvm::Module &module,
                              const llvm::TargetMachine &machine) {
  for (llvm::Function &f : module)
    if (!f.isDeclaration()) {
      f.addFnAttr("target-cpu", machine.getTargetCPU());
      f.addFnAttr("target-features", machine.getTargetFeatureString());
    }
}

namespace {

/// An x86 feature the emitted code may need, where CPUID reports it:
/// leaf (1 or 7), subleaf, register (0 eax, 1 ebx, 2 ecx, 3 edx), bit; and
/// the XCR0 bits the OS must enable for its registers (AVX: 0x6, AVX-512:
/// 0xe6).
struct CPUIDFeature {
  const char *name;
  unsigned leaf, subleaf, reg, bit;
  uint64_t xcr0;
};

const CPUIDFeature kCPUIDFeatures[] = {
    {"sse4.2", 1, 0, 2, 20, 0},        {"avx", 1, 0, 2, 28, 0x6},
    {"fma", 1, 0, 2, 12, 0x6},         {"f16c", 1, 0, 2, 29, 0x6},
    {"avx2", 7, 0, 1, 5, 0x6},         {"bmi", 7, 0, 1, 3, 0},
    {"bmi2", 7, 0, 1, 8, 0},           {"avx512f", 7, 0, 1, 16, 0xe6},
    {"avx512dq", 7, 0, 1, 17, 0xe6},   {"avx512cd", 7, 0, 1, 28, 0xe6},
    {"avx512bw", 7, 0, 1, 30, 0xe6},   {"avx512vl", 7, 0, 1, 31, 0xe6},
    {"avx512vbmi", 7, 0, 2, 1, 0xe6},  {"avx512vnni", 7, 0, 2, 11, 0xe6},
    {"avx512fp16", 7, 0, 3, 23, 0xe6}, {"avxvnni", 7, 1, 0, 4, 0x6},
    {"avx512bf16", 7, 1, 0, 5, 0xe6},
};

std::vector<std::string> getRequired(const llvm::TargetMachine &machine) {
  std::vector<std::string> required;
  const llvm::MCSubtargetInfo *info = machine.getMCSubtargetInfo();
  for (const CPUIDFeature &f : kCPUIDFeatures)
    if (info->checkFeatures((llvm::Twine("+") + f.name).str()))
      required.push_back(f.name);
  return required;
}

/// Makes NAME_init check, with CPUID and XGETBV, that this CPU has every
/// feature in `required` (once; the answer is kept), print what is missing
/// and return -2 if not, and NAME_run return -2 before it computes
/// anything, rather than stop on an illegal instruction.
void addFeatureCheck(llvm::Module &module, llvm::StringRef name,
                     const std::vector<std::string> &required,
                     llvm::StringRef cpu) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  // 0: not checked yet, 1: supported, 2: not.
  auto *state = new llvm::GlobalVariable(
      module, i32, false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantInt::get(i32, 0), (name + "_cpu_checked").str());
  auto *check = llvm::Function::Create(llvm::FunctionType::get(i32, false),
                                       llvm::Function::InternalLinkage,
                                       (name + "_check_cpu").str(), module);
  auto *entry = llvm::BasicBlock::Create(ctx, "entry", check);
  auto *probe = llvm::BasicBlock::Create(ctx, "probe", check);
  auto *done = llvm::BasicBlock::Create(ctx, "done", check);
  llvm::IRBuilder<> b(entry);
  llvm::Value *known = b.CreateLoad(i32, state);
  b.CreateCondBr(b.CreateICmpNE(known, llvm::ConstantInt::get(i32, 0)), done,
                 probe);
  b.SetInsertPoint(probe);
  auto *regs = llvm::StructType::get(ctx, {i32, i32, i32, i32});
  // cpuid: eax = leaf, ecx = subleaf.
  auto *cpuidType = llvm::FunctionType::get(regs, {i32, i32}, false);
  auto *cpuid = llvm::InlineAsm::get(
      cpuidType, "cpuid",
      "={ax},={bx},={cx},={dx},{ax},{cx},~{dirflag},~{fpsr},~{flags}", true);
  auto leafRegs = [&](unsigned leaf, unsigned subleaf) {
    return b.CreateCall(cpuid, {llvm::ConstantInt::get(i32, leaf),
                                llvm::ConstantInt::get(i32, subleaf)});
  };
  llvm::Value *leaf0 = leafRegs(0, 0);
  llvm::Value *maxLeaf = b.CreateExtractValue(leaf0, 0);
  llvm::Value *leaf1 = leafRegs(1, 0);
  llvm::Value *leaf7 = leafRegs(7, 0);
  llvm::Value *leaf71 = leafRegs(7, 1);
  llvm::Value *hasLeaf7 =
      b.CreateICmpUGE(maxLeaf, llvm::ConstantInt::get(i32, 7));
  // XCR0 only when the OS enabled XSAVE (leaf 1 ecx bit 27).
  llvm::Value *osxsave =
      b.CreateICmpNE(b.CreateAnd(b.CreateExtractValue(leaf1, 2),
                                 llvm::ConstantInt::get(i32, 1u << 27)),
                     llvm::ConstantInt::get(i32, 0));
  auto *xgetbvType = llvm::FunctionType::get(
      llvm::StructType::get(ctx, {i32, i32}), {i32}, false);
  auto *xgetbv = llvm::InlineAsm::get(
      xgetbvType, "xgetbv", "={ax},={dx},{cx},~{dirflag},~{fpsr},~{flags}",
      true);
  // Reads XCR0 in a block of its own: xgetbv faults without OSXSAVE.
  auto *readXcr = llvm::BasicBlock::Create(ctx, "xcr0", check);
  auto *decide = llvm::BasicBlock::Create(ctx, "decide", check);
  b.CreateCondBr(osxsave, readXcr, decide);
  b.SetInsertPoint(readXcr);
  llvm::Value *xcr = b.CreateCall(xgetbv, {llvm::ConstantInt::get(i32, 0)});
  llvm::Value *xcr0 = b.CreateZExt(b.CreateExtractValue(xcr, 0), i64);
  b.CreateBr(decide);
  b.SetInsertPoint(decide);
  llvm::PHINode *xcrValue = b.CreatePHI(i64, 2);
  xcrValue->addIncoming(llvm::ConstantInt::get(i64, 0), probe);
  xcrValue->addIncoming(xcr0, readXcr);
  llvm::Value *ok = b.getTrue();
  auto *writeType = llvm::FunctionType::get(i64, {i32, ptr, i64}, false);
  llvm::FunctionCallee write = module.getOrInsertFunction("write", writeType);
  std::vector<std::pair<const char *, llvm::Value *>> checked;
  for (const CPUIDFeature &f : kCPUIDFeatures) {
    if (!llvm::is_contained(required, f.name))
      continue;
    llvm::Value *source = f.leaf == 1 ? leaf1 : f.subleaf == 0 ? leaf7 : leaf71;
    llvm::Value *has =
        b.CreateICmpNE(b.CreateAnd(b.CreateExtractValue(source, f.reg),
                                   llvm::ConstantInt::get(i32, 1u << f.bit)),
                       llvm::ConstantInt::get(i32, 0));
    if (f.leaf == 7)
      has = b.CreateAnd(has, hasLeaf7);
    if (f.xcr0)
      has = b.CreateAnd(
          has, b.CreateICmpEQ(
                   b.CreateAnd(xcrValue, llvm::ConstantInt::get(i64, f.xcr0)),
                   llvm::ConstantInt::get(i64, f.xcr0)));
    ok = b.CreateAnd(ok, has);
    checked.push_back({f.name, has});
  }
  // "NAME: this CPU lacks avx512f avx512bw (the code is for ...)": the
  // missing features' names are written one by one.
  auto emitWrite = [&](const std::string &text, const llvm::Twine &global) {
    llvm::Value *bytes = b.CreateGlobalStringPtr(text, global);
    b.CreateCall(write, {llvm::ConstantInt::get(i32, 2), bytes,
                         llvm::ConstantInt::get(i64, text.size())});
  };
  auto *report = llvm::BasicBlock::Create(ctx, "report", check);
  auto *store = llvm::BasicBlock::Create(ctx, "store", check);
  b.CreateCondBr(ok, store, report);
  b.SetInsertPoint(report);
  emitWrite((name + ": this CPU lacks").str(), name + "_cpu_lacks");
  for (auto &[feature, has] : checked) {
    auto *say = llvm::BasicBlock::Create(ctx, "missing", check);
    auto *next = llvm::BasicBlock::Create(ctx, "next", check);
    b.CreateCondBr(has, next, say);
    b.SetInsertPoint(say);
    emitWrite(std::string(" ") + feature, name + "_cpu_" + feature);
    b.CreateBr(next);
    b.SetInsertPoint(next);
  }
  emitWrite(" (the code was compiled for " +
                (cpu.empty() ? std::string("the build machine's CPU")
                             : "--cpu " + cpu.str()) +
                "); emit it again with --cpu for this machine\n",
            name + "_cpu_advice");
  llvm::BasicBlock *reported = b.GetInsertBlock();
  b.CreateBr(store);
  b.SetInsertPoint(store);
  llvm::PHINode *verdict = b.CreatePHI(i32, 2);
  verdict->addIncoming(llvm::ConstantInt::get(i32, 1), decide);
  verdict->addIncoming(llvm::ConstantInt::get(i32, 2), reported);
  b.CreateStore(verdict, state);
  b.CreateBr(done);
  b.SetInsertPoint(done);
  llvm::PHINode *result = b.CreatePHI(i32, 2);
  result->addIncoming(known, entry);
  result->addIncoming(verdict, store);
  b.CreateRet(b.CreateSelect(
      b.CreateICmpEQ(result, llvm::ConstantInt::get(i32, 1)),
      llvm::ConstantInt::get(i32, 0), llvm::ConstantInt::get(i32, -2)));

  // NAME_init returns the check's answer; NAME_run starts with it.
  for (llvm::StringRef suffix : {"_init", "_run"}) {
    llvm::Function *f = module.getFunction((name + suffix).str());
    if (!f)
      continue;
    llvm::BasicBlock &first = f->getEntryBlock();
    auto *guard = llvm::BasicBlock::Create(ctx, "cpu_check", f, &first);
    auto *refuse = llvm::BasicBlock::Create(ctx, "cpu_refuse", f);
    llvm::IRBuilder<> g(guard);
    llvm::Value *answer = g.CreateCall(check);
    g.CreateCondBr(g.CreateICmpEQ(answer, llvm::ConstantInt::get(i32, 0)),
                   &first, refuse);
    g.SetInsertPoint(refuse);
    g.CreateRet(answer);
  }
}

} // namespace

llvm::Expected<std::vector<std::string>>
cpu::getRequiredFeatures(llvm::StringRef cpu, llvm::StringRef features) {
  auto machine = createTargetMachine(cpu, features);
  if (!machine)
    return machine.takeError();
  return getRequired(**machine);
}

llvm::Expected<std::string> cpu::emitObject(llvm::Module &module,
                                            const CompileOptions &compile) {
  auto machine = createTargetMachine(compile.cpu, compile.features);
  if (!machine)
    return machine.takeError();
  addFeatureCheck(module, module.getModuleIdentifier(), getRequired(**machine),
                  compile.cpu);
  setTargetAttributes(module, **machine);
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
