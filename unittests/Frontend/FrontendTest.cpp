//===- FrontendTest.cpp - Tests of the .nas front end ---------------------===//
//
// Drives nasc::parseNasSource on in-memory sources and checks the module it
// builds (one nas.spec named after the file stem, ops located at their
// source tokens, op-set arguments and cell edges expanded) and the
// diagnostics it reports (located syntax and semantic errors, the error
// limit, no exception on malformed input). Also parses every file in
// examples/ and round-trips the printed IR through the MLIR parser.
//
//===----------------------------------------------------------------------===//

#include "nasc/Frontend/Frontend.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace mlir;
using namespace nasc::nas;

namespace {

/// One reported diagnostic, flattened for comparisons.
struct Diag {
  DiagnosticSeverity severity;
  std::string message;
  std::string file;
  unsigned line = 0, column = 0;
  /// Notes attached to the diagnostic: message and line.
  std::vector<std::pair<std::string, unsigned>> notes;
};

/// The line and column of a FileLineColLoc; {0, 0} for another location.
std::pair<unsigned, unsigned> lineCol(Location loc) {
  if (auto flc = dyn_cast<FileLineColLoc>(loc))
    return {flc.getLine(), flc.getColumn()};
  return {0, 0};
}

/// A context with the nas dialect whose diagnostics are recorded instead of
/// printed.
class FrontendTest : public ::testing::Test {
protected:
  FrontendTest()
      : handler(&context, [this](Diagnostic &diag) {
          Diag d;
          d.severity = diag.getSeverity();
          d.message = diag.str();
          if (auto flc = dyn_cast<FileLineColLoc>(diag.getLocation())) {
            d.file = flc.getFilename().str();
            d.line = flc.getLine();
            d.column = flc.getColumn();
          }
          for (Diagnostic &note : diag.getNotes())
            d.notes.push_back({note.str(), lineCol(note.getLocation()).first});
          diags.push_back(std::move(d));
          return success();
        }) {
    context.loadDialect<NASDialect>();
    // Keep verifier errors to their message (no "see current operation").
    context.printOpOnDiagnostic(false);
  }

  /// Parses `text` as the contents of `name`.
  OwningOpRef<ModuleOp> parse(llvm::StringRef text,
                              llvm::StringRef name = "test.nas",
                              unsigned maxErrors = 20) {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
    nasc::FrontendOptions options;
    options.maxErrors = maxErrors;
    return nasc::parseNasSource(sourceMgr, &context, options);
  }

  /// The recorded errors (notes stay attached to their error).
  std::vector<Diag> errors() const {
    std::vector<Diag> result;
    for (const Diag &d : diags)
      if (d.severity == DiagnosticSeverity::Error)
        result.push_back(d);
    return result;
  }

  /// The single nas.spec of `module`, or null.
  static SpecOp getSpec(ModuleOp module) {
    auto specs = module.getOps<SpecOp>();
    if (std::distance(specs.begin(), specs.end()) != 1)
      return nullptr;
    return *specs.begin();
  }

  template <typename OpT> static std::vector<OpT> collect(Operation *root) {
    std::vector<OpT> ops;
    root->walk([&](OpT op) { ops.push_back(op); });
    return ops;
  }

  static std::string print(Operation *op) {
    std::string text;
    llvm::raw_string_ostream os(text);
    op->print(os);
    return os.str();
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler;
  std::vector<Diag> diags;
};

constexpr const char *kDataset =
    "dataset d { input = [3, 8, 8]; classes = 10; }\n";

//===----------------------------------------------------------------------===//
// Valid specs
//===----------------------------------------------------------------------===//

TEST_F(FrontendTest, ValidSpecYieldsOneSpecNamedAfterTheFileStem) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n { relu -> fc(out = 10); }\n");
  ASSERT_TRUE(module);
  EXPECT_TRUE(diags.empty());
  SpecOp spec = getSpec(*module);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec.getSymName(), "test");
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_EQ(collect<DatasetOp>(spec).size(), 1u);
  EXPECT_EQ(collect<NetworkOp>(spec).size(), 1u);
}

