//===- Expr.cpp - Channel arithmetic of user-defined ops ------------------===//

#include "nasc/Dialect/NAS/IR/Expr.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <numeric>

using namespace nasc;
using namespace nasc::nas;

std::string Rational::str() const {
  if (isInteger())
    return std::to_string(num);
  return std::to_string(num) + "/" + std::to_string(den);
}

//===----------------------------------------------------------------------===//
// Exact arithmetic
//===----------------------------------------------------------------------===//

namespace {
/// Rational arithmetic that reports overflow instead of wrapping.
struct Arithmetic {
  std::string &error;

  std::optional<Rational> make(int64_t num, int64_t den) {
    if (den == 0) {
      error = "division by zero";
      return std::nullopt;
    }
    if (den < 0) {
      if (num == INT64_MIN || den == INT64_MIN)
        return overflow();
      num = -num;
      den = -den;
    }
    int64_t g = std::gcd(num, den);
    if (g > 1) {
      num /= g;
      den /= g;
    }
    return Rational{num, den};
  }
  std::optional<Rational> overflow() {
    error = "overflows 64-bit arithmetic";
    return std::nullopt;
  }
  std::optional<Rational> add(Rational a, Rational b, bool subtract) {
    int64_t left, right, den, num;
    if (__builtin_mul_overflow(a.num, b.den, &left) ||
        __builtin_mul_overflow(b.num, a.den, &right) ||
        __builtin_mul_overflow(a.den, b.den, &den) ||
        (subtract ? __builtin_sub_overflow(left, right, &num)
                  : __builtin_add_overflow(left, right, &num)))
      return overflow();
    return make(num, den);
  }
  std::optional<Rational> mul(Rational a, Rational b) {
    // Cross-reduce first so products of reduced fractions rarely overflow.
    int64_t g1 = std::gcd(a.num, b.den), g2 = std::gcd(b.num, a.den);
    g1 = g1 ? g1 : 1;
    g2 = g2 ? g2 : 1;
    int64_t num, den;
    if (__builtin_mul_overflow(a.num / g1, b.num / g2, &num) ||
        __builtin_mul_overflow(a.den / g2, b.den / g1, &den))
      return overflow();
    return make(num, den);
  }
  std::optional<Rational> div(Rational a, Rational b) {
    if (b.num == 0) {
      error = "division by zero";
      return std::nullopt;
    }
    std::optional<Rational> inverse = make(b.den, b.num);
    if (!inverse)
      return std::nullopt;
    return mul(a, *inverse);
  }
  static int64_t floor(Rational a) {
    int64_t q = a.num / a.den;
    return (a.num % a.den != 0 && a.num < 0) ? q - 1 : q;
  }
  static int64_t ceil(Rational a) {
    int64_t q = a.num / a.den;
    return (a.num % a.den != 0 && a.num > 0) ? q + 1 : q;
  }
  static bool less(Rational a, Rational b) {
    // a.num/a.den < b.num/b.den, in 128 bits.
    return __int128(a.num) * b.den < __int128(b.num) * a.den;
  }
  /// The model zoos' _make_divisible(v, d, min): max(min, int(v + d/2) //
  /// d * d), plus d when that falls below 90% of v.
  std::optional<Rational> makeDivisible(Rational v, Rational d,
                                        std::optional<Rational> minimum) {
    if (!d.isInteger() || d.num <= 0) {
      error = "make_divisible's divisor must be a positive integer, got " +
              d.str();
      return std::nullopt;
    }
    std::optional<Rational> half = make(d.num, 2);
    std::optional<Rational> shifted = half ? add(v, *half, false) : half;
    if (!shifted)
      return std::nullopt;
    int64_t rounded = floor(*shifted);
    int64_t down = rounded >= 0 ? rounded / d.num
                                : -((-rounded + d.num - 1) / d.num);
    int64_t result;
    if (__builtin_mul_overflow(down, d.num, &result))
      return overflow();
    Rational lower = minimum ? *minimum : d;
    if (less(Rational::integer(result), lower)) {
      if (!lower.isInteger()) {
        error = "make_divisible's minimum must be an integer, got " +
                lower.str();
        return std::nullopt;
      }
      result = lower.num;
    }
    // result < 0.9 v  <=>  10 result < 9 v.
    if (__int128(result) * 10 * v.den < __int128(v.num) * 9 &&
        __builtin_add_overflow(result, d.num, &result))
      return overflow();
    return Rational::integer(result);
  }
};

/// One instruction's operand count and immediates.
struct OpcodeInfo {
  int operands;
  int immediates;
  const char *name;
};

std::optional<OpcodeInfo> getInfo(int64_t word) {
  switch (static_cast<ExprOpcode>(word)) {
  case ExprOpcode::Constant:
    return OpcodeInfo{0, 2, nullptr};
  case ExprOpcode::Input:
    return OpcodeInfo{0, 1, nullptr};
  case ExprOpcode::Add:
    return OpcodeInfo{2, 0, "+"};
  case ExprOpcode::Sub:
    return OpcodeInfo{2, 0, "-"};
  case ExprOpcode::Mul:
    return OpcodeInfo{2, 0, "*"};
  case ExprOpcode::Div:
    return OpcodeInfo{2, 0, "/"};
  case ExprOpcode::Neg:
    return OpcodeInfo{1, 0, "-"};
  case ExprOpcode::Ceil:
    return OpcodeInfo{1, 0, "ceil"};
  case ExprOpcode::Floor:
    return OpcodeInfo{1, 0, "floor"};
  case ExprOpcode::Min:
    return OpcodeInfo{2, 0, "min"};
  case ExprOpcode::Max:
    return OpcodeInfo{2, 0, "max"};
  case ExprOpcode::MakeDivisible:
    return OpcodeInfo{2, 0, "make_divisible"};
  case ExprOpcode::MakeDivisibleMin:
    return OpcodeInfo{3, 0, "make_divisible"};
  }
  return std::nullopt;
}

/// Applies `op` to `args`.
std::optional<Rational> applyOp(Arithmetic &arith, ExprOpcode op,
                                llvm::ArrayRef<Rational> args) {
  switch (op) {
  case ExprOpcode::Add:
    return arith.add(args[0], args[1], false);
  case ExprOpcode::Sub:
    return arith.add(args[0], args[1], true);
  case ExprOpcode::Mul:
    return arith.mul(args[0], args[1]);
  case ExprOpcode::Div:
    return arith.div(args[0], args[1]);
  case ExprOpcode::Neg:
    if (args[0].num == INT64_MIN)
      return arith.overflow();
    return Rational{-args[0].num, args[0].den};
  case ExprOpcode::Ceil:
    return Rational::integer(Arithmetic::ceil(args[0]));
  case ExprOpcode::Floor:
    return Rational::integer(Arithmetic::floor(args[0]));
  case ExprOpcode::Min:
    return Arithmetic::less(args[1], args[0]) ? args[1] : args[0];
  case ExprOpcode::Max:
    return Arithmetic::less(args[0], args[1]) ? args[1] : args[0];
  case ExprOpcode::MakeDivisible:
    return arith.makeDivisible(args[0], args[1], std::nullopt);
  case ExprOpcode::MakeDivisibleMin:
    return arith.makeDivisible(args[0], args[1], args[2]);
  case ExprOpcode::Constant:
  case ExprOpcode::Input:
    break;
  }
  arith.error = "malformed expression";
  return std::nullopt;
}
} // namespace

