//===- NasGenerator.cpp - Grammar-driven .nas program generator -----------===//
//
// One recursive writer per rule of grammar/Nas.g4. The choices are weighted
// towards programs the front end accepts (declared names are remembered and
// referred to, op arguments get values of the right kind), with a few
// percent of wrong choices everywhere (unknown names and keys, values of
// the wrong kind or unit, reserved words as names, invalid UTF-8) and a
// few percent of whole programs of one extreme shape (docs/cli.md,
// "nasc-fuzz").
//
//===----------------------------------------------------------------------===//

#include "NasGenerator.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SaveAndRestore.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>
#include <random>
#include <vector>

using namespace nasc::fuzz;

namespace {

// Integers near every boundary a 32-bit, 64-bit or double computation has.
const char *const kInterestingInts[] = {
    "0", "1", "2", "3", "7", "255", "256", "1000", "4096", "65535", "65536",
    "100000", "1000000000", "2000000000", "2147483647", "2147483648",
    "4294967295", "4294967296", "9007199254740993", "9223372036854775807",
    "9223372036854775808", "18446744073709551615", "18446744073709551616",
    "340282366920938463463374607431768211457"};
const char *const kInterestingFloats[] = {
    "0.0",    "0.5",     "1.0",     "0.999999", "1.5e-3",  "1e6",
    "1e18",   "1e19",    "1e308",   "1e309",    "1e-320",  "1e-400",
    "2.5E+2", "3.4e38",  "1.8446744073709552e19", "0.25",  "1e0"};
const char *const kUnits[] = {
    "h",    "min",   "s",     "ms",     "us",     "ns",    "J",     "mJ",
    "uJ",   "nJ",    "pJ",    "W",      "mW",     "uW",    "B",     "KB",
    "MB",   "GB",    "KiB",   "MiB",    "GiB",    "Hz",    "kHz",   "MHz",
    "GHz",  "OPS",   "MOPS",  "GOPS",   "TOPS",   "FLOPS", "MFLOPS", "GFLOPS",
    "TFLOPS", "B/s", "KB/s",  "MB/s",   "GB/s",   "TB/s",  "GiB/s", "mm2",
    "um2",  "K",     "M",     "G",      "T",      "%",     "parsec", "ms/B"};
const char *const kReserved[] = {
    "dataset",  "target", "ops",      "cell",       "edge",        "edges",
    "all",      "block",  "network",  "on",         "choose",      "repeat",
    "shared",   "stage",  "residual", "objectives", "constraints", "maximize",
    "minimize", "weight", "search",   "evaluate",   "compress",    "tunable",
    "step",     "op"};
// Names that are not ASCII identifiers: the lexer makes error tokens of
// them, and columns must still count bytes.
const char *const kUnicode[] = {"é", "名前", "Ω", "🚀", "\u200b", "ﬁ",
                                "\u202e", "a\u0301", "\xef\xbb\xbf"};
const char *const kTargetKinds[] = {"cpu", "gpu", "fpga", "asic", "mobile",
                                    "tiny"};
const char *const kMetrics[] = {"accuracy", "macs",   "flops",  "params",
                                "bops",     "model_size", "memory",
                                "latency",  "energy", "power",  "area"};

/// A built-in op and the arguments it takes (docs/language.md, §7).
struct OpInfo {
  const char *name;
  llvm::ArrayRef<const char *> args;
};
const char *const kConvArgs[] = {"out",      "kernel", "stride", "groups",
                                 "dilation", "wbits",  "abits",  "prune"};
const char *const kSepConvArgs[] = {"out",   "kernel", "stride",
                                    "wbits", "abits",  "prune"};
const char *const kMBConvArgs[] = {"out",    "kernel", "expand",
                                   "stride", "groups", "se",
                                   "wbits",  "abits",  "prune"};
const char *const kPoolArgs[] = {"kernel", "stride"};
const char *const kFcArgs[] = {"out", "wbits", "abits", "prune"};
const char *const kIdentityArgs[] = {"out", "stride"};
const char *const kDwConvArgs[] = {"out",   "kernel", "stride", "dilation",
                                   "wbits", "abits",  "prune"};
const char *const kShuffleArgs[] = {"groups"};
const char *const kSeArgs[] = {"squeeze"};
const OpInfo kOps[] = {
    {"conv", kConvArgs},          {"sep_conv", kSepConvArgs},
    {"mbconv", kMBConvArgs},      {"avg_pool", kPoolArgs},
    {"max_pool", kPoolArgs},      {"global_avg_pool", {}},
    {"global_max_pool", {}},      {"fc", kFcArgs},
    {"linear", kFcArgs},          {"identity", kIdentityArgs},
    {"skip", kIdentityArgs},      {"zero", {}},
    {"none", {}},                 {"bn", {}},
    {"relu", {}},                 {"relu6", {}},
    {"hswish", {}},               {"swish", {}},
    {"sigmoid", {}},              {"tanh", {}},
    {"dwconv", kDwConvArgs},      {"shuffle", kShuffleArgs},
    {"se", kSeArgs}};
// Functions of channel arithmetic and their argument counts (§6.7), and
// some that do not exist.
const std::pair<const char *, unsigned> kFunctions[] = {
    {"ceil", 1},  {"floor", 1},          {"min", 2},
    {"max", 2},   {"make_divisible", 2}, {"make_divisible", 3},
    {"round", 1}, {"sqrt", 1},           {"pow", 2}};
// Op-valued arguments that keep the shape: activations and friends.
const char *const kShapeKeepingOps[] = {"relu",    "relu6", "hswish",   "swish",
                                        "sigmoid", "tanh",  "identity", "bn"};

/// A parameter of a user-defined op (docs/language.md, §6.7): the kind of
/// value it holds and, for an integer, the built-in argument it feeds.
struct Param {
  enum Kind { Int, Op, Bool };
  std::string name;
  Kind kind;
  llvm::StringRef key;
  bool hasDefault;
};
struct UserOp {
  std::string name;
  std::vector<Param> params;
  /// Takes no argument and keeps the shape: a value for an op parameter.
  bool leaf;
};

/// Writes one program (or one fragment of one) into `out`.
class Generator {
public:
  Generator(uint64_t seed, size_t maxSize) : rng(seed), maxSize(maxSize) {}

  std::string program();
  /// A layer, a declaration or a number on its own, to splice into an
  /// existing program.
  std::string layerFragment();
  std::string declFragment();
  std::string numberFragment();

  uint64_t below(uint64_t n) { return n ? rng() % n : 0; }
  /// A size in [1, max], log-uniform: mostly small, sometimes the largest.
  uint64_t scale(uint64_t max) {
    if (max <= 1)
      return 1;
    double log = std::uniform_real_distribution<double>(
        0, std::log(double(max)))(rng);
    return std::clamp<uint64_t>(uint64_t(std::exp(log)), 1, max);
  }
  bool chance(unsigned percent) { return below(100) < percent; }

private:
  template <typename T, size_t N> T pick(T const (&items)[N]) {
    return items[below(N)];
  }
  template <typename T> const T &pick(const std::vector<T> &items) {
    return items[below(items.size())];
  }
  /// Whether to make a deliberately wrong choice here.
  bool wrong() { return below(1000) < wrongPerMille; }
  bool full() const { return out.size() >= maxSize; }

  void sp();
  void comment();
  std::string freshName(const char *prefix);
  void name(const std::vector<std::string> &declared, const char *prefix);
  void label();