TEST_F(FrontendTest, SpecNameIsTheStemOfAPath) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n { fc(out = 10); }\n",
            "some/dir/my_space.v2.nas");
  ASSERT_TRUE(module);
  SpecOp spec = getSpec(*module);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec.getSymName(), "my_space.v2");
}

TEST_F(FrontendTest, StandardInputGivesTheSpecADefaultName) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n { fc(out = 10); }\n", "<stdin>");
  ASSERT_TRUE(module);
  SpecOp spec = getSpec(*module);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec.getSymName(), "spec");
}

TEST_F(FrontendTest, OpsCarryTheFileLineColOfTheirSourceTokens) {
  OwningOpRef<ModuleOp> module = parse("dataset d {\n"                  // 1
                                       "  input = [3, 8, 8];\n"         // 2
                                       "  classes = 10;\n"              // 3
                                       "}\n"                            // 4
                                       "network n {\n"                  // 5
                                       "  stem: conv(out = 8) -> bn;\n" // 6
                                       "    pick: choose {\n"           // 7
                                       "      a: relu;\n"               // 8
                                       "      b: tanh; };\n"            // 9
                                       "  fc(out = classes);\n"         // 10
                                       "}\n");
  ASSERT_TRUE(module);
  SpecOp spec = getSpec(*module);
  ASSERT_TRUE(spec);
  auto dataset = collect<DatasetOp>(spec).front();
  EXPECT_EQ(lineCol(dataset.getLoc()), std::make_pair(1u, 1u));
  auto flc = dyn_cast<FileLineColLoc>(dataset.getLoc());
  ASSERT_TRUE(flc);
  EXPECT_EQ(flc.getFilename().str(), "test.nas");
  EXPECT_EQ(lineCol(collect<NetworkOp>(spec).front().getLoc()),
            std::make_pair(5u, 1u));
  // A labelled chain: the block at the label, each op at its name.
  auto block = collect<BlockOp>(spec).front();
  EXPECT_EQ(lineCol(block.getLoc()), std::make_pair(6u, 3u));
  EXPECT_EQ(lineCol(collect<ConvOp>(spec).front().getLoc()),
            std::make_pair(6u, 9u));
  EXPECT_EQ(lineCol(collect<BatchNormOp>(spec).front().getLoc()),
            std::make_pair(6u, 26u));
  EXPECT_EQ(lineCol(collect<ChooseOp>(spec).front().getLoc()),
            std::make_pair(7u, 5u));
  auto options = collect<OptionOp>(spec);
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(lineCol(options[0].getLoc()), std::make_pair(8u, 7u));
  EXPECT_EQ(lineCol(options[1].getLoc()), std::make_pair(9u, 7u));
  auto acts = collect<ActOp>(spec);
  ASSERT_EQ(acts.size(), 2u);
  EXPECT_EQ(lineCol(acts[1].getLoc()), std::make_pair(9u, 10u));
  EXPECT_EQ(lineCol(collect<FCOp>(spec).front().getLoc()),
            std::make_pair(10u, 3u));
}

