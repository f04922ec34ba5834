//===- NASAttrsTest.cpp - Tests of the nas attributes and verifiers -------===//
//
// Builds attributes through getChecked, as the front end does, and checks
// the verifiers reject malformed ones with a diagnostic; then parses small
// specs and checks whole-op verification.
//
//===----------------------------------------------------------------------===//

#include "nasc/Dialect/NAS/IR/NASAttrs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace nasc::nas;

namespace {

/// A context with the nas dialect that records every error diagnostic
/// instead of printing it.
class NASTest : public ::testing::Test {
protected:
  NASTest()
      : builder(&context), handler(&context, [this](Diagnostic &diag) {
          errors.push_back(diag.str());
          return success();
        }) {
    context.loadDialect<NASDialect>();
  }

  /// getChecked's error callback: diagnostics go to the handler above.
  function_ref<InFlightDiagnostic()> emitError() { return emitErrorFn; }

  /// The only error recorded so far ("" when none or several), then clears.
  std::string takeError() {
    std::string error = errors.size() == 1 ? errors.front() : "";
    errors.clear();
    return error;
  }

  ArrayAttr array(ArrayRef<Attribute> elements) {
    return builder.getArrayAttr(elements);
  }

  Attribute i64(int64_t value) { return builder.getI64IntegerAttr(value); }

  /// Takes int64_t so that StorageUserBase's variadic getChecked, which
  /// would forward int literals as int, is not picked over the generated one.
  RangeAttr range(int64_t lo, int64_t hi, int64_t step) {
    return RangeAttr::getChecked(emitError(), &context, lo, hi, step);
  }

  QuantityAttr quantity(double value, StringRef unit) {
    return QuantityAttr::getChecked(emitError(), &context, llvm::APFloat(value),
                                    builder.getStringAttr(unit));
  }

  OwningOpRef<ModuleOp> parse(StringRef source) {
    return parseSourceString<ModuleOp>(source, &context);
  }

