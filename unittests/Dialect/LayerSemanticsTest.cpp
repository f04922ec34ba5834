//===- LayerSemanticsTest.cpp - The one definition of each layer ----------===//
//
// Decomposes layers with a builder that records the primitives as text, as
// every consumer (costs, LibTorch, linalg) receives them: order, shapes,
// groups, bias, bits and which values they read.
//
//===----------------------------------------------------------------------===//

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

namespace {

/// Records "%k = prim(args) : shape" lines; value %0 is the layer's input.
struct RecordingBuilder {
  struct Value {
    TensorShape shape;
    int index = 0;
  };
  std::vector<std::string> lines;
  std::string error;

  /// The input channels of the calls around the layer.
  std::vector<int64_t> scopes;
  TensorShape getShape(const Value &x) const { return x.shape; }
  ArrayRef<int64_t> getScopeInputs() const { return scopes; }
  int64_t getInt(Operation *op, StringRef name, int64_t defaultValue) {
    return getIntParam(op->getAttr(name), scopes, defaultValue);
  }
  int64_t getBits(Operation *op, StringRef name) {
    return getBitWidth(op, name, CompressOp());
  }
  FailureOr<int64_t> getWidth(Operation *op, int64_t defaultWidth, int64_t) {
    return getInt(op, "out", defaultWidth);
  }
  LogicalResult fail(Operation *, const Twine &message) {
    error = message.str();
    return failure();
  }
  Value emit(const std::string &text, const TensorShape &shape) {
    lines.push_back("%" + std::to_string(lines.size() + 1) + " = " + text +
                    " : " + shape.str());
    return {shape, int(lines.size())};
  }
  static std::string ref(const Value &x) {
    return "%" + std::to_string(x.index);
  }
  FailureOr<Value> conv(const Value &x, const ConvSpec &c) {
    std::string text = "conv(" + ref(x) + ") k" + std::to_string(c.kernel) +
                       " s" + std::to_string(c.stride) + " g" +
                       std::to_string(c.groups) + (c.bias ? " bias" : "") +
                       " w" + std::to_string(c.wbits) + "a" +
                       std::to_string(c.abits);
    return emit(text, getConvShape(x.shape, c));
  }
  FailureOr<Value> batchNorm(const Value &x) {
    return emit("bn(" + ref(x) + ")", x.shape);
  }
  FailureOr<Value> activation(const Value &x, ActKind kind) {
    return emit(stringifyActKind(kind).str() + "(" + ref(x) + ")", x.shape);
  }
  FailureOr<Value> hardSigmoid(const Value &x) {
    return emit("hard_sigmoid(" + ref(x) + ")", x.shape);
  }
  FailureOr<Value> pool(const Value &x, PoolKind kind, int64_t kernel,
                        int64_t stride) {
    return emit(stringifyPoolKind(kind).str() + "_pool(" + ref(x) + ") k" +
                    std::to_string(kernel) + " s" + std::to_string(stride),
                getPoolShape(x.shape, stride));
  }
  FailureOr<Value> globalPool(const Value &x, PoolKind kind) {
    return emit("global_" + stringifyPoolKind(kind).str() + "_pool(" + ref(x) +
                    ")",
                TensorShape::image(x.shape.channels, 1, 1));
  }
  FailureOr<Value> linear(const Value &x, const LinearSpec &l) {
    return emit("linear(" + ref(x) + ") w" + std::to_string(l.wbits) + "a" +
                    std::to_string(l.abits),
                TensorShape::flat(l.out));
  }
  FailureOr<Value> add(const Value &a, const Value &b) {
    return emit("add(" + ref(a) + ", " + ref(b) + ")", a.shape);
  }
  FailureOr<Value> scaleChannels(const Value &x, const Value &gate) {
    return emit("scale(" + ref(x) + ", " + ref(gate) + ")", x.shape);
  }
  FailureOr<Value> zeros(const Value &x) {
    return emit("zeros(" + ref(x) + ")", x.shape);
  }
  FailureOr<Value> shuffle(const Value &x, int64_t groups) {
    return emit("shuffle(" + ref(x) + ") g" + std::to_string(groups), x.shape);
  }
};

class LayerSemanticsTest : public ::testing::Test {
protected:
  LayerSemanticsTest() { context.loadDialect<NASDialect>(); }