TEST_F(FrontendTest, OpSetArgumentsReachEveryAlternative) {
  OwningOpRef<ModuleOp> module =
      parse("dataset d { input = [16, 8, 8]; classes = 10; }\n"
            "ops blocks {\n"
            "  k3: mbconv(kernel = 3);\n"
            "  k5: mbconv(kernel = 5, out = 8);\n"
            "  cv: relu -> conv(kernel = 1) -> bn;\n"
            "  skip: identity;\n"
            "  none: zero;\n"
            "}\n"
            "network n {\n"
            "  a: choose blocks(out = 24, stride = 2);\n"
            "  b: choose blocks;\n"
            "  global_avg_pool -> fc(out = classes);\n"
            "}\n");
  ASSERT_TRUE(module);
  auto chooses = collect<ChooseOp>(getSpec(*module));
  ASSERT_EQ(chooses.size(), 2u);
  auto intAttr = [](Operation *op, StringRef name) -> int64_t {
    auto attr = op->getAttrOfType<IntegerAttr>(name);
    return attr ? attr.getInt() : -1;
  };

  // Every op that takes `out` and `stride` gets them, unless it sets them.
  auto mbconvs = collect<MBConvOp>(chooses[0]);
  ASSERT_EQ(mbconvs.size(), 2u);
  EXPECT_EQ(intAttr(mbconvs[0], "out"), 24);
  EXPECT_EQ(intAttr(mbconvs[0], "stride"), 2);
  EXPECT_EQ(intAttr(mbconvs[1], "out"), 8); // its own value wins
  EXPECT_EQ(intAttr(mbconvs[1], "stride"), 2);
  auto convs = collect<ConvOp>(chooses[0]);
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(intAttr(convs[0], "out"), 24);
  EXPECT_EQ(intAttr(convs[0], "kernel"), 1);
  auto identities = collect<IdentityOp>(chooses[0]);
  ASSERT_EQ(identities.size(), 1u);
  EXPECT_EQ(intAttr(identities[0], "out"), 24);
  EXPECT_EQ(intAttr(identities[0], "stride"), 2);
  auto zeros = collect<ZeroOp>(chooses[0]);
  ASSERT_EQ(zeros.size(), 1u);
  EXPECT_TRUE(zeros[0]->getAttrs().empty());
  for (ActOp act : collect<ActOp>(chooses[0]))
    EXPECT_FALSE(act->hasAttr("out"));

  // The op set itself is unchanged: the second use gets no arguments.
  for (Operation &op : *chooses[1].getBody().begin())
    op.walk([&](Operation *nested) {
      EXPECT_FALSE(nested->hasAttr("stride"));
      if (!isa<MBConvOp>(nested)) {
        EXPECT_FALSE(nested->hasAttr("out"));
      }
    });
}

TEST_F(FrontendTest, EdgesAllFollowsTheNasBench201Order) {
  OwningOpRef<ModuleOp> module = parse(
      std::string(kDataset) + "ops o { none: zero; skip_connect: identity; }\n"
                              "cell c(nodes = 4) { edges all : o; }\n"
                              "network n { c; c; fc(out = 10); }\n");
  ASSERT_TRUE(module);
  SpecOp spec = getSpec(*module);
  auto cells = collect<CellOp>(spec);
  ASSERT_EQ(cells.size(), 1u);
  std::vector<std::pair<int64_t, int64_t>> edges;
  for (EdgeOp edge : collect<EdgeOp>(cells[0])) {
    edges.push_back({edge.getFromAttr().getInt(), edge.getToAttr().getInt()});
    EXPECT_EQ(collect<OptionOp>(edge).size(), 2u);
  }
  std::vector<std::pair<int64_t, int64_t>> expected = {{0, 1}, {0, 2}, {1, 2},
                                                       {0, 3}, {1, 3}, {2, 3}};
  EXPECT_EQ(edges, expected);
  // Both uses refer to the one cell.
  EXPECT_EQ(collect<CellRefOp>(spec).size(), 2u);
}

TEST_F(FrontendTest, ExplicitEdgesTakeTheirPlaceAmongEdgesAll) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "cell c(nodes = 4, inputs = 2) {\n"
                                    "  edge 1 -> 3 : { p: avg_pool; };\n"
                                    "  edges all : { s: identity; };\n"
                                    "}\n"
                                    "network n { c; fc(out = 10); }\n");
  ASSERT_TRUE(module);
  std::vector<std::pair<int64_t, int64_t>> edges;
  std::vector<std::string> firstOption;
  for (EdgeOp edge : collect<EdgeOp>(getSpec(*module))) {
    edges.push_back({edge.getFromAttr().getInt(), edge.getToAttr().getInt()});
    firstOption.push_back(collect<OptionOp>(edge).front().getName().str());
  }
  std::vector<std::pair<int64_t, int64_t>> expected = {
      {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}};
  EXPECT_EQ(edges, expected);
  EXPECT_EQ(firstOption, (std::vector<std::string>{"s", "s", "s", "p", "s"}));
}

