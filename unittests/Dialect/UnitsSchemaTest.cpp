//===- UnitsSchemaTest.cpp - Tests of the unit and property tables --------===//
//
// The unit table decides whether two quantities compare and the schema
// decides which keys a declaration accepts; both are shared by the front end
// and the verifiers, so a wrong entry shows up in both places.
//
//===----------------------------------------------------------------------===//

#include "nasc/Dialect/NAS/IR/NASAttrs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Dialect/NAS/IR/Units.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include "gtest/gtest.h"

using namespace nasc::nas;

namespace {

/// Every case of a dialect enum, in declaration order.
template <typename EnumT>
static llvm::SmallVector<EnumT>
allCases(unsigned maxValue, std::optional<EnumT> (*symbolize)(uint32_t)) {
  llvm::SmallVector<EnumT> cases;
  for (unsigned i = 0; i <= maxValue; ++i)
    cases.push_back(*symbolize(i));
  return cases;
}

static llvm::SmallVector<Metric> allMetrics() {
  return allCases<Metric>(getMaxEnumValForMetric(), symbolizeMetric);
}

//===----------------------------------------------------------------------===//
// Units
//===----------------------------------------------------------------------===//

TEST(UnitsTest, PlainNumbersAndMultipliers) {
  struct {
    const char *unit;
    double scale;
  } cases[] = {{"", 1},    {"K", 1e3},  {"M", 1e6},
               {"G", 1e9}, {"T", 1e12}, {"%", 1e-2}};
  for (auto c : cases) {
    std::optional<UnitInfo> info = lookupUnit(c.unit);
    ASSERT_TRUE(info) << "unit '" << c.unit << "'";
    EXPECT_EQ(info->dimension, Dimension::Count) << c.unit;
    EXPECT_DOUBLE_EQ(info->scale, c.scale) << c.unit;
  }
}

TEST(UnitsTest, ScalesToBaseUnits) {
  struct {
    const char *unit;
    Dimension dimension;
    double scale;
  } cases[] = {
      {"s", Dimension::Time, 1},           {"ms", Dimension::Time, 1e-3},
      {"us", Dimension::Time, 1e-6},       {"ns", Dimension::Time, 1e-9},
      {"J", Dimension::Energy, 1},         {"pJ", Dimension::Energy, 1e-12},
      {"mW", Dimension::Power, 1e-3},      {"GHz", Dimension::Frequency, 1e9},
      {"GB/s", Dimension::Bandwidth, 1e9}, {"mm2", Dimension::Area, 1e-6},
      {"um2", Dimension::Area, 1e-12},
  };
  for (auto c : cases) {
    std::optional<UnitInfo> info = lookupUnit(c.unit);
    ASSERT_TRUE(info) << c.unit;
    EXPECT_EQ(info->dimension, c.dimension) << c.unit;
    EXPECT_DOUBLE_EQ(info->scale, c.scale) << c.unit;
  }
}

TEST(UnitsTest, DecimalAndBinaryBytePrefixesDiffer) {
  EXPECT_DOUBLE_EQ(lookupUnit("KB")->scale, 1000.0);
  EXPECT_DOUBLE_EQ(lookupUnit("KiB")->scale, 1024.0);
  EXPECT_DOUBLE_EQ(lookupUnit("MiB")->scale, 1024.0 * 1024.0);
  EXPECT_DOUBLE_EQ(lookupUnit("GiB")->scale, 1024.0 * 1024.0 * 1024.0);
  EXPECT_DOUBLE_EQ(lookupUnit("GiB/s")->scale, 1024.0 * 1024.0 * 1024.0);
  EXPECT_EQ(lookupUnit("MiB")->dimension, Dimension::Bytes);
  EXPECT_EQ(lookupUnit("GiB/s")->dimension, Dimension::Bandwidth);
}

TEST(UnitsTest, OpsAndFlopsAreTheSameThroughput) {
  for (auto [ops, flops] : {std::pair{"OPS", "FLOPS"},
                            {"MOPS", "MFLOPS"},
                            {"GOPS", "GFLOPS"},
                            {"TOPS", "TFLOPS"}}) {
    std::optional<UnitInfo> a = lookupUnit(ops), b = lookupUnit(flops);
    ASSERT_TRUE(a && b) << ops;
    EXPECT_EQ(a->dimension, Dimension::OpsRate);
    EXPECT_EQ(b->dimension, Dimension::OpsRate);
    EXPECT_DOUBLE_EQ(a->scale, b->scale) << ops;
  }
}

TEST(UnitsTest, UnknownUnitsAreRejected) {
  // Units are case-sensitive: `mS` is not `ms`, `kb` is not `KB`.
  for (const char *unit : {"parsec", "mS", "kb", "k", " ms", "ms ", "sec"})
    EXPECT_FALSE(lookupUnit(unit)) << "'" << unit << "'";
}

TEST(UnitsTest, DiagnosticUnitListsNameKnownUnits) {
  // The "(s, ms, ...)" hints in diagnostics must only suggest units that
  // lookupUnit accepts, with the dimension the hint is for.
  Dimension dimensions[] = {Dimension::Time,      Dimension::Energy,
                            Dimension::Power,     Dimension::Bytes,
                            Dimension::Frequency, Dimension::OpsRate,
                            Dimension::Bandwidth, Dimension::Area};
  for (Dimension dimension : dimensions) {
    llvm::SmallVector<llvm::StringRef> units;
    llvm::SplitString(getDimensionUnits(dimension), units, ", ");
    ASSERT_FALSE(units.empty()) << getDimensionName(dimension).str();
    for (llvm::StringRef unit : units) {
      std::optional<UnitInfo> info = lookupUnit(unit);
      ASSERT_TRUE(info) << unit.str();
      EXPECT_EQ(info->dimension, dimension) << unit.str();
    }
  }
  EXPECT_EQ(getDimensionName(Dimension::Time), "time");
  EXPECT_EQ(getDimensionName(Dimension::Count), "plain number");
  EXPECT_EQ(getDimensionName(Dimension::OpsRate), "compute throughput");
}

TEST(UnitsTest, MetricDimensions) {
  EXPECT_EQ(getMetricDimension(Metric::accuracy), Dimension::Count);
  EXPECT_EQ(getMetricDimension(Metric::params), Dimension::Count);
  EXPECT_EQ(getMetricDimension(Metric::macs), Dimension::Count);
  EXPECT_EQ(getMetricDimension(Metric::model_size), Dimension::Bytes);
  EXPECT_EQ(getMetricDimension(Metric::memory), Dimension::Bytes);
  EXPECT_EQ(getMetricDimension(Metric::latency), Dimension::Time);
  EXPECT_EQ(getMetricDimension(Metric::energy), Dimension::Energy);
  EXPECT_EQ(getMetricDimension(Metric::power), Dimension::Power);
  EXPECT_EQ(getMetricDimension(Metric::area), Dimension::Area);
}

TEST(UnitsTest, DimensionValidity) {
  // Every metric accepts its own dimension.
  for (Metric metric : allMetrics())
    EXPECT_TRUE(isDimensionValidFor(metric, getMetricDimension(metric)))
        << stringifyMetric(metric).str();
  // FPGA resources bound area as a plain count; nothing else mixes.
  EXPECT_TRUE(isDimensionValidFor(Metric::area, Dimension::Count));
  EXPECT_FALSE(isDimensionValidFor(Metric::latency, Dimension::Energy));
  EXPECT_FALSE(isDimensionValidFor(Metric::latency, Dimension::Count));
  EXPECT_FALSE(isDimensionValidFor(Metric::params, Dimension::Bytes));
  EXPECT_FALSE(isDimensionValidFor(Metric::memory, Dimension::Bandwidth));
}

TEST(UnitsTest, MetricTargetRules) {
  for (Metric metric : allMetrics()) {
    // An FPGA design's cycles, resources and Fmax are its target's too.
    bool hardware = metric == Metric::latency || metric == Metric::energy ||
                    metric == Metric::power || metric == Metric::area ||
                    metric == Metric::cycles || metric == Metric::lut ||
                    metric == Metric::ff || metric == Metric::dsp ||
                    metric == Metric::bram || metric == Metric::fmax;
    std::string name = stringifyMetric(metric).str();
    EXPECT_EQ(metricNeedsTarget(metric), hardware) << name;
    // A metric that needs a target must also be allowed one.
    if (metricNeedsTarget(metric)) {
      EXPECT_TRUE(metricTakesTarget(metric)) << name;
    }
  }
  // Memory may be measured on a target (peak activation memory) or not.
  EXPECT_FALSE(metricNeedsTarget(Metric::memory));
  EXPECT_TRUE(metricTakesTarget(Metric::memory));
  EXPECT_FALSE(metricTakesTarget(Metric::accuracy));
  EXPECT_FALSE(metricTakesTarget(Metric::params));
}

//===----------------------------------------------------------------------===//
// Schema
//===----------------------------------------------------------------------===//

TEST(SchemaTest, FpgaResourcesOnlyOnFpgaTargets) {
  for (const char *resource : {"dsp", "bram", "lut", "ff"}) {
    EXPECT_TRUE(findProperty(getTargetProperties(TargetKind::fpga), resource))
        << resource;
    EXPECT_FALSE(findProperty(getTargetProperties(TargetKind::gpu), resource))
        << resource;
  }
  // Every target kind shares the common properties.
  for (TargetKind kind : allCases<TargetKind>(getMaxEnumValForTargetKind(),
                                              symbolizeTargetKind)) {
    const PropertySpec *peak =
        findProperty(getTargetProperties(kind), "peak_compute");
    ASSERT_TRUE(peak) << stringifyTargetKind(kind).str();
    EXPECT_EQ(peak->kind, ValueKind::Quantity);
    EXPECT_EQ(peak->dimension, Dimension::OpsRate);
  }
  EXPECT_FALSE(findProperty(getTargetProperties(TargetKind::cpu), "Peak"));
}

TEST(SchemaTest, TargetPropertiesAreQuantitiesOrAPreset) {
  // Every target property is a quantity, but `preset`: a word naming a
  // built-in description (docs/costmodel.md).
  for (const PropertySpec &spec : getTargetProperties(TargetKind::fpga))
    EXPECT_EQ(spec.kind, spec.name == "preset" ? ValueKind::Word
                                               : ValueKind::Quantity)
        << spec.name.str();
  const PropertySpec *preset =
      findProperty(getTargetProperties(TargetKind::tiny), "preset");
  ASSERT_TRUE(preset);
  mlir::MLIRContext context;
  EXPECT_TRUE(
      checkPropertyValue(*preset, mlir::StringAttr::get(&context, "stm32f746"))
          .empty());
  EXPECT_FALSE(
      checkPropertyValue(*preset, mlir::StringAttr::get(&context, "pdp11"))
          .empty());
}

TEST(SchemaTest, StrategyParams) {
  // Evolution and NSGA-II both take a population; only evolution breeds
  // in batches of its own size.
  EXPECT_TRUE(findProperty(getStrategyParams(Strategy::evolution), "population"));
  EXPECT_TRUE(findProperty(getStrategyParams(Strategy::evolution), "batch"));
  EXPECT_FALSE(findProperty(getStrategyParams(Strategy::nsga2), "batch"));
  EXPECT_TRUE(findProperty(getStrategyParams(Strategy::nsga2), "population"));
  EXPECT_FALSE(
      findProperty(getStrategyParams(Strategy::reinforce), "population"));
  EXPECT_TRUE(findProperty(getStrategyParams(Strategy::gradient), "arch_lr"));
  EXPECT_EQ(listPropertyNames(getStrategyParams(Strategy::random)),
            "time_limit");
  // Every strategy takes a wall-clock limit.
  for (Strategy strategy :
       allCases<Strategy>(getMaxEnumValForStrategy(), symbolizeStrategy)) {
    const PropertySpec *limit =
        findProperty(getStrategyParams(strategy), "time_limit");
    ASSERT_TRUE(limit) << stringifyStrategy(strategy).str();
    EXPECT_EQ(limit->dimension, Dimension::Time);
  }
}

TEST(SchemaTest, ListPropertyNamesKeepsTableOrder) {
  EXPECT_EQ(listPropertyNames(getStrategyParams(Strategy::reinforce)),
            "lr, baseline_decay, entropy, batch, time_limit");
  EXPECT_TRUE(llvm::StringRef(listPropertyNames(getEvaluationParams()))
                  .starts_with("epochs, batch_size, lr, "));
  EXPECT_EQ(listPropertyNames({}), "");
}

TEST(SchemaTest, DescribeKind) {
  auto describe = [](llvm::ArrayRef<PropertySpec> specs, llvm::StringRef name) {
    return describeKind(*findProperty(specs, name));
  };
  llvm::ArrayRef<PropertySpec> eval = getEvaluationParams();
  EXPECT_EQ(describe(eval, "epochs"), "an integer");
  EXPECT_EQ(describe(eval, "lr"), "a number");
  EXPECT_EQ(describe(eval, "hot_start"), "true or false");
  EXPECT_EQ(describe(eval, "checkpoint"), "a string");
  EXPECT_EQ(describe(eval, "optimizer"), "one of sgd, adam");
  EXPECT_EQ(describe(eval, "schedule"), "one of cosine, multistep, constant");
  EXPECT_EQ(describe(getTargetProperties(TargetKind::gpu), "overhead"),
            "a time quantity (h, min, s, ms, us, ns)");
}

/// checkPropertyValue needs real attributes, hence a context.
class CheckPropertyValueTest : public ::testing::Test {
protected:
  CheckPropertyValueTest() : builder(&context) {
    context.loadDialect<NASDialect>();
  }