  void integer();
  void number();
  void quantity(const char *unit);
  void string();
  void intArg();
  void intValue();
  void expr(unsigned depth);
  void exprAtom();
  void channelExpr();
  void tunableValue();
  void value(unsigned depth);
  void nestedValue(unsigned levels);

  void dataset();
  void target();
  void opsDecl();
  void userOp();
  void userOpBody(const UserOp &op);
  void cell();
  /// `edge FROM -> TO : alternatives`, without the `;`.
  void edge(uint64_t from, uint64_t to);
  void block();
  void network();
  void objectives(bool constrained);
  void constraints();
  void settings(unsigned kind);

  void layers(unsigned depth, unsigned count);
  void layer(unsigned depth);
  void chain(unsigned length);
  void opCall();
  void args(llvm::ArrayRef<const char *> keys, llvm::StringRef op = {});
  bool paramArg(llvm::StringRef key);
  void userOpCall(const UserOp &op);
  void paramValue(const Param &param);
  void opValue();
  void alternatives(bool edge);

  void deepNesting();
  void longChain();
  void blockTower();
  void hugeNumbers();
  void longExpr();
  void tokenSoup();

  std::mt19937_64 rng;
  size_t maxSize;
  std::string out;
  unsigned wrongPerMille = 30;
  /// Every choice follows the language's rules, not only its grammar, so
  /// the program reaches the space model and the analyses.
  bool sane = false;
  /// Inside a cell edge or an identity residual: ops keep the shape.
  bool keepShape = false;
  unsigned nextName = 0;
  std::vector<std::string> datasets, targets, opsets, cells, blocks;
  std::vector<UserOp> userOps;
  /// The op whose body is being written: its parameters are in scope.
  const UserOp *inOp = nullptr;
};

} // namespace

//===----------------------------------------------------------------------===//
// Lexical pieces
//===----------------------------------------------------------------------===//

void Generator::sp() {
  if (chance(3))
    comment();
  out += below(8) ? " " : "\n";
}

void Generator::comment() {
  switch (below(3)) {
  case 0:
    out += "// ";
    out += pick(kUnicode);
    out += "\n";
    break;
  case 1:
    out += "# ";
    out += pick(kReserved);
    out += "\n";
    break;
  default:
    out += "/* ";
    out += pick(kUnicode);
    out += " */";
  }
}

std::string Generator::freshName(const char *prefix) {
  return std::string(prefix) + std::to_string(nextName++);
}

void Generator::name(const std::vector<std::string> &declared,
                     const char *prefix) {
  if (wrong()) {
    switch (below(4)) {
    case 0:
      out += pick(kReserved);
      return;
    case 1:
      out += pick(kUnicode);
      return;
    case 2:
      out += std::string(1 + below(300), 'x');
      return;
    default:
      out += freshName("undeclared");
      return;
    }
  }
  out += declared.empty() ? freshName(prefix) : pick(declared);
}

void Generator::label() {
  if (chance(40)) {
    name({}, "l");
    out += ": ";
  }
}

void Generator::integer() {
  if (sane) {
    out += pick({"1", "2", "3", "4", "8", "16", "32"});
    return;
  }
  if (chance(80)) {
    out += std::to_string(below(5) ? 1 + below(8) : below(300));
    return;
  }
  if (chance(3)) { // beyond any fixed-width integer
    out += '1';
    out.append(below(400), '0');
    return;
  }
  out += pick(kInterestingInts);
}

void Generator::number() {
  if (sane) {
    out += pick({"0.1", "0.5", "1", "2", "10", "1.5e-3"});
    return;
  }
  if (chance(10))
    out += '-';
  if (chance(60))
    integer();
  else
    out += pick(kInterestingFloats);
}

void Generator::quantity(const char *unit) {
  number();
  if (wrong())
    unit = pick(kUnits);
  if (unit && *unit) {
    if (chance(70))
      out += ' ';
    out += unit;
  }
}

void Generator::string() {
  out += '"';
  unsigned n = below(6);
  for (unsigned i = 0; i < n; ++i) {
    switch (below(6)) {
    case 0:
      out += pick(kUnicode);
      break;
    case 1:
      out += "\\\"";
      break;
    case 2:
      out += "\\n";
      break;
    case 3:
      if (!sane && chance(10))
        out += "\xff\xfe"; // not UTF-8
      break;
    default:
      out += "data/x";
    }
  }
  out += '"';
}

/// A fixed integer, a choice of integers or a range: what integer op
/// arguments and repeat counts take.
void Generator::intArg() {
  if (sane) {
    // Distinct ascending alternatives; a range that ends on its bound.
    uint64_t lo = 1 + below(4), step = 1 + below(3), count = 1 + below(3);
    if (chance(50)) {
      out += "{";
      for (uint64_t i = 0; i < count; ++i)
        out += (i ? ", " : "") + std::to_string(lo + i * step);
      out += "}";
    } else if (chance(50)) {
      out += std::to_string(lo) + ".." + std::to_string(lo + count * step);
      if (step > 1 || chance(30))
        out += " step " + std::to_string(step);
    } else {
      out += std::to_string(lo);
    }
    return;
  }
  unsigned r = below(10);
  if (r < 6) {
    integer();
  } else if (r < 8) {
    out += '{';
    unsigned n = wrong() ? 0 : 1 + below(4);
    for (unsigned i = 0; i < n; ++i) {
      if (i)
        out += ", ";
      integer();
    }
    out += '}';
  } else {
    integer();
    out += "..";
    integer();
    if (chance(50)) {
      out += " step ";
      if (wrong())
        out += '-';
      integer();
    }
  }
}

/// What an integer op argument takes: `intArg`, or inside an op's body (and
/// now and then outside, where `in` is an error) channel arithmetic.
void Generator::intValue() {
  if (sane || !chance(inOp ? 40 : 5))
    intArg();
  else
    expr(0);
}

/// Channel arithmetic (docs/language.md, §6.7): operators, parentheses and
/// calls over `in`, `out`, the parameters and numbers, with division by
/// zero, huge constants, unknown functions and wrong argument counts.
void Generator::expr(unsigned depth) {
  switch (below(depth > 4 ? 2 : 9)) {
  case 0:
  case 1:
    exprAtom();
    return;
  case 2:
  case 3:
    expr(depth + 1);
    out += pick({" + ", " - ", " * ", " / ", "*", "/"});
    expr(depth + 1);
    return;
  case 4:
    out += '(';
    expr(depth + 1);
    out += ')';
    return;
  case 5:
    out += '-';
    expr(depth + 1);
    return;
  case 6: {
    auto [fn, arity] = pick(kFunctions);
    out += fn;
    out += '(';
    unsigned n = wrong() ? below(5) : arity;
    for (unsigned i = 0; i < n; ++i) {
      if (i)
        out += ", ";
      expr(depth + 1);
    }
    out += ')';
    return;
  }
  case 7: // division by zero, outright or for every input
    expr(depth + 1);
    out +=
        pick({" / 0", " / 0.0", " / (in - in)", " / (1 - 1)", " / floor(0.5)"});
    return;
  default: { // a chain of one operator kind or of mixed ones
    unsigned n = 2 + below(chance(10) ? 300 : 6);
    const char *op = pick({" + ", " - ", " * ", " / ", "mixed"});
    for (unsigned i = 0; i < n && !full(); ++i) {
      if (i)
        out += llvm::StringRef(op) == "mixed"
                   ? pick({" + ", " - ", " * ", " / "})
                   : op;
      exprAtom();
    }
  }
  }
}

