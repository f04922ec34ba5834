//===- nasc-fuzz.cpp - libFuzzer entry point for the .nas front end -------===//
//
// Feeds arbitrary bytes to the front end, and every spec that compiles to
// the space model: a few candidates are sampled, encoded, decoded again and
// materialized, and their costs analysed. Any input must end in results or
// in diagnostics: a crash, an abort, an uncaught exception, a sanitizer
// report or a failed round trip is a bug. Built with -DNASC_FUZZER=ON and
// clang (docs/cli.md).
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"
#include "nasc/Space/Space.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

/// Exercises the space model on a spec that compiled.
static void checkSpace(nasc::nas::SpecOp spec) {
  mlir::FailureOr<nasc::Space> space = nasc::Space::build(spec);
  if (mlir::failed(space))
    return;
  nasc::Random random(1);
  for (int i = 0; i < 3; ++i) {
    nasc::Candidate candidate = space->sample(random);
    std::string error;
    mlir::FailureOr<nasc::Candidate> decoded =
        space->decode(space->encode(candidate), error);
    if (mlir::failed(decoded) || !(*decoded == candidate))
      abort(); // encodings must round-trip
    mlir::OwningOpRef<mlir::ModuleOp> concrete = space->materialize(candidate);
    if (mlir::failed(mlir::verify(*concrete)))
      abort(); // materialized candidates must verify
    (void)nasc::CostAnalysis(*concrete->getOps<nasc::nas::SpecOp>().begin(),
                             nasc::CostOptions{/*keepLayers=*/false});
  }
}

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
  mlir::OwningOpRef<mlir::ModuleOp> module =
      nasc::parseNasSource(sourceMgr, context, options);
  if (module)
    checkSpace(*module->getOps<nasc::nas::SpecOp>().begin());
  return 0;
}