TEST_F(FrontendTest, BlockUsesAreIndependentCopies) {
  OwningOpRef<ModuleOp> module = parse(
      std::string(kDataset) + "block b { act: choose { r: relu; t: tanh; }; }\n"
                              "network n { b; b; fc(out = 10); }\n");
  ASSERT_TRUE(module);
  auto blocks = collect<BlockOp>(getSpec(*module));
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].getName(), "b");
  EXPECT_EQ(blocks[1].getName(), "b");
  EXPECT_NE(blocks[0].getOperation(), blocks[1].getOperation());
  EXPECT_EQ(collect<ChooseOp>(blocks[0]).size(), 1u);
  EXPECT_EQ(collect<ChooseOp>(blocks[1]).size(), 1u);
}

/// `depth` stages, one inside the other, in a network.
static std::string nestedStages(int depth, bool closed) {
  std::string text = "network n {\n";
  for (int i = 0; i < depth; ++i)
    text += "stage { ";
  if (!closed)
    return text;
  text += "relu;";
  for (int i = 0; i < depth; ++i)
    text += " }";
  return text + "\nfc(out = 10);\n}\n";
}

TEST_F(FrontendTest, NestingUpToTheLimitParses) {
  // The network's brace is one level: 255 stages fill the 256 levels.
  OwningOpRef<ModuleOp> module;
  EXPECT_NO_THROW(module = parse(kDataset + nestedStages(255, true)));
  ASSERT_TRUE(module);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(collect<StageOp>(getSpec(*module)).size(), 255u);
}

TEST_F(FrontendTest, NestingPastTheLimitIsALocatedError) {
  for (int depth : {256, 5000, 50000}) {
    diags.clear();
    OwningOpRef<ModuleOp> module;
    EXPECT_NO_THROW(module = parse(kDataset + nestedStages(depth, true)));
    EXPECT_FALSE(module);
    std::vector<Diag> errs = errors();
    ASSERT_EQ(errs.size(), 1u);
    EXPECT_EQ(errs.front().message,
              "'{' nested deeper than 256 levels (docs/language.md, "
              "\"Limits\")");
    // The 256th stage's brace (the 257th level).
    EXPECT_EQ(errs.front().line, 3u);
    EXPECT_EQ(errs.front().column, 7u + 8 * 255);
  }
}

TEST_F(FrontendTest, DeeplyNestedUnclosedStagesReportAnError) {
  std::string text = kDataset;
  text += "network n {\n";
  for (int i = 0; i < 200; ++i)
    text += "stage { ";
  OwningOpRef<ModuleOp> module;
  EXPECT_NO_THROW(module = parse(text));
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_FALSE(errs.empty());
  EXPECT_NE(errs.front().message.find("end of file"), std::string::npos)
      << errs.front().message;
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST_F(FrontendTest, SyntaxErrorYieldsNullAndALocatedDiagnostic) {
  OwningOpRef<ModuleOp> module =
      parse("dataset d { input = [3, 8, 8]; classes = 10 }\n"
            "network n { fc(out = 10); }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "syntax error: missing ';' at '}'");
  EXPECT_EQ(errs[0].file, "test.nas");
  EXPECT_EQ(errs[0].line, 1u);
  EXPECT_EQ(errs[0].column, 45u);
}

TEST_F(FrontendTest, StrayCharacterIsASyntaxErrorAtItsColumn) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n {\n  fc(out = 10) @ ;\n}\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message,
            "syntax error: extraneous input '@' expecting ';'");
  EXPECT_EQ(errs[0].line, 3u);
  EXPECT_EQ(errs[0].column, 16u);
}

