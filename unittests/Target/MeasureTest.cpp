//===- MeasureTest.cpp - The CPU backend's library API --------------------===//
//
// The CPU backend through the target registry (measureCandidate),
// measureLayers (keys exactly those of the cost models' getLayerWork) and
// emitCPU, with their errors.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"
#include "nasc/Space/Space.h"
#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/CPU/Measure.h"
#include "nasc/Target/InitAllTargets.h"

#include "../NasTestUtils.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace nasc;

namespace {

class MeasureTest : public ::testing::Test {
protected:
  MeasureTest() {
    registerAllTargetBackends();
    context.getOrLoadDialect<nas::NASDialect>();
    context.printOpOnDiagnostic(false);
  }

  /// A candidate of an example space (the first one drawn with `seed`).
  OwningOpRef<ModuleOp> candidate(StringRef file, uint64_t seed) {
    OwningOpRef<ModuleOp> module = nasc::test::parseExample(context, file);
    EXPECT_TRUE(module);
    if (!module)
      return nullptr;
    FailureOr<Space> space = Space::build(nasc::test::specOf(*module));
    EXPECT_TRUE(succeeded(space));
    Random random(seed);
    return space->materialize(space->sample(random));
  }

  MLIRContext context;
};

TEST_F(MeasureTest, RegistryNamesItsBackends) {
  std::vector<std::string> kinds = target::getTargetBackendKinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "cpu"), kinds.end());
  llvm::Expected<target::TargetBackend &> gpu =
      target::getTargetBackend("gpu_that_does_not_exist");
  ASSERT_FALSE(bool(gpu));
  std::string message = llvm::toString(gpu.takeError());
  EXPECT_NE(message.find("no backend for target kind "
                         "'gpu_that_does_not_exist'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("cpu"), std::string::npos) << message;
  // A second registration of a kind keeps the first backend.
  llvm::Expected<target::TargetBackend &> first =
      target::getTargetBackend("cpu");
  ASSERT_TRUE(bool(first));
  registerAllTargetBackends();
  llvm::Expected<target::TargetBackend &> again =
      target::getTargetBackend("cpu");
  ASSERT_TRUE(bool(again));
  EXPECT_EQ(&*first, &*again);
}

TEST_F(MeasureTest, CandidateLatency) {
  OwningOpRef<ModuleOp> module = candidate("fashion.nas", 1);
  ASSERT_TRUE(module);
  llvm::Expected<target::TargetBackend &> backend =
      target::getTargetBackend("cpu");
  ASSERT_TRUE(bool(backend)) << llvm::toString(backend.takeError());
  EXPECT_EQ(backend->getKind(), "cpu");
  auto stats = target::measureCandidate(*backend, *module, 2, 1, 5, 0);
  ASSERT_TRUE(bool(stats)) << llvm::toString(stats.takeError());
  EXPECT_EQ(stats->repeats, 5u);
  EXPECT_GT(stats->min, 0);
  EXPECT_LE(stats->min, stats->p25);
  EXPECT_LE(stats->p25, stats->median);
  EXPECT_LE(stats->median, stats->p75);
  EXPECT_GE(stats->iqr(), 0);

  auto bad = target::measureCandidate(*backend, *module, 0, 1, 5, 0);
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("batch 0"),
            std::string::npos);
}

TEST_F(MeasureTest, LayerKeysAreTheCostModels) {
  for (StringRef file :
       {"nb201.nas", "fashion.nas", "fbnet.nas", "mobile.nas"}) {
    SCOPED_TRACE(file.str());
    for (uint64_t seed : {1, 2, 3}) {
      OwningOpRef<ModuleOp> module = candidate(file, seed);
      ASSERT_TRUE(module);
      CostAnalysis costs(nasc::test::specOf(*module));
      std::vector<cost::LayerWork> work = cost::getLayerWork(costs);
      ASSERT_EQ(work.size(), costs.getLayers().size());
      for (size_t i = 0; i < work.size(); ++i)
        EXPECT_EQ(nasc::getLayerKey(costs.getLayers()[i]), work[i].key);
    }
  }
}

TEST_F(MeasureTest, EveryLayerTimedAlone) {
  OwningOpRef<ModuleOp> module = candidate("nb201.nas", 3);
  ASSERT_TRUE(module);
  auto layers = cpu::measureLayers(*module, 1, 0, 1, 0);
  ASSERT_TRUE(bool(layers)) << llvm::toString(layers.takeError());
  CostAnalysis costs(nasc::test::specOf(*module));
  size_t leaves = llvm::count_if(costs.getLayers(), [](const LayerCost &r) {
    return r.kind == CostKind::Layer;
  });
  EXPECT_EQ(layers->size(), leaves);
  bool someTime = false;
  size_t last = 0;
  for (const cpu::LayerLatency &layer : *layers) {
    ASSERT_LT(layer.record, costs.getLayers().size());
    EXPECT_GE(layer.record, last);
    last = layer.record;
    const LayerCost &record = costs.getLayers()[layer.record];
    EXPECT_EQ(layer.key, nasc::getLayerKey(record));
    EXPECT_GE(layer.seconds, 0);
    someTime |= layer.seconds > 0;
    bool folded = isa<nas::BatchNormOp>(record.op) &&
                  record.op->getPrevNode() &&
                  isa<nas::ConvOp>(record.op->getPrevNode());
    if (folded) {
      EXPECT_EQ(layer.seconds, 0) << layer.key << " is folded";
    }
  }
  EXPECT_TRUE(someTime);
}

TEST_F(MeasureTest, EmitWritesTheLibrary) {
  OwningOpRef<ModuleOp> module = candidate("fashion.nas", 2);
  ASSERT_TRUE(module);
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("nasc-emit", dir));
  llvm::SmallString<128> out(dir);
  llvm::sys::path::append(out, "out");
  llvm::Error error = cpu::emitCPU(*module, "", 0, out);
  ASSERT_FALSE(bool(error)) << llvm::toString(std::move(error));
  std::string name = nasc::test::specOf(*module).getSymName().str();
  for (std::string file :
       {name + ".h", name + ".o", "lib" + name + ".a", std::string("main.c")}) {
    llvm::SmallString<128> path(out);
    llvm::sys::path::append(path, file);
    uint64_t size = 0;
    EXPECT_FALSE(llvm::sys::fs::file_size(path, size)) << file;
    EXPECT_GT(size, 0u) << file;
  }

  llvm::SmallString<128> missing(dir);
  llvm::sys::path::append(missing, "missing.pt");
  llvm::Error noWeights = cpu::emitCPU(*module, missing, 0, out);
  ASSERT_TRUE(bool(noWeights));
  EXPECT_NE(llvm::toString(std::move(noWeights)).find("no such file"),
            std::string::npos);
  llvm::sys::fs::remove_directories(dir);
}

} // namespace