//===----------------------------------------------------------------------===//
// Programs
//===----------------------------------------------------------------------===//

void ExprProgram::constant(Rational value) {
  valueStarts.push_back(code.size());
  code.append({int64_t(ExprOpcode::Constant), value.num, value.den});
}

void ExprProgram::input(int64_t level) {
  valueStarts.push_back(code.size());
  code.append({int64_t(ExprOpcode::Input), level});
}

void ExprProgram::apply(ExprOpcode op) {
  int operands = getInfo(int64_t(op))->operands;
  assert(int(valueStarts.size()) >= operands && "operator without operands");
  size_t first = valueStarts[valueStarts.size() - operands];
  valueStarts.resize(valueStarts.size() - operands);
  // An operator whose operands are all constants is folded, so that a
  // program has one form whatever way it was built (and prints and parses
  // back to itself).
  bool allConstant = code.size() - first == size_t(3 * operands);
  llvm::SmallVector<Rational, 3> args;
  for (int i = 0; allConstant && i < operands; ++i) {
    size_t at = first + 3 * i;
    allConstant = code[at] == int64_t(ExprOpcode::Constant);
    args.push_back({code[at + 1], code[at + 2]});
  }
  if (allConstant) {
    std::string error;
    Arithmetic arith{error};
    if (std::optional<Rational> folded = applyOp(arith, op, args)) {
      code.truncate(first);
      constant(*folded);
      return;
    }
  }
  valueStarts.push_back(first);
  code.push_back(int64_t(op));
}