void Generator::exprAtom() {
  unsigned r = below(10);
  if (r < 3 && (inOp || wrong())) {
    out += pick({"in", "in", "out"});
  } else if (r < 5 && inOp && !inOp->params.empty()) {
    out += inOp->params[below(inOp->params.size())].name;
  } else if (r < 6 && wrong()) {
    name({}, "v");
  } else if (r < 7) {
    out += pick({"0.5", "1.5", "0.25", "2.0", "0.0", "1e3", "1.5e-3", "3.4e38",
                 "1e309", "0.333"});
  } else if (r < 8 && chance(30)) {
    out += pick(kInterestingInts);
  } else {
    out += std::to_string(below(5) ? 1 + below(8) : below(300));
  }
}

/// A channel count that is an integer of at least 1 for every `in`.
void Generator::channelExpr() {
  std::string e = "2";
  for (const Param &p : inOp->params)
    if (p.key == "expand")
      e = p.name;
  std::string text = pick({"in * E", "make_divisible(in * E, 8)", "in",
                           "max(8, make_divisible(in / 2, 8))", "min(in, 64)",
                           "ceil(in / 2)", "floor(in * 1.5)", "(in + 1) * E",
                           "make_divisible(in * E, 8, 16)"});
  // `E` stands for the expansion.
  if (size_t at = text.find('E'); at != std::string::npos)
    text.replace(at, 1, e);
  out += text;
}

/// A hardware search parameter: a choice of integers or strings, or a range.
void Generator::tunableValue() {
  if (!sane && chance(20)) {
    intArg();
    return;
  }
  if (chance(20)) {
    out += pick({"{\"systolic\", \"dataflow\"}", "{\"a\"}",
                 "{\"é\", \"🚀\"}"});
    return;
  }
  out += pick({"{8, 16, 32}", "{1, 2}", "64..256 step 64", "1..4", "{4}"});
}

void Generator::value(unsigned depth) {
  switch (below(depth > 3 ? 4 : 7)) {
  case 0:
    quantity(pick(kUnits));
    return;
  case 1:
    string();
    return;
  case 2:
    name({}, "w");
    return;
  case 3:
    intArg();
    return;
  default: {
    bool list = chance(50);
    out += list ? '[' : '{';
    unsigned n = below(4);
    for (unsigned i = 0; i < n; ++i) {
      if (i)
        out += ", ";
      value(depth + 1);
    }
    out += list ? ']' : '}';
  }
  }
}

/// `levels` nested lists or choices around a number: the value rule is
/// recursive, so the parser recurses once per level.
void Generator::nestedValue(unsigned levels) {
  bool list = chance(50);
  out.append(levels, list ? '[' : '{');
  integer();
  out.append(levels, list ? ']' : '}');
}

//===----------------------------------------------------------------------===//
// Declarations
//===----------------------------------------------------------------------===//

void Generator::dataset() {
  std::string n = freshName("data");
  out += "dataset " + n + " {";
  sp();
  if (!wrong()) {
    out += "input = [";
    unsigned dims = sane || chance(80) ? 3 : 1 + below(4);
    for (unsigned i = 0; i < dims; ++i) {
      if (i)
        out += ", ";
      if (sane || chance(85))
        out += i == 0 ? pick({"1", "3", "16"}) : pick({"8", "16", "32", "64"});
      else
        integer();
    }
    out += "];";
    sp();
  }
  if (chance(20)) {
    // A searched input side (§5.1): few values in a sane program; else
    // also zero, empty, reversed and huge ranges, on any input.
    out += "resolution = ";
    if (sane)
      out += pick({"8", "{8, 16}", "8..16 step 4", "{16, 24, 32}"});
    else if (chance(40))
      out += pick({"0", "{}", "{0, 8}", "0..8", "16..8", "1..1024", "1..1025",
                   "1..4294967296 step 2", "4294967297", "8..16 step 0",
                   "{8, 8}", "1..1000000000"});
    else
      intArg();
    out += ";";
    sp();
  }
  if (!wrong()) {
    out += "classes = ";
    if (sane || chance(85))
      out += pick({"2", "10", "100", "1000"});
    else
      number();
    out += ";";
    sp();
  }
  if (chance(30)) {
    out += pick({"source", "path"});
    out += " = ";
    string();
    out += ";";
    sp();
  }
  if (wrong()) {
    name({}, "key");
    out += " = ";
    value(0);
    out += ";";
  }
  out += "}\n";
  datasets.push_back(n);
}

void Generator::target() {
  // Each property with the unit of its dimension (docs/language.md, §5.2).
  static const std::pair<const char *, const char *> props[] = {
      {"peak_compute", "GFLOPS"}, {"bandwidth", "GB/s"},
      {"memory", "MiB"},          {"sram", "KB"},
      {"flash", "MB"},            {"cache", "KiB"},
      {"frequency", "MHz"},       {"cores", ""},
      {"power", "W"},             {"energy_per_mac", "pJ"},
      {"energy_per_byte", "pJ"},  {"overhead", "us"},
      {"peak_int8", "TOPS"},      {"area", "mm2"},
      {"dsp", ""},                {"bram", ""},
      {"lut", "K"},               {"ff", "K"}};
  std::string n = freshName("hw");
  out += "target " + n + " : ";
  llvm::StringRef kind = pick(kTargetKinds);
  if (wrong())
    name({}, "kind");
  else
    out += kind.str();
  out += " {";
  sp();
  // Sane targets set each property once.
  std::vector<size_t> order(std::size(props) - (kind == "fpga" ? 0 : 4));
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  unsigned count = below(6);
  for (unsigned i = 0; i < count; ++i) {
    // fpga and cpu targets take their backends' tunable names (a sane
    // spec's values too: item i's name differs from the other items');
    // the other kinds take any name.
    static const char *const fpgaTunables[] = {
        "pe = {1, 2, 4}", "template = {\"folded\", \"dataflow\"}",
        "stages = {2, 3}", "pe = 1..8 step 2"};
    bool bound = kind == "fpga" || kind == "cpu";
    bool known = (kind == "fpga" && i < 3) || (kind == "cpu" && i == 0);
    if (chance(20) && (!sane || !bound || known)) {
      out += "tunable ";
      if (known && (sane || chance(50))) {
        out += kind == "cpu" ? "vector = {\"avx2\", \"avx512\"}"
                             : fpgaTunables[i == 0 && chance(50) ? 3 : i];
      } else {
        name({}, "t");
        out += " = ";
        tunableValue();
      }
    } else if (chance(10) && (!sane || i == 0)) {
      out += "preset = ";
      out += sane ? pick({"host_cpu", "jetson_nano", "mobile_a76", "pynq_z2",
                          "stm32f746"})
                  : pick({"host_cpu", "jetson_nano", "mobile_a76", "pynq_z2",
                          "stm32f746", "unknown_board"});
    } else {
      // The FPGA resources are the last four properties.
      auto [key, unit] = sane ? props[order[i]] : pick(props);
      out += key;
      out += " = ";
      quantity(unit);
    }
    out += ";";
    sp();
  }
  out += "}\n";
  targets.push_back(n);
}

void Generator::opsDecl() {
  std::string n = freshName("set");
  out += "ops " + n + " {";
  sp();
  // Sane op sets keep the shape, so that edges and residuals may use them.
  llvm::SaveAndRestore keep(keepShape, sane || keepShape);
  unsigned count = 1 + below(5);
  for (unsigned i = 0; i < count; ++i) {
    out += "o" + std::to_string(i) + ": ";
    chain(1 + below(3));
    out += ";";
    sp();
  }
  out += "}\n";
  opsets.push_back(n);
}

