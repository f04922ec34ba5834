//===- StaticInt8Test.cpp - The CPU's integer network against runInteger --===//
//
// `--static-int8` compiles a candidate's integer network (IntegerNetwork.h)
// for the CPU: its outputs must be runInteger's levels, dequantized, bit
// for bit, on a spec with every op kind of the integer network and on
// random candidates of examples/fpga.nas, with and without VNNI's byte
// dot products.
//
//===----------------------------------------------------------------------===//

#include "nasc/Space/Space.h"
#include "nasc/Target/CPU/CPUTarget.h"
#include "nasc/Target/CPU/Emit.h"
#include "nasc/Target/Common/IntegerNetwork.h"
#include "nasc/Target/Common/TorchWeights.h"

#include "../NasTestUtils.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/TargetParser/Host.h"

#include <algorithm>

using namespace mlir;
using namespace nasc;

namespace {

/// Every op kind of the integer network: convolutions (3x3, strided,
/// depthwise, grouped, 1x1, an fc), max and average pooling (an asymmetric
/// window at the border), a residual addition, a concatenation and a
/// channel shuffle (copies), at 4-bit weights.
const char *const kEveryKind = R"(
dataset d { input = [3, 11, 11]; classes = 5; }
cell two(nodes = 3, output = concat) {
  edge 0 -> 1 : { p: max_pool(kernel = 3); };
  edge 1 -> 2 : { c: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
}
network every on d {
  stem: conv(out = 8, kernel = 3) -> bn -> relu;
  down: conv(kernel = 3, stride = 2) -> bn -> relu6;
  residual { dwconv(kernel = 3) -> bn -> relu; }
  conv(out = 16, kernel = 1, groups = 2) -> bn -> relu;
  two;
  avg_pool(kernel = 3, stride = 2);
  bn -> relu -> shuffle(groups = 4);
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 4; abits = 8; }
)";

class StaticInt8Test : public ::testing::Test {
protected:
  StaticInt8Test() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.printOpOnDiagnostic(false);
    handler = context.getDiagEngine().registerHandler([&](Diagnostic &diag) {
      errors.push_back(diag.str());
      return success();
    });
  }
  ~StaticInt8Test() override { context.getDiagEngine().eraseHandler(handler); }

  /// Compiles the concrete `spec` (seeded weights) with `--static-int8`
  /// and CPU `features`, runs a batch of 3 seeded images on 2 threads and
  /// expects runInteger's outputs exactly; the outputs, or empty after a
  /// failure. `dotProducts` counts the module's vpdpbusd calls.
  std::vector<float> check(nas::SpecOp spec, uint64_t seed,
                           StringRef features = "") {
    SeededWeights reference(seed);
    llvm::Expected<IntegerNetwork> net = buildIntegerNetwork(spec, reference);
    if (!net) {
      ADD_FAILURE() << llvm::toString(net.takeError());
      return {};
    }
    cpu::CompileOptions options;
    options.staticInt8 = true;
    options.fallBackToLoops = false;
    options.features = features.str();
    SeededWeights weights(seed);
    LoweredSignature signature;
    auto module = cpu::lowerForCPU(spec, weights, signature, options);
    if (!module) {
      ADD_FAILURE() << llvm::toString(module.takeError());
      return {};
    }
    std::string name = spec.getSymName().str();
    if (failed(cpu::lowerToLLVMDialect(**module, name, options))) {
      ADD_FAILURE() << (errors.empty() ? "lowering failed" : errors.back());
      return {};
    }
    dotProducts = 0;
    (*module)->walk([&](LLVM::CallIntrinsicOp op) {
      dotProducts += op.getIntrin().starts_with("llvm.x86.avx512.vpdpbusd");
    });
    auto network = cpu::JitNetwork::create(**module, name, signature);
    if (!network) {
      ADD_FAILURE() << llvm::toString(network.takeError());
      return {};
    }
    const int batch = 3;
    int64_t in = signature.inputElements(), out = signature.outputElements();
    EXPECT_EQ(in, net->tensors[net->input].size());
    EXPECT_EQ(out, net->tensors[net->output].size());
    Random random(seed);
    std::vector<float> input, expected;
    for (int s = 0; s < batch; ++s) {
      // Uniform in [-1.25, 1.25]: past the calibration's range, so that
      // the input's clamp is exercised too.
      std::vector<float> x = drawUniformImage(in, random);
      for (float &v : x)
        v *= 1.25f;
      std::vector<float> y =
          net->dequantizeOutput(runInteger(*net, net->quantizeInput(x)));
      input.insert(input.end(), x.begin(), x.end());
      expected.insert(expected.end(), y.begin(), y.end());
    }
    // An output that does not depend on the input would prove little.
    EXPECT_FALSE(std::equal(expected.begin(), expected.begin() + out,
                            expected.begin() + out))
        << "the first two samples give the same output";
    std::vector<float> actual(out * batch, NAN);
    EXPECT_EQ((*network)->run(input.data(), actual.data(), batch, 2), 0);
    EXPECT_EQ(actual, expected);
    return actual;
  }