void ExprProgram::append(llvm::ArrayRef<int64_t> other, int64_t levelShift) {
  valueStarts.push_back(code.size());
  for (size_t i = 0; i < other.size();) {
    std::optional<OpcodeInfo> info = getInfo(other[i]);
    size_t length = 1 + (info ? info->immediates : 0);
    for (size_t j = 0; j < length && i + j < other.size(); ++j)
      code.push_back(other[i + j]);
    if (other[i] == int64_t(ExprOpcode::Input) && i + 1 < other.size())
      code.back() += levelShift;
    i += length;
  }
}

/// Calls `fn(opcode, immediates)` per instruction; false on a truncated or
/// unknown instruction.
template <typename Fn>
static bool forEachInstruction(llvm::ArrayRef<int64_t> code, Fn fn) {
  for (size_t i = 0; i < code.size();) {
    std::optional<OpcodeInfo> info = getInfo(code[i]);
    if (!info || i + 1 + info->immediates > code.size())
      return false;
    if (!fn(static_cast<ExprOpcode>(code[i]), *info,
            code.slice(i + 1, info->immediates)))
      return false;
    i += 1 + info->immediates;
  }
  return true;
}

bool nas::isWellFormedExpr(llvm::ArrayRef<int64_t> code) {
  int64_t depth = 0;
  bool ok = forEachInstruction(
      code, [&](ExprOpcode op, const OpcodeInfo &info,
                llvm::ArrayRef<int64_t> imm) {
        if (op == ExprOpcode::Constant && imm[1] <= 0)
          return false;
        if (op == ExprOpcode::Input && imm[0] < 0)
          return false;
        if (depth < info.operands)
          return false;
        depth += 1 - info.operands;
        return true;
      });
  return ok && depth == 1;
}

bool nas::readsInput(llvm::ArrayRef<int64_t> code) {
  return getMaxInputLevel(code) >= 0;
}

int64_t nas::getMaxInputLevel(llvm::ArrayRef<int64_t> code) {
  int64_t level = -1;
  forEachInstruction(code, [&](ExprOpcode op, const OpcodeInfo &,
                               llvm::ArrayRef<int64_t> imm) {
    if (op == ExprOpcode::Input)
      level = std::max(level, imm[0]);
    return true;
  });
  return level;
}

std::optional<Rational> nas::evaluateExpr(llvm::ArrayRef<int64_t> code,
                                          llvm::ArrayRef<int64_t> inputs,
                                          std::string &error) {
  Arithmetic arith{error};
  llvm::SmallVector<Rational, 8> stack;
  bool ok = forEachInstruction(
      code, [&](ExprOpcode op, const OpcodeInfo &info,
                llvm::ArrayRef<int64_t> imm) {
        if (op == ExprOpcode::Constant) {
          std::optional<Rational> value = arith.make(imm[0], imm[1]);
          if (!value)
            return false;
          stack.push_back(*value);
          return true;
        }
        if (op == ExprOpcode::Input) {
          if (imm[0] < 0 || imm[0] >= int64_t(inputs.size())) {
            error = "reads the input of a call that does not enclose it";
            return false;
          }
          stack.push_back(Rational::integer(inputs[inputs.size() - 1 - imm[0]]));
          return true;
        }
        if (int64_t(stack.size()) < info.operands) {
          error = "malformed expression";
          return false;
        }
        llvm::ArrayRef<Rational> args =
            llvm::ArrayRef(stack).take_back(info.operands);
        std::optional<Rational> result = applyOp(arith, op, args);
        if (!result)
          return false;
        stack.resize(stack.size() - info.operands);
        stack.push_back(*result);
        return true;
      });
  if (!ok) {
    if (error.empty())
      error = "malformed expression";
    return std::nullopt;
  }
  if (stack.size() != 1) {
    error = "malformed expression";
    return std::nullopt;
  }
  return stack.front();
}