TEST_F(FrontendTest, EverySyntaxErrorIsReported) {
  OwningOpRef<ModuleOp> module =
      parse("dataset d { input = [3, 8, 8], classes = 10; }\n"
            "network n { relu -> -> bn; fc(out = 10) }\n"
            "target t : gpu { peak_compute = ; }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 4u);
  std::vector<std::pair<unsigned, unsigned>> where;
  for (const Diag &d : errs) {
    where.push_back({d.line, d.column});
    EXPECT_EQ(d.message.rfind("syntax error: ", 0), 0u) << d.message;
  }
  std::vector<std::pair<unsigned, unsigned>> expected = {
      {1, 30}, {2, 21}, {2, 41}, {3, 33}};
  EXPECT_EQ(where, expected);
}

TEST_F(FrontendTest, EverySemanticErrorIsReported) {
  OwningOpRef<ModuleOp> module =
      parse("dataset d { input = [3, 8, 8]; classes = 10; size = 1; }\n"
            "target t : quantum { }\n"
            "network n {\n"
            "  frob;\n"
            "  conv(size = 3);\n"
            "  choose nope;\n"
            "  fc(out = 10);\n"
            "}\n"
            "objectives { maximize speed; }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 6u);
  EXPECT_EQ(errs[0].message,
            "unknown dataset property 'size'; expected input, classes, "
            "resolution, source or path");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(1u, 46u));
  EXPECT_EQ(errs[1].message, "unknown target kind 'quantum'; expected one of "
                             "cpu, gpu, fpga, asic, mobile, tiny");
  EXPECT_EQ(std::make_pair(errs[1].line, errs[1].column),
            std::make_pair(2u, 12u));
  EXPECT_EQ(errs[2].message,
            "unknown operation 'frob': not a built-in op, cell or block");
  EXPECT_EQ(std::make_pair(errs[2].line, errs[2].column),
            std::make_pair(4u, 3u));
  EXPECT_EQ(errs[3].message.rfind("'conv' has no argument 'size'", 0), 0u);
  EXPECT_EQ(std::make_pair(errs[3].line, errs[3].column),
            std::make_pair(5u, 8u));
  EXPECT_EQ(errs[4].message, "unknown op set 'nope'");
  EXPECT_EQ(std::make_pair(errs[4].line, errs[4].column),
            std::make_pair(6u, 10u));
  EXPECT_EQ(errs[5].message.rfind("unknown metric 'speed'", 0), 0u);
  EXPECT_EQ(std::make_pair(errs[5].line, errs[5].column),
            std::make_pair(9u, 23u));
}

TEST_F(FrontendTest, RedefinitionHasANoteAtTheFirstDeclaration) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n { fc(out = 10); }\n"
                                    "\n"
                                    "block n { relu; }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "redefinition of 'n'");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(4u, 7u));
  ASSERT_EQ(errs[0].notes.size(), 1u);
  EXPECT_EQ(errs[0].notes[0].first, "'n' was first declared here");
  EXPECT_EQ(errs[0].notes[0].second, 2u);
}

TEST_F(FrontendTest, VerifierErrorsPointAtTheSource) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) + "network n {\n"
                                    "  relu -> conv(kernel = 4);\n"
                                    "  fc(out = 10);\n"
                                    "}\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message,
            "'nas.conv' op kernel 4 must be odd for 'same' padding");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(3u, 11u));
}

TEST_F(FrontendTest, MaxErrorsCapsTheCountAndSaysSo) {
  std::string text = std::string(kDataset) + "network n {\n";
  for (int i = 1; i <= 5; ++i)
    text += "  frob" + std::to_string(i) + ";\n";
  text += "  fc(out = 10);\n}\n";

  // Without a limit every error is reported.
  OwningOpRef<ModuleOp> module = parse(text, "test.nas", /*maxErrors=*/0);
  EXPECT_FALSE(module);
  EXPECT_EQ(errors().size(), 5u);
  for (const Diag &d : errors())
    EXPECT_EQ(d.message.find("too many errors"), std::string::npos);

  // With a limit of 3 exactly 3 errors are reported, then a last one that
  // says why.
  diags.clear();
  module = parse(text, "test.nas", /*maxErrors=*/3);
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 4u);
  EXPECT_EQ(errs.back().message, "too many errors (3), stopping");
  EXPECT_NE(errs[2].message.find("frob3"), std::string::npos);
  EXPECT_EQ(errs.front().message,
            "unknown operation 'frob1': not a built-in op, cell or block");
  for (const Diag &d : errs) {
    EXPECT_EQ(d.message.find("frob4"), std::string::npos);
    EXPECT_EQ(d.message.find("frob5"), std::string::npos);
  }
}