/// `op NAME(params) { layers }` (§6.7). A sane op has parameters in the
/// roles of published blocks (kernel, expansion, stride, activation,
/// attention) and keeps the shape unless a call passes `out` or `stride`;
/// otherwise parameters of any kind with defaults of any kind, and calls
/// of itself or of the op declared next.
void Generator::userOp() {
  UserOp op{"uop" + std::to_string(userOps.size()), {}, false};
  out += "op " + op.name + "(";
  static const std::pair<Param::Kind, const char *> roles[] = {
      {Param::Int, "kernel"}, {Param::Int, "expand"}, {Param::Int, "stride"},
      {Param::Op, "act"},     {Param::Op, "attn"},    {Param::Bool, "se"}};
  // A sane leaf op is SE-like: no parameters (a value for `attn`).
  op.leaf = sane && chance(25);
  unsigned count = op.leaf ? 0 : below(sane ? 6 : 5);
  for (unsigned i = 0; i < count; ++i) {
    auto [kind, key] = sane ? roles[i] : pick(roles);
    if (sane && chance(30))
      continue;
    Param param{freshName(key), kind, key, false};
    if (!sane && chance(5) && !op.params.empty())
      param.name = op.params.back().name; // a duplicate parameter
    if (!op.params.empty())
      out += ", ";
    out += wrong() ? std::string(pick(kReserved)) : param.name;
    // A sane stride defaults to 1, so that a call may leave it out where
    // the shape must be kept.
    param.hasDefault = (sane && param.key == "stride") || chance(50);
    if (param.hasDefault) {
      out += " = ";
      if (!sane && wrong())
        out += pick({"{3, 5}", "1..3", "{relu, tanh}", "\"x\"", "[1, 2]"});
      else if (param.kind == Param::Bool)
        out += pick({"true", "false"});
      else if (param.kind == Param::Op)
        opValue();
      else if (sane)
        out += param.key == "kernel"   ? pick({"3", "5"})
               : param.key == "expand" ? pick({"1", "3", "6"})
                                       : "1";
      else if (chance(40))
        expr(0); // over `in` and the parameters before it
      else
        intArg();
    }
    op.params.push_back(param);
  }
  out += ") {";
  sp();
  userOpBody(op);
  out += "}\n";
  userOps.push_back(std::move(op));
}

void Generator::userOpBody(const UserOp &op) {
  llvm::SaveAndRestore scope(inOp, &op);
  if (op.leaf) {
    out += "se(squeeze = make_divisible(in / 4, 8));";
    return;
  }
  if (!sane) {
    llvm::SaveAndRestore keep(keepShape, false);
    layers(2, below(4));
    return;
  }
  // The inverted residual of FBNet and MobileNetV3 (§6.7), or any layers
  // that keep the shape.
  llvm::SaveAndRestore keep(keepShape, true);
  if (chance(30)) {
    layers(2, 1 + below(2));
    return;
  }
  auto paramFor = [&](llvm::StringRef key, const char *otherwise) {
    for (const Param &p : op.params)
      if (p.key == key)
        return p.name;
    return std::string(otherwise);
  };
  bool residual = chance(60);
  if (residual)
    out += "residual(shortcut = identity_or_none) { ";
  std::string act = paramFor("act", "relu");
  out += "conv(out = ";
  channelExpr();
  out += ", kernel = 1) -> bn -> " + act + "; ";
  if (chance(20))
    out += "shuffle(groups = 1); ";
  out += "dwconv(kernel = " + paramFor("kernel", "3");
  if (llvm::any_of(op.params, [](const Param &p) { return p.key == "stride"; }))
    out += ", stride = " + paramFor("stride", "1");
  out += ") -> bn -> " + act;
  if (chance(70))
    out += " -> " + paramFor("attn", "identity");
  out += "; conv(out = out, kernel = 1) -> bn;";
  if (residual)
    out += " }";
}

/// An op as a value: a built-in op, a user op, or (wrong) anything else.
void Generator::opValue() {
  std::vector<std::string> leaves;
  for (const UserOp &op : userOps)
    if (op.leaf || !sane)
      leaves.push_back(op.name);
  if (!leaves.empty() && chance(30)) {
    out += pick(leaves);
  } else if (sane || !wrong()) {
    out += pick(kShapeKeepingOps);
  } else {
    switch (below(4)) {
    case 0:
      out += pick(kOps).name;
      return;
    case 1:
      out += pick({"true", "false", "3", "{relu, tanh}"});
      return;
    default:
      name({}, "op");
    }
  }
}

void Generator::cell() {
  std::string n = freshName("cell");
  uint64_t nodes = sane || chance(90) ? 2 + below(4) : below(2000);
  // A second input is an earlier layer, of another shape in a sane network.
  uint64_t inputs = sane ? 1 : 1 + below(3);
  out += "cell " + n + "(nodes = " + std::to_string(nodes);
  if (chance(30) || inputs > 1)
    out += ", inputs = " + std::to_string(inputs);
  if (chance(30))
    out += std::string(", output = ") +
           (sane ? pick({"last", "concat"}) : pick({"last", "concat", "first"}));
  out += ") {";
  sp();
  llvm::SaveAndRestore keep(keepShape, true);
  if (sane && chance(40)) {
    // A path through every non-input node, so each has an incoming edge.
    for (uint64_t to = inputs; to < nodes; ++to) {
      edge(to - 1, to);
      out += ";";
      sp();
    }
  } else if (sane || chance(60)) {
    out += "edges all : ";
    alternatives(/*edge=*/true);
    out += ";";
  } else {
    unsigned count = 1 + below(4);
    for (unsigned i = 0; i < count; ++i) {
      uint64_t from = below(nodes ? nodes : 1);
      uint64_t to = chance(90) ? from + 1 + below(2) : below(nodes + 2);
      edge(from, to);
      if (chance(80))
        out += ";";
      sp();
    }
  }
  out += "}\n";
  cells.push_back(n);
}

void Generator::edge(uint64_t from, uint64_t to) {
  out += "edge " + std::to_string(from) + " -> " + std::to_string(to) + " : ";
  alternatives(/*edge=*/true);
}

void Generator::block() {
  std::string n = freshName("blk");
  out += "block " + n + " {";
  sp();
  layers(2, 1 + below(3));
  out += "}\n";
  blocks.push_back(n);
}

void Generator::network() {
  out += "network " + freshName("net");
  if (!datasets.empty() && ((datasets.size() > 1 && sane) || chance(70))) {
    out += " on ";
    name(datasets, "data");
  }
  out += " {";
  sp();
  if (chance(80))
    out += "stem: conv(out = 16, kernel = 3) -> bn -> relu;\n";
  layers(4, below(5));
  if (chance(85))
    out += "head: global_avg_pool -> fc(out = classes);\n";
  out += "}\n";
}