std::optional<int64_t> nas::evaluateIntExpr(llvm::ArrayRef<int64_t> code,
                                            llvm::ArrayRef<int64_t> inputs,
                                            std::string &error) {
  std::optional<Rational> value = evaluateExpr(code, inputs, error);
  if (!value)
    return std::nullopt;
  if (!value->isInteger()) {
    error = "is " + value->str() + ", not an integer";
    return std::nullopt;
  }
  return value->num;
}

//===----------------------------------------------------------------------===//
// Printing and parsing
//===----------------------------------------------------------------------===//

namespace {
/// Binding strength when printing: sums, products, unary minus, atoms.
enum Precedence { Sum = 0, Product = 1, Unary = 2, Atom = 3 };
} // namespace

void nas::printExpr(llvm::ArrayRef<int64_t> code, llvm::raw_ostream &os) {
  llvm::SmallVector<std::pair<std::string, int>, 8> stack;
  bool ok = forEachInstruction(
      code, [&](ExprOpcode op, const OpcodeInfo &info,
                llvm::ArrayRef<int64_t> imm) {
        if (op == ExprOpcode::Constant) {
          Rational value{imm[0], imm[1]};
          int prec = value.num < 0 ? Unary : value.isInteger() ? Atom : Product;
          stack.push_back({value.str(), prec});
          return true;
        }
        if (op == ExprOpcode::Input) {
          stack.push_back(
              {imm[0] == 0 ? std::string("in") : "in^" + std::to_string(imm[0]),
               Atom});
          return true;
        }
        if (int64_t(stack.size()) < info.operands)
          return false;
        auto args = llvm::ArrayRef(stack).take_back(info.operands).vec();
        stack.resize(stack.size() - info.operands);
        auto wrap = [](const std::pair<std::string, int> &arg, bool paren) {
          return paren ? "(" + arg.first + ")" : arg.first;
        };
        switch (op) {
        case ExprOpcode::Add:
        case ExprOpcode::Sub:
        case ExprOpcode::Mul:
        case ExprOpcode::Div: {
          int prec = (op == ExprOpcode::Add || op == ExprOpcode::Sub) ? Sum
                                                                      : Product;
          stack.push_back({wrap(args[0], args[0].second < prec) + " " +
                               info.name + " " +
                               wrap(args[1], args[1].second <= prec),
                           prec});
          return true;
        }
        case ExprOpcode::Neg:
          stack.push_back({"-" + wrap(args[0], args[0].second < Atom), Unary});
          return true;
        default: {
          std::string text = std::string(info.name) + "(";
          for (size_t i = 0; i < args.size(); ++i)
            text += (i ? ", " : "") + args[i].first;
          stack.push_back({text + ")", Atom});
          return true;
        }
        }
      });
  if (!ok || stack.size() != 1) {
    os << "<malformed>";
    return;
  }
  os << stack.front().first;
}

std::string nas::exprToString(llvm::ArrayRef<int64_t> code) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printExpr(code, os);
  return text;
}

namespace {
/// A recursive-descent parser of printExpr's syntax:
///   sum     := product (('+' | '-') product)*
///   product := unary (('*' | '/') unary)*
///   unary   := '-' unary | atom
///   atom    := NUMBER | 'in' ('^' INT)? | NAME '(' sum (',' sum)* ')'
///            | '(' sum ')'
class Parser {
public:
  Parser(llvm::StringRef text, std::string &error) : text(text), error(error) {}

  bool parse(ExprProgram &program) {
    if (!sum(program, 0))
      return false;
    skipSpace();
    if (!text.empty())
      return fail("unexpected '" + text.take_front(1).str() + "'");
    return true;
  }

private:
  llvm::StringRef text;
  std::string &error;
  static constexpr unsigned kMaxDepth = 64;

