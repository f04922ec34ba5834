//===- SpaceTest.cpp - Tests of the space model ---------------------------===//

#include "nasc/Space/Space.h"
#include "../NasTestUtils.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <set>

using namespace mlir;
using namespace nasc;

namespace {

class SpaceTest : public ::testing::Test {
protected:
  SpaceTest() {
    context.getOrLoadDialect<nas::NASDialect>();
    context.getDiagEngine().registerHandler(
        [this](Diagnostic &diag) { errors.push_back(diag.str()); });
  }

  /// Parses a spec (text, or a file under examples/ when `example`).
  OwningOpRef<ModuleOp> parse(StringRef text, StringRef name = "test.nas") {
    return nasc::test::parseNas(context, text, name);
  }

  OwningOpRef<ModuleOp> parseExample(StringRef file) {
    return nasc::test::parseExample(context, file);
  }

  static nas::SpecOp specOf(ModuleOp module) {
    return *module.getOps<nas::SpecOp>().begin();
  }

  static std::string str(const llvm::DynamicAPInt &value) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << value;
    return text;
  }

  MLIRContext context;
  std::vector<std::string> errors;
};

constexpr const char *kSmall = R"(
dataset d { input = [3, 8, 8]; classes = 10; }
target t : fpga { tunable pe = {8, 16}; }
compress { wbits = {4, 8}; }
cell c(nodes = 3) { edges all : { s: identity; z: zero; p: avg_pool; } }
network n {
  c;
  pick: choose { a: conv(out = 16, kernel = {3, 5}); b: identity; }
  repeat {1, 2} { act: choose { r: relu; h: hswish; } }
  fc(out = 10);
}
)";

TEST_F(SpaceTest, ExampleSizesAreExact) {
  auto nb201 = parseExample("nb201.nas");
  ASSERT_TRUE(nb201);
  FailureOr<Space> space = Space::build(specOf(*nb201));
  ASSERT_TRUE(succeeded(space));
  EXPECT_EQ(str(space->size()), "15625");

  auto fbnet = parseExample("fbnet.nas");
  ASSERT_TRUE(fbnet);
  space = Space::build(specOf(*fbnet));
  ASSERT_TRUE(succeeded(space));
  // 9^22, beyond 64 bits.
  EXPECT_EQ(str(space->size()), "984770902183611232881");
}

TEST_F(SpaceTest, SmallSpaceIsCountedByHand) {
  auto module = parse(kSmall);
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  // cell 3^3; pick: a (kernel 2 x conv wbits 2) + b = 5; depth 2 + 4 = 6;
  // fc wbits 2; tunable 2.
  EXPECT_EQ(str(space->size()), std::to_string(27 * 5 * 6 * 2 * 2));
}

TEST_F(SpaceTest, EnumerationVisitsEveryCandidateOnce) {
  auto module = parse(kSmall);
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  int64_t size = static_cast<int64_t>(space->size());
  std::set<std::vector<uint32_t>> seen;
  llvm::StringSet<> encodings;
  for (int64_t i = 0; i < size; ++i) {
    Candidate candidate = space->unrank(llvm::DynamicAPInt(i));
    EXPECT_TRUE(seen.insert(candidate.outcomes).second);
    EXPECT_TRUE(encodings.insert(space->encode(candidate)).second);
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(size));
}

TEST_F(SpaceTest, EncodingsParseBackToTheSameCandidate) {
  for (StringRef example : {"nb201.nas", "fbnet.nas", "mobile.nas"}) {
    auto module = parseExample(example);
    ASSERT_TRUE(module) << example.str();
    FailureOr<Space> space = Space::build(specOf(*module));
    ASSERT_TRUE(succeeded(space));
    Random random(2026);
    for (int i = 0; i < 200; ++i) {
      Candidate candidate = space->sample(random);
      std::string encoding = space->encode(candidate);
      std::string error;
      FailureOr<Candidate> decoded = space->decode(encoding, error);
      ASSERT_TRUE(succeeded(decoded)) << example.str() << ": " << error;
      EXPECT_EQ(decoded->outcomes, candidate.outcomes) << encoding;
    }
  }
}