  std::string check(llvm::ArrayRef<PropertySpec> specs, llvm::StringRef name,
                    mlir::Attribute value) {
    const PropertySpec *spec = findProperty(specs, name);
    EXPECT_TRUE(spec) << name.str();
    return spec ? checkPropertyValue(*spec, value) : "";
  }

  QuantityAttr quantity(double value, llvm::StringRef unit) {
    return QuantityAttr::get(&context, llvm::APFloat(value),
                             builder.getStringAttr(unit));
  }

  mlir::MLIRContext context;
  mlir::Builder builder;
};

TEST_F(CheckPropertyValueTest, IntegersAndBooleans) {
  llvm::ArrayRef<PropertySpec> eval = getEvaluationParams();
  EXPECT_EQ(check(eval, "epochs", builder.getI64IntegerAttr(10)), "");
  // A BoolAttr is an i1 IntegerAttr, but not an integer parameter.
  EXPECT_EQ(check(eval, "epochs", builder.getBoolAttr(true)),
            "'epochs' must be an integer");
  EXPECT_EQ(check(eval, "epochs", builder.getF64FloatAttr(1.0)),
            "'epochs' must be an integer");
  EXPECT_EQ(check(eval, "hot_start", builder.getBoolAttr(false)), "");
  EXPECT_EQ(check(eval, "hot_start", builder.getI64IntegerAttr(1)),
            "'hot_start' must be true or false");
}

TEST_F(CheckPropertyValueTest, NumbersAndStrings) {
  llvm::ArrayRef<PropertySpec> eval = getEvaluationParams();
  EXPECT_EQ(check(eval, "lr", builder.getF64FloatAttr(0.1)), "");
  EXPECT_EQ(check(eval, "lr", builder.getStringAttr("fast")),
            "'lr' must be a number");
  EXPECT_EQ(check(eval, "optimizer", builder.getStringAttr("sgd")), "");
  EXPECT_EQ(check(eval, "optimizer", builder.getStringAttr("rmsprop")),
            "'optimizer' must be one of sgd, adam");
  EXPECT_EQ(check(eval, "table", builder.getStringAttr("nb201.csv")), "");
  EXPECT_EQ(check(eval, "table", builder.getI64IntegerAttr(3)),
            "'table' must be a string");
}

TEST_F(CheckPropertyValueTest, QuantitiesNeedTheirDimension) {
  llvm::ArrayRef<PropertySpec> gpu = getTargetProperties(TargetKind::gpu);
  EXPECT_EQ(check(gpu, "memory", quantity(8, "GiB")), "");
  EXPECT_EQ(check(gpu, "memory", quantity(8, "GB")), "");
  EXPECT_EQ(check(gpu, "memory", quantity(8, "GHz")),
            "'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB)");
  EXPECT_EQ(check(gpu, "cores", quantity(8, "")), "");
  // A bare integer is not a quantity, even for a plain count.
  EXPECT_EQ(check(gpu, "cores", builder.getI64IntegerAttr(8)),
            "'cores' must be a plain number quantity (no unit, K, M, G, T, %)");
}

} // namespace
