//===- CostsTest.cpp - Tests of the cost analysis API ---------------------===//
//
// Parses small concrete specs and checks CostAnalysis's records and totals
// through the C++ API: shapes, per-layer numbers, lookup by path, bit
// widths, the analysis-manager entry point, saturation and failures.
//
//===----------------------------------------------------------------------===//

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/AnalysisManager.h"

#include "gtest/gtest.h"

#include <limits>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

namespace {

class CostsTest : public ::testing::Test {
protected:
  CostsTest()
      : handler(&context, [this](Diagnostic &diag) {
          errors.push_back(diag.str());
          return success();
        }) {
    context.loadDialect<NASDialect>();
  }

  /// Parses `source` (verified) and returns its only nas.spec.
  SpecOp parse(StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module) << (errors.empty() ? "" : errors.front());
    if (!module)
      return {};
    return *module->getOps<SpecOp>().begin();
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler;
  std::vector<std::string> errors;
  OwningOpRef<ModuleOp> module;
};

// A small ResNet-like network: stem, projection residual, head.
constexpr const char *kResNet = R"mlir(
nas.spec @resnet {
  nas.dataset @d input [3, 16, 16] classes 10
  nas.network @net on @d {
    nas.block "stem" {
      nas.conv {kernel = 3 : i64, out = 8 : i64}
      nas.bn
      nas.act relu
    }
    nas.residual projection attributes {name = "down"} {
      nas.conv {kernel = 3 : i64, out = 16 : i64, stride = 2 : i64}
      nas.bn
    }
    nas.block "head" {
      nas.global_pool avg
      nas.fc {out = 10 : i64}
    }
  }
}
)mlir";

TEST_F(CostsTest, ResNetLayers) {
  SpecOp spec = parse(kResNet);
  ASSERT_TRUE(spec);
  CostAnalysis costs(spec);
  ASSERT_FALSE(costs.failed());
  EXPECT_TRUE(errors.empty());

  EXPECT_EQ(costs.getSpecName(), "resnet");
  EXPECT_EQ(costs.getInputShape(), TensorShape::image(3, 16, 16));
  EXPECT_EQ(costs.getOutputShape(), TensorShape::flat(10));
  EXPECT_EQ(costs.getOutputShape().str(), "[10]");

  // stem, bn, relu, body conv, body bn, shortcut, add, pool, fc.
  ASSERT_EQ(costs.getLayers().size(), 9u);

  // Stem: 3x3, 3 -> 8 at 16x16 = 27*8*256 MACs.
  const LayerCost *stem = costs.lookup("stem/conv");
  ASSERT_TRUE(stem);
  EXPECT_EQ(stem->kind, CostKind::Layer);
  EXPECT_TRUE(isa<ConvOp>(stem->op));
  EXPECT_EQ(stem->output, TensorShape::image(8, 16, 16));
  EXPECT_EQ(stem->macs, 55296u);
  EXPECT_EQ(stem->flops, 110592u);
  EXPECT_EQ(stem->params, 216u);
  EXPECT_EQ(stem->bops, 55296u * 32 * 32);
  EXPECT_EQ(stem->getModelBytes(), 864u);
  EXPECT_EQ(stem->activationBytes, 8u * 256 * 4);

  // Body conv: 3x3, 8 -> 16, stride 2 -> 8x8: 9*8*16*64.
  const LayerCost *body = costs.lookup("down/conv");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->input, TensorShape::image(8, 16, 16));
  EXPECT_EQ(body->output, TensorShape::image(16, 8, 8));
  EXPECT_EQ(body->macs, 73728u);

  // Projection shortcut: 1x1, stride 2, 8 -> 16 at 8x8, then BN(16).
  const LayerCost *shortcut = costs.lookup("down/shortcut");
  ASSERT_TRUE(shortcut);
  EXPECT_EQ(shortcut->kind, CostKind::Shortcut);
  EXPECT_TRUE(isa<ResidualOp>(shortcut->op));
  EXPECT_EQ(shortcut->macs, 8u * 16 * 64);
  EXPECT_EQ(shortcut->params, 8u * 16 + 2 * 16);
  EXPECT_EQ(shortcut->flops, 2u * 8 * 16 * 64 + 2 * 16 * 64);

  const LayerCost *add = costs.lookup("down/add");
  ASSERT_TRUE(add);
  EXPECT_EQ(add->kind, CostKind::Add);
  EXPECT_EQ(add->macs, 0u);
  EXPECT_EQ(add->flops, 16u * 64);

  // fc 16 -> 10: 160 + 10 MACs and params, (2*16 - 1)*10 FLOPs.
  const LayerCost *fc = costs.lookup("head/fc");
  ASSERT_TRUE(fc);
  EXPECT_EQ(fc->macs, 170u);
  EXPECT_EQ(fc->params, 170u);
  EXPECT_EQ(fc->flops, 310u);

  EXPECT_EQ(costs.lookup("no/such/layer"), nullptr);

  // Totals are the sums of the records.
  const CostTotals &totals = costs.getTotals();
  uint64_t macs = 0, params = 0, flops = 0;
  for (const LayerCost &layer : costs.getLayers()) {
    macs += layer.macs;
    params += layer.params;
    flops += layer.flops;
  }
  EXPECT_EQ(totals.macs, macs);
  EXPECT_EQ(totals.params, params);
  EXPECT_EQ(totals.flops, flops);
  EXPECT_EQ(totals.macs, 55296u + 73728 + 8192 + 170);
  EXPECT_EQ(totals.modelBytes, totals.params * 4);
  EXPECT_EQ(totals.bops, totals.macs * 32 * 32);
  // The stem's input (3 KiB) and conv output (8 KiB) are the least; the
  // largest live set is at the stem's BN and ReLU: 2 x 8 KiB.
  EXPECT_EQ(totals.peakMemoryBytes, 16384u);
}