TEST_F(SpaceTest, Nb201EncodingsAreArchitectureStrings) {
  auto module = parseExample("nb201.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  // A string as NAS-Bench-201's API prints it.
  std::string arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|"
                     "skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
  std::string error;
  FailureOr<Candidate> candidate = space->decode(arch, error);
  ASSERT_TRUE(succeeded(candidate)) << error;
  EXPECT_EQ(space->encode(*candidate), arch);
  // The last candidate in enumeration order: every edge avg_pool_3x3.
  Candidate last = space->unrank(space->size() - 1);
  EXPECT_EQ(space->encode(last),
            "|avg_pool_3x3~0|+|avg_pool_3x3~0|avg_pool_3x3~1|+|"
            "avg_pool_3x3~0|avg_pool_3x3~1|avg_pool_3x3~2|");
}

TEST_F(SpaceTest, BadEncodingsNameTheFirstBadToken) {
  auto module = parse(kSmall);
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  std::string error;
  size_t bad = 99;
  EXPECT_TRUE(failed(space->decode(
      "|s~0|+|s~0|q~1| b repeat=1 r wbits=4 t.pe=8", error, &bad)));
  EXPECT_EQ(bad, 0u);
  EXPECT_NE(error.find("'q' is not an option of 'c/1->2'"), std::string::npos)
      << error;

  EXPECT_TRUE(failed(space->decode(
      "|s~0|+|s~0|s~1| b repeat=3 r wbits=4 t.pe=8", error, &bad)));
  EXPECT_EQ(bad, 2u);
  EXPECT_TRUE(failed(space->decode(
      "|s~0|+|s~0|s~1| b repeat=1 r wbits=4 t.pe=8 extra", error, &bad)));
  EXPECT_EQ(bad, 6u);
  EXPECT_NE(error.find("one too many"), std::string::npos) << error;
  EXPECT_TRUE(succeeded(
      space->decode("|s~0|+|s~0|s~1| b repeat=1 r wbits=4 t.pe=8", error)))
      << error;
}

TEST_F(SpaceTest, MaterializedCandidatesAreConcreteAndVerify) {
  for (StringRef example : {"nb201.nas", "fbnet.nas", "mobile.nas"}) {
    auto module = parseExample(example);
    ASSERT_TRUE(module);
    FailureOr<Space> space = Space::build(specOf(*module));
    ASSERT_TRUE(succeeded(space));
    Random random(7);
    for (int i = 0; i < 20; ++i) {
      OwningOpRef<ModuleOp> concrete =
          space->materialize(space->sample(random));
      ASSERT_TRUE(succeeded(verify(*concrete))) << example.str();
      concrete->walk([&](Operation *op) {
        EXPECT_FALSE((isa<nas::ChooseOp, nas::RepeatOp, nas::CompressOp>(op)))
            << example.str();
        for (NamedAttribute attr : op->getAttrs())
          EXPECT_FALSE(isa<nas::RangeAttr>(attr.getValue()));
        if (auto edge = dyn_cast<nas::EdgeOp>(op)) {
          EXPECT_EQ(llvm::range_size(edge.getBody().getOps<nas::OptionOp>()),
                    1u);
        }
      });
      // A concrete space holds exactly one candidate.
      FailureOr<Space> single = Space::build(specOf(*concrete));
      ASSERT_TRUE(succeeded(single));
      EXPECT_EQ(str(single->size()), "1") << example.str();
    }
  }
}

TEST_F(SpaceTest, RandomIsTheSameOnEveryMachine) {
  // SplitMix64's published first outputs for seed 0.
  Random random(0);
  EXPECT_EQ(random.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(random.next(), 0x6e789e6aa1b965f4ULL);
}

/// Draws 10000 samples per candidate of `module`'s space (`candidates` of
/// them) and checks every candidate comes within 5% of 10000.
static void expectUniformSampling(ModuleOp module, size_t candidates,
                                  uint64_t seed) {
  FailureOr<Space> space = Space::build(*module.getOps<nas::SpecOp>().begin());
  ASSERT_TRUE(succeeded(space));
  std::map<std::string, int> counts;
  Random random(seed);
  for (size_t i = 0; i < candidates * 10000; ++i)
    ++counts[space->encode(space->sample(random))];
  ASSERT_EQ(counts.size(), candidates);
  for (auto &[encoding, count] : counts) {
    EXPECT_GT(count, 9500) << encoding;
    EXPECT_LT(count, 10500) << encoding;
  }
}

TEST_F(SpaceTest, SamplingIsUniform) {
  // 6 candidates, 60000 draws: every count within 5% of 10000.
  auto module = parse(R"(
dataset d { input = [3, 8, 8]; classes = 10; }
network n { choose { a: relu; b: tanh; c: hswish; } choose { x: relu; y: bn; } fc(out = 10); }
)");
  ASSERT_TRUE(module);
  expectUniformSampling(*module, 6, 11);
}

TEST_F(SpaceTest, SamplingIsUniformOverNestedDecisions) {
  // Option a holds 3 candidates, b one: each of the 4 is drawn 1/4 of the
  // time, not a half split between a and b.
  auto module = parse(R"(
dataset d { input = [3, 8, 8]; classes = 10; }
network n { choose { a: conv(kernel = {3, 5, 7}); b: identity; } fc(out = 10); }
)");
  ASSERT_TRUE(module);
  expectUniformSampling(*module, 4, 5);
}

TEST_F(SpaceTest, HugeRangesAreRefusedWithALocatedError) {
  auto module = parse(R"(
dataset d { input = [3, 8, 8]; classes = 10; }
network n { conv(out = 1..9000000); fc(out = 10); }
)");
  ASSERT_TRUE(module);
  EXPECT_TRUE(failed(Space::build(specOf(*module))));
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.back().find("ranges over 9000000 values"), std::string::npos)
      << errors.back();
}

} // namespace

namespace {

TEST_F(SpaceTest, Nb201Has6466UniqueCells) {
  auto module = parseExample("nb201.nas");
  ASSERT_TRUE(module);
  FailureOr<Space> space = Space::build(specOf(*module));
  ASSERT_TRUE(succeeded(space));
  FailureOr<llvm::DynamicAPInt> unique = space->countUnique();
  ASSERT_TRUE(succeeded(unique));
  EXPECT_EQ(str(*unique), "6466");
  // conv3x3 then conv1x1 is not conv1x1 then conv3x3.
  std::string error;
  auto a = space->decode("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|"
                         "none~0|none~1|skip_connect~2|",
                         error);
  auto b = space->decode("|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|"
                         "none~0|none~1|skip_connect~2|",
                         error);
  ASSERT_TRUE(succeeded(a) && succeeded(b)) << error;
  EXPECT_NE(space->getIsomorphismKey(*a), space->getIsomorphismKey(*b));
  auto e = space->decode("|skip_connect~0|+|nor_conv_1x1~0|skip_connect~1|+|"
                         "none~0|none~1|skip_connect~2|",
                         error);
  auto f = space->decode("|skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|"
                         "none~0|none~1|skip_connect~2|",
                         error);
  ASSERT_TRUE(succeeded(e) && succeeded(f)) << error;
  // Node 1 is the input itself, so both node 2s are conv1x1(x) + x.
  EXPECT_EQ(space->getIsomorphismKey(*e), space->getIsomorphismKey(*f));
}

} // namespace