  /// Decomposes the first layer of `layers` (nas ops of a network) on an
  /// input of `in`; the recorded program, one line per primitive, then
  /// "-> %k" for the result, or "error: ..." on failure.
  std::string decompose(StringRef layers, TensorShape in,
                        std::vector<int64_t> scopes = {}) {
    std::string source = R"mlir(nas.spec @s {
      nas.dataset @d input [3, 8, 8] classes 10
      nas.network @net on @d {
      )mlir" + layers.str() +
                         "\n}\n}";
    // Unverified: the definition's own checks are under test, including
    // those the verifier would run first.
    ParserConfig config(&context, /*verifyAfterParse=*/false);
    module = parseSourceString<ModuleOp>(source, config);
    if (!module)
      return "parse error";
    SpecOp spec = *module->getOps<SpecOp>().begin();
    Operation *op = &spec.getNetwork().getBodyBlock().front();
    RecordingBuilder builder;
    builder.scopes = std::move(scopes);
    FailureOr<RecordingBuilder::Value> out =
        buildLayer(builder, op, RecordingBuilder::Value{in, 0});
    if (failed(out))
      return "error: " + builder.error;
    return llvm::join(builder.lines, "\n") + "\n-> %" +
           std::to_string(out->index);
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(LayerSemanticsTest, MBConvIsMobileNetV2WithSqueezeExciteAndResidual) {
  EXPECT_EQ(decompose("nas.mbconv {expand = 4 : i64, out = 8 : i64, "
                      "wbits = 4 : i64, abits = 8 : i64, se}",
                      TensorShape::image(8, 6, 6)),
            "%1 = conv(%0) k1 s1 g1 w4a8 : [32, 6, 6]\n"
            "%2 = bn(%1) : [32, 6, 6]\n"
            "%3 = relu6(%2) : [32, 6, 6]\n"
            "%4 = conv(%3) k3 s1 g32 w4a8 : [32, 6, 6]\n"
            "%5 = bn(%4) : [32, 6, 6]\n"
            "%6 = relu6(%5) : [32, 6, 6]\n"
            // Squeeze-and-excitation at full precision, 32 / 4 channels.
            "%7 = global_avg_pool(%6) : [32, 1, 1]\n"
            "%8 = conv(%7) k1 s1 g1 bias w32a32 : [8, 1, 1]\n"
            "%9 = relu(%8) : [8, 1, 1]\n"
            "%10 = conv(%9) k1 s1 g1 bias w32a32 : [32, 1, 1]\n"
            "%11 = hard_sigmoid(%10) : [32, 1, 1]\n"
            "%12 = scale(%6, %11) : [32, 6, 6]\n"
            "%13 = conv(%12) k1 s1 g1 w4a8 : [8, 6, 6]\n"
            "%14 = bn(%13) : [8, 6, 6]\n"
            // The shape is kept: the input is added.
            "%15 = add(%14, %0) : [8, 6, 6]\n"
            "-> %15");
}

TEST_F(LayerSemanticsTest, StridedMBConvWithoutExpansionHasNoResidual) {
  EXPECT_EQ(decompose("nas.mbconv {expand = 1 : i64, out = 16 : i64, "
                      "kernel = 5 : i64, stride = 2 : i64}",
                      TensorShape::image(8, 7, 7)),
            "%1 = conv(%0) k5 s2 g8 w32a32 : [8, 4, 4]\n"
            "%2 = bn(%1) : [8, 4, 4]\n"
            "%3 = relu6(%2) : [8, 4, 4]\n"
            "%4 = conv(%3) k1 s1 g1 w32a32 : [16, 4, 4]\n"
            "%5 = bn(%4) : [16, 4, 4]\n"
            "-> %5");
}

TEST_F(LayerSemanticsTest, SepConvIsDepthwiseThenPointwise) {
  EXPECT_EQ(decompose("nas.sep_conv {out = 6 : i64, stride = 2 : i64}",
                      TensorShape::image(4, 8, 8)),
            "%1 = conv(%0) k3 s2 g4 w32a32 : [4, 4, 4]\n"
            "%2 = bn(%1) : [4, 4, 4]\n"
            "%3 = relu(%2) : [4, 4, 4]\n"
            "%4 = conv(%3) k1 s1 g1 w32a32 : [6, 4, 4]\n"
            "%5 = bn(%4) : [6, 4, 4]\n"
            "-> %5");
}

TEST_F(LayerSemanticsTest, IdentityIsTheInputOrAQuantizedProjection) {
  EXPECT_EQ(decompose("nas.identity", TensorShape::image(4, 8, 8)), "\n-> %0");
  EXPECT_EQ(decompose("nas.identity {out = 8 : i64, stride = 2 : i64, "
                      "wbits = 4 : i64}",
                      TensorShape::image(4, 8, 8)),
            "%1 = conv(%0) k1 s2 g1 w4a32 : [8, 4, 4]\n"
            "%2 = bn(%1) : [8, 4, 4]\n"
            "-> %2");
}

TEST_F(LayerSemanticsTest, FCFlattensItsInput) {
  EXPECT_EQ(decompose("nas.fc {out = 10 : i64}", TensorShape::image(4, 2, 2)),
            "%1 = linear(%0) w32a32 : [10]\n-> %1");
}

TEST_F(LayerSemanticsTest, ErrorsNameTheReason) {
  EXPECT_EQ(decompose("nas.conv {out = 8 : i64, groups = 4 : i64}",
                      TensorShape::image(6, 4, 4)),
            "error: groups 4 do not divide its 6 input channels");
  EXPECT_EQ(decompose("nas.conv {out = 6 : i64}", TensorShape::flat(16)),
            "error: needs a [C, H, W] input, but its input is the flat [16]");
}

TEST_F(LayerSemanticsTest, DepthwiseConvHasOneGroupPerChannel) {
  EXPECT_EQ(decompose("nas.conv {depthwise, kernel = 5 : i64, stride = 2 : i64}",
                      TensorShape::image(12, 7, 7)),
            "%1 = conv(%0) k5 s2 g12 w32a32 : [12, 4, 4]\n-> %1");
  // A channel multiplier: out a multiple of the input channels.
  EXPECT_EQ(decompose("nas.conv {depthwise, out = 24 : i64}",
                      TensorShape::image(12, 4, 4)),
            "%1 = conv(%0) k3 s1 g12 w32a32 : [24, 4, 4]\n-> %1");
}

TEST_F(LayerSemanticsTest, ShuffleMovesChannelsOnlyWithGroups) {
  EXPECT_EQ(decompose("nas.shuffle {groups = 2 : i64}",
                      TensorShape::image(8, 4, 4)),
            "%1 = shuffle(%0) g2 : [8, 4, 4]\n-> %1");
  EXPECT_EQ(decompose("nas.shuffle {groups = 1 : i64}",
                      TensorShape::image(8, 4, 4)),
            "\n-> %0");
  EXPECT_EQ(decompose("nas.shuffle {groups = 3 : i64}",
                      TensorShape::image(8, 4, 4)),
            "error: groups 3 do not divide its 8 channels");
}

TEST_F(LayerSemanticsTest, SqueezeExciteTakesItsBottleneck) {
  EXPECT_EQ(decompose("nas.se {squeeze = 8 : i64}", TensorShape::image(24, 5, 5)),
            "%1 = global_avg_pool(%0) : [24, 1, 1]\n"
            "%2 = conv(%1) k1 s1 g1 bias w32a32 : [8, 1, 1]\n"
            "%3 = relu(%2) : [8, 1, 1]\n"
            "%4 = conv(%3) k1 s1 g1 bias w32a32 : [24, 1, 1]\n"
            "%5 = hard_sigmoid(%4) : [24, 1, 1]\n"
            "%6 = scale(%0, %5) : [24, 5, 5]\n"
            "-> %6");
}

TEST_F(LayerSemanticsTest, ExpressionsReadTheInputsOfTheirCalls) {
  // in = 16 (innermost call), in^1 = 24 (the call around it).
  EXPECT_EQ(decompose("nas.conv {kernel = 1 : i64, out = #nas.expr<\"in * 6 / 4\">, "
                      "groups = #nas.expr<\"in^1 / 12\">}",
                      TensorShape::image(16, 4, 4), {24, 16}),
            "%1 = conv(%0) k1 s1 g2 w32a32 : [24, 4, 4]\n-> %1");
  EXPECT_EQ(decompose("nas.conv {out = #nas.expr<\"in / 3\">}",
                      TensorShape::image(16, 4, 4), {16}),
            "error: 'out = in / 3' with in = 16 is 16/3, not an integer");
  EXPECT_EQ(decompose("nas.conv {out = #nas.expr<\"in - 16\">}",
                      TensorShape::image(16, 4, 4), {16}),
            "error: 'out = in - 16' with in = 16 is 0; it must be at least 1");
}

TEST(SamePaddingTest, OddPixelGoesAfter) {
  // 8 -> 4 with a 3x3 window: one pixel of padding, at the bottom/right.
  SamePadding even = getSamePadding(TensorShape::image(1, 8, 8), 3, 2);
  EXPECT_EQ(even.top, 0);
  EXPECT_EQ(even.bottom, 1);
  EXPECT_FALSE(even.isSymmetric());
  SamePadding odd = getSamePadding(TensorShape::image(1, 7, 9), 3, 2);
  EXPECT_EQ(odd.top, 1);
  EXPECT_EQ(odd.bottom, 1);
  EXPECT_EQ(odd.left, 1);
  EXPECT_TRUE(odd.isSymmetric());
}

TEST(ShortcutStrideTest, SmallestStrideReachingTheBodyShape) {
  EXPECT_EQ(getShortcutStride(TensorShape::image(4, 32, 32),
                              TensorShape::image(8, 16, 16)),
            2);
  EXPECT_EQ(getShortcutStride(TensorShape::image(4, 32, 32),
                              TensorShape::image(8, 8, 8)),
            4);
  // Non-square: the width decides.
  EXPECT_EQ(getShortcutStride(TensorShape::image(4, 2, 16),
                              TensorShape::image(8, 1, 4)),
            4);
  EXPECT_EQ(getShortcutStride(TensorShape::image(4, 8, 8),
                              TensorShape::image(8, 8, 8)),
            1);
}

} // namespace
