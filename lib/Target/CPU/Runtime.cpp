//===- Runtime.cpp - The emitted code's runtime, linked into it -----------===//
//
// runtime/*.c is compiled to LLVM IR when nasc is built and embedded here;
// each network's module gets a private copy: its functions take internal
// linkage, so several networks link into one program without clashing, and
// the object still needs nothing beyond libc.
//
//===----------------------------------------------------------------------===//

#include "CPUPasses.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/AttributeMask.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/SourceMgr.h"

#include "BufferCache.ll.inc"
#include "Head.ll.inc"
#include "ThreadPool.ll.inc"

using namespace nasc;

/// Links `ir` (one runtime file's LLVM IR) into `module` for the functions
/// it defines that `module` calls, and makes `defined` internal.
static llvm::Error linkPart(llvm::Module &module, const char *ir,
                            llvm::ArrayRef<const char *> defined) {
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> runtime =
      llvm::parseAssemblyString(ir, diagnostic, module.getContext());
  if (!runtime)
    return llvm::createStringError("the CPU runtime's IR does not parse: " +
                                   diagnostic.getMessage().str());
  // Compiled for any x86-64: the network's CPU and layout apply.
  runtime->setDataLayout(module.getDataLayout());
  runtime->setTargetTriple(module.getTargetTriple());
  for (llvm::Function &f : *runtime)
    f.removeFnAttrs(llvm::AttributeMask()
                        .addAttribute("target-cpu")
                        .addAttribute("target-features")
                        .addAttribute("tune-cpu"));
  if (llvm::Linker::linkModules(module, std::move(runtime),
                                llvm::Linker::Flags::LinkOnlyNeeded))
    return llvm::createStringError("cannot link the CPU runtime");
  for (const char *name : defined)
    if (llvm::Function *f = module.getFunction(name))
      if (!f->isDeclaration())
        f->setLinkage(llvm::GlobalValue::InternalLinkage);
  return llvm::Error::success();
}

llvm::Error cpu::linkRuntime(llvm::Module &module) {
  // The thread pool NAME_run shares a batch among.
  if (llvm::Function *parallel = module.getFunction("nasc_rt_parallel"))
    if (!parallel->use_empty())
      if (llvm::Error error = linkPart(
              module, kThreadPoolIR, {"nasc_rt_parallel", "nasc_rt_pool_stop"}))
        return error;
  // A split head's blocks (before the redirection below: its block comes
  // from the buffer cache too).
  if (llvm::Function *headed = module.getFunction("nasc_rt_headed_samples"))
    if (!headed->use_empty())
      if (llvm::Error error =
              linkPart(module, kHeadIR, {"nasc_rt_headed_samples"}))
        return error;
  // The lowered code's buffers: malloc and free, as convert-memref-to-llvm
  // declares them.
  std::pair<const char *, const char *> redirected[] = {
      {"malloc", "nasc_rt_alloc"}, {"free", "nasc_rt_free"}};
  bool used = false;
  for (auto [from, to] : redirected) {
    llvm::Function *libc = module.getFunction(from);
    if (!libc || libc->use_empty())
      continue;
    llvm::FunctionCallee runtime =
        module.getOrInsertFunction(to, libc->getFunctionType());
    libc->replaceAllUsesWith(runtime.getCallee());
    libc->eraseFromParent();
    used = true;
  }
  if (!used)
    return llvm::Error::success();
  return linkPart(module, kBufferCacheIR,
                  {"nasc_rt_alloc", "nasc_rt_free", "nasc_rt_cache_release"});
}
