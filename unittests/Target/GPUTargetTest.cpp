//===- GPUTargetTest.cpp - The GPU backend's plan and PTX ----------------===//
//
// Invariants of compileProgram's launch plan on the every-op network and
// random candidates of the example spaces, at several batch sizes: every
// view a kernel takes lies inside its buffer, workspace buffers lie inside
// the workspace, weights inside the weights; every kernel is in the PTX.
// The numbers themselves are checked by test/Target/GPU/emulate.test.
//
//===----------------------------------------------------------------------===//

#include "nasc/Target/GPU/GPUTarget.h"
#include "nasc/Space/Space.h"

#include "../NasTestUtils.h"

#include "mlir/IR/MLIRContext.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::gpu;

namespace {

int64_t at(const Extent &extent, int64_t batch) {
  return extent.perSample * batch + extent.fixed;
}

class GPUTargetTest : public ::testing::Test {
protected:
  GPUTargetTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.printOpOnDiagnostic(false);
  }

  /// With fusion and without, and with tiles of 3 outputs a thread (which
  /// divides few extents) and floats stored as halves.
  void check(nas::SpecOp spec) {
    for (int variant = 0; variant < 3; ++variant) {
      CompileOptions options;
      options.fuse = variant != 1;
      options.threadTile = variant == 2 ? 3 : 1;
      options.halfStorage = variant == 2;
      SCOPED_TRACE(std::string(options.fuse ? "fused" : "unfused") + ", tile " +
                   std::to_string(options.threadTile) +
                   (options.halfStorage ? ", fp16" : ""));
      check(spec, options);
    }
  }

  void check(nas::SpecOp spec, const CompileOptions &options) {
    SeededWeights weights(1);
    llvm::Expected<Program> program = compileProgram(spec, weights, options);
    ASSERT_TRUE(bool(program)) << llvm::toString(program.takeError());
    ASSERT_EQ(program->kernels.size(), program->launches.size());
    for (const std::string &kernel : program->kernels)
      EXPECT_NE(program->ptx.find(".entry " + kernel + "("), std::string::npos)
          << kernel;
    for (int64_t batch : {1, 2, 7}) {
      for (const Buffer &buffer : program->buffers) {
        if (buffer.kind == BufferKind::Workspace) {
          EXPECT_LE(at(buffer.offset, batch) + at(buffer.bytes, batch),
                    at(program->workspaceBytes, batch));
        }
        if (buffer.kind == BufferKind::Weight) {
          EXPECT_LE(at(buffer.offset, batch) + at(buffer.bytes, batch),
                    int64_t(program->weights.size()));
        }
      }
      for (const Launch &launch : program->launches) {
        EXPECT_GT(at(launch.threads, batch), 0) << launch.what;
        for (const View &view : launch.operands) {
          // The last element a view reaches, in bytes, within its buffer.
          int64_t last = view.offset;
          for (size_t d = 0; d < view.sizes.size(); ++d)
            last += (at(view.sizes[d], batch) - 1) * view.strides[d];
          const Buffer &buffer = program->buffers[view.buffer];
          EXPECT_GE(view.offset, 0) << launch.what;
          EXPECT_LE((last + 1) * view.elementBytes, at(buffer.bytes, batch))
              << launch.what << " at batch " << batch;
        }
      }
    }
  }

  MLIRContext context;
};

TEST_F(GPUTargetTest, EveryOpPlanStaysInItsBuffers) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 15, 15]; classes = 7; }
cell c(nodes = 3) {
  edge 0 -> 1 : { p: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { m: avg_pool(kernel = 3); };
}
network n on d {
  conv(out = 8, kernel = 3, stride = 2) -> bn -> hswish;
  c;
  residual(shortcut = projection) { sep_conv(out = 16, kernel = 5, stride = 2) -> relu6; }
  residual { mbconv(kernel = 3, expand = 4, se = true) -> tanh; }
  conv(out = 16, kernel = 3, wbits = 8, abits = 8) -> bn -> relu;
  max_pool(kernel = 2, stride = 2);
  avg_pool(kernel = 2, stride = 1);
  global_max_pool;
  fc(out = classes);
}
)");
  ASSERT_TRUE(module);
  check(nasc::test::specOf(*module));
}

