//===- SpaceCostModelTest.cpp - The compiled cost model ------------------===//
//
// The model's costs of a candidate must be exactly those of materializing
// it and running CostAnalysis, on random samples of every example and of
// specs that exercise each way the model follows a candidate (choices,
// shared and searched repeats, compression defaults, cells, residuals with
// a searched stride, cells with several inputs).
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/SpaceCostModel.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace nasc;

namespace {

class SpaceCostModelTest : public ::testing::Test {
protected:
  SpaceCostModelTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.getDiagEngine().registerHandler(
        [this](Diagnostic &diag) {
          std::string text;
          llvm::raw_string_ostream os(text);
          os << diag.getLocation() << ": " << diag.str();
          errors.push_back(text);
        });
  }

  OwningOpRef<ModuleOp> parse(StringRef text, StringRef name = "test.nas") {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
    return parseNasSource(sourceMgr, &context);
  }

  OwningOpRef<ModuleOp> parseExample(StringRef file) {
    auto buffer = llvm::MemoryBuffer::getFile(std::string(NASC_EXAMPLES_DIR) +
                                              "/" + file.str());
    EXPECT_TRUE(bool(buffer));
    return parse((*buffer)->getBuffer(), file);
  }

  /// Checks the model against materialize + CostAnalysis on `samples`
  /// random candidates; returns how many were compared.
  int compareOnSamples(ModuleOp module, int samples, bool expectSplit) {
    nas::SpecOp spec = *module.getOps<nas::SpecOp>().begin();
    FailureOr<Space> space = Space::build(spec);
    EXPECT_TRUE(succeeded(space));
    if (failed(space))
      return 0;
    FailureOr<SpaceCostModel> model = SpaceCostModel::build(*space);
    EXPECT_TRUE(succeeded(model));
    if (failed(model))
      return 0;
    EXPECT_EQ(model->isSplit(), expectSplit);
    Random random(7);
    int compared = 0;
    for (int i = 0; i < samples; ++i) {
      Candidate candidate = space->sample(random);
      std::string encoding = space->encode(candidate);
      OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
      CostAnalysis reference(*concrete->getOps<nas::SpecOp>().begin());
      FailureOr<CostTotals> fast = model->evaluate(candidate);
      EXPECT_EQ(reference.failed(), failed(fast))
          << encoding << (errors.empty() ? "" : "\n" + errors.front());
      if (reference.failed() || failed(fast))
        continue;
      const CostTotals &a = reference.getTotals(), &b = *fast;
      EXPECT_EQ(a.macs, b.macs) << encoding;
      EXPECT_EQ(a.flops, b.flops) << encoding;
      EXPECT_EQ(a.params, b.params) << encoding;
      EXPECT_EQ(a.modelBytes, b.modelBytes) << encoding;
      EXPECT_EQ(a.bops, b.bops) << encoding;
      EXPECT_EQ(a.activationBytes, b.activationBytes) << encoding;
      EXPECT_EQ(a.peakMemoryBytes, b.peakMemoryBytes) << encoding;
      ++compared;
    }
    return compared;
  }

  MLIRContext context;
  std::vector<std::string> errors;
};

TEST_F(SpaceCostModelTest, ExamplesMatchTheMaterializedAnalysis) {
  for (StringRef file : {"nb201.nas", "fbnet.nas", "mobile.nas"}) {
    SCOPED_TRACE(file.str());
    OwningOpRef<ModuleOp> module = parseExample(file);
    ASSERT_TRUE(module);
    EXPECT_EQ(compareOnSamples(*module, 200, /*expectSplit=*/true), 200);
  }
  EXPECT_TRUE(errors.empty()) << errors.front();
}

// Shared and searched repeats, compression defaults, a searched projection
// stride, a choice inside a residual, a cell inside a shared repeat.
constexpr const char *kEveryPath = R"(
dataset d { input = [3, 16, 16]; classes = 10; }
compress { wbits = {4, 8}; abits = {8, 16}; }
cell c(nodes = 3) {
  edge 0 -> 1 : { s: identity; p: conv(kernel = {1, 3}) -> bn; };
  edge 1 -> 2 : { s: identity; z: zero; m: max_pool; };
  edge 0 -> 2 : { s: identity; z: zero; };
}
network n on d {
  conv(out = {8, 16}, kernel = 3) -> bn -> relu;
  repeat {1, 2} shared { c; a: choose { r: relu; h: hswish; } }
  residual(shortcut = projection) {
    conv(out = 24, stride = {1, 2}) -> bn;
    mid: choose { k3: conv(kernel = 3); k5: sep_conv(kernel = 5); };
  }
  stage s { repeat 2 { b: choose { m: mbconv(expand = {3, 6}); i: identity; } } }
  repeat 1..3 { conv(kernel = 1, wbits = {2, 4}) -> bn; }
  global_avg_pool -> fc(out = 10);
}
)";

TEST_F(SpaceCostModelTest, EveryWayOfFollowingACandidate) {
  OwningOpRef<ModuleOp> module = parse(kEveryPath);
  ASSERT_TRUE(module) << errors.front();
  EXPECT_EQ(compareOnSamples(*module, 300, /*expectSplit=*/true), 300);
  EXPECT_TRUE(errors.empty()) << errors.front();
}

// A cell with two inputs reads the layer before the previous one: the
// network is analysed as one segment.
constexpr const char *kTwoInputCell = R"(
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 4, inputs = 2) {
  edge 0 -> 2 : { s: identity; p: conv(kernel = 1) -> bn; };
  edge 1 -> 2 : { s: identity; z: zero; };
  edge 2 -> 3 : { s: identity; m: avg_pool; };
}
network n on d {
  conv(out = 8) -> bn;
  c;
  w: choose { a: relu; b: conv(kernel = {1, 3}); }
  c;
  global_avg_pool -> fc(out = 10);
}
)";

TEST_F(SpaceCostModelTest, CellsWithSeveralInputsAreOneSegment) {
  OwningOpRef<ModuleOp> module = parse(kTwoInputCell);
  ASSERT_TRUE(module) << errors.front();
  EXPECT_EQ(compareOnSamples(*module, 100, /*expectSplit=*/false), 100);
  EXPECT_TRUE(errors.empty()) << errors.front();
}

} // namespace