  /// check() on this CPU, then, where it has VNNI, that the code took dot
  /// products of bytes and gives the same bits from 32-bit products.
  void checkWithAndWithoutDotProducts(nas::SpecOp spec, uint64_t seed) {
    std::vector<float> bytes = check(spec, seed);
    ASSERT_FALSE(bytes.empty());
    llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
    if (!host.lookup("avx512vnni"))
      return;
    EXPECT_GT(dotProducts, 0);
    EXPECT_EQ(check(spec, seed, "-avx512vnni,-avxvnni"), bytes);
    EXPECT_EQ(dotProducts, 0);
  }

  MLIRContext context;
  DiagnosticEngine::HandlerID handler;
  std::vector<std::string> errors;
  int dotProducts = 0;
};

TEST_F(StaticInt8Test, EveryOpKindGivesRunIntegersBits) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, kEveryKind);
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  nas::SpecOp spec = nasc::test::specOf(*module);
  checkWithAndWithoutDotProducts(spec, 7);
}

TEST_F(StaticInt8Test, StoredChannelsBeyondTheTensorsGiveRunIntegersBits) {
  // Channel counts that the lowering rounds up in memory (6 -> 8, 18 -> 24,
  // 54 -> 64, 7 -> 8; docs/cpu.md): plain, depthwise and grouped
  // convolutions, pooling, a residual addition, hswish and
  // squeeze-and-excitation, a concatenation and an fc read and write them.
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 13, 13]; classes = 7; }
cell two(nodes = 3, output = concat) {
  edge 0 -> 1 : { c: conv(kernel = 1) -> bn -> relu; };
  edge 1 -> 2 : { p: avg_pool(kernel = 3); };
}
network padded on d {
  conv(out = 6, kernel = 3) -> bn -> relu;
  conv(out = 18, kernel = 1) -> bn -> relu6;
  dwconv(kernel = 3, stride = 2) -> bn -> relu;
  conv(out = 54, kernel = 1, groups = 3) -> bn -> hswish;
  residual { conv(kernel = 1) -> bn; }
  max_pool(kernel = 3);
  mbconv(out = 18, kernel = 3, expand = 3, se = true);
  two;
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 8; abits = 8; }
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  nas::SpecOp spec = nasc::test::specOf(*module);
  checkWithAndWithoutDotProducts(spec, 11);
}