TEST_F(FrontendTest, MaxErrorsAlsoCapsSyntaxErrors) {
  std::string text = kDataset;
  for (int i = 0; i < 10; ++i)
    text += "network n" + std::to_string(i) + " { relu -> -> bn; }\n";
  OwningOpRef<ModuleOp> module = parse(text, "test.nas", /*maxErrors=*/4);
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 5u);
  EXPECT_EQ(errs.back().message, "too many errors (4), stopping");
}

TEST_F(FrontendTest, ExactlyMaxErrorsIsNotTooMany) {
  std::string text =
      std::string(kDataset) + "network n { frob1; frob2; fc(out = 10); }\n";
  OwningOpRef<ModuleOp> module = parse(text, "test.nas", /*maxErrors=*/2);
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 2u);
  for (const Diag &d : errs)
    EXPECT_EQ(d.message.find("too many errors"), std::string::npos);
}

TEST_F(FrontendTest, InvalidUtf8IsLocatedAtItsByte) {
  OwningOpRef<ModuleOp> module = parse(
      std::string(kDataset) + "// caf\xe9\nnetwork n { fc(out = 10); }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "invalid UTF-8 byte 0xE9; .nas files are UTF-8");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(2u, 7u));
}

TEST_F(FrontendTest, ColumnsCountBytesAfterNonAsciiText) {
  // "é" is two bytes: MLIR's columns count bytes, ANTLR's code points.
  OwningOpRef<ModuleOp> module = parse(
      "dataset d { input = [3, 8, 8]; classes = 10; source = \"\xc3\xa9\"; "
      "bogus = 1; }\nnetwork n { fc(out = 10); }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(1u, 61u));
}

TEST_F(FrontendTest, EmptyFileDeclaresNoNetwork) {
  OwningOpRef<ModuleOp> module;
  EXPECT_NO_THROW(module = parse(""));
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "the spec declares no network");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(1u, 1u));
}

TEST_F(FrontendTest, GarbageAndBinaryInputAreErrorsNotExceptions) {
  // Deterministic pseudo-random bytes: invalid UTF-8, NULs, control bytes.
  std::string binary;
  uint32_t state = 12345;
  for (int i = 0; i < 4096; ++i) {
    state = state * 1103515245u + 12345u;
    binary.push_back(static_cast<char>(state >> 16));
  }
  std::vector<std::string> inputs = {
      binary,
      std::string("dataset\0d { }", 13),
      "}}}} ;;; -> -> (( ]] \"",
      "// caf\xe9 is Latin-1, not UTF-8\n",
      "dataset d { input = [3, 8, 8]; classes = 10; }\x01\x02\x03",
      std::string(10000, '{'),
  };
  for (const std::string &input : inputs) {
    diags.clear();
    OwningOpRef<ModuleOp> module;
    EXPECT_NO_THROW(module = parse(input));
    EXPECT_FALSE(module);
    EXPECT_FALSE(errors().empty());
  }
}

TEST_F(FrontendTest, HugeIntegerLiteralIsTooLarge) {
  OwningOpRef<ModuleOp> module =
      parse(std::string(kDataset) +
            "network n { conv(out = 99999999999999999999); fc(out = 10); }\n");
  EXPECT_FALSE(module);
  std::vector<Diag> errs = errors();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].message, "integer 99999999999999999999 is too large");
  EXPECT_EQ(std::make_pair(errs[0].line, errs[0].column),
            std::make_pair(2u, 24u));
}

