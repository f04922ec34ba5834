//===- CPUTargetTest.cpp - Emitted CPU code against LibTorch --------------===//
//
// Random candidates of every example space (and a spec using every op) are
// lowered with the weights of their LibTorch network (BN statistics drawn
// at random so that folding matters), compiled by the JIT and run; the
// outputs must equal LibTorch's eval-mode forward within a relative error
// of 1e-4 (max |a - b| over max |b|).
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"
#include "nasc/Space/Space.h"
#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "../NasTestUtils.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/TargetParser/Host.h"

#include <cmath>
#include <map>

using namespace mlir;
using namespace nasc;

namespace {

/// Relative error allowed for candidates with quantized layers.
constexpr double kQuantizedTolerance = 5e-2;

bool isQuantized(nas::SpecOp spec) {
  bool quantized = false;
  spec.walk([&](Operation *op) {
    for (StringRef name : {"wbits", "abits"})
      if (auto bits = op->getAttrOfType<IntegerAttr>(name))
        quantized |= bits.getInt() < 32;
  });
  return quantized;
}

void stripQuantization(nas::SpecOp spec) {
  spec.walk([&](Operation *op) {
    op->removeAttr("wbits");
    op->removeAttr("abits");
  });
}

class CPUTargetTest : public ::testing::Test {
protected:
  CPUTargetTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.printOpOnDiagnostic(false);
    handler = context.getDiagEngine().registerHandler([&](Diagnostic &diag) {
      errors.push_back(diag.str());
      return success();
    });
  }
  ~CPUTargetTest() override { context.getDiagEngine().eraseHandler(handler); }

  /// Compiles and runs `spec` (concrete) on a batch; compares to LibTorch.
  /// Returns the relative error (or a negative number after a failure).
  /// `integerOps` counts the linalg ops computing on int8.
  double compare(nas::SpecOp spec, int64_t batch, uint64_t seed,
                 const LinalgLoweringOptions &lowering = {},
                 int *integerOps = nullptr) {
    std::vector<NamedTensor> weights;
    std::string error;
    CostAnalysis costs(spec);
    EXPECT_FALSE(costs.failed());
    const TensorShape &in = costs.getInputShape();
    int64_t sample = int64_t(in.getNumElements());
    std::vector<float> input(sample * batch), expected, actual;
    Random random(seed);
    for (float &x : input)
      x = float(random.below(2001)) / 1000.0f - 1.0f;
    target::TorchExportRequest request;
    request.seed = seed;
    request.randomizeBatchNorm = true;
    request.input = input.data();
    request.batch = batch;
    request.output = &expected;
    if (!nascExportTorchWeights(spec, &request, &weights, &error)) {
      ADD_FAILURE() << error;
      return -1;
    }
    OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
    TensorListWeights source(std::move(weights));
    LoweredSignature signature;
    // Vectorized code that does not lower is a failure here, not a
    // fallback to plain loops.
    cpu::CompileOptions options;
    options.fallBackToLoops = false;
    options.features = features;
    bool lowered =
        succeeded(lowerToLinalg(spec, *module, source, lowering, &signature));
    if (integerOps)
      module->walk([&](linalg::LinalgOp op) {
        *integerOps += llvm::any_of(op.getDpsInputs(), [](Value v) {
          return getElementTypeOrSelf(v.getType()).isInteger(8);
        });
      });
    if (!lowered ||
        failed(cpu::lowerToLLVMDialect(*module, spec.getSymName(), options))) {
      ADD_FAILURE() << (errors.empty() ? "lowering failed" : errors.back());
      return -1;
    }
    headRows = 0;
    singleHead = false;
    if (auto split = (*module)->getAttrOfType<DictionaryAttr>("nasc.cpu.head")) {
      if (auto rows = split.getAs<IntegerAttr>("rows"))
        headRows = rows.getInt();
      singleHead = bool(split.get("single"));
    }
    dotProducts = 0;
    module->walk([&](LLVM::CallIntrinsicOp op) {
      dotProducts += op.getIntrin().starts_with("llvm.x86.avx512.vpdpbusd");
    });
    auto network =
        cpu::JitNetwork::create(*module, spec.getSymName(), signature);
    if (!network) {
      ADD_FAILURE() << llvm::toString(network.takeError());
      return -1;
    }
    actual.assign(signature.outputElements() * batch, NAN);
    // Two threads share the batch: the same numbers as one.
    EXPECT_EQ((*network)->run(input.data(), actual.data(), int(batch), 2), 0);
    outputs = actual;
    if (actual.size() != expected.size()) {
      ADD_FAILURE() << "output sizes differ: " << actual.size() << " vs "
                    << expected.size();
      return -1;
    }
    double maxDiff = 0, maxRef = 0;
    for (size_t i = 0; i < actual.size(); ++i) {
      if (!std::isfinite(actual[i]))
        return INFINITY;
      maxDiff = std::max(maxDiff, double(std::fabs(actual[i] - expected[i])));
      maxRef = std::max(maxRef, double(std::fabs(expected[i])));
    }
    return maxDiff / std::max(maxRef, 1e-30);
  }

