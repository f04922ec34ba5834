//===- nasc-fuzz.cpp - libFuzzer entry point for the .nas front end -------===//
//
// Feeds arbitrary bytes to the front end, and every spec that compiles to
// what `nasc --emit=stats` and `nasc --emit=candidates` run, with small
// limits: the space model (a few candidates sampled, encoded, decoded again
// and materialized), the costs over the space (folded, or enumerated when
// the space is small), the count up to isomorphism and a table of the first
// candidates. Any input must end in results or in diagnostics: a crash, an
// abort, an uncaught exception, a sanitizer report or a failed round trip
// is a bug.
//
// The inputs are .nas text, so every corpus file and crash reproducer is a
// program `nasc` reads. A custom mutator (NasGenerator.h) writes new
// programs from the grammar or rewrites an input token by token; a fifth of
// the mutations are libFuzzer's own byte-level ones. Built with
// -DNASC_FUZZER=ON and clang (docs/cli.md).
//
//===----------------------------------------------------------------------===//

#include "NasGenerator.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Analysis/SpaceCostModel.h"
#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Driver/SpaceCosts.h"
#include "nasc/Driver/SpaceOutput.h"
#include "nasc/Driver/Summary.h"
#include "nasc/Frontend/Frontend.h"
#include "nasc/Space/Space.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

/// Candidates evaluated one by one when a space cannot be folded (nasc's
/// --stats-limit), the combinations folding may enumerate (nasc's are 64
/// to 128 times larger) and rows of the candidate table (nasc's --limit):
/// small, so that an input costs milliseconds even with the sanitizers.
static constexpr uint64_t kEnumerateLimit = 64;
static const nasc::FoldLimits kFoldLimits{
    /*maxCellCandidates=*/2048, /*maxSegmentCandidates=*/512,
    /*maxTableEntries=*/1u << 14, /*maxCellSegmentCandidates=*/1u << 12};
static constexpr int64_t kTableRows = 8;

/// Exercises the space model on a spec that compiled.
static void checkSpace(nasc::nas::SpecOp spec, mlir::MLIRContext &context) {
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
    // A candidate may be ill-shaped (a residual whose searched body changes
    // the channels): its verifier reports it at the layer, as for nasc
    // --candidate, and it has no costs.
    mlir::OwningOpRef<mlir::ModuleOp> concrete = space->materialize(candidate);
    if (mlir::failed(mlir::verify(*concrete)))
      continue;
    (void)nasc::CostAnalysis(*concrete->getOps<nasc::nas::SpecOp>().begin(),
                             nasc::CostOptions{/*keepLayers=*/false});
  }

  // --emit=stats: the costs over the space, as nasc computes them.
  std::optional<llvm::DynamicAPInt> unique;
  mlir::FailureOr<llvm::DynamicAPInt> count =
      space->countUnique(/*maxPerCell=*/4096);
  if (mlir::succeeded(count))
    unique = *count;
  mlir::FailureOr<nasc::SpaceCostModel> model =
      nasc::SpaceCostModel::build(*space);
  if (mlir::failed(model))
    return;
  std::optional<nasc::SpaceCosts> costs;
  std::string unavailable = nasc::getUnfoldableReason(*model, kFoldLimits);
  if (unavailable.empty() ||
      space->size() <= llvm::DynamicAPInt(int64_t(kEnumerateLimit))) {
    mlir::FailureOr<nasc::SpaceCosts> computed =
        nasc::computeSpaceCosts(*model, kEnumerateLimit, kFoldLimits);
    if (mlir::succeeded(computed)) {
      costs = std::move(*computed);
      nasc::reportInfeasible(*costs);
    }
  }
  nasc::printSpaceStats(*space, nasc::OutputFormat::JSON, llvm::nulls(),
                        unique, costs ? &*costs : nullptr, unavailable);

  // --emit=candidates --limit: the first rows of the table.
  nasc::CandidateSelection selection;
  selection.limit = kTableRows;
  (void)nasc::writeCandidates(*space, selection, nasc::OutputFormat::CSV,
                              context, llvm::nulls());
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
  if (!module)
    return 0;
  nasc::nas::SpecOp spec = *module->getOps<nasc::nas::SpecOp>().begin();
  // The default --emit=summary.
  nasc::printSpecSummary(spec, llvm::nulls());
  checkSpace(spec, *context);
  return 0;
}

extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned int seed) {
  std::string text;
  switch (seed % 5) {
  case 0:
  case 1:
    text = nasc::fuzz::generateProgram(seed, maxSize);
    break;
  case 2:
  case 3:
    text = nasc::fuzz::mutateProgram(
        llvm::StringRef(reinterpret_cast<const char *>(data), size), seed,
        maxSize);
    break;
  default:
    break;
  }
  if (text.empty() || text.size() > maxSize)
    return LLVMFuzzerMutate(data, size, maxSize);
  memcpy(data, text.data(), text.size());
  return text.size();
}