TEST_F(FrontendTest, SpecsParsedInOneContextAreIndependent) {
  OwningOpRef<ModuleOp> first =
      parse(std::string(kDataset) + "network n { fc(out = 10); }\n", "a.nas");
  OwningOpRef<ModuleOp> bad = parse("network", "b.nas");
  OwningOpRef<ModuleOp> second =
      parse(std::string(kDataset) + "network n { fc(out = 10); }\n", "c.nas");
  ASSERT_TRUE(first);
  EXPECT_FALSE(bad);
  ASSERT_TRUE(second);
  EXPECT_EQ(getSpec(*first).getSymName(), "a");
  EXPECT_EQ(getSpec(*second).getSymName(), "c");
  for (const Diag &d : errors())
    EXPECT_EQ(d.file, "b.nas");
}

//===----------------------------------------------------------------------===//
// Examples and round trips
//===----------------------------------------------------------------------===//

/// The .nas files in examples/, sorted.
std::vector<std::string> exampleFiles() {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(NASC_EXAMPLES_DIR, ec), end;
       !ec && it != end; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".nas")
      files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_F(FrontendTest, EveryExampleParsesAndVerifies) {
  std::vector<std::string> files = exampleFiles();
  ASSERT_GE(files.size(), 3u) << "no examples in " << NASC_EXAMPLES_DIR;
  for (const std::string &file : files) {
    SCOPED_TRACE(file);
    auto buffer = llvm::MemoryBuffer::getFile(file);
    ASSERT_TRUE(bool(buffer));
    diags.clear();
    OwningOpRef<ModuleOp> module = parse((*buffer)->getBuffer(), file);
    ASSERT_TRUE(module);
    EXPECT_TRUE(diags.empty());
    EXPECT_TRUE(succeeded(verify(*module)));
    SpecOp spec = getSpec(*module);
    ASSERT_TRUE(spec);
    EXPECT_EQ(spec.getSymName(), llvm::sys::path::stem(file));
    EXPECT_EQ(collect<NetworkOp>(spec).size(), 1u);
  }
}

TEST_F(FrontendTest, PrintedModulesParseBackToTheSameText) {
  std::vector<std::string> sources;
  for (const std::string &file : exampleFiles()) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    ASSERT_TRUE(bool(buffer));
    sources.push_back((*buffer)->getBuffer().str());
  }
  // Escapes, quantities, ranges, tunables, residual names and stages.
  sources.push_back(
      "dataset d { input = [16, 8, 8]; classes = 10; path = \"a \\\"b\\\"\"; "
      "}\n"
      "target t : fpga { lut = 53.2 K; tunable pe = 8..32 step 8;\n"
      "  tunable template = {\"folded\", \"dataflow\"}; }\n"
      "network n {\n"
      "  r: residual(shortcut = projection) { conv(out = 32, stride = 2); }\n"
      "  stage { repeat {1, 2} shared { relu; } }\n"
      "  global_avg_pool -> fc(out = classes, prune = {0.0, 0.5});\n"
      "}\n"
      "objectives weighted_sum { maximize accuracy weight 1;\n"
      "  minimize latency weight 0.5; }\n"
      "constraints { latency < 5 ms; accuracy >= 90 %; }\n"
      "search { strategy = evolution; population = 8; time_limit = 1 s; }\n"
      "evaluate { method = table; table = \"t.csv\"; }\n");
  ASSERT_GE(sources.size(), 4u);
  for (const std::string &source : sources) {
    diags.clear();
    OwningOpRef<ModuleOp> module = parse(source, "round.nas");
    ASSERT_TRUE(module);
    std::string printed = print(*module);
    OwningOpRef<ModuleOp> reparsed =
        parseSourceString<ModuleOp>(printed, &context);
    ASSERT_TRUE(reparsed) << printed;
    EXPECT_EQ(print(*reparsed), printed);
    EXPECT_TRUE(diags.empty());
  }
}

} // namespace