  MLIRContext context;
  DiagnosticEngine::HandlerID handler;
  std::vector<std::string> errors;
  /// compare's CPU feature changes (CompileOptions::features).
  std::string features;
  /// The last compare's outputs and its byte dot products (vpdpbusd
  /// intrinsic calls in the lowered module).
  std::vector<float> outputs;
  int dotProducts = 0;
  /// The last compare's head block (nasc-cpu-split-head), 0 for none,
  /// and whether it has a head on one sample too.
  int64_t headRows = 0;
  bool singleHead = false;
};

TEST_F(CPUTargetTest, EveryOpMatchesLibTorch) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 15, 15]; classes = 7; }
cell c(nodes = 3) {
  edge 0 -> 1 : { p: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { m: avg_pool(kernel = 3); };
}
cell d2(nodes = 4, inputs = 2, output = concat) {
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { z: zero; };
  edge 2 -> 3 : { m: max_pool(kernel = 3); };
}
network n on d {
  conv(out = 8, kernel = 3, stride = 2) -> bn -> hswish;
  c;
  residual(shortcut = projection) { sep_conv(out = 16, kernel = 5, stride = 2) -> relu6; }
  residual(shortcut = avgpool_conv) { conv(out = 24, kernel = 3, stride = 2) -> swish; }
  residual { mbconv(kernel = 3, expand = 4, se = true) -> tanh; }
  identity(out = 32, stride = 1);
  conv(out = 32, kernel = 3, groups = 4) -> bn -> relu;
  d2;
  mbconv(out = 40, kernel = 5, expand = 1, stride = 2) -> sigmoid;
  max_pool(kernel = 2, stride = 2);
  avg_pool(kernel = 2, stride = 1);
  global_max_pool;
  fc(out = 20) -> bn -> relu;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  double error = compare(nasc::test::specOf(*module), 3, 1);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
}

TEST_F(CPUTargetTest, HeadRunsOnBlocksOfSamples) {
  // The classifier after the global pooling is split from the body and
  // runs on blocks of 8 samples (SplitHead.cpp), or one sample at a time
  // in a block of at most 2 (runtime/Head.c): batch 1 runs the head on
  // one row; 13 samples in two threads' shares of 6 and 7 make partial
  // blocks, 19 in shares of 9 and 10 full blocks and lone samples. The first
  // fc's 250 outputs are padded to 256 and its weights packed in panels
  // of 32 (Vectorize.cpp).
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 9, 9]; classes = 5; }
network n on d {
  conv(out = 16, kernel = 3, stride = 2) -> relu;
  global_avg_pool;
  fc(out = 250) -> relu;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  for (int64_t batch : {1, 13, 19}) {
    double error = compare(nasc::test::specOf(*module), batch, 7 + batch);
    EXPECT_EQ(headRows, 8);
    EXPECT_TRUE(singleHead);
    EXPECT_GE(error, 0);
    EXPECT_LE(error, 1e-4) << "batch " << batch;
  }
}

TEST_F(CPUTargetTest, PackedFiltersMatchLibTorch) {
  // 1x1 filters read in panels of 32 channels (PackFilters.cpp): 72
  // channels in 3 panels, the last one's 8 the peeled remainder's; 1104
  // in 35, as FBNet's last stage. A 3x3 filter is left as it is.
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [24, 7, 7]; classes = 10; }
network n on d {
  conv(out = 72, kernel = 1) -> relu;
  conv(out = 48, kernel = 3) -> relu;
  conv(out = 1104, kernel = 1) -> relu6;
  conv(out = 32, kernel = 1);
  global_avg_pool;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  double error = compare(nasc::test::specOf(*module), 3, 11);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
}

TEST_F(CPUTargetTest, ChannelRemaindersArePeeled) {
  // 72 and 40 channels: tiles of 16 lanes and a peeled remainder of 8
  // (Vectorize.cpp), in 1x1, depthwise and 3x3 convolutions, pooling and
  // the activations fused into them.
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [24, 9, 9]; classes = 5; }
network n on d {
  conv(out = 72, kernel = 1) -> relu6;
  dwconv(kernel = 5) -> relu;
  max_pool(kernel = 3);
  conv(out = 40, kernel = 3) -> hswish;
  global_avg_pool;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  double error = compare(nasc::test::specOf(*module), 3, 5);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
}

TEST_F(CPUTargetTest, UserOpsMatchLibTorch) {
  // Depthwise convolution, channel shuffle, squeeze-and-excitation,
  // expressions over the call's input and a residual that adds the input
  // only where the shape is kept.
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [4, 13, 13]; classes = 5; }
op ir(k, e, g = 1, stride = 1) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1, groups = g) -> bn -> relu;
    shuffle(groups = g);
    dwconv(kernel = k, stride = stride) -> bn -> hswish;
    se(squeeze = make_divisible(in * e / 4, 8));
    conv(out = out, kernel = 1, groups = g) -> bn;
  }
}
network n on d {
  conv(out = 12) -> bn -> relu;
  ir(k = 3, e = 2, g = 3);
  ir(k = 5, e = 3, g = 2, out = 16, stride = 2);
  dwconv(out = 32, kernel = 3);
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  double error = compare(nasc::test::specOf(*module), 3, 1);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
}

