//===- nasc-fuzz.cpp - libFuzzer entry point for the .nas front end -------===//
//
// Feeds arbitrary bytes to the front end. Any input must end in a module or
// in diagnostics: a crash, an abort, an uncaught exception or a sanitizer
// report is a bug. Built with -DNASC_FUZZER=ON and clang (docs/cli.md).
//
//===----------------------------------------------------------------------===//

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *ctx = new mlir::MLIRContext();
    ctx->getOrLoadDialect<nasc::nas::NASDialect>();
    // Diagnostics are expected; printing them would only slow fuzzing.
    ctx->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
    return ctx;
  }();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.nas"),
      llvm::SMLoc());
  nasc::FrontendOptions options;
  options.maxErrors = 0;
  (void)nasc::parseNasSource(sourceMgr, context, options);
  return 0;
}