TEST_F(StaticInt8Test, HardSwishAndSqueezeExciteGiveRunIntegersBits) {
  // MobileNetV3's parts: hswish after a BN (its own op) and inside an
  // MBConv, squeeze-and-excitation (the hard sigmoid folded into the gate's
  // convolution, the channel scaling an op of its own).
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 12, 12]; classes = 6; }
network v3 on d {
  conv(out = 16, kernel = 3, stride = 2) -> bn -> hswish;
  mbconv(out = 16, kernel = 3, expand = 3, se = true);
  mbconv(out = 24, kernel = 5, expand = 6, stride = 2, se = true);
  conv(out = 32, kernel = 1) -> bn -> hswish;
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 8; abits = 8; }
)");
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  nas::SpecOp spec = nasc::test::specOf(*module);
  SeededWeights weights(3);
  llvm::Expected<IntegerNetwork> net = buildIntegerNetwork(spec, weights);
  ASSERT_TRUE(bool(net)) << llvm::toString(net.takeError());
  int hardSwishes = 0, scales = 0;
  for (const IntOp &op : net->ops) {
    hardSwishes += op.kind == IntOpKind::HardSwish;
    scales += op.kind == IntOpKind::Scale;
  }
  EXPECT_GE(hardSwishes, 2);
  EXPECT_EQ(scales, 2);
  EXPECT_FALSE(check(spec, 3).empty());

  // With LibTorch's weights (random BN statistics): the float form of the
  // network is LibTorch's forward with activations left in float (within
  // 1e-2: LibTorch keeps the squeeze-and-excitation's convolutions at full
  // precision, the integer network gives them 8-bit weights; a wrong hard
  // sigmoid or scaling is off by far more), and the integers are within a
  // few output steps of it.
  spec.walk([](Operation *op) { op->removeAttr("abits"); });
  Random random(9);
  std::vector<float> input = drawUniformImage(3 * 12 * 12, random);
  std::vector<NamedTensor> tensors;
  std::vector<float> expected;
  std::string error;
  target::TorchExportRequest request;
  request.seed = 4;
  request.randomizeBatchNorm = true;
  request.input = input.data();
  request.batch = 1;
  request.output = &expected;
  ASSERT_TRUE(nascExportTorchWeights(spec, &request, &tensors, &error))
      << error;
  TensorListWeights torchWeights(std::move(tensors));
  llvm::Expected<IntegerNetwork> trained =
      buildIntegerNetwork(spec, torchWeights);
  ASSERT_TRUE(bool(trained)) << llvm::toString(trained.takeError());
  std::vector<float> real = runFloat(*trained, input);
  EXPECT_LE(nasc::test::relativeError(real, expected), 1e-2);
  std::vector<float> integer = trained->dequantizeOutput(
      runInteger(*trained, trained->quantizeInput(input)));
  EXPECT_LE(nasc::test::relativeError(integer, real), 0.1);
}

TEST_F(StaticInt8Test, RandomCandidatesOfTheFPGAExampleGiveRunIntegersBits) {
  OwningOpRef<ModuleOp> module = nasc::test::parseExample(context, "fpga.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(nasc::test::specOf(*module));
  ASSERT_TRUE(succeeded(space));
  Random random(5);
  for (int i = 0; i < 3; ++i) {
    Candidate candidate = space->sample(random);
    SCOPED_TRACE(space->encode(candidate));
    OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
    EXPECT_FALSE(check(nasc::test::specOf(*concrete), 30 + i).empty());
  }
}

TEST_F(StaticInt8Test, LayersOutsideTheIntegerNetworkAreLocatedErrors) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 8, 8]; classes = 4; }
network n on d {
  conv(out = 8, kernel = 3) -> bn -> swish;
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module);
  cpu::CompileOptions options;
  options.staticInt8 = true;
  SeededWeights weights(1);
  LoweredSignature signature;
  auto lowered = cpu::lowerForCPU(nasc::test::specOf(*module), weights,
                                  signature, options);
  ASSERT_FALSE(bool(lowered));
  EXPECT_NE(llvm::toString(lowered.takeError())
                .find("test.nas:4:38: the integer network computes relu, "
                      "relu6 and hswish, not swish"),
            std::string::npos);
}

} // namespace
