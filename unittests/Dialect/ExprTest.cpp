//===- ExprTest.cpp - Channel arithmetic of user-defined ops --------------===//
//
// Exact rational evaluation, the model zoos' make_divisible, canonical
// printing and parsing, and the errors (overflow, division by zero).
//
//===----------------------------------------------------------------------===//

#include "nasc/Dialect/NAS/IR/Expr.h"

#include "gtest/gtest.h"

using namespace nasc::nas;

namespace {

/// Parses and evaluates `text` with `inputs`; "error: ..." on failure.
std::string eval(llvm::StringRef text, llvm::ArrayRef<int64_t> inputs = {}) {
  std::string error;
  auto code = parseExpr(text, error);
  if (!code)
    return "parse error: " + error;
  std::optional<Rational> value = evaluateExpr(*code, inputs, error);
  if (!value)
    return "error: " + error;
  return value->str();
}

TEST(ExprTest, ExactRationalArithmetic) {
  EXPECT_EQ(eval("in * 6", {16}), "96");
  EXPECT_EQ(eval("in / 3", {16}), "16/3");
  EXPECT_EQ(eval("in * 4.5 / 3", {16}), "24");
  EXPECT_EQ(eval("ceil(in / 3)", {16}), "6");
  EXPECT_EQ(eval("floor(-7 / 2)"), "-4");
  EXPECT_EQ(eval("min(in, 8) + max(in^1, 3)", {5, 16}), "13");
  EXPECT_EQ(eval("-(1 - 3) * 2"), "4");
}

TEST(ExprTest, MakeDivisibleIsTheModelZoosRounding) {
  // Values of TensorFlow's / OFA's _make_divisible(v, d, min):
  //   _make_divisible(16 * 0.25, 8) = 8 (never below the divisor)
  //   _make_divisible(24 * 4 / 4, 8) = 24
  //   _make_divisible(37, 8) = 40 (rounds to nearest: 37 + 4 = 41 -> 40)
  //   _make_divisible(35.9, 8) = 32, below 0.9 * 35.9 = 32.31, so 40
  //   _make_divisible(10, 8, 16) = 16
  EXPECT_EQ(eval("make_divisible(in * 0.25, 8)", {16}), "8");
  EXPECT_EQ(eval("make_divisible(in * 4 / 4, 8)", {24}), "24");
  EXPECT_EQ(eval("make_divisible(37, 8)"), "40");
  EXPECT_EQ(eval("make_divisible(35.9, 8)"), "40");
  EXPECT_EQ(eval("make_divisible(10, 8, 16)"), "16");
  EXPECT_EQ(eval("make_divisible(in, 0)", {8}),
            "error: make_divisible's divisor must be a positive integer, got 0");
}

TEST(ExprTest, ErrorsInsteadOfWrongNumbers) {
  EXPECT_EQ(eval("in / (in - 8)", {8}), "error: division by zero");
  EXPECT_EQ(eval("in * 4611686018427387904", {4}),
            "error: overflows 64-bit arithmetic");
  EXPECT_EQ(eval("in^2", {8, 8}),
            "error: reads the input of a call that does not enclose it");
  EXPECT_EQ(eval("in +"), "parse error: expected a value");
  EXPECT_EQ(eval("foo(in)"), "parse error: unknown function 'foo' of 1 argument(s)");
  std::string error;
  EXPECT_FALSE(evaluateIntExpr(*parseExpr("in / 3", error), {16}, error));
  EXPECT_EQ(error, "is 16/3, not an integer");
}

TEST(ExprTest, ConstantsFoldAndPrintingParsesBack) {
  for (llvm::StringRef text :
       {"in * 6", "make_divisible(in * 3 / 2, 8)", "in - (in^1 - 2)",
        "-in + 3", "(in + 1) * (in - 1)", "in / 4 * 3", "ceil(in / 3)"}) {
    std::string error;
    auto code = parseExpr(text, error);
    ASSERT_TRUE(code) << text.str() << ": " << error;
    std::string printed = exprToString(*code);
    auto again = parseExpr(printed, error);
    ASSERT_TRUE(again) << printed << ": " << error;
    EXPECT_EQ(*code, *again) << text.str() << " printed as " << printed;
  }
  std::string error;
  // Constant subexpressions fold, whichever way they are written.
  EXPECT_EQ(exprToString(*parseExpr("in * (2 * 3)", error)), "in * 6");
  EXPECT_EQ(exprToString(*parseExpr("in * 0.25", error)), "in * (1/4)");
  EXPECT_FALSE(isWellFormedExpr({int64_t(ExprOpcode::Add)}));
}

} // namespace