TEST_F(CPUTargetTest, QuantizedLayersMatchLibTorch) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [2, 9, 9]; classes = 5; }
network n on d {
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> bn -> relu;
  mbconv(out = 8, kernel = 3, expand = 2, wbits = 4);
  sep_conv(out = 12, kernel = 3, wbits = 1);
  global_avg_pool;
  fc(out = classes, wbits = 8, abits = 8);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  // The 8-bit conv and fc compute on int8 levels with int32 sums (the
  // weight-only quantized layers in float); LibTorch's fake quantization
  // computes the same products in float.
  int integerOps = 0;
  double error = compare(nasc::test::specOf(*module), 2, 5, {}, &integerOps);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
  EXPECT_EQ(integerOps, 2); // the conv and the matmul
  // And computed in float, as LibTorch does.
  LinalgLoweringOptions fake;
  fake.integerArithmetic = false;
  integerOps = 0;
  error = compare(nasc::test::specOf(*module), 2, 5, fake, &integerOps);
  EXPECT_GE(error, 0);
  EXPECT_LE(error, 1e-4);
  EXPECT_EQ(integerOps, 0);
}

TEST_F(CPUTargetTest, DotProductsOfBytesGiveTheSameBits) {
  // int8 contractions on VNNI's vpdpbusd (IntegerDot.cpp): reduction
  // extents of 3, 9 and 15 (padded to multiples of 4), a grouped 1x1
  // convolution, 40 channels (a peeled tile of 8 on 256-bit dot
  // products), 4-bit weights and an fc; the same bits as 32-bit products.
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  if (!host.lookup("avx512vnni") && !host.lookup("avxvnni"))
    GTEST_SKIP() << "this CPU has neither AVX-512 VNNI nor AVX-VNNI";
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 12, 12]; classes = 10; }
network n on d {
  conv(out = 18, kernel = 3, stride = 2, wbits = 8, abits = 8) -> relu;
  conv(out = 18, kernel = 1, wbits = 8, abits = 8) -> relu;
  conv(out = 30, kernel = 3, wbits = 4, abits = 8) -> relu6;
  dwconv(kernel = 3, wbits = 8, abits = 8);
  conv(out = 32, kernel = 1, groups = 2, wbits = 8, abits = 8);
  conv(out = 40, kernel = 1, wbits = 8, abits = 8);
  global_avg_pool;
  fc(out = classes, wbits = 8, abits = 8);
}
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  nas::SpecOp spec = nasc::test::specOf(*module);
  std::map<std::string, std::vector<float>> results;
  for (const char *variant :
       {"-avx512vnni,-avxvnni", "", "-avx512vnni"}) {
    SCOPED_TRACE(variant);
    if (StringRef(variant) == "-avx512vnni" && !host.lookup("avxvnni"))
      continue;
    features = variant;
    double error = compare(spec, 3, 21);
    EXPECT_GE(error, 0);
    EXPECT_LE(error, kQuantizedTolerance);
    if (features.empty()) {
      EXPECT_GT(dotProducts, 0);
    } else if (features == "-avx512vnni,-avxvnni") {
      EXPECT_EQ(dotProducts, 0);
    }
    results[variant] = outputs;
  }
  for (const auto &[variant, values] : results)
    EXPECT_EQ(values, results["-avx512vnni,-avxvnni"]) << variant;
}

TEST_F(CPUTargetTest, RandomCandidatesOfEveryExampleMatchLibTorch) {
  for (StringRef file :
       {"nb201.nas", "fashion.nas", "fbnet.nas", "mobile.nas"}) {
    SCOPED_TRACE(file.str());
    OwningOpRef<ModuleOp> module = nasc::test::parseExample(context, file);
    ASSERT_TRUE(module);
    FailureOr<Space> space = Space::build(nasc::test::specOf(*module));
    ASSERT_TRUE(succeeded(space));
    Random random(11);
    bool large = file == "fbnet.nas" || file == "mobile.nas";
    for (int i = 0; i < (large ? 1 : 3); ++i) {
      Candidate candidate = space->sample(random);
      OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
      nas::SpecOp spec = nasc::test::specOf(*concrete);
      int64_t batch = large ? 1 : 2;
      // Quantized activations round: a last-bit difference before a
      // rounding boundary moves a value by a whole step, so quantized
      // candidates get a looser tolerance, and their float version the
      // strict one (only the float one for the large spaces, to keep the
      // test short).
      if (isQuantized(spec) && !large) {
        double error = compare(spec, batch, 100 + i);
        EXPECT_GE(error, 0) << space->encode(candidate);
        EXPECT_LE(error, kQuantizedTolerance) << space->encode(candidate);
      }
      stripQuantization(spec);
      double error = compare(spec, batch, 100 + i);
      EXPECT_GE(error, 0) << space->encode(candidate);
      EXPECT_LE(error, 1e-4) << space->encode(candidate);
    }
  }
}

} // namespace
