//===- Expr.h - Channel arithmetic of user-defined ops ----------*- C++ -*-===//
//
// An integer hyper-parameter of a layer inside a user-defined `op` may be an
// expression over `in`, the input channels of the op's call: `in * 6`,
// `make_divisible(in * 0.25, 8)`. The front end folds everything else
// (parameters, literals); what is left depends on the candidate and is kept
// as a #nas.expr attribute, a postfix program evaluated in exact rational
// arithmetic against the input channels of the enclosing calls
// (`nas.block ... scope`). docs/language.md, "User-defined ops".
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_EXPR_H
#define NASC_DIALECT_NAS_IR_EXPR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace nasc {
namespace nas {

/// An exact fraction num/den, den > 0, in lowest terms.
struct Rational {
  int64_t num = 0;
  int64_t den = 1;

  static Rational integer(int64_t value) { return {value, 1}; }
  bool isInteger() const { return den == 1; }
  bool operator==(const Rational &other) const {
    return num == other.num && den == other.den;
  }
  /// "7/2", or "7" for an integer.
  std::string str() const;
};

/// What an instruction of an expression program does. A program is a
/// sequence of int64 words: an opcode, then its immediate operands.
enum class ExprOpcode : int64_t {
  /// Pushes num/den (two immediates).
  Constant = 0,
  /// Pushes the input channels of the enclosing call `level` calls out
  /// (one immediate; 0 is the innermost).
  Input,
  Add,
  Sub,
  Mul,
  Div,
  Neg,
  Ceil,
  Floor,
  Min,
  Max,
  /// make_divisible(value, divisor): the model zoos' rounding to a multiple
  /// of the divisor, never below it nor below 90% of the value.
  MakeDivisible,
  /// make_divisible(value, divisor, minimum).
  MakeDivisibleMin,
};

/// An expression program, built in postfix order.
class ExprProgram {
public:
  void constant(Rational value);
  void input(int64_t level);
  void apply(ExprOpcode op);
  /// Appends the well-formed program `other` as one operand, its input
  /// levels raised by `levelShift`.
  void append(llvm::ArrayRef<int64_t> other, int64_t levelShift = 0);
  llvm::ArrayRef<int64_t> getCode() const { return code; }
  bool empty() const { return code.empty(); }

private:
  llvm::SmallVector<int64_t, 8> code;
  /// Where each value on the evaluation stack starts in `code`.
  llvm::SmallVector<size_t, 4> valueStarts;
};

/// Whether an expression reads the input channels of a call.
bool readsInput(llvm::ArrayRef<int64_t> code);
/// The outermost call level an expression reads, or -1.
int64_t getMaxInputLevel(llvm::ArrayRef<int64_t> code);

/// Evaluates `code` with `inputs` the input channels of the enclosing calls,
/// innermost last. Fails with a message in `error` on a division by zero, an
/// overflow of 64-bit arithmetic, a level beyond `inputs` or a malformed
/// program.
std::optional<Rational> evaluateExpr(llvm::ArrayRef<int64_t> code,
                                     llvm::ArrayRef<int64_t> inputs,
                                     std::string &error);
/// Evaluates an expression that must give an integer ("is not an integer"
/// otherwise).
std::optional<int64_t> evaluateIntExpr(llvm::ArrayRef<int64_t> code,
                                       llvm::ArrayRef<int64_t> inputs,
                                       std::string &error);

/// Prints `code` in infix form, `in` for level 0 and `in^N` for level N:
/// the syntax parseExpr reads back.
void printExpr(llvm::ArrayRef<int64_t> code, llvm::raw_ostream &os);
std::string exprToString(llvm::ArrayRef<int64_t> code);
/// Whether `code` is a well-formed program (every operator has its
/// operands, one value is left).
bool isWellFormedExpr(llvm::ArrayRef<int64_t> code);
/// The function `name` of `numArgs` arguments (ceil, floor, min, max,
/// make_divisible), if there is one.
std::optional<ExprOpcode> getExprFunction(llvm::StringRef name,
                                          unsigned numArgs);
/// Parses printExpr's syntax; fails with a message in `error`.
std::optional<llvm::SmallVector<int64_t, 8>> parseExpr(llvm::StringRef text,
                                                       std::string &error);

} // namespace nas
} // namespace nasc

#endif // NASC_DIALECT_NAS_IR_EXPR_H