TEST_F(CostsTest, ThroughAnalysisManager) {
  SpecOp spec = parse(kResNet);
  ASSERT_TRUE(spec);
  ModuleAnalysisManager moduleAnalyses(*module, /*passInstrumentor=*/nullptr);
  AnalysisManager analyses = moduleAnalyses;
  auto &costs = analyses.getChildAnalysis<CostAnalysis>(spec);
  ASSERT_FALSE(costs.failed());
  EXPECT_EQ(costs.getTotals().params, CostAnalysis(spec).getTotals().params);
  // Cached: the same object the second time.
  EXPECT_EQ(&analyses.getChildAnalysis<CostAnalysis>(spec), &costs);
}

/// A totals-only analysis must agree with the full one on every figure.
static void expectSameResults(const CostAnalysis &full,
                              const CostAnalysis &fast) {
  const CostTotals &a = full.getTotals(), &b = fast.getTotals();
  EXPECT_EQ(a.macs, b.macs);
  EXPECT_EQ(a.flops, b.flops);
  EXPECT_EQ(a.params, b.params);
  EXPECT_EQ(a.modelBytes, b.modelBytes);
  EXPECT_EQ(a.bops, b.bops);
  EXPECT_EQ(a.activationBytes, b.activationBytes);
  EXPECT_EQ(a.peakMemoryBytes, b.peakMemoryBytes);
  EXPECT_EQ(fast.getOutputShape(), full.getOutputShape());
}

TEST_F(CostsTest, TotalsOnly) {
  SpecOp spec = parse(kResNet);
  ASSERT_TRUE(spec);
  CostAnalysis full(spec);
  CostAnalysis fast(spec, CostOptions{/*keepLayers=*/false});
  ASSERT_FALSE(fast.failed());
  EXPECT_TRUE(fast.getLayers().empty());
  expectSameResults(full, fast);
}