void Generator::objectives(bool constrained) {
  if (sane) {
    // Distinct metrics, hardware ones on a declared target, and as many
    // objectives, weights and stages as the formulation asks for.
    std::vector<std::string> metrics = {"macs",   "flops",      "params",
                                        "bops",   "model_size", "memory"};
    for (const std::string &target : targets)
      for (const char *metric : {"latency", "energy"})
        metrics.push_back(std::string(metric) + "(" + target + ")");
    std::shuffle(metrics.begin(), metrics.end(), rng);
    llvm::StringRef formulation =
        constrained && chance(50)
            ? "constrained"
            : pick({"", "single", "two_stage", "weighted_sum",
                    "weighted_product", "pareto"});
    size_t count = formulation == "single" || formulation == "constrained"
                       ? 1
                   : formulation.empty() ? 1 + below(3)
                                         : 2 + below(2);
    out += "objectives " + formulation.str() + " {";
    for (size_t i = 0; i < count; ++i) {
      out += i == 0 ? " maximize accuracy" : " minimize " + metrics[i - 1];
      if (formulation.starts_with("weighted"))
        out += std::string(" weight ") + pick({"0.5", "1", "2.0"});
      if (formulation == "two_stage")
        out += i == 0 ? " stage 1" : " stage 2";
      out += ";";
    }
    out += " }\n";
    return;
  }
  out += "objectives ";
  if (chance(80))
    out += pick({"single", "two_stage", "constrained", "weighted_sum",
                 "weighted_product", "pareto", "lexicographic"});
  out += " {";
  sp();
  unsigned count = below(4);
  for (unsigned i = 0; i < count; ++i) {
    out += i == 0 && chance(70) ? "maximize" : pick({"maximize", "minimize"});
    out += ' ';
    out += i == 0 && chance(70) ? "accuracy" : pick(kMetrics);
    if (!targets.empty() && chance(40)) {
      out += '(';
      name(targets, "hw");
      out += ')';
    }
    if (chance(30)) {
      out += " weight ";
      number();
    }
    if (chance(20))
      out += std::string(" stage ") + pick({"1", "2", "3"});
    out += ";";
    sp();
  }
  out += "}\n";
}

void Generator::constraints() {
  static const std::pair<const char *, const char *> bounds[] = {
      {"latency", "ms"},  {"energy", "mJ"},     {"power", "W"},
      {"area", "K"},      {"memory", "MiB"},    {"model_size", "MiB"},
      {"params", "M"},    {"macs", "G"},        {"flops", "G"},
      {"bops", "G"},      {"accuracy", "%"}};
  out += "constraints {";
  sp();
  unsigned count = sane ? 1 + below(3) : below(4);
  for (unsigned i = 0; i < count; ++i) {
    auto [metric, unit] = pick(bounds);
    llvm::StringRef m = metric;
    bool hardware = m == "latency" || m == "energy" || m == "power" ||
                    m == "area";
    if (sane && hardware && targets.empty())
      std::tie(metric, unit) = bounds[6]; // params
    out += metric;
    if (sane && hardware && !targets.empty()) {
      out += "(" + pick(targets) + ")";
    } else if (!sane && !targets.empty() && chance(40)) {
      out += '(';
      name(targets, "hw");
      out += ')';
    }
    out += ' ';
    out += pick({"<", "<=", ">", ">="});
    out += ' ';
    quantity(unit);
    out += ";";
    sp();
  }
  out += "}\n";
}