TEST_F(GPUTargetTest, RandomCandidatesPlansStayInTheirBuffers) {
  for (const char *file : {"nb201.nas", "fashion.nas"}) {
    OwningOpRef<ModuleOp> module = nasc::test::parseExample(context, file);
    ASSERT_TRUE(module);
    FailureOr<Space> space = Space::build(nasc::test::specOf(*module));
    ASSERT_TRUE(succeeded(space));
    Random random(7);
    for (int i = 0; i < 3; ++i) {
      Candidate candidate = space->sample(random);
      SCOPED_TRACE(std::string(file) + " " + space->encode(candidate));
      OwningOpRef<ModuleOp> concrete = space->materialize(candidate);
      check(nasc::test::specOf(*concrete));
    }
  }
}

// A convolution's kernel with tiles of 4 takes a quarter of the threads
// (its output's rows, 8, divide by 4); with tiles of 3, a third rounded up,
// and each thread computes 3 outputs. Pooling shares no load: one output a
// thread whatever the tile.
TEST_F(GPUTargetTest, ThreadTilesDivideTheThreadsOfKernelsThatShareLoads) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [3, 8, 8]; classes = 5; }
network n on d {
  conv(out = 16, kernel = 3) -> relu;
  max_pool(kernel = 2, stride = 2);
  global_avg_pool -> fc(out = classes);
}
)");
  ASSERT_TRUE(module);
  auto launches = [&](unsigned tile) {
    SeededWeights weights(1);
    CompileOptions options;
    options.threadTile = tile;
    llvm::Expected<Program> program =
        compileProgram(nasc::test::specOf(*module), weights, options);
    EXPECT_TRUE(bool(program)) << llvm::toString(program.takeError());
    return program ? program->launches : std::vector<Launch>();
  };
  auto find = [](const std::vector<Launch> &all, llvm::StringRef what) {
    for (const Launch &launch : all)
      if (llvm::StringRef(launch.what).contains(what))
        return launch;
    ADD_FAILURE() << "no launch of " << what.str();
    return Launch();
  };
  std::vector<Launch> one = launches(1), four = launches(4),
                      three = launches(3);
  Launch conv = find(one, "conv_2d");
  EXPECT_EQ(conv.outputsPerThread, 1u);
  EXPECT_EQ(conv.threads.perSample, 8 * 8 * 16);
  EXPECT_EQ(find(four, "conv_2d").outputsPerThread, 4u);
  EXPECT_EQ(find(four, "conv_2d").threads.perSample, 8 * 8 * 16 / 4);
  EXPECT_EQ(find(three, "conv_2d").outputsPerThread, 3u);
  EXPECT_EQ(find(three, "conv_2d").threads.perSample, 3 * 8 * 16);
  Launch pool = find(four, "pooling");
  EXPECT_EQ(pool.outputsPerThread, 1u);
  EXPECT_EQ(pool.threads, find(one, "pooling").threads);
}

TEST_F(GPUTargetTest, UnknownArchIsAnError) {
  OwningOpRef<ModuleOp> module = nasc::test::parseNas(context, R"(
dataset d { input = [2, 6, 6]; classes = 3; }
network n on d { conv(out = 4) -> relu; global_avg_pool -> fc(out = classes); }
)");
  ASSERT_TRUE(module);
  SeededWeights weights(1);
  CompileOptions options;
  options.arch = "sm_20";
  llvm::Expected<Program> program =
      compileProgram(nasc::test::specOf(*module), weights, options);
  ASSERT_FALSE(bool(program));
  EXPECT_NE(llvm::toString(program.takeError()).find("unknown GPU 'sm_20'"),
            std::string::npos);
}

} // namespace