TEST_F(CostsTest, ReplayedCellsMatchAnalysedOnes) {
  // Totals-only analysis replays a cell's trace for later uses at the same
  // input shape; every figure, peak memory included, must equal the full
  // analysis that walks each use. Two cells (last and concat), each used
  // several times at two shapes, a residual and a reduction between.
  SpecOp spec = parse(R"mlir(
nas.spec @cells {
  nas.dataset @d input [3, 16, 16] classes 10
  nas.cell @sum nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "c" { nas.act relu nas.conv {kernel = 3} nas.bn } }
    nas.edge 0 -> 2 { nas.option "s" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "p" { nas.pool avg {kernel = 3} } }
    nas.edge 0 -> 3 { nas.option "z" { nas.zero } }
    nas.edge 1 -> 3 { nas.option "c" { nas.conv {kernel = 1} } }
    nas.edge 2 -> 3 { nas.option "s" { nas.identity } }
  }
  nas.cell @cat nodes 3 inputs 1 output concat {
    nas.edge 0 -> 1 { nas.option "c" { nas.conv {kernel = 3} } }
    nas.edge 0 -> 2 { nas.option "s" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "c" { nas.conv {kernel = 1} } }
  }
  nas.network @n on @d {
    nas.conv {out = 8}
    nas.cell_ref @sum
    nas.cell_ref @sum
    // A replayed use is the peak: two residual inputs stay live around it.
    nas.residual identity {
      nas.residual identity { nas.conv {out = 8} nas.cell_ref @sum }
    }
    nas.residual avgpool_conv { nas.conv {out = 16, stride = 2} }
    nas.cell_ref @sum
    nas.cell_ref @sum
    nas.cell_ref @cat
    nas.conv {out = 16, kernel = 1}
    nas.cell_ref @cat
    nas.global_pool avg
    nas.fc {out = 10}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  CostAnalysis full(spec);
  CostAnalysis fast(spec, CostOptions{/*keepLayers=*/false});
  ASSERT_FALSE(full.failed());
  ASSERT_FALSE(fast.failed());
  expectSameResults(full, fast);
}

TEST_F(CostsTest, MBConvAndBits) {
  SpecOp spec = parse(R"mlir(
nas.spec @mb {
  nas.dataset @d input [8, 8, 8] classes 10
  nas.network @net on @d {
    nas.mbconv {expand = 1 : i64, out = 8 : i64}
    nas.mbconv {kernel = 5 : i64, out = 16 : i64, stride = 2 : i64, wbits = 4 : i64, abits = 8 : i64}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  CostAnalysis costs(spec);
  ASSERT_FALSE(costs.failed());
  ArrayRef<LayerCost> layers = costs.getLayers();
  ASSERT_EQ(layers.size(), 2u);

  // expand 1: depthwise 9*8*64 + project 8*8*64; residual add kept.
  EXPECT_EQ(layers[0].path, "mbconv#0");
  EXPECT_EQ(layers[0].macs, 4608u + 4096);
  EXPECT_EQ(layers[0].params, 72u + 16 + 64 + 16);
  EXPECT_EQ(layers[0].flops, 20480u);

  // expand 6: 8 -> 48 (8x8), depthwise 5x5 stride 2 (4x4), 48 -> 16 (4x4).
  EXPECT_EQ(layers[1].output, TensorShape::image(16, 4, 4));
  EXPECT_EQ(layers[1].macs, 24576u + 19200 + 12288);
  EXPECT_EQ(layers[1].params, 2576u);
  EXPECT_EQ(layers[1].weightBits, 4u);
  EXPECT_EQ(layers[1].activationBits, 8u);
  EXPECT_EQ(layers[1].getModelBytes(), 2576u * 4 / 8);
  EXPECT_EQ(layers[1].bops, layers[1].macs * 4 * 8);
  EXPECT_EQ(costs.getTotals().modelBytes, 168u * 4 + 2576u / 2);
}

TEST_F(CostsTest, OverflowIsAnErrorAtTheLayer) {
  SpecOp spec = parse(R"mlir(
nas.spec @huge {
  nas.dataset @d input [1000000, 1000000, 1000000] classes 10
  nas.network @net on @d {
    nas.conv {out = 1000000 : i64}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  // 9 * 10^30 MACs: never a saturated count, an error at the conv.
  CostAnalysis costs(spec);
  EXPECT_TRUE(costs.failed());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front().rfind("'nas.conv' op has costs past 64-bit counts",
                                 0),
            0u)
      << errors.front();
}

TEST_F(CostsTest, LargestCountsThatFitAreExact) {
  SpecOp spec = parse(R"mlir(
nas.spec @large {
  nas.dataset @d input [1000000, 1000, 1000] classes 10
  nas.network @net on @d {
    nas.conv {out = 1000 : i64, kernel = 1 : i64}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  CostAnalysis costs(spec);
  ASSERT_FALSE(costs.failed());
  EXPECT_TRUE(errors.empty());
  // 10^6 x 10^3 weights at 10^6 pixels: 10^15 MACs, and exact BOPs.
  EXPECT_EQ(costs.getTotals().macs, 1000000000000000u);
  EXPECT_EQ(costs.getTotals().bops, 1000000000000000u * 32 * 32);
  EXPECT_EQ(costs.getTotals().params, 1000000000u);
}

TEST_F(CostsTest, ShapeErrorFails) {
  SpecOp spec = parse(R"mlir(
nas.spec @bad {
  nas.dataset @d input [6, 8, 8] classes 10
  nas.network @net on @d {
    nas.mbconv {groups = 4 : i64, out = 8 : i64}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  ASSERT_TRUE(errors.empty());
  CostAnalysis costs(spec);
  EXPECT_TRUE(costs.failed());
  EXPECT_TRUE(mlir::failed(costs.getStatus()));
  EXPECT_TRUE(costs.getLayers().empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.front(), "'nas.mbconv' op groups 4 do not divide its 6 "
                            "input channels");
}

TEST_F(CostsTest, NotConcreteFails) {
  SpecOp spec = parse(R"mlir(
nas.spec @space {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {out = #nas.range<8, 16, 8>}
  }
}
)mlir");
  ASSERT_TRUE(spec);
  CostAnalysis costs(spec);
  EXPECT_TRUE(costs.failed());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors.front().find("has a searched 'out'"), std::string::npos);
}

} // namespace