void Generator::settings(unsigned kind) {
  if (sane) {
    // Each strategy with keys it takes, each method with what it requires.
    switch (kind) {
    case 0:
      out += "search { budget = ";
      integer();
      out += "; seed = ";
      integer();
      out += pick({"; strategy = random;", "; strategy = grid;",
                   "; strategy = evolution; population = 8; "
                   "mutation_rate = 0.1;",
                   "; strategy = nsga2; population = 8; crossover_rate = 0.9;",
                   "; strategy = reinforce; lr = 0.1; batch = 4;",
                   "; strategy = gradient; arch_lr = 0.001; epochs = 2;"});
      break;
    case 1:
      out += pick({"evaluate { method = train; epochs = 1;",
                   "evaluate { method = zero_cost; proxy = synflow;",
                   "evaluate { method = table; table = \"t.csv\";",
                   "evaluate { method = none;",
                   "evaluate { method = weight_sharing; epochs = 2;"});
      break;
    default:
      out += pick({"compress { wbits = {4, 8};", "compress { abits = 8;",
                   "compress { prune = {0.0, 0.5}; wbits = 8;"});
    }
    out += " }\n";
    return;
  }
  switch (kind) {
  case 0: {
    out += "search { strategy = ";
    out += pick({"random", "grid", "evolution", "nsga2", "reinforce",
                 "gradient", "annealing"});
    out += "; budget = ";
    integer();
    out += "; seed = ";
    integer();
    out += ";";
    static const char *const keys[] = {
        "population", "sample_size", "mutation_rate", "crossover_rate",
        "lr",         "entropy",     "batch",         "arch_lr",
        "temperature", "epochs",     "cost_weight",   "weight_steps"};
    if (chance(50)) {
      out += std::string(" ") + pick(keys) + " = ";
      number();
      out += ";";
    }
    if (chance(20)) {
      out += " time_limit = ";
      quantity("h");
      out += ";";
    }
    break;
  }
  case 1:
    out += "evaluate { method = ";
    out += pick({"train", "weight_sharing", "predictor", "table",
                 "zero_cost", "none"});
    out += ";";
    if (chance(50)) {
      out += std::string(" ") +
             pick({"epochs", "batch_size", "lr", "patience", "proxy_fraction",
                   "threads", "halving", "finetune_epochs"}) +
             " = ";
      number();
      out += ";";
    }
    if (chance(20)) {
      out += " table = ";
      string();
      out += "; proxy = synflow;";
    }
    break;
  default:
    out += "compress {";
    for (const char *key : {"wbits", "abits", "prune"})
      if (chance(60)) {
        out += std::string(" ") + key + " = ";
        if (llvm::StringRef(key) == "prune" && chance(70))
          out += pick({"{0.0, 0.25, 0.5}", "0.5", "{0.0}", "1.0"});
        else
          intArg();
        out += ";";
      }
  }
  out += " }\n";
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

void Generator::layers(unsigned depth, unsigned count) {
  for (unsigned i = 0; i < count && !full(); ++i) {
    layer(depth);
    sp();
  }
}

void Generator::layer(unsigned depth) {
  unsigned r = depth == 0 ? 0 : below(100);
  if (r < 45) {
    label();
    chain(1 + below(4));
    out += ";";
  } else if (r < 62) {
    label();
    out += "choose ";
    alternatives(/*edge=*/false);
    if (chance(70))
      out += ";";
  } else if (r < 74) {
    out += "repeat ";
    if (sane)
      out += pick({"1", "2", "3", "{1, 2}", "1..3", "{2, 3}"});
    else
      intValue(); // inside an op, sometimes reading `in`: an error
    if (chance(30))
      out += " shared";
    out += " {";
    layers(depth - 1, 1 + below(2));
    out += "}";
  } else if (r < 84) {
    out += "stage ";
    if (chance(60))
      name({}, "s");
    out += " {";
    layers(depth - 1, below(3));
    out += "}";
  } else {
    label();
    out += "residual";
    llvm::StringRef shortcut = "identity";
    if (chance(40)) {
      // avgpool_conv halves the resolution, which a sane body does not.
      shortcut = keepShape ? pick({"identity", "identity_or_none"})
                           : pick({"projection", "identity_or_none"});
      if (!sane)
        shortcut = pick({"identity", "projection", "avgpool_conv",
                         "identity_or_none", "dense"});
      out += "(shortcut = " + shortcut.str() + ")";
    }
    out += " {";
    llvm::SaveAndRestore keep(keepShape,
                              keepShape || shortcut == "identity");
    layers(depth - 1, wrong() ? 0 : 1 + below(2));
    out += "}";
  }
}

void Generator::chain(unsigned length) {
  for (unsigned i = 0; i < length; ++i) {
    if (i)
      out += " -> ";
    opCall();
  }
}

void Generator::opCall() {
  // A cell's output (concat) or its inputs (earlier layers) may have
  // another shape.
  if (!cells.empty() && !(sane && keepShape) && chance(10)) {
    name(cells, "cell");
    return;
  }
  if (!blocks.empty() && !(sane && keepShape) && chance(10)) {
    name(blocks, "blk");
    return;
  }
  if (inOp && !sane && chance(6)) {
    // Recursion: the op itself, or the op declared next, which may call
    // this one.
    out += chance(50) ? inOp->name : "uop" + std::to_string(userOps.size() + 1);
    if (chance(50))
      out += "()";
    return;
  }
  if (inOp && chance(15)) {
    // An op-valued parameter is called by its name (any parameter, and
    // `in`, when not sane).
    std::vector<std::string> ops;
    for (const Param &p : inOp->params)
      if (p.kind == Param::Op || !sane)
        ops.push_back(p.name);
    if (!sane && chance(10))
      ops.push_back("in");
    if (!ops.empty()) {
      out += pick(ops);
      return;
    }
  }
  if (!userOps.empty() && chance(20)) {
    userOpCall(pick(userOps));
    return;
  }
  if (wrong()) {
    name({}, "op");
    return;
  }
  OpInfo op = pick(kOps);
  // A sane network has its only fc and global pool in the head.
  llvm::StringRef opName = op.name;
  while (sane && (opName.starts_with("global") || opName == "fc" ||
                  opName == "linear"))
    opName = (op = pick(kOps)).name;
  out += op.name;
  if (!op.args.empty() && chance(60))
    args(op.args, op.name);
  else if (chance(5))
    out += "()";
}

/// `(key = value, ...)` with keys from `keys`, each value of the kind the
/// key takes.
void Generator::args(llvm::ArrayRef<const char *> keys, llvm::StringRef op) {
  out += '(';
  // Keys once each, and in a sane program none that changes the shape where
  // it must be kept (nor `groups`, which must divide the channels, nor a
  // depthwise conv's `out`, which must be a multiple of them).
  std::vector<llvm::StringRef> usable;
  for (llvm::StringRef key : keys)
    if (!sane ||
        (key != "groups" && !(keepShape && (key == "out" || key == "stride")) &&
         !(op == "dwconv" && key == "out")))
      usable.push_back(key);
  std::shuffle(usable.begin(), usable.end(), rng);
  unsigned count = usable.empty() ? 0 : 1 + below(3);
  if (sane)
    count = std::min<unsigned>(count, usable.size());
  for (unsigned i = 0; i < count; ++i) {
    if (i)
      out += ", ";
    llvm::StringRef key = wrong() || usable.empty()
                              ? llvm::StringRef(pick(kReserved))
                              : usable[sane ? i : below(usable.size())];
    out += key.str() + " = ";
    if (inOp && chance(sane ? 40 : 25) && paramArg(key))
      continue;
    if (key == "se")
      out += sane ? pick({"true", "false"}) : pick({"true", "false", "maybe"});
    else if (key == "prune")
      out += sane ? pick({"0.0", "0.25", "{0.0, 0.5}"})
                  : pick({"0.0", "0.25", "{0.0, 0.5}", "0.99", "1.0", "-0.5"});
    else if (key == "out" && !sane && chance(20))
      out += "classes";
    else if (key == "kernel" && (sane || chance(70)))
      out += pick({"1", "3", "5", "7", "{3, 5}", "{3, 5, 7}", "1..7 step 2"});
    else if (key == "stride" && (sane || chance(70)))
      out += pick({"1", "2", "{1, 2}"});
    else if ((key == "groups" || key == "dilation") && (sane || chance(70)))
      out += pick({"1", "2", "4"});
    else if ((key == "wbits" || key == "abits") && (sane || chance(70)))
      out += sane ? pick({"4", "8", "{2, 4, 8}", "32"})
                  : pick({"4", "8", "{2, 4, 8}", "32", "33"});
    else if (key == "out" && (sane || chance(70)))
      out += pick({"8", "16", "24", "32", "16..64 step 16", "{16, 32}"});
    else
      intValue();
  }
  out += ')';
}

/// Inside an op's body, a parameter as the value of `key`: one of its kind
/// and role when sane, any one otherwise. Whether one was written.
bool Generator::paramArg(llvm::StringRef key) {
  std::vector<std::string> fits;
  for (const Param &p : inOp->params)
    if (!sane || (key == "se" ? p.kind == Param::Bool
                              : p.kind == Param::Int && p.key == key))
      fits.push_back(p.name);
  if (fits.empty())
    return false;
  out += pick(fits);
  return true;
}

/// A call of a user op: each parameter without a default and some with
/// one, now and then `out`; when not sane also missing, duplicate and
/// unknown arguments and values of the wrong kind.
void Generator::userOpCall(const UserOp &op) {
  out += op.name;
  if (op.params.empty() && chance(50))
    return;
  out += '(';
  bool first = true;
  auto separate = [&] {
    if (!first)
      out += ", ";
    first = false;
  };
  for (const Param &param : op.params) {
    bool give = !param.hasDefault || chance(50);
    if (sane && keepShape && param.key == "stride")
      give = false;
    if (wrong())
      give = !give; // a missing argument
    if (!give)
      continue;
    for (unsigned times = wrong() ? 2 : 1; times; --times) {
      separate();
      out += param.name + " = ";
      paramValue(param);
    }
  }
  if (!(sane && keepShape) && chance(25)) {
    separate();
    out += "out = ";
    if (sane || chance(60))
      out += pick({"8", "16", "24", "32", "{16, 32}", "16..32 step 8"});
    else
      intValue();
  }
  if (wrong()) {
    separate();
    name({}, "arg");
    out += " = ";
    intArg();
  }
  out += ')';
}

void Generator::paramValue(const Param &param) {
  if (!sane && wrong()) {
    // A value of another kind.
    if (chance(50))
      opValue();
    else
      intValue();
    return;
  }
  switch (param.kind) {
  case Param::Bool:
    out += pick({"true", "false"});
    return;
  case Param::Op:
    opValue();
    return;
  case Param::Int:
    if (!sane)
      intValue();
    else if (param.key == "kernel")
      out += pick({"3", "5", "7", "{3, 5}", "{3, 5, 7}"});
    else if (param.key == "expand")
      out += pick({"1", "3", "6", "{3, 6}", "{3, 4, 6}", "2..4"});
    else
      out += pick({"1", "2", "{1, 2}"});
  }
}

void Generator::alternatives(bool edge) {
  if (!opsets.empty() && chance(50)) {
    name(opsets, "set");
    if (!sane && chance(30))
      args(kConvArgs);
    return;
  }
  out += "{ ";
  unsigned count = wrong() ? 0 : 1 + below(4);
  for (unsigned i = 0; i < count; ++i) {
    out += "a" + std::to_string(i) + ": ";
    if (edge && chance(70))
      out += pick({"relu -> conv(kernel = 3) -> bn", "identity", "zero",
                   "avg_pool(kernel = 3)", "relu6 -> sep_conv(kernel = 5)"});
    else
      chain(1 + below(3));
    out += "; ";
  }
  out += "}";
}

//===----------------------------------------------------------------------===//
// Extreme shapes
//===----------------------------------------------------------------------===//

/// Thousands of nested residual, repeat, stage and choose-free bodies.
void Generator::deepNesting() {
  size_t levels = scale(std::min<size_t>(maxSize / 24, 20000));
  out += "dataset d { input = [3, 8, 8]; classes = 10; }\nnetwork n {\n";
  const char *kind = pick({"residual", "repeat 1", "stage", "mixed"});
  for (size_t i = 0; i < levels && !full(); ++i) {
    const char *open = kind;
    if (llvm::StringRef(kind) == "mixed")
      open = pick({"residual", "repeat 1", "stage", "repeat 2 shared",
                   "residual(shortcut = projection)"});
    out += open;
    out += " { ";
  }
  out += "relu;";
  out.append(levels, '}');
  out += "\nglobal_avg_pool -> fc(out = classes);\n}\n";
}

/// One very long chain, or very many layers, declarations or edges.
void Generator::longChain() {
  size_t n = scale(std::min<size_t>(maxSize / 12, 200000));
  out += "dataset d { input = [3, 8, 8]; classes = 10; }\n";
  switch (below(4)) {
  case 0:
    out += "network n { ";
    for (size_t i = 0; i < n && !full(); ++i)
      out += i ? " -> relu" : "relu";
    out += "; global_avg_pool -> fc(out = classes); }\n";
    return;
  case 1:
    out += "network n {\n";
    for (size_t i = 0; i < n && !full(); ++i)
      out += pick({"relu;\n", "choose { a: relu; b: tanh; }\n",
                   "conv(kernel = {3, 5});\n"});
    out += "global_avg_pool -> fc(out = classes); }\n";
    return;
  case 2:
    for (size_t i = 0; i < n && !full(); ++i)
      out += "ops s" + std::to_string(i) + " { a: relu; }\n";
    out += "network n { choose s0; global_avg_pool -> fc(out = classes); }\n";
    return;
  default:
    out += "cell c(nodes = " + std::to_string(n) +
           ") { edges all : { a: relu; b: zero; }; }\n"
           "network n { c; global_avg_pool -> fc(out = classes); }\n";
  }
}

/// Blocks that each use the previous one, once or twice: the expansion is
/// as deep as the tower, and with two uses exponentially large.
void Generator::blockTower() {
  size_t height = scale(std::min<size_t>(maxSize / 24, 5000));
  unsigned uses = 1 + below(2);
  out += "dataset d { input = [3, 8, 8]; classes = 10; }\n"
         "block b0 { choose { a: relu; b: tanh; } }\n";
  for (size_t i = 1; i < height && !full(); ++i) {
    out += "block b" + std::to_string(i) + " {";
    for (unsigned u = 0; u < uses; ++u)
      out += " b" + std::to_string(i - 1) + ";";
    out += " }\n";
  }
  out += "network n { b" + std::to_string(height - 1) +
         "; global_avg_pool -> fc(out = classes); }\n";
}

/// Sizes, counts and bounds near and past every integer width.
void Generator::hugeNumbers() {
  out += "dataset d { input = [";
  for (unsigned i = 0; i < 3; ++i) {
    if (i)
      out += ", ";
    out += chance(50) ? std::string(pick(kInterestingInts))
                      : std::to_string(1 + below(64));
  }
  out += "]; classes = ";
  out += pick(kInterestingInts);
  out += "; }\ntarget t : gpu { peak_compute = ";
  out += pick(kInterestingFloats);
  out += " TFLOPS; bandwidth = ";
  out += pick(kInterestingFloats);
  out += " GB/s; }\nnetwork n {\n";
  unsigned count = 1 + below(4);
  for (unsigned i = 0; i < count; ++i) {
    switch (below(4)) {
    case 0:
      out += std::string("conv(out = ") + pick(kInterestingInts) +
             ", kernel = " + pick({"1", "3", "{1, 3}"}) + ");\n";
      break;
    case 1:
      out += std::string("repeat ") + pick(kInterestingInts) + " { " +
             pick({"relu;", "conv(kernel = 3);",
                   "choose { a: relu; b: tanh; }"}) +
             " }\n";
      break;
    case 2:
      out += std::string("conv(out = 1..") + pick(kInterestingInts) + ");\n";
      break;
    default:
      out += std::string("fc(out = ") + pick(kInterestingInts) + ");\n";
    }
  }
  out += "global_avg_pool -> fc(out = classes);\n}\n";
  out += std::string("constraints { latency(t) < ") + pick(kInterestingFloats) +
         " ms; params < " + pick(kInterestingInts) + "; }\n";
}

/// One argument with hundreds of operators, parentheses or calls nested
/// thousands deep, or a call with thousands of options: past the limits of
/// §18, inside an op or (with constants) outside one.
void Generator::longExpr() {
  size_t n = scale(std::min<size_t>(maxSize / 16, 20000));
  bool inside = chance(70);
  const char *atom = inside ? "in" : "1";
  out += "dataset d { input = [16, 8, 8]; classes = 10; }\n";
  unsigned shape = below(5);
  if (shape == 4) { // a product of choices: up to 8^6 options
    out += "op many(a, b, c, d, e, f) { relu; }\nnetwork n { many(";
    for (const char *p : {"a", "b", "c", "d", "e", "f"})
      out += std::string(p) + " = " +
             pick({"{1, 2, 3, 4, 5, 6, 7, 8}", "1..8", "1..1000000", "1"}) +
             (*p == 'f' ? "" : ", ");
    out += "); global_avg_pool -> fc(out = classes); }\n";
    return;
  }
  out += inside ? "op big(e = 1) { conv(out = " : "network n { conv(out = ";
  switch (shape) {
  case 0:
    out += atom;
    for (size_t i = 0; i < n && !full(); ++i)
      out += pick({" + 1", " * 1", " - 0", " / 1"});
    break;
  case 1:
    out.append(n, '(');
    out += atom;
    out.append(n, ')');
    break;
  case 2:
    for (size_t i = 0; i < n && !full(); ++i)
      out += pick({"max(", "min(", "make_divisible("});
    out += atom;
    for (size_t i = 0; i < n && !full(); ++i)
      out += ", 8)";
    break;
  default:
    out.append(n, '-');
    out += atom;
  }
  out += inside ? "); }\nnetwork n { big(); " : "); ";
  out += "global_avg_pool -> fc(out = classes); }\n";
}

/// Tokens of the grammar in random order: the parser's recovery.
void Generator::tokenSoup() {
  static const char *const tokens[] = {"{",      "}",    "(",
                                       ")",      "[",    "]",
                                       ";",      ":",    ",",
                                       "=",      "->",   "..",
                                       "/",      "%",    "<",
                                       "<=",     ">",    ">=",
                                       "-",      "relu", "conv",
                                       "d",      "x",    "classes",
                                       "3",      "0.5",  "\"s\"",
                                       "+",      "*",    "in",
                                       "out",    "ceil", "make_divisible",
                                       "dwconv", "/*",   "*/",
                                       "//",     "\n",   "é",
                                       "\\",     "\""};
  unsigned n = below(200);
  for (unsigned i = 0; i < n && !full(); ++i) {
    if (chance(30))
      out += pick(kReserved);
    else
      out += pick(tokens);
    out += ' ';
  }
}

//===----------------------------------------------------------------------===//
// Programs and fragments
//===----------------------------------------------------------------------===//

std::string Generator::program() {
  unsigned shape = below(100);
  if (shape < 3)
    deepNesting();
  else if (shape < 6)
    longChain();
  else if (shape < 8)
    blockTower();
  else if (shape < 13)
    hugeNumbers();
  else if (shape < 15)
    tokenSoup();
  else if (shape < 17)
    longExpr();
  else if (shape < 18) {
    out += "dataset d { input = ";
    nestedValue(scale(std::min<size_t>(maxSize / 4, 50000)));
    out += "; classes = 10; }\nnetwork n { fc(out = classes); }\n";
  } else {
    sane = chance(50);
    wrongPerMille = sane ? 0 : 10 + below(80);
    if (sane || chance(95))
      dataset();
    unsigned targetCount = below(3);
    for (unsigned i = 0; i < targetCount; ++i)
      target();
    unsigned opCount = below(4);
    for (unsigned i = 0; i < opCount; ++i)
      userOp();
    unsigned setCount = below(3);
    for (unsigned i = 0; i < setCount; ++i)
      opsDecl();
    unsigned cellCount = below(3);
    for (unsigned i = 0; i < cellCount; ++i)
      cell();
    unsigned blockCount = below(3);
    for (unsigned i = 0; i < blockCount; ++i)
      block();
    if (!wrong())
      network();
    bool constrained = chance(40);
    if (constrained)
      constraints();
    if (chance(60))
      objectives(constrained);
    for (unsigned kind = 0; kind < 3; ++kind)
      if (chance(sane ? 40 : 20))
        settings(sane ? kind : below(3));
    if (!sane && chance(2))
      out += "/* unterminated";
  }
  if (out.size() > maxSize)
    out.resize(maxSize);
  return std::move(out);
}

std::string Generator::layerFragment() {
  layer(2);
  return std::move(out);
}

std::string Generator::declFragment() {
  switch (below(9)) {
  case 0:
    dataset();
    break;
  case 7:
    userOp();
    break;
  case 1:
    target();
    break;
  case 2:
    opsDecl();
    break;
  case 3:
    cell();
    break;
  case 4:
    block();
    break;
  case 5:
    objectives(/*constrained=*/false);
    break;
  case 6:
    constraints();
    break;
  default:
    settings(below(3));
  }
  return std::move(out);
}

std::string Generator::numberFragment() {
  if (chance(50))
    number();
  else if (chance(50))
    intArg();
  else
    quantity(pick(kUnits));
  return std::move(out);
}

std::string nasc::fuzz::generateProgram(uint64_t seed, size_t maxSize) {
  return Generator(seed, maxSize).program();
}

//===----------------------------------------------------------------------===//
// Token-level mutation
//===----------------------------------------------------------------------===//

namespace {
enum class TokenKind { Number, Name, Punct, Other };
struct Token {
  size_t begin, end;
  TokenKind kind;
};
} // namespace

/// Splits `text` roughly as the .nas lexer does; strings and comments are
/// single Other tokens, which is all the mutations need.
static std::vector<Token> tokenize(llvm::StringRef text) {
  std::vector<Token> tokens;
  size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    size_t start = i;
    if (llvm::isSpace(c)) {
      ++i;
      continue;
    }
    if (llvm::isDigit(c)) {
      while (i < n && (llvm::isAlnum(text[i]) || text[i] == '.') &&
             !text.substr(i).starts_with(".."))
        ++i;
      tokens.push_back({start, i, TokenKind::Number});
    } else if (llvm::isAlpha(c) || c == '_') {
      while (i < n && (llvm::isAlnum(text[i]) || text[i] == '_'))
        ++i;
      tokens.push_back({start, i, TokenKind::Name});
    } else if (c == '"') {
      ++i;
      while (i < n && text[i] != '"' && text[i] != '\n')
        i += text[i] == '\\' ? 2 : 1;
      i = std::min(i + 1, n);
      tokens.push_back({start, i, TokenKind::Other});
    } else if (text.substr(i).starts_with("//") || c == '#') {
      i = std::min(text.find('\n', i), n);
    } else if (text.substr(i).starts_with("/*")) {
      i = std::min(text.find("*/", i + 2), n);
      i = std::min(i + 2, n);
    } else {
      ++i;
      tokens.push_back({start, i, TokenKind::Punct});
    }
  }
  return tokens;
}