  bool fail(const std::string &message) {
    if (error.empty())
      error = message;
    return false;
  }
  void skipSpace() { text = text.ltrim(); }
  bool consume(char c) {
    skipSpace();
    if (!text.starts_with(llvm::StringRef(&c, 1)))
      return false;
    text = text.drop_front();
    return true;
  }
  bool sum(ExprProgram &p, unsigned depth) {
    if (depth > kMaxDepth)
      return fail("expression nested too deeply");
    if (!product(p, depth))
      return false;
    while (true) {
      ExprOpcode op;
      if (consume('+'))
        op = ExprOpcode::Add;
      else if (consume('-'))
        op = ExprOpcode::Sub;
      else
        return true;
      if (!product(p, depth))
        return false;
      p.apply(op);
    }
  }
  bool product(ExprProgram &p, unsigned depth) {
    if (!unary(p, depth))
      return false;
    while (true) {
      ExprOpcode op;
      if (consume('*'))
        op = ExprOpcode::Mul;
      else if (consume('/'))
        op = ExprOpcode::Div;
      else
        return true;
      if (!unary(p, depth))
        return false;
      p.apply(op);
    }
  }
  bool unary(ExprProgram &p, unsigned depth) {
    if (depth > kMaxDepth)
      return fail("expression nested too deeply");
    if (consume('-')) {
      if (!unary(p, depth + 1))
        return false;
      p.apply(ExprOpcode::Neg);
      return true;
    }
    return atom(p, depth);
  }
  bool integer(int64_t &value) {
    skipSpace();
    size_t digits = 0;
    while (digits < text.size() && llvm::isDigit(text[digits]))
      ++digits;
    if (digits == 0 || text.take_front(digits).getAsInteger(10, value))
      return fail("expected an integer");
    text = text.drop_front(digits);
    return true;
  }
  bool atom(ExprProgram &p, unsigned depth) {
    skipSpace();
    if (consume('(')) {
      if (!sum(p, depth + 1))
        return false;
      return consume(')') || fail("expected ')'");
    }
    if (!text.empty() && llvm::isDigit(text.front())) {
      int64_t whole;
      if (!integer(whole))
        return false;
      Rational value = Rational::integer(whole);
      if (text.starts_with(".")) {
        text = text.drop_front();
        size_t digits = 0;
        while (digits < text.size() && llvm::isDigit(text[digits]))
          ++digits;
        llvm::StringRef fraction = text.take_front(digits);
        text = text.drop_front(digits);
        if (fraction.empty() || fraction.size() > 18)
          return fail("expected the digits of a decimal");
        int64_t scale = 1, part = 0;
        for (char c : fraction) {
          scale *= 10;
          part = part * 10 + (c - '0');
        }
        std::string e;
        Arithmetic arith{e};
        std::optional<Rational> sum =
            arith.add(value, *arith.make(part, scale), false);
        if (!sum)
          return fail("number " + e);
        value = *sum;
      }
      p.constant(value);
      return true;
    }
    size_t length = 0;
    while (length < text.size() &&
           (llvm::isAlnum(text[length]) || text[length] == '_'))
      ++length;
    llvm::StringRef name = text.take_front(length);
    if (name.empty())
      return fail(text.empty() ? "expected a value"
                               : "unexpected '" + text.take_front(1).str() +
                                     "'");
    text = text.drop_front(length);
    if (name == "in") {
      int64_t level = 0;
      if (consume('^') && !integer(level))
        return false;
      p.input(level);
      return true;
    }
    if (!consume('('))
      return fail("unknown name '" + name.str() + "'");
    unsigned args = 0;
    do {
      if (!sum(p, depth + 1))
        return false;
      ++args;
    } while (consume(','));
    if (!consume(')'))
      return fail("expected ')'");
    std::optional<ExprOpcode> op = getFunction(name, args);
    if (!op)
      return fail("unknown function '" + name.str() + "' of " +
                  std::to_string(args) + " argument(s)");
    p.apply(*op);
    return true;
  }

public:
  static std::optional<ExprOpcode> getFunction(llvm::StringRef name,
                                               unsigned args) {
    if (name == "ceil" && args == 1)
      return ExprOpcode::Ceil;
    if (name == "floor" && args == 1)
      return ExprOpcode::Floor;
    if (name == "min" && args == 2)
      return ExprOpcode::Min;
    if (name == "max" && args == 2)
      return ExprOpcode::Max;
    if (name == "make_divisible" && args == 2)
      return ExprOpcode::MakeDivisible;
    if (name == "make_divisible" && args == 3)
      return ExprOpcode::MakeDivisibleMin;
    return std::nullopt;
  }
};
} // namespace

std::optional<ExprOpcode> nas::getExprFunction(llvm::StringRef name,
                                               unsigned numArgs) {
  return Parser::getFunction(name, numArgs);
}

std::optional<llvm::SmallVector<int64_t, 8>>
nas::parseExpr(llvm::StringRef text, std::string &error) {
  ExprProgram program;
  if (!Parser(text, error).parse(program))
    return std::nullopt;
  return llvm::SmallVector<int64_t, 8>(program.getCode());
}