  MLIRContext context;
  Builder builder;
  std::vector<std::string> errors;
  ScopedDiagnosticHandler handler;
  std::function<InFlightDiagnostic()> emitErrorFn = [this] {
    return mlir::emitError(UnknownLoc::get(&context));
  };
};

//===----------------------------------------------------------------------===//
// ChoiceAttr
//===----------------------------------------------------------------------===//

TEST_F(NASTest, ChoiceAcceptsOneKindOfAlternative) {
  ChoiceAttr ints =
      ChoiceAttr::getChecked(emitError(), &context, array({i64(3), i64(5)}));
  ASSERT_TRUE(ints);
  EXPECT_EQ(ints.size(), 2u);
  EXPECT_TRUE(ChoiceAttr::getChecked(
      emitError(), &context,
      array({builder.getF64FloatAttr(0.0), builder.getF64FloatAttr(0.5)})));
  EXPECT_TRUE(ChoiceAttr::getChecked(
      emitError(), &context,
      array({builder.getStringAttr("ws"), builder.getStringAttr("os")})));
  EXPECT_TRUE(ChoiceAttr::getChecked(
      emitError(), &context,
      array({quantity(1.0, "GHz"), quantity(500.0, "MHz")})));
  // A single alternative is a fixed value written as a choice: allowed.
  EXPECT_TRUE(ChoiceAttr::getChecked(emitError(), &context, array({i64(7)})));
  EXPECT_TRUE(errors.empty());
}

TEST_F(NASTest, ChoiceRejectsEmptyMixedAndDuplicate) {
  EXPECT_FALSE(ChoiceAttr::getChecked(emitError(), &context, array({})));
  EXPECT_EQ(takeError(), "a choice needs at least one alternative");

  EXPECT_FALSE(ChoiceAttr::getChecked(
      emitError(), &context, array({i64(3), builder.getF64FloatAttr(5.0)})));
  EXPECT_EQ(takeError(), "choice mixes integer and float alternatives");

  EXPECT_FALSE(ChoiceAttr::getChecked(
      emitError(), &context,
      array({builder.getStringAttr("a"), builder.getBoolAttr(true)})));
  EXPECT_EQ(takeError(), "choice mixes string and boolean alternatives");

  EXPECT_FALSE(ChoiceAttr::getChecked(emitError(), &context,
                                      array({i64(3), i64(5), i64(3)})));
  EXPECT_EQ(takeError(), "choice lists 3 twice");
}

TEST_F(NASTest, ChoiceRejectsNonScalarAlternatives) {
  EXPECT_FALSE(
      ChoiceAttr::getChecked(emitError(), &context, array({array({i64(3)})})));
  EXPECT_EQ(takeError(),
            "choice alternative [3] is not an integer, float, string or "
            "quantity");
  EXPECT_FALSE(ChoiceAttr::getChecked(emitError(), &context,
                                      array({builder.getUnitAttr()})));
  EXPECT_EQ(takeError(),
            "choice alternative unit is not an integer, float, string or "
            "quantity");
}

//===----------------------------------------------------------------------===//
// RangeAttr
//===----------------------------------------------------------------------===//

TEST_F(NASTest, RangeSize) {
  auto size = [&](int64_t lo, int64_t hi, int64_t step) -> uint64_t {
    RangeAttr attr = range(lo, hi, step);
    EXPECT_TRUE(attr) << lo << ".." << hi << " step " << step;
    return attr ? attr.size() : 0;
  };
  EXPECT_EQ(size(16, 64, 16), 4u);
  EXPECT_EQ(size(2, 8, 2), 4u);
  EXPECT_EQ(size(1, 3, 1), 3u);
  EXPECT_EQ(size(5, 5, 1), 1u);
  EXPECT_EQ(size(5, 5, 7), 1u);
  EXPECT_EQ(size(-4, 4, 4), 3u);
  EXPECT_TRUE(errors.empty());
}

TEST_F(NASTest, RangeRejectsBadBounds) {
  EXPECT_FALSE(range(1, 4, 0));
  EXPECT_EQ(takeError(), "range step must be positive, got 0");
  EXPECT_FALSE(range(1, 4, -1));
  EXPECT_EQ(takeError(), "range step must be positive, got -1");
  EXPECT_FALSE(range(8, 2, 2));
  EXPECT_EQ(takeError(), "range is empty: 8 > 2");
  EXPECT_FALSE(range(16, 64, 20));
  EXPECT_EQ(takeError(),
            "range 16..64 step 20 does not end on its upper bound");
}

//===----------------------------------------------------------------------===//
// QuantityAttr
//===----------------------------------------------------------------------===//

TEST_F(NASTest, QuantityBaseValue) {
  struct {
    double value;
    const char *unit;
    double base;
  } cases[] = {{5.0, "ms", 5e-3},       {1.3, "TFLOPS", 1.3e12},
               {1.0, "MiB", 1048576.0}, {90.0, "%", 0.9},
               {3.0, "M", 3e6},         {250.0, "mW", 0.25},
               {42.0, "", 42.0}};
  for (auto c : cases) {
    QuantityAttr q = quantity(c.value, c.unit);
    ASSERT_TRUE(q) << c.unit;
    // The number stays as written; only the base value is scaled.
    EXPECT_DOUBLE_EQ(q.getNumber(), c.value) << c.unit;
    EXPECT_EQ(q.getUnit().getValue(), c.unit);
    EXPECT_DOUBLE_EQ(q.getBaseValue(), c.base) << c.unit;
  }
  // Equal physical values in different units compare equal in base units.
  EXPECT_DOUBLE_EQ(quantity(5.0, "ms").getBaseValue(),
                   quantity(0.005, "s").getBaseValue());
  EXPECT_NE(quantity(5.0, "ms"), quantity(0.005, "s"));
}

TEST_F(NASTest, QuantityRejectsUnknownOrMissingUnit) {
  EXPECT_FALSE(quantity(1.0, "parsec"));
  EXPECT_EQ(takeError(), "unknown unit 'parsec'");
  EXPECT_FALSE(QuantityAttr::getChecked(emitError(), &context,
                                        llvm::APFloat(1.0), StringAttr()));
  EXPECT_EQ(takeError(), "quantity needs a unit string (\"\" for none)");
}

TEST_F(NASTest, AttributesPrintAndParseBack) {
  for (StringRef text :
       {"#nas.quantity<5.000000e+00 \"ms\">", "#nas.range<16, 64, 16>",
        "#nas.choice<[3, 5, 7]>", "#nas.choice<[\"ws\", \"os\"]>",
        "#nas.choice<[#nas.quantity<1.000000e+00 \"GHz\">]>"}) {
    Attribute attr = parseAttribute(text, &context);
    ASSERT_TRUE(attr) << text.str();
    std::string printed;
    llvm::raw_string_ostream os(printed);
    attr.print(os);
    EXPECT_EQ(printed, text.str());
  }
  Attribute parsed = parseAttribute("#nas.quantity<1.5 \"GB/s\">", &context);
  ASSERT_TRUE(isa_and_nonnull<QuantityAttr>(parsed));
  EXPECT_DOUBLE_EQ(cast<QuantityAttr>(parsed).getBaseValue(), 1.5e9);
  // The parser runs the same verifier as getChecked.
  EXPECT_FALSE(parseAttribute("#nas.range<1, 4, 2>", &context));
  EXPECT_NE(errors.back().find("does not end on its upper bound"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Operations
//===----------------------------------------------------------------------===//

constexpr StringLiteral kValidSpec = R"mlir(
  nas.spec @s {
    nas.dataset @d input [3, 32, 32] classes 10
    nas.target @gpu gpu {props = {peak_compute = #nas.quantity<1.3 "TFLOPS">}}
    nas.network @net on @d {
      nas.conv {out = 16, kernel = #nas.choice<[3, 5]>}
      nas.global_pool avg
      nas.fc {out = 10}
    }
    nas.objectives pareto {
      nas.objective maximize accuracy
      nas.objective minimize latency on @gpu
    }
    nas.constraint latency on @gpu lt <5.0 "ms">
  }
)mlir";

TEST_F(NASTest, ParsesAndVerifiesSpec) {
  OwningOpRef<ModuleOp> module = parse(kValidSpec);
  ASSERT_TRUE(module) << (errors.empty() ? "" : errors.front());
  EXPECT_TRUE(succeeded(verify(*module)));
  auto specs = module->getOps<SpecOp>();
  ASSERT_EQ(std::distance(specs.begin(), specs.end()), 1);
  SpecOp spec = *specs.begin();
  EXPECT_EQ(spec.getSymName(), "s");
  EXPECT_EQ(spec.getNetwork().getSymName(), "net");
  EXPECT_EQ(spec.getNetwork().getDataset(), "d");
  auto constraint = *spec.getBodyBlock().getOps<ConstraintOp>().begin();
  EXPECT_EQ(constraint.getCmp(), Comparison::lt);
  EXPECT_DOUBLE_EQ(constraint.getBound().getBaseValue(), 5e-3);
}

TEST_F(NASTest, ParserRejectsInvalidSpec) {
  // parseSourceString verifies what it parsed: a spec with two networks
  // never comes back.
  OwningOpRef<ModuleOp> module = parse(R"mlir(
    nas.spec @s {
      nas.dataset @d input [8] classes 2
      nas.network @a on @d { nas.fc {out = 2} }
      nas.network @b on @d { nas.fc {out = 2} }
    }
  )mlir");
  EXPECT_FALSE(module);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.front(),
            "'nas.spec' op must hold exactly one 'nas.network', found 2");
}

TEST_F(NASTest, VerifyCatchesInPlaceEdits) {
  OwningOpRef<ModuleOp> module = parse(kValidSpec);
  ASSERT_TRUE(module);
  SpecOp spec = *module->getOps<SpecOp>().begin();
  ConvOp conv = *spec.getNetwork().getBodyBlock().getOps<ConvOp>().begin();

  // An even kernel slipped into the choice breaks "same" padding.
  conv.setKernelAttr(ChoiceAttr::get(&context, array({i64(3), i64(4)})));
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_EQ(takeError(),
            "'nas.conv' op kernel 4 must be odd for 'same' padding");

  // Restoring a valid kernel makes the module valid again.
  conv.setKernelAttr(builder.getI64IntegerAttr(3));
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_TRUE(errors.empty());
}

TEST_F(NASTest, VerifyChecksSymbolUses) {
  OwningOpRef<ModuleOp> module = parse(kValidSpec);
  ASSERT_TRUE(module);
  SpecOp spec = *module->getOps<SpecOp>().begin();
  // Point the network at the target instead of the dataset.
  spec.getNetwork().setDatasetAttr(FlatSymbolRefAttr::get(&context, "gpu"));
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_EQ(takeError(), "'nas.network' op @gpu is not a dataset");
}

TEST_F(NASTest, VerifyChecksObjectivesAgainstFormulation) {
  OwningOpRef<ModuleOp> module = parse(kValidSpec);
  ASSERT_TRUE(module);
  SpecOp spec = *module->getOps<SpecOp>().begin();
  auto objectives = *spec.getBodyBlock().getOps<ObjectivesOp>().begin();
  // Two objectives cannot be a 'single' formulation.
  objectives.setFormulation(Formulation::single);
  EXPECT_TRUE(failed(verify(*module)));
  EXPECT_EQ(takeError(), "'nas.objectives' op 'single' formulation optimizes "
                         "exactly one objective, got 2");
}

} // namespace