std::string nasc::fuzz::mutateProgram(llvm::StringRef input, uint64_t seed,
                                      size_t maxSize) {
  std::vector<Token> tokens = tokenize(input);
  if (tokens.empty())
    return generateProgram(seed, maxSize);
  Generator gen(seed, maxSize);
  auto tokenWhere = [&](auto pred) -> const Token * {
    // A random token that satisfies `pred`, from a random starting point.
    size_t start = gen.below(tokens.size());
    for (size_t k = 0; k < tokens.size(); ++k) {
      const Token &t = tokens[(start + k) % tokens.size()];
      if (pred(t))
        return &t;
    }
    return nullptr;
  };
  auto isPunct = [&](const Token &t, char c) {
    return t.kind == TokenKind::Punct && input[t.begin] == c;
  };
  auto replace = [&](size_t begin, size_t end, llvm::StringRef with) {
    return (input.take_front(begin) + with + input.drop_front(end)).str();
  };

  std::string result;
  switch (gen.below(6)) {
  case 0: // another number, unit, choice or range
    if (const Token *t = tokenWhere(
            [](const Token &t) { return t.kind == TokenKind::Number; }))
      result = replace(t->begin, t->end, gen.numberFragment());
    break;
  case 1: { // another name, taken from this program or the grammar
    const Token *t = tokenWhere(
        [](const Token &t) { return t.kind == TokenKind::Name; });
    const Token *other = tokenWhere(
        [](const Token &t) { return t.kind == TokenKind::Name; });
    if (t && other)
      result = replace(t->begin, t->end,
                       gen.chance(70)
                           ? input.slice(other->begin, other->end)
                           : llvm::StringRef(kReserved[gen.below(
                                 std::size(kReserved))]));
    break;
  }
  case 2: // a generated layer after a `{` or `;`
    if (const Token *t = tokenWhere([&](const Token &t) {
          return isPunct(t, '{') || isPunct(t, ';');
        }))
      result = replace(t->end, t->end, " " + gen.layerFragment() + " ");
    break;
  case 3: { // a generated declaration at the top level
    std::string decl = gen.declFragment();
    result = gen.chance(50) ? decl + input.str() : input.str() + "\n" + decl;
    break;
  }
  case 4: { // a few tokens deleted
    size_t first = gen.below(tokens.size());
    size_t last = std::min(tokens.size() - 1, first + gen.below(3));
    result = replace(tokens[first].begin, tokens[last].end, "");
    break;
  }
  default: { // a span of tokens repeated, up to thousands of times
    size_t first = gen.below(tokens.size());
    size_t last = std::min(tokens.size() - 1, first + gen.below(8));
    llvm::StringRef span =
        input.slice(tokens[first].begin, tokens[last].end);
    size_t times = gen.chance(90) ? 1 + gen.below(8) : 1 + gen.below(5000);
    if (span.size() * times + input.size() > maxSize)
      times = (maxSize - input.size()) / (span.size() + 1);
    std::string repeated;
    for (size_t k = 0; k < times; ++k) {
      repeated += ' ';
      repeated.append(span.data(), span.size());
    }
    result = replace(tokens[last].end, tokens[last].end, repeated);
  }
  }
  if (result.size() > maxSize)
    return {};
  return result;
}
