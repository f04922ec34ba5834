//===- MLIRGen.cpp - Build the nas dialect from a .nas parse tree ---------===//
//
// Like Toy's MLIRGen: one class holding an OpBuilder, walking the parse tree
// and creating ops at the builder's insertion point, each with the
// FileLineColLoc of its source token. The visitor derives from the *pure*
// generated visitor, so a new grammar rule does not compile until it is
// handled here.
//
// Op sets and blocks are macros: each use emits a fresh copy of their body
// (op set arguments are passed into every alternative). Cells are emitted
// once as symbols and referenced, since every use shares their decisions.
//
//===----------------------------------------------------------------------===//

#include "MLIRGen.h"

#include "nasc/Dialect/NAS/IR/Expr.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Dialect/NAS/IR/Schema.h"
#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Support/Limits.h"

#include "NasVisitor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include <any>
#include <cmath>
#include <set>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using grammar::NasParser;

namespace {

//===----------------------------------------------------------------------===//
// Values as written
//===----------------------------------------------------------------------===//

/// A value as written in the source, before it is given a meaning by the
/// property or argument it is assigned to.
struct SourceValue {
  /// Invalid: a value whose error has been reported; its users stay silent.
  enum Kind {
    Int,
    Real,
    String,
    Ident,
    Quantity,
    List,
    Choice,
    Range,
    /// Arithmetic (exprValue): `code`, a #nas.expr program.
    Expr,
    Invalid
  } kind;
  llvm::SmallVector<int64_t, 8> code;
  int64_t integer = 0;
  double real = 0;
  /// String contents, identifier, or the unit of a quantity.
  std::string text;
  std::vector<SourceValue> elements;
  int64_t lo = 0, hi = 0, step = 1;
  Location loc;
  /// Where the unit of a quantity is written.
  Location unitLoc;

  SourceValue(Kind kind, Location loc) : kind(kind), loc(loc), unitLoc(loc) {}

  bool isNumber() const { return kind == Int || kind == Real; }
  double asReal() const { return kind == Int ? double(integer) : real; }

  /// "an integer", "a string", ... for diagnostics.
  StringRef describe() const {
    switch (kind) {
    case Int:
      return "an integer";
    case Real:
      return "a number";
    case String:
      return "a string";
    case Ident:
      return "a name";
    case Quantity:
      return "a quantity with a unit";
    case List:
      return "a list";
    case Choice:
      return "a choice";
    case Range:
      return "a range";
    case Expr:
      return "an expression";
    case Invalid:
      return "an invalid value";
    }
    llvm_unreachable("unknown value kind");
  }
};

/// An argument of a `choose OPSET(...)` passed to every alternative.
struct PassedArg {
  std::string name;
  /// The converted value; null for `se = false`.
  Attribute value;
  Location loc;
  bool used = false;
};

/// What a built-in operation is called in the language and which arguments
/// it takes.
struct BuiltinOp {
  StringRef name;
  StringRef opName;
  /// The `kind` enum attribute of pools and activations, if any.
  std::function<Attribute(MLIRContext *)> kind;
  std::vector<StringRef> args;
};

const std::vector<StringRef> kConvArgs = {
    "out", "kernel", "stride", "groups", "dilation", "wbits", "abits", "prune"};

const std::vector<BuiltinOp> &getBuiltinOps() {
  static const std::vector<BuiltinOp> ops = [] {
    auto pool = [](PoolKind kind) {
      return [kind](MLIRContext *ctx) -> Attribute {
        return PoolKindAttr::get(ctx, kind);
      };
    };
    auto act = [](ActKind kind) {
      return [kind](MLIRContext *ctx) -> Attribute {
        return ActKindAttr::get(ctx, kind);
      };
    };
    std::vector<BuiltinOp> table = {
        {"conv", ConvOp::getOperationName(), nullptr, kConvArgs},
        {"dwconv",
         ConvOp::getOperationName(),
         nullptr,
         {"out", "kernel", "stride", "dilation", "wbits", "abits", "prune"}},
        {"shuffle", ShuffleOp::getOperationName(), nullptr, {"groups"}},
        {"se", SEOp::getOperationName(), nullptr, {"squeeze"}},
        {"sep_conv",
         SepConvOp::getOperationName(),
         nullptr,
         {"out", "kernel", "stride", "wbits", "abits", "prune"}},
        {"mbconv",
         MBConvOp::getOperationName(),
         nullptr,
         {"out", "kernel", "expand", "stride", "groups", "se", "wbits", "abits",
          "prune"}},
        {"avg_pool",
         PoolOp::getOperationName(),
         pool(PoolKind::avg),
         {"kernel", "stride"}},
        {"max_pool",
         PoolOp::getOperationName(),
         pool(PoolKind::max),
         {"kernel", "stride"}},
        {"global_avg_pool",
         GlobalPoolOp::getOperationName(),
         pool(PoolKind::avg),
         {}},
        {"global_max_pool",
         GlobalPoolOp::getOperationName(),
         pool(PoolKind::max),
         {}},
        {"fc",
         FCOp::getOperationName(),
         nullptr,
         {"out", "wbits", "abits", "prune"}},
        {"linear",
         FCOp::getOperationName(),
         nullptr,
         {"out", "wbits", "abits", "prune"}},
        {"identity",
         IdentityOp::getOperationName(),
         nullptr,
         {"out", "stride"}},
        {"skip", IdentityOp::getOperationName(), nullptr, {"out", "stride"}},
        {"zero", ZeroOp::getOperationName(), nullptr, {}},
        {"none", ZeroOp::getOperationName(), nullptr, {}},
        {"bn", BatchNormOp::getOperationName(), nullptr, {}},
    };
    for (uint32_t i = 0; i <= getMaxEnumValForActKind(); ++i) {
      ActKind kind = static_cast<ActKind>(i);
      table.push_back(
          {stringifyActKind(kind), ActOp::getOperationName(), act(kind), {}});
    }
    return table;
  }();
  return ops;
}

const BuiltinOp *findBuiltin(StringRef name) {
  for (const BuiltinOp &op : getBuiltinOps())
    if (op.name == name)
      return &op;
  return nullptr;
}

/// "a, b or c" listing of enum cases for diagnostics.
template <typename Stringify>
std::string listEnum(uint32_t max, Stringify stringify) {
  std::vector<std::string> names;
  for (uint32_t i = 0; i <= max; ++i)
    names.push_back(stringify(i).str());
  return llvm::join(names, ", ");
}

/// The kind of each top-level name, for "X is a cell, not a dataset".
enum class DeclKind { Dataset, Target, OpSet, Cell, Block, UserOp, Network };

StringRef describeDecl(DeclKind kind) {
  switch (kind) {
  case DeclKind::Dataset:
    return "a dataset";
  case DeclKind::Target:
    return "a target";
  case DeclKind::OpSet:
    return "an op set";
  case DeclKind::Cell:
    return "a cell";
  case DeclKind::Block:
    return "a block";
  case DeclKind::UserOp:
    return "an op";
  case DeclKind::Network:
    return "a network";
  }
  llvm_unreachable("unknown declaration kind");
}

//===----------------------------------------------------------------------===//
// MLIRGen
//===----------------------------------------------------------------------===//

class MLIRGen : public grammar::NasVisitor {
public:
  MLIRGen(MLIRContext *context, const SourceLocator &locator,
          ErrorCounter &errors)
      : context(context), builder(context), locator(locator), errors(errors) {}

  OwningOpRef<ModuleOp> generate(NasParser::SpecContext *tree,
                                 StringRef specName);

private:
  MLIRContext *context;
  OpBuilder builder;
  const SourceLocator &locator;
  ErrorCounter &errors;
  /// Errors found by MLIRGen itself (the counter also has syntax errors).
  unsigned genErrors = 0;

  struct Decl {
    DeclKind kind;
    antlr4::ParserRuleContext *tree;
  };
  llvm::StringMap<Decl> decls;
  /// Declaration names in source order.
  std::vector<std::string> declOrder;
  unsigned numDatasets = 0, numTargets = 0, numNetworks = 0;
  std::string onlyDataset, onlyTarget;
  /// What `out = classes` means here: the class count of the network's
  /// dataset, or of the only dataset outside networks.
  std::optional<int64_t> classes;

  /// The `classes` a dataset declares, if it declares a valid one.
  std::optional<int64_t> datasetClasses(StringRef name) {
    auto *tree =
        static_cast<NasParser::DatasetDeclContext *>(decls.lookup(name).tree);
    for (NasParser::PropertyContext *prop : tree->property())
      if (prop->IDENT()->getText() == "classes") {
        // Errors in the value are reported once, with the dataset.
        SourceValue v = value(prop->value());
        if (v.kind == SourceValue::Int)
          return v.integer;
      }
    return std::nullopt;
  }
  /// Arguments of the `choose OPSET(...)` being expanded.
  std::vector<PassedArg> *passedArgs = nullptr;
  /// Blocks being expanded, to report recursion instead of looping.
  llvm::StringSet<> expandingBlocks;
  bool seenObjectives = false;

  //--- User-defined ops (docs/language.md, "User-defined ops") ----------===//

  /// A parameter's value in one call of a user op.
  struct Binding {
    enum Kind { Program, Word, Bool, Invalid } kind = Invalid;
    /// Program: an expression program (nasc/Dialect/NAS/IR/Expr.h) whose
    /// `in` levels count from the call it is bound in.
    llvm::SmallVector<int64_t, 8> code;
    /// Word: an op name or another word.
    std::string word;
    bool flag = false;
    /// How the value appears in an option label: 3, 0.25, relu, true.
    std::string token;
    std::string describe() const {
      switch (kind) {
      case Program:
        return "the number " + exprToString(code);
      case Word:
        return "the name '" + word + "'";
      case Bool:
        return flag ? "true" : "false";
      case Invalid:
        break;
      }
      return "an invalid value";
    }
  };
  /// The body of a user op being expanded: its name and parameters.
  struct LexicalScope {
    std::string op;
    llvm::StringMap<Binding> params;
  };
  /// The user op whose body is being expanded (none outside, and inside the
  /// blocks and op sets it uses, whose text cannot see its parameters).
  LexicalScope *lexical = nullptr;

  bool isUserOp(StringRef name) const {
    auto it = decls.find(name);
    return it != decls.end() && it->second.kind == DeclKind::UserOp;
  }
  const Binding *lookupParam(StringRef name) const {
    if (!lexical)
      return nullptr;
    auto it = lexical->params.find(name);
    return it == lexical->params.end() ? nullptr : &it->second;
  }
  /// `binding` seen from `levels` calls further in.
  static Binding shifted(const Binding &binding, int64_t levels) {
    if (binding.kind != Binding::Program || levels == 0)
      return binding;
    Binding result = binding;
    ExprProgram program;
    program.append(binding.code, levels);
    result.code.assign(program.getCode().begin(), program.getCode().end());
    return result;
  }
  static Binding constantBinding(Rational value, std::string token) {
    Binding b;
    b.kind = Binding::Program;
    ExprProgram program;
    program.constant(value);
    b.code.assign(program.getCode().begin(), program.getCode().end());
    b.token = std::move(token);
    return b;
  }
  /// What a name means in a value here: `in`, a parameter of the op being
  /// expanded, `classes`; none for other words.
  std::optional<Binding> resolveName(StringRef name, Location where,
                                     StringRef what);
  /// An integer parameter from a program: an integer, or a #nas.expr when it
  /// reads `in`.
  Attribute programParam(const Binding &bound, Location where, StringRef what);
  /// Builds the program of `ctx` here; false after reporting an error.
  bool buildExpr(NasParser::ExprContext *ctx, ExprProgram &program);
  /// A call's argument as the callee's binding(s): several for a choice or
  /// a range, which the call turns into a decision. Empty after an error.
  std::vector<Binding> bindArgument(const SourceValue &v, StringRef param,
                                    StringRef op);
  void emitUserOpCall(NasParser::OpCallContext *call, StringRef name,
                      StringRef label);
  void emitUserOpBody(NasParser::UserOpDeclContext *decl, StringRef name,
                      Location where, StringRef blockName,
                      llvm::StringMap<Binding> bindings);

  //--- Locations and errors ---------------------------------------------===//

  Location loc(antlr4::Token *token) {
    return locator.get(token->getLine(), token->getCharPositionInLine());
  }
  Location loc(antlr4::ParserRuleContext *ctx) { return loc(ctx->getStart()); }
  Location loc(antlr4::tree::TerminalNode *node) {
    return loc(node->getSymbol());
  }

  /// Reports an error at `where`. A second error at the same place (an error
  /// inside a block or op set used twice, or one already reported while
  /// converting a value) is dropped.
  InFlightDiagnostic error(Location where) {
    ++genErrors;
    if (!reportedAt.insert(where).second) {
      InFlightDiagnostic dropped = mlir::emitError(where);
      dropped.abandon();
      return dropped;
    }
    errors.add();
    return mlir::emitError(where);
  }

  /// Locations already reported, see error().
  llvm::DenseSet<Location> reportedAt;

  //--- Op creation ------------------------------------------------------===//

  /// Where the op set or block being expanded is used; ops emitted from its
  /// body are located "at their source, called from the use" so a verifier
  /// error in an op set points at both.
  std::optional<Location> expansionSite;

  /// Runs `body` with `site` (a use of an op set or block) as the expansion
  /// site, nested in the current one.
  template <typename Fn> void expandAt(Location site, Fn &&body) {
    std::optional<Location> outer = expansionSite;
    expansionSite = outer ? CallSiteLoc::get(site, *outer) : site;
    body();
    expansionSite = outer;
  }

  /// Creates `opName` at the insertion point; gives each region a block.
  Operation *create(StringRef opName, Location where,
                    ArrayRef<NamedAttribute> attrs = {}, unsigned regions = 0) {
    if (expansionSite)
      where = CallSiteLoc::get(where, *expansionSite);
    OperationState state(where, opName);
    state.addAttributes(attrs);
    for (unsigned i = 0; i < regions; ++i)
      state.addRegion();
    if (++createdOps > kMaxSpecOps)
      stopAtExpansionLimit(where);
    Operation *op = builder.create(state);
    for (Region &region : op->getRegions())
      region.emplaceBlock();
    return op;
  }

  /// Ops created so far.
  uint64_t createdOps = 0;

  /// Reports at `where` that the spec expands past kMaxSpecOps, and stops.
  [[noreturn]] void stopAtExpansionLimit(Location where) {
    error(where) << "the spec expands to more than " << kMaxSpecOps
                 << " ops (every use of a block or op set is a copy of its "
                    "body; docs/language.md, \"Limits\")";
    throw ExpansionLimit{};
  }

  /// At least how many ops a use of block `name` creates (its built-in ops,
  /// containers, alternatives and block uses), saturating past
  /// kMaxSpecOps; remembered per block.
  uint64_t countBlockOps(StringRef name, unsigned depth) {
    auto known = blockOps.find(name);
    if (known != blockOps.end())
      return known->second;
    auto decl = decls.find(name);
    // Deeper than the nesting limit, or a block that uses itself: reported
    // while it is expanded.
    if (decl == decls.end() ||
        (decl->second.kind != DeclKind::Block &&
         decl->second.kind != DeclKind::UserOp) ||
        depth > kMaxNestingDepth)
      return 0;
    blockOps[name] = 0;
    uint64_t total = countLayerOps(
        decl->second.kind == DeclKind::Block
            ? static_cast<NasParser::BlockDeclContext *>(decl->second.tree)
                  ->layer()
            : static_cast<NasParser::UserOpDeclContext *>(decl->second.tree)
                  ->layer(),
        depth);
    blockOps[name] = total;
    return total;
  }
  uint64_t countLayerOps(const std::vector<NasParser::LayerContext *> &layers,
                         unsigned depth) {
    uint64_t total = 0;
    auto add = [&](uint64_t count) {
      total = std::min(total + count, kMaxSpecOps + 1);
    };
    for (NasParser::LayerContext *layer : layers) {
      if (auto *chain = dynamic_cast<NasParser::ChainLayerContext *>(layer)) {
        add(countChainOps(chain->chain(), depth));
      } else if (auto *choose =
                     dynamic_cast<NasParser::ChooseLayerContext *>(layer)) {
        // Every alternative is in the space: a block of two-way chooses
        // used in a tower of doublings counted 1 op where it creates 5.
        add(1 + countAlternativeOps(choose->alternatives(), depth + 1));
      } else if (auto *repeat =
                     dynamic_cast<NasParser::RepeatLayerContext *>(layer)) {
        add(1 + countLayerOps(repeat->layer(), depth + 1));
      } else if (auto *stage =
                     dynamic_cast<NasParser::StageLayerContext *>(layer)) {
        add(1 + countLayerOps(stage->layer(), depth + 1));
      } else if (auto *residual =
                     dynamic_cast<NasParser::ResidualLayerContext *>(layer)) {
        add(1 + countLayerOps(residual->layer(), depth + 1));
      } else {
        add(1);
      }
    }
    return total;
  }
  uint64_t countChainOps(NasParser::ChainContext *chain, unsigned depth) {
    uint64_t total = 0;
    for (NasParser::OpCallContext *call : chain->opCall()) {
      std::string callee = call->IDENT()->getText();
      uint64_t count =
          findBuiltin(callee) ? 1 : 1 + countBlockOps(callee, depth + 1);
      total = std::min(total + count, kMaxSpecOps + 1);
    }
    return total;
  }
  uint64_t countAlternativeOps(NasParser::AlternativesContext *alternatives,
                               unsigned depth) {
    std::vector<NasParser::OptionContext *> options;
    if (auto *inlined =
            dynamic_cast<NasParser::InlineAlternativesContext *>(alternatives))
      options = inlined->option();
    else if (auto *set = dynamic_cast<NasParser::OpsetAlternativesContext *>(
                 alternatives)) {
      auto decl = decls.find(set->IDENT()->getText());
      if (decl != decls.end() && decl->second.kind == DeclKind::OpSet)
        options =
            static_cast<NasParser::OpsDeclContext *>(decl->second.tree)
                ->option();
    }
    uint64_t total = 0;
    if (depth > kMaxNestingDepth)
      return total;
    for (NasParser::OptionContext *option : options)
      total = std::min(total + 1 + countChainOps(option->chain(), depth),
                       kMaxSpecOps + 1);
    return total;
  }
  llvm::StringMap<uint64_t> blockOps;
  /// How many regions the insertion point is nested in.
  unsigned regionDepth = 0;

  /// Runs `body` with the insertion point in `op`'s first region, unless
  /// that nests layers deeper than kMaxNestingDepth (block uses nest
  /// without braces of their own).
  template <typename Fn> void inside(Operation *op, Fn &&body) {
    // The spec's own region is not a layer level.
    if (regionDepth > kMaxNestingDepth) {
      error(op->getLoc()) << "layers nested deeper than " << kMaxNestingDepth
                          << " levels (through blocks, repeat, stage, "
                             "residual and choose; docs/language.md, "
                             "\"Limits\")";
      throw ExpansionLimit{};
    }
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToEnd(&op->getRegion(0).front());
    ++regionDepth;
    auto leave = llvm::make_scope_exit([&] { --regionDepth; });
    body();
  }

  NamedAttribute named(StringRef name, Attribute value) {
    return builder.getNamedAttr(name, value);
  }

  //--- Values
  //-------------------------------------------------------------===//

  SourceValue value(NasParser::ValueContext *ctx) {
    return std::any_cast<SourceValue>(visitAny(ctx));
  }

  /// antlrcpp::Any in the 4.9 runtime wraps values; unwrap to std::any.
  std::any visitAny(antlr4::tree::ParseTree *tree) {
    antlrcpp::Any result = visit(tree);
    return result.as<std::any>();
  }

  Attribute literalAttr(const SourceValue &v) {
    switch (v.kind) {
    case SourceValue::Int:
      return builder.getI64IntegerAttr(v.integer);
    case SourceValue::Real:
      return builder.getF64FloatAttr(v.real);
    case SourceValue::String:
    case SourceValue::Ident:
      return builder.getStringAttr(v.text);
    case SourceValue::Quantity:
      return QuantityAttr::get(context, llvm::APFloat(v.real),
                               builder.getStringAttr(v.text));
    default:
      return {};
    }
  }

  /// Builds a choice, reporting an invalid one at `v`'s location.
  Attribute choiceAttr(const SourceValue &v, ArrayRef<Attribute> options) {
    return ChoiceAttr::getChecked([&] { return error(v.loc); }, context,
                                  builder.getArrayAttr(options));
  }

  Attribute rangeAttr(const SourceValue &v) {
    return RangeAttr::getChecked([&] { return error(v.loc); }, context, v.lo,
                                 v.hi, v.step);
  }

  /// An integer hyper-parameter: integer, choice of integers, or range;
  /// inside a user op also a parameter or an expression over `in`.
  Attribute intParam(const SourceValue &v, StringRef what) {
    if (v.kind == SourceValue::Ident && lexical)
      if (std::optional<Binding> bound = resolveName(v.text, v.loc, what))
        return programParam(*bound, v.loc, what);
    switch (v.kind) {
    case SourceValue::Invalid:
      return {};
    case SourceValue::Expr: {
      Binding program;
      program.kind = Binding::Program;
      program.code = v.code;
      return programParam(program, v.loc, what);
    }
    case SourceValue::Int:
      return builder.getI64IntegerAttr(v.integer);
    case SourceValue::Range:
      return rangeAttr(v);
    case SourceValue::Choice: {
      SmallVector<Attribute> options;
      for (const SourceValue &e : v.elements) {
        if (e.kind != SourceValue::Int) {
          error(e.loc) << "'" << what << "' choices must be integers, got "
                       << e.describe();
          return {};
        }
        options.push_back(builder.getI64IntegerAttr(e.integer));
      }
      return choiceAttr(v, options);
    }
    default:
      error(v.loc) << "'" << what
                   << "' must be an integer, a choice {a, b} or a range "
                      "lo..hi, got "
                   << v.describe();
      return {};
    }
  }

  /// A real hyper-parameter (pruning ratio): number or choice of numbers.
  Attribute realParam(const SourceValue &v, StringRef what) {
    if (v.kind == SourceValue::Invalid)
      return {};
    if (v.kind == SourceValue::Expr && !readsInput(v.code)) {
      std::string problem;
      if (std::optional<Rational> r = evaluateExpr(v.code, {}, problem))
        return builder.getF64FloatAttr(double(r->num) / double(r->den));
    }
    if (v.isNumber())
      return builder.getF64FloatAttr(v.asReal());
    if (v.kind == SourceValue::Choice) {
      SmallVector<Attribute> options;
      for (const SourceValue &e : v.elements) {
        if (!e.isNumber()) {
          error(e.loc) << "'" << what << "' choices must be numbers, got "
                       << e.describe();
          return {};
        }
        options.push_back(builder.getF64FloatAttr(e.asReal()));
      }
      return choiceAttr(v, options);
    }
    error(v.loc) << "'" << what << "' must be a number or a choice, got "
                 << v.describe();
    return {};
  }

  /// A value for a `key = value` property described by `spec`.
  Attribute propertyAttr(const PropertySpec &spec, const SourceValue &v) {
    if (v.kind == SourceValue::Invalid)
      return {};
    Attribute attr;
    switch (spec.kind) {
    case ValueKind::Int:
      if (v.kind == SourceValue::Int)
        attr = builder.getI64IntegerAttr(v.integer);
      break;
    case ValueKind::Real:
      if (v.isNumber())
        attr = builder.getF64FloatAttr(v.asReal());
      break;
    case ValueKind::Bool:
      if (v.kind == SourceValue::Ident &&
          (v.text == "true" || v.text == "false"))
        attr = builder.getBoolAttr(v.text == "true");
      break;
    case ValueKind::String:
      if (v.kind == SourceValue::String)
        attr = builder.getStringAttr(v.text);
      break;
    case ValueKind::Word:
      if (v.kind == SourceValue::Ident &&
          checkPropertyValue(spec, builder.getStringAttr(v.text)).empty())
        attr = builder.getStringAttr(v.text);
      break;
    case ValueKind::Quantity:
      if (v.kind == SourceValue::Quantity || v.isNumber()) {
        StringRef unit =
            v.kind == SourceValue::Quantity ? StringRef(v.text) : StringRef();
        Dimension dimension = lookupUnit(unit)->dimension;
        if (dimension != spec.dimension) {
          auto diag = error(v.unitLoc)
                      << "'" << spec.name << "' must be " << describeKind(spec);
          if (unit.empty())
            diag << ", got a plain number";
          else
            diag << ", but '" << unit << "' is " << getDimensionName(dimension);
          return {};
        }
        attr = QuantityAttr::get(context, llvm::APFloat(v.asReal()),
                                 builder.getStringAttr(unit));
      }
      break;
    }
    if (!attr)
      error(v.loc) << "'" << spec.name << "' must be " << describeKind(spec)
                   << ", got " << v.describe();
    return attr;
  }

  //--- Names
  //----------------------------------------------------------------===//

  /// Finds a declaration of `kind` named `name`, reporting at `where` if
  /// there is none.
  const Decl *lookup(StringRef name, DeclKind kind, Location where) {
    auto it = decls.find(name);
    if (it == decls.end()) {
      error(where) << "unknown " << describeDecl(kind).drop_front(2).ltrim()
                   << " '" << name << "'";
      return nullptr;
    }
    if (it->second.kind != kind) {
      error(where) << "'" << name << "' is " << describeDecl(it->second.kind)
                   << ", not " << describeDecl(kind);
      return nullptr;
    }
    return &it->second;
  }

  void collectDeclarations(NasParser::SpecContext *ctx);

  /// Op sets and blocks expanded at least once.
  llvm::StringSet<> usedMacros;

  /// Expands every op set and block no one uses into a scratch op that is
  /// then erased, so their errors are reported too.
  void checkUnusedMacros() {
    for (const std::string &name : declOrder) {
      const Decl &decl = decls.find(name)->second;
      if ((decl.kind != DeclKind::OpSet && decl.kind != DeclKind::Block) ||
          usedMacros.count(name))
        continue;
      Operation *scratch = create(
          decl.kind == DeclKind::OpSet ? ChooseOp::getOperationName()
                                       : BlockOp::getOperationName(),
          loc(decl.tree), {named("name", builder.getStringAttr(name))}, 1);
      inside(scratch, [&] {
        if (decl.kind == DeclKind::OpSet)
          emitOptions(
              static_cast<NasParser::OpsDeclContext *>(decl.tree)->option());
        else
          emitLayers(
              static_cast<NasParser::BlockDeclContext *>(decl.tree)->layer());
      });
      scratch->erase();
    }
  }
  void addDecl(antlr4::tree::TerminalNode *name, DeclKind kind,
               antlr4::ParserRuleContext *tree);

  //--- Layers
  //---------------------------------------------------------------===//

  void emitLayers(const std::vector<NasParser::LayerContext *> &layers) {
    for (NasParser::LayerContext *layer : layers)
      visit(layer);
  }
  void emitChain(NasParser::ChainContext *chain, StringRef label,
                 Location labelLoc);
  void emitOpCall(NasParser::OpCallContext *call, StringRef label);
  void emitBuiltin(const BuiltinOp &builtin, NasParser::OpCallContext *call,
                   StringRef label);
  void emitAlternatives(NasParser::AlternativesContext *ctx);
  void emitOptions(const std::vector<NasParser::OptionContext *> &options);
  FailureOr<Attribute> builtinArg(StringRef name, const SourceValue &v);
  std::string labelOf(antlr4::tree::TerminalNode *node) {
    return node ? node->getText() : "";
  }

  //--- Visitor ----------------------------------------------------------===//

public:
  antlrcpp::Any visitSpec(NasParser::SpecContext *ctx) override;
  antlrcpp::Any visitDecl(NasParser::DeclContext *ctx) override;
  antlrcpp::Any visitDatasetDecl(NasParser::DatasetDeclContext *ctx) override;
  antlrcpp::Any visitTargetDecl(NasParser::TargetDeclContext *ctx) override;
  antlrcpp::Any visitTargetItem(NasParser::TargetItemContext *ctx) override;
  antlrcpp::Any visitSettingsDecl(NasParser::SettingsDeclContext *ctx) override;
  antlrcpp::Any visitProperty(NasParser::PropertyContext *ctx) override;
  antlrcpp::Any visitOpsDecl(NasParser::OpsDeclContext *ctx) override;
  antlrcpp::Any visitOption(NasParser::OptionContext *ctx) override;
  antlrcpp::Any visitCellDecl(NasParser::CellDeclContext *ctx) override;
  antlrcpp::Any visitCellEdge(NasParser::CellEdgeContext *ctx) override;
  antlrcpp::Any visitCellAllEdges(NasParser::CellAllEdgesContext *ctx) override;
  antlrcpp::Any
  visitOpsetAlternatives(NasParser::OpsetAlternativesContext *ctx) override;
  antlrcpp::Any
  visitInlineAlternatives(NasParser::InlineAlternativesContext *ctx) override;
  antlrcpp::Any visitBlockDecl(NasParser::BlockDeclContext *ctx) override;
  antlrcpp::Any visitNetworkDecl(NasParser::NetworkDeclContext *ctx) override;
  antlrcpp::Any visitChainLayer(NasParser::ChainLayerContext *ctx) override;
  antlrcpp::Any visitChooseLayer(NasParser::ChooseLayerContext *ctx) override;
  antlrcpp::Any visitRepeatLayer(NasParser::RepeatLayerContext *ctx) override;
  antlrcpp::Any visitStageLayer(NasParser::StageLayerContext *ctx) override;
  antlrcpp::Any
  visitResidualLayer(NasParser::ResidualLayerContext *ctx) override;
  antlrcpp::Any visitChain(NasParser::ChainContext *ctx) override;
  antlrcpp::Any visitOpCall(NasParser::OpCallContext *ctx) override;
  antlrcpp::Any visitArgs(NasParser::ArgsContext *ctx) override;
  antlrcpp::Any visitArg(NasParser::ArgContext *ctx) override;
  antlrcpp::Any
  visitObjectivesDecl(NasParser::ObjectivesDeclContext *ctx) override;
  antlrcpp::Any visitObjective(NasParser::ObjectiveContext *ctx) override;
  antlrcpp::Any
  visitConstraintsDecl(NasParser::ConstraintsDeclContext *ctx) override;
  antlrcpp::Any visitConstraint(NasParser::ConstraintContext *ctx) override;
  antlrcpp::Any visitMetric(NasParser::MetricContext *ctx) override;
  antlrcpp::Any
  visitQuantityValue(NasParser::QuantityValueContext *ctx) override;
  antlrcpp::Any visitStringValue(NasParser::StringValueContext *ctx) override;
  antlrcpp::Any visitIdentValue(NasParser::IdentValueContext *ctx) override;
  antlrcpp::Any visitListValue(NasParser::ListValueContext *ctx) override;
  antlrcpp::Any visitChoiceValue(NasParser::ChoiceValueContext *ctx) override;
  antlrcpp::Any visitRangeValue(NasParser::RangeValueContext *ctx) override;
  antlrcpp::Any visitQuantity(NasParser::QuantityContext *ctx) override;
  antlrcpp::Any visitUnit(NasParser::UnitContext *ctx) override;
  antlrcpp::Any visitNumber(NasParser::NumberContext *ctx) override;
  antlrcpp::Any visitUserOpDecl(NasParser::UserOpDeclContext *ctx) override;
  antlrcpp::Any visitParams(NasParser::ParamsContext *ctx) override;
  antlrcpp::Any visitParam(NasParser::ParamContext *ctx) override;
  antlrcpp::Any visitExprValue(NasParser::ExprValueContext *ctx) override;
  antlrcpp::Any visitParenExpr(NasParser::ParenExprContext *ctx) override;
  antlrcpp::Any visitCallExpr(NasParser::CallExprContext *ctx) override;
  antlrcpp::Any visitNegExpr(NasParser::NegExprContext *ctx) override;
  antlrcpp::Any visitMulExpr(NasParser::MulExprContext *ctx) override;
  antlrcpp::Any visitAddExpr(NasParser::AddExprContext *ctx) override;
  antlrcpp::Any visitNumberExpr(NasParser::NumberExprContext *ctx) override;
  antlrcpp::Any visitNameExpr(NasParser::NameExprContext *ctx) override;

private:
  /// Properties of a `{ key = value; }` body, each name once.
  llvm::StringMap<NasParser::PropertyContext *>
  collectProperties(const std::vector<NasParser::PropertyContext *> &props);
  /// A metric reference: the metric and its (possibly defaulted) target.
  struct MetricRef {
    Metric metric;
    FlatSymbolRefAttr target;
  };
  std::optional<MetricRef> metric(NasParser::MetricContext *ctx);
  void emitSearch(NasParser::SettingsDeclContext *ctx,
                  llvm::StringMap<NasParser::PropertyContext *> &props);
  void emitEvaluate(NasParser::SettingsDeclContext *ctx,
                    llvm::StringMap<NasParser::PropertyContext *> &props);
  void emitCompress(NasParser::SettingsDeclContext *ctx,
                    llvm::StringMap<NasParser::PropertyContext *> &props);
};

} // namespace

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

void MLIRGen::addDecl(antlr4::tree::TerminalNode *name, DeclKind kind,
                      antlr4::ParserRuleContext *tree) {
  // A chain resolves built-in names first, so such a cell or block could
  // never be used.
  if (findBuiltin(name->getText()) &&
      (kind == DeclKind::Cell || kind == DeclKind::Block ||
       kind == DeclKind::OpSet || kind == DeclKind::UserOp)) {
    error(loc(name)) << "'" << name->getText()
                     << "' is the name of a built-in operation";
    return;
  }
  auto [it, inserted] = decls.try_emplace(name->getText(), Decl{kind, tree});
  if (!inserted) {
    InFlightDiagnostic diag = error(loc(name));
    diag << "redefinition of '" << name->getText() << "'";
    diag.attachNote(loc(it->second.tree))
        << "'" << name->getText() << "' was first declared here";
    return;
  }
  declOrder.push_back(name->getText());
  switch (kind) {
  case DeclKind::Dataset:
    ++numDatasets;
    onlyDataset = name->getText();
    break;
  case DeclKind::Target:
    ++numTargets;
    onlyTarget = name->getText();
    break;
  case DeclKind::Network:
    if (++numNetworks > 1)
      error(loc(tree)) << "a spec holds one network; '" << name->getText()
                       << "' is a second one";
    break;
  default:
    break;
  }
}

void MLIRGen::collectDeclarations(NasParser::SpecContext *ctx) {
  for (NasParser::DeclContext *decl : ctx->decl()) {
    if (auto *d = decl->datasetDecl())
      addDecl(d->IDENT(), DeclKind::Dataset, d);
    else if (auto *d = decl->targetDecl())
      addDecl(d->IDENT(0), DeclKind::Target, d);
    else if (auto *d = decl->opsDecl())
      addDecl(d->IDENT(), DeclKind::OpSet, d);
    else if (auto *d = decl->cellDecl())
      addDecl(d->IDENT(), DeclKind::Cell, d);
    else if (auto *d = decl->blockDecl())
      addDecl(d->IDENT(), DeclKind::Block, d);
    else if (auto *d = decl->userOpDecl())
      addDecl(d->IDENT(), DeclKind::UserOp, d);
    else if (auto *d = decl->networkDecl())
      addDecl(d->IDENT(0), DeclKind::Network, d);
  }
}

OwningOpRef<ModuleOp> MLIRGen::generate(NasParser::SpecContext *tree,
                                        StringRef specName) {
  Location fileLoc = locator.get(1, 0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  Operation *spec = create(SpecOp::getOperationName(), fileLoc,
                           {named(SymbolTable::getSymbolAttrName(),
                                  builder.getStringAttr(specName))},
                           1);
  collectDeclarations(tree);
  if (numDatasets == 1)
    classes = datasetClasses(onlyDataset);
  if (numNetworks == 0)
    error(fileLoc) << "the spec declares no network";
  inside(spec, [&] {
    visitSpec(tree);
    checkUnusedMacros();
  });
  if (genErrors)
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

antlrcpp::Any MLIRGen::visitSpec(NasParser::SpecContext *ctx) {
  for (NasParser::DeclContext *decl : ctx->decl())
    visitDecl(decl);
  return nullptr;
}

antlrcpp::Any MLIRGen::visitDecl(NasParser::DeclContext *ctx) {
  return visitChildren(ctx);
}

//===----------------------------------------------------------------------===//
// Properties
//===----------------------------------------------------------------------===//

llvm::StringMap<NasParser::PropertyContext *> MLIRGen::collectProperties(
    const std::vector<NasParser::PropertyContext *> &props) {
  llvm::StringMap<NasParser::PropertyContext *> result;
  for (NasParser::PropertyContext *prop : props) {
    auto [it, inserted] = result.try_emplace(prop->IDENT()->getText(), prop);
    if (!inserted)
      error(loc(prop)) << "property '" << prop->IDENT()->getText()
                       << "' is set twice";
  }
  return result;
}

antlrcpp::Any MLIRGen::visitProperty(NasParser::PropertyContext *ctx) {
  return visitAny(ctx->value());
}

antlrcpp::Any MLIRGen::visitDatasetDecl(NasParser::DatasetDeclContext *ctx) {
  auto props = collectProperties(ctx->property());
  SmallVector<NamedAttribute> attrs = {
      named(SymbolTable::getSymbolAttrName(),
            builder.getStringAttr(ctx->IDENT()->getText()))};
  bool ok = true;
  auto require = [&](StringRef key) -> NasParser::PropertyContext * {
    auto *prop = props.lookup(key);
    if (!prop) {
      error(loc(ctx)) << "dataset '" << ctx->IDENT()->getText() << "' needs '"
                      << key << " = ...;'";
      ok = false;
    }
    return prop;
  };
  for (auto &entry : props) {
    StringRef key = entry.getKey();
    if (key != "input" && key != "classes" && key != "source" &&
        key != "path" && key != "resolution") {
      error(loc(entry.getValue())) << "unknown dataset property '" << key
                                   << "'; expected input, classes, "
                                      "resolution, source or path";
      ok = false;
    }
  }
  if (auto *input = require("input")) {
    SourceValue v = value(input->value());
    SmallVector<int64_t> shape;
    if (v.kind == SourceValue::List) {
      for (const SourceValue &e : v.elements) {
        if (e.kind != SourceValue::Int) {
          if (e.kind != SourceValue::Invalid)
            error(e.loc) << "input dimensions must be integers, got "
                         << e.describe();
          ok = false;
        }
        shape.push_back(e.integer);
      }
    } else {
      if (v.kind != SourceValue::Invalid)
        error(v.loc) << "'input' must be a list like [3, 32, 32], got "
                     << v.describe();
      ok = false;
    }
    attrs.push_back(named("input_shape", builder.getDenseI64ArrayAttr(shape)));
  }
  if (auto *classesProp = require("classes")) {
    SourceValue v = value(classesProp->value());
    if (v.kind != SourceValue::Int) {
      if (v.kind != SourceValue::Invalid)
        error(v.loc) << "'classes' must be an integer, got " << v.describe();
      ok = false;
    }
    attrs.push_back(named("num_classes", builder.getI64IntegerAttr(v.integer)));
  }
  // A searched input resolution: the side of a square image.
  if (auto *prop = props.lookup("resolution")) {
    Attribute resolution = intParam(value(prop->value()), "resolution");
    if (resolution)
      attrs.push_back(named("resolution", resolution));
    else
      ok = false;
  }
  for (StringRef key : {"source", "path"}) {
    if (auto *prop = props.lookup(key)) {
      SourceValue v = value(prop->value());
      if (v.kind != SourceValue::String) {
        if (v.kind != SourceValue::Invalid)
          error(v.loc) << "'" << key << "' must be a string, got "
                       << v.describe();
        ok = false;
      }
      attrs.push_back(named(key, builder.getStringAttr(v.text)));
    }
  }
  if (ok)
    create(DatasetOp::getOperationName(), loc(ctx), attrs);
  return nullptr;
}

antlrcpp::Any MLIRGen::visitTargetDecl(NasParser::TargetDeclContext *ctx) {
  std::string kindName = ctx->IDENT(1)->getText();
  std::optional<TargetKind> kind = symbolizeTargetKind(kindName);
  if (!kind) {
    error(loc(ctx->IDENT(1)))
        << "unknown target kind '" << kindName << "'; expected one of "
        << listEnum(getMaxEnumValForTargetKind(), [](uint32_t i) {
             return stringifyTargetKind(static_cast<TargetKind>(i));
           });
    return nullptr;
  }
  ArrayRef<PropertySpec> specs = getTargetProperties(*kind);
  SmallVector<NamedAttribute> props, tunables;
  llvm::StringSet<> seen;
  for (NasParser::TargetItemContext *item : ctx->targetItem()) {
    NasParser::PropertyContext *prop = item->property();
    std::string key = prop->IDENT()->getText();
    if (!seen.insert(key).second) {
      error(loc(prop)) << "property '" << key << "' is set twice";
      continue;
    }
    SourceValue v = value(prop->value());
    if (v.kind == SourceValue::Invalid)
      continue;
    if (item->TUNABLE()) {
      Attribute attr;
      if (v.kind == SourceValue::Range) {
        attr = rangeAttr(v);
      } else if (v.kind == SourceValue::Choice) {
        SmallVector<Attribute> options;
        for (const SourceValue &e : v.elements)
          options.push_back(literalAttr(e));
        if (llvm::all_of(options, [](Attribute a) { return bool(a); }))
          attr = choiceAttr(v, options);
        else
          error(v.loc) << "tunable alternatives must be numbers, strings, "
                          "names or quantities";
      } else {
        error(v.loc) << "tunable '" << key
                     << "' must be a choice {a, b} or a range lo..hi, got "
                     << v.describe();
      }
      if (!attr)
        continue;
      // The name binds to the backend's parameter; every alternative must
      // be one it builds.
      std::string why = checkTunable(*kind, key, attr);
      if (why.empty())
        tunables.push_back(named(key, attr));
      else
        error(StringRef(why).starts_with("unknown") ? loc(prop) : v.loc) << why;
      continue;
    }
    const PropertySpec *spec = findProperty(specs, key);
    if (!spec) {
      error(loc(prop)) << "unknown property '" << key << "' for a " << kindName
                       << " target; expected one of "
                       << listPropertyNames(specs)
                       << " (or 'tunable NAME = ...' for a hardware search "
                          "parameter)";
      continue;
    }
    if (Attribute attr = propertyAttr(*spec, v))
      props.push_back(named(key, attr));
  }
  SmallVector<NamedAttribute> attrs = {
      named(SymbolTable::getSymbolAttrName(),
            builder.getStringAttr(ctx->IDENT(0)->getText())),
      named("kind", TargetKindAttr::get(context, *kind))};
  if (!props.empty())
    attrs.push_back(named("props", builder.getDictionaryAttr(props)));
  if (!tunables.empty())
    attrs.push_back(named("tunables", builder.getDictionaryAttr(tunables)));
  create(TargetOp::getOperationName(), loc(ctx), attrs);
  return nullptr;
}

antlrcpp::Any MLIRGen::visitTargetItem(NasParser::TargetItemContext *ctx) {
  return visitChildren(ctx);
}

antlrcpp::Any MLIRGen::visitSettingsDecl(NasParser::SettingsDeclContext *ctx) {
  auto props = collectProperties(ctx->property());
  std::string kind = ctx->kind->getText();
  if (kind == "search")
    emitSearch(ctx, props);
  else if (kind == "evaluate")
    emitEvaluate(ctx, props);
  else
    emitCompress(ctx, props);
  return nullptr;
}

/// Reads an enum-valued setting such as `strategy = evolution;`.
template <typename Enum, typename Symbolize, typename Stringify>
static std::optional<Enum> readEnumSetting(
    llvm::StringMap<NasParser::PropertyContext *> &props, StringRef key,
    Enum fallback, uint32_t max, Symbolize symbolize, Stringify stringify,
    llvm::function_ref<InFlightDiagnostic(antlr4::ParserRuleContext *)> error) {
  NasParser::PropertyContext *prop = props.lookup(key);
  if (!prop)
    return fallback;
  props.erase(key);
  std::string text = prop->value()->getText();
  if (std::optional<Enum> value = symbolize(text))
    return value;
  error(prop->value()) << "unknown " << key << " '" << text
                       << "'; expected one of "
                       << listEnum(max, [&](uint32_t i) {
                            return stringify(static_cast<Enum>(i));
                          });
  return std::nullopt;
}

void MLIRGen::emitSearch(NasParser::SettingsDeclContext *ctx,
                         llvm::StringMap<NasParser::PropertyContext *> &props) {
  auto strategy = readEnumSetting<Strategy>(
      props, "strategy", Strategy::random, getMaxEnumValForStrategy(),
      [](StringRef s) { return symbolizeStrategy(s); },
      [](Strategy s) { return stringifyStrategy(s); },
      [&](antlr4::ParserRuleContext *at) { return error(loc(at)); });
  if (!strategy)
    return;
  SmallVector<NamedAttribute> attrs = {
      named("strategy", StrategyAttr::get(context, *strategy))};
  static const PropertySpec budgetSpec = {"budget", ValueKind::Int,
                                          Dimension::Count, ""};
  static const PropertySpec seedSpec = {"seed", ValueKind::Int,
                                        Dimension::Count, ""};
  SmallVector<NamedAttribute> params;
  ArrayRef<PropertySpec> specs = getStrategyParams(*strategy);
  for (NasParser::PropertyContext *prop : ctx->property()) {
    std::string key = prop->IDENT()->getText();
    if (!props.count(key))
      continue;
    const PropertySpec *spec = key == "budget" ? &budgetSpec
                               : key == "seed" ? &seedSpec
                                               : findProperty(specs, key);
    if (!spec) {
      error(loc(prop)) << "unknown search parameter '" << key
                       << "' for strategy '" << stringifyStrategy(*strategy)
                       << "'; expected budget, seed"
                       << (specs.empty() ? "" : ", ")
                       << listPropertyNames(specs);
      continue;
    }
    Attribute attr = propertyAttr(*spec, value(prop->value()));
    if (!attr)
      continue;
    if (spec == &budgetSpec || spec == &seedSpec)
      attrs.push_back(named(key, attr));
    else
      params.push_back(named(key, attr));
  }
  if (!params.empty())
    attrs.push_back(named("params", builder.getDictionaryAttr(params)));
  create(SearchOp::getOperationName(), loc(ctx), attrs);
}

void MLIRGen::emitEvaluate(
    NasParser::SettingsDeclContext *ctx,
    llvm::StringMap<NasParser::PropertyContext *> &props) {
  auto method = readEnumSetting<EvalMethod>(
      props, "method", EvalMethod::train, getMaxEnumValForEvalMethod(),
      [](StringRef s) { return symbolizeEvalMethod(s); },
      [](EvalMethod m) { return stringifyEvalMethod(m); },
      [&](antlr4::ParserRuleContext *at) { return error(loc(at)); });
  if (!method)
    return;
  SmallVector<NamedAttribute> params;
  for (NasParser::PropertyContext *prop : ctx->property()) {
    std::string key = prop->IDENT()->getText();
    if (!props.count(key))
      continue;
    const PropertySpec *spec = findProperty(getEvaluationParams(), key);
    if (!spec) {
      error(loc(prop)) << "unknown evaluation parameter '" << key
                       << "'; expected method, "
                       << listPropertyNames(getEvaluationParams());
      continue;
    }
    if (Attribute attr = propertyAttr(*spec, value(prop->value())))
      params.push_back(named(key, attr));
  }
  SmallVector<NamedAttribute> attrs = {
      named("method", EvalMethodAttr::get(context, *method))};
  if (!params.empty())
    attrs.push_back(named("params", builder.getDictionaryAttr(params)));
  create(EvaluateOp::getOperationName(), loc(ctx), attrs);
}

void MLIRGen::emitCompress(
    NasParser::SettingsDeclContext *ctx,
    llvm::StringMap<NasParser::PropertyContext *> &props) {
  SmallVector<NamedAttribute> attrs;
  for (NasParser::PropertyContext *prop : ctx->property()) {
    std::string key = prop->IDENT()->getText();
    SourceValue v = value(prop->value());
    Attribute attr;
    if (key == "wbits" || key == "abits")
      attr = intParam(v, key);
    else if (key == "prune")
      attr = realParam(v, key);
    else
      error(loc(prop)) << "unknown compression setting '" << key
                       << "'; expected wbits, abits or prune";
    if (attr)
      attrs.push_back(named(key, attr));
  }
  create(CompressOp::getOperationName(), loc(ctx), attrs);
}

//===----------------------------------------------------------------------===//
// Cells
//===----------------------------------------------------------------------===//

antlrcpp::Any MLIRGen::visitCellDecl(NasParser::CellDeclContext *ctx) {
  int64_t nodes = 0, inputs = 1;
  CellOutput output = CellOutput::last;
  bool hasNodes = false;
  if (auto *args = ctx->args()) {
    llvm::StringSet<> seen;
    for (NasParser::ArgContext *arg : args->arg()) {
      std::string key = arg->IDENT()->getText();
      if (!seen.insert(key).second) {
        error(loc(arg)) << "argument '" << key << "' is given twice";
        continue;
      }
      SourceValue v = value(arg->value());
      if (key == "nodes" || key == "inputs") {
        hasNodes |= key == "nodes";
        if (v.kind != SourceValue::Int) {
          if (v.kind != SourceValue::Invalid)
            error(v.loc) << "'" << key << "' must be an integer, got "
                         << v.describe();
          continue;
        }
        (key == "nodes" ? nodes : inputs) = v.integer;
      } else if (key == "output") {
        std::optional<CellOutput> kind = symbolizeCellOutput(v.text);
        if (v.kind != SourceValue::Ident || !kind) {
          error(v.loc) << "'output' must be 'last' or 'concat'";
          continue;
        }
        output = *kind;
      } else {
        error(loc(arg)) << "unknown cell argument '" << key
                        << "'; expected nodes, inputs or output";
      }
    }
  }
  if (!hasNodes) {
    error(loc(ctx)) << "cell '" << ctx->IDENT()->getText()
                    << "' needs a node count: cell " << ctx->IDENT()->getText()
                    << "(nodes = N)";
    return nullptr;
  }
  Operation *cell =
      create(CellOp::getOperationName(), loc(ctx),
             {named(SymbolTable::getSymbolAttrName(),
                    builder.getStringAttr(ctx->IDENT()->getText())),
              named("num_nodes", builder.getI64IntegerAttr(nodes)),
              named("num_inputs", builder.getI64IntegerAttr(inputs)),
              named("output", CellOutputAttr::get(context, output))},
             1);

  // Edges in canonical order (by target node, then source), the order of
  // NAS-Bench-201's architecture strings. `edges all` fills in every pair
  // not declared explicitly.
  struct PendingEdge {
    int64_t from, to;
    NasParser::AlternativesContext *alternatives;
    Location where;
  };
  std::vector<PendingEdge> edges;
  std::set<std::pair<int64_t, int64_t>> explicitEdges;
  NasParser::CellAllEdgesContext *all = nullptr;
  for (NasParser::CellItemContext *item : ctx->cellItem()) {
    if (auto *edge = dynamic_cast<NasParser::CellEdgeContext *>(item)) {
      int64_t from = 0, to = 0;
      if (StringRef(edge->INT(0)->getText()).getAsInteger(10, from) ||
          StringRef(edge->INT(1)->getText()).getAsInteger(10, to)) {
        error(loc(edge)) << "node index is too large";
        continue;
      }
      explicitEdges.insert({from, to});
      edges.push_back({from, to, edge->alternatives(), loc(edge)});
    } else if (auto *allEdges =
                   dynamic_cast<NasParser::CellAllEdgesContext *>(item)) {
      if (all)
        error(loc(allEdges)) << "'edges all' is given twice";
      all = allEdges;
    }
  }
  if (all && nodes > 0 && nodes <= 64)
    for (int64_t to = std::max<int64_t>(inputs, 1); to < nodes; ++to)
      for (int64_t from = 0; from < to; ++from)
        if (!explicitEdges.count({from, to}))
          edges.push_back({from, to, all->alternatives(), loc(all)});
  std::stable_sort(edges.begin(), edges.end(),
                   [](const PendingEdge &a, const PendingEdge &b) {
                     return std::make_pair(a.to, a.from) <
                            std::make_pair(b.to, b.from);
                   });
  inside(cell, [&] {
    for (const PendingEdge &edge : edges) {
      Operation *op =
          create(EdgeOp::getOperationName(), edge.where,
                 {named("from", builder.getI64IntegerAttr(edge.from)),
                  named("to", builder.getI64IntegerAttr(edge.to))},
                 1);
      inside(op, [&] { emitAlternatives(edge.alternatives); });
    }
  });
  return nullptr;
}

antlrcpp::Any MLIRGen::visitCellEdge(NasParser::CellEdgeContext *ctx) {
  llvm_unreachable("cell edges are emitted by visitCellDecl");
}

antlrcpp::Any MLIRGen::visitCellAllEdges(NasParser::CellAllEdgesContext *ctx) {
  llvm_unreachable("cell edges are emitted by visitCellDecl");
}

//===----------------------------------------------------------------------===//
// Alternatives
//===----------------------------------------------------------------------===//

void MLIRGen::emitAlternatives(NasParser::AlternativesContext *ctx) {
  visit(ctx);
}

void MLIRGen::emitOptions(
    const std::vector<NasParser::OptionContext *> &options) {
  llvm::StringSet<> seen;
  for (NasParser::OptionContext *option : options) {
    std::string label = option->IDENT()->getText();
    if (!seen.insert(label).second) {
      error(loc(option)) << "alternative '" << label << "' is listed twice";
      continue;
    }
    visitOption(option);
  }
}

antlrcpp::Any MLIRGen::visitOption(NasParser::OptionContext *ctx) {
  Operation *option = create(
      OptionOp::getOperationName(), loc(ctx),
      {named("name", builder.getStringAttr(ctx->IDENT()->getText()))}, 1);
  inside(option, [&] { emitChain(ctx->chain(), "", loc(ctx)); });
  return nullptr;
}

antlrcpp::Any
MLIRGen::visitInlineAlternatives(NasParser::InlineAlternativesContext *ctx) {
  emitOptions(ctx->option());
  return nullptr;
}

antlrcpp::Any
MLIRGen::visitOpsetAlternatives(NasParser::OpsetAlternativesContext *ctx) {
  std::string name = ctx->IDENT()->getText();
  if (findBuiltin(name)) {
    error(loc(ctx)) << "'" << name
                    << "' is an operation, not an op set; write it as an "
                       "alternative: { label: "
                    << name << "; }";
    return nullptr;
  }
  const Decl *decl = lookup(name, DeclKind::OpSet, loc(ctx));
  if (!decl)
    return nullptr;
  usedMacros.insert(name);
  auto *opset = static_cast<NasParser::OpsDeclContext *>(decl->tree);

  // Arguments flow into every alternative; an argument no alternative takes
  // is a mistake worth reporting.
  // Each argument is converted once, here, so a bad value is reported once.
  std::vector<PassedArg> passed;
  bool ok = true;
  if (auto *args = ctx->args()) {
    for (NasParser::ArgContext *arg : args->arg()) {
      std::string key = arg->IDENT()->getText();
      if (llvm::any_of(passed,
                       [&](const PassedArg &p) { return p.name == key; })) {
        error(loc(arg)) << "argument '" << key << "' is given twice";
        ok = false;
        continue;
      }
      FailureOr<Attribute> converted = builtinArg(key, value(arg->value()));
      if (failed(converted)) {
        ok = false;
        continue;
      }
      passed.push_back({key, *converted, loc(arg)});
    }
  }
  if (!ok)
    return nullptr;
  std::vector<PassedArg> *saved = passedArgs;
  passedArgs = &passed;
  // An op set's alternatives do not see the parameters around its use.
  LexicalScope *savedScope = lexical;
  lexical = nullptr;
  expandAt(loc(ctx), [&] { emitOptions(opset->option()); });
  lexical = savedScope;
  passedArgs = saved;
  for (const PassedArg &arg : passed)
    if (!arg.used)
      error(arg.loc) << "no alternative of op set '" << name
                     << "' takes argument '" << arg.name << "'";
  return nullptr;
}

antlrcpp::Any MLIRGen::visitOpsDecl(NasParser::OpsDeclContext *ctx) {
  // Op sets are emitted where they are used.
  return nullptr;
}

//===----------------------------------------------------------------------===//
// Networks, blocks and layers
//===----------------------------------------------------------------------===//

antlrcpp::Any MLIRGen::visitBlockDecl(NasParser::BlockDeclContext *ctx) {
  // Blocks are emitted where they are used.
  return nullptr;
}

antlrcpp::Any MLIRGen::visitNetworkDecl(NasParser::NetworkDeclContext *ctx) {
  std::string dataset;
  if (ctx->IDENT().size() > 1) {
    dataset = ctx->IDENT(1)->getText();
    if (!lookup(dataset, DeclKind::Dataset, loc(ctx->IDENT(1))))
      return nullptr;
  } else if (numDatasets == 1) {
    dataset = onlyDataset;
  } else {
    error(loc(ctx)) << "network '" << ctx->IDENT(0)->getText()
                    << "' needs 'on DATASET': the spec declares " << numDatasets
                    << " datasets";
    return nullptr;
  }
  std::optional<int64_t> outerClasses = classes;
  classes = datasetClasses(dataset);
  Operation *network =
      create(NetworkOp::getOperationName(), loc(ctx),
             {named(SymbolTable::getSymbolAttrName(),
                    builder.getStringAttr(ctx->IDENT(0)->getText())),
              named("dataset", FlatSymbolRefAttr::get(context, dataset))},
             1);
  inside(network, [&] { emitLayers(ctx->layer()); });
  classes = outerClasses;
  return nullptr;
}

antlrcpp::Any MLIRGen::visitChainLayer(NasParser::ChainLayerContext *ctx) {
  emitChain(ctx->chain(), labelOf(ctx->IDENT()),
            ctx->IDENT() ? loc(ctx->IDENT()) : loc(ctx));
  return nullptr;
}

void MLIRGen::emitChain(NasParser::ChainContext *chain, StringRef label,
                        Location labelLoc) {
  std::vector<NasParser::OpCallContext *> calls = chain->opCall();
  // A label on a single built-in op names it; otherwise the labelled ops are
  // grouped in a named block.
  if (!label.empty() &&
      !(calls.size() == 1 && (findBuiltin(calls[0]->IDENT()->getText()) ||
                              isUserOp(calls[0]->IDENT()->getText())))) {
    Operation *block = create(BlockOp::getOperationName(), labelLoc,
                              {named("name", builder.getStringAttr(label))}, 1);
    inside(block, [&] {
      for (NasParser::OpCallContext *call : calls)
        emitOpCall(call, "");
    });
    return;
  }
  for (NasParser::OpCallContext *call : calls)
    emitOpCall(call, label);
}

antlrcpp::Any MLIRGen::visitChain(NasParser::ChainContext *ctx) {
  emitChain(ctx, "", loc(ctx));
  return nullptr;
}

antlrcpp::Any MLIRGen::visitOpCall(NasParser::OpCallContext *ctx) {
  emitOpCall(ctx, "");
  return nullptr;
}

void MLIRGen::emitOpCall(NasParser::OpCallContext *call, StringRef label) {
  std::string name = call->IDENT()->getText();
  // An op-valued parameter of the user op being expanded names the op.
  if (const Binding *bound = lookupParam(name)) {
    if (bound->kind != Binding::Word) {
      if (bound->kind != Binding::Invalid)
        error(loc(call)) << "'" << name << "' is a parameter of op '"
                         << lexical->op << "' holding "
                         << bound->describe() << ", not an operation";
      return;
    }
    name = bound->word;
  }
  if (const BuiltinOp *builtin = findBuiltin(name)) {
    emitBuiltin(*builtin, call, label);
    return;
  }
  auto it = decls.find(name);
  if (it == decls.end()) {
    error(loc(call)) << "unknown operation '" << name
                     << "': not a built-in op, cell or block";
    return;
  }
  DeclKind kind = it->second.kind;
  if (kind == DeclKind::UserOp) {
    emitUserOpCall(call, name, label);
    return;
  }
  if (kind != DeclKind::Cell && kind != DeclKind::Block) {
    error(loc(call)) << "'" << name << "' is " << describeDecl(kind)
                     << (kind == DeclKind::OpSet
                             ? "; use 'choose " + name + ";'"
                             : std::string())
                     << ", not an operation";
    return;
  }
  if (call->args() || call->getStop()->getText() == ")") {
    error(loc(call)) << (kind == DeclKind::Cell ? "cell" : "block") << " '"
                     << name << "' takes no arguments";
    return;
  }
  if (kind == DeclKind::Cell) {
    create(CellRefOp::getOperationName(), loc(call),
           {named("cell", FlatSymbolRefAttr::get(context, name))});
    return;
  }
  usedMacros.insert(name);
  // A block that doubles what it uses, used in a tower of such blocks,
  // would create two million ops before the limit stopped it: its size is
  // known beforehand.
  if (createdOps + 1 + countBlockOps(name, 0) > kMaxSpecOps)
    stopAtExpansionLimit(loc(call));
  if (!expandingBlocks.insert(name).second) {
    error(loc(call)) << "block '" << name << "' uses itself";
    return;
  }
  Operation *block = create(BlockOp::getOperationName(), loc(call),
                            {named("name", builder.getStringAttr(name))}, 1);
  std::vector<PassedArg> *saved = passedArgs;
  passedArgs = nullptr;
  // A block's body does not see the parameters around its use.
  LexicalScope *savedScope = lexical;
  lexical = nullptr;
  inside(block, [&] {
    expandAt(loc(call), [&] {
      emitLayers(
          static_cast<NasParser::BlockDeclContext *>(it->second.tree)->layer());
    });
  });
  lexical = savedScope;
  passedArgs = saved;
  expandingBlocks.erase(name);
}

/// Converts an argument of a built-in op. Success with a null attribute
/// means the argument adds nothing (`se = false`).
FailureOr<Attribute> MLIRGen::builtinArg(StringRef name, const SourceValue &v) {
  Attribute attr;
  if (name == "prune") {
    attr = realParam(v, name);
  } else if (name == "se") {
    if (v.kind == SourceValue::Ident && lexical)
      if (const Binding *bound = lookupParam(v.text);
          bound && bound->kind == Binding::Bool)
        return bound->flag ? Attribute(builder.getUnitAttr()) : Attribute();
    if (v.kind == SourceValue::Ident && (v.text == "true" || v.text == "false"))
      return v.text == "true" ? Attribute(builder.getUnitAttr()) : Attribute();
    if (v.kind != SourceValue::Invalid)
      error(v.loc) << "'se' must be true or false";
  } else if (name == "out" && v.kind == SourceValue::Ident &&
             v.text == "classes") {
    if (classes)
      return Attribute(builder.getI64IntegerAttr(*classes));
    error(v.loc) << "'out = classes' is ambiguous here: outside a network it "
                    "needs exactly one dataset, and the spec declares "
                 << numDatasets;
  } else {
    attr = intParam(v, name);
  }
  if (!attr)
    return failure();
  return attr;
}

void MLIRGen::emitBuiltin(const BuiltinOp &builtin,
                          NasParser::OpCallContext *call, StringRef label) {
  SmallVector<NamedAttribute> attrs;
  if (builtin.kind)
    attrs.push_back(named("kind", builtin.kind(context)));
  if (builtin.name == "dwconv")
    attrs.push_back(named("depthwise", builder.getUnitAttr()));
  if (!label.empty())
    attrs.push_back(named("name", builder.getStringAttr(label)));
  llvm::StringSet<> given;
  bool ok = true;
  if (auto *args = call->args()) {
    for (NasParser::ArgContext *arg : args->arg()) {
      std::string key = arg->IDENT()->getText();
      if (!llvm::is_contained(builtin.args, key)) {
        error(loc(arg)) << "'" << builtin.name << "' has no argument '" << key
                        << "'"
                        << (builtin.args.empty()
                                ? std::string("; it takes none")
                                : "; expected one of " +
                                      llvm::join(builtin.args, ", "));
        ok = false;
        continue;
      }
      if (!given.insert(key).second) {
        error(loc(arg)) << "argument '" << key << "' is given twice";
        ok = false;
        continue;
      }
      FailureOr<Attribute> attr = builtinArg(key, value(arg->value()));
      if (failed(attr))
        ok = false;
      else if (*attr)
        attrs.push_back(named(key, *attr));
    }
  }
  if (passedArgs)
    for (PassedArg &arg : *passedArgs) {
      if (!llvm::is_contained(builtin.args, arg.name) || given.count(arg.name))
        continue;
      arg.used = true;
      if (arg.value)
        attrs.push_back(named(arg.name, arg.value));
    }
  if (ok)
    create(builtin.opName, loc(call), attrs);
}

antlrcpp::Any MLIRGen::visitChooseLayer(NasParser::ChooseLayerContext *ctx) {
  SmallVector<NamedAttribute> attrs;
  if (ctx->IDENT())
    attrs.push_back(
        named("name", builder.getStringAttr(ctx->IDENT()->getText())));
  Operation *choose = create(ChooseOp::getOperationName(), loc(ctx), attrs, 1);
  // A choose nested in an op set alternative does not see the outer
  // arguments.
  std::vector<PassedArg> *saved = passedArgs;
  passedArgs = nullptr;
  inside(choose, [&] { emitAlternatives(ctx->alternatives()); });
  passedArgs = saved;
  return nullptr;
}

antlrcpp::Any MLIRGen::visitRepeatLayer(NasParser::RepeatLayerContext *ctx) {
  Attribute count = intParam(value(ctx->count), "repeat count");
  if (!count)
    return nullptr;
  if (isa<ExprAttr>(count)) {
    error(loc(ctx->count)) << "a repeat count must be known without the "
                              "input channels; it reads 'in'";
    return nullptr;
  }
  SmallVector<NamedAttribute> attrs = {named("count", count)};
  if (ctx->SHARED())
    attrs.push_back(named("shared", builder.getUnitAttr()));
  Operation *repeat = create(RepeatOp::getOperationName(), loc(ctx), attrs, 1);
  inside(repeat, [&] { emitLayers(ctx->layer()); });
  return nullptr;
}

antlrcpp::Any MLIRGen::visitStageLayer(NasParser::StageLayerContext *ctx) {
  SmallVector<NamedAttribute> attrs;
  if (ctx->IDENT())
    attrs.push_back(
        named("name", builder.getStringAttr(ctx->IDENT()->getText())));
  Operation *stage = create(StageOp::getOperationName(), loc(ctx), attrs, 1);
  inside(stage, [&] { emitLayers(ctx->layer()); });
  return nullptr;
}

antlrcpp::Any
MLIRGen::visitResidualLayer(NasParser::ResidualLayerContext *ctx) {
  Shortcut shortcut = Shortcut::identity;
  if (auto *args = ctx->args()) {
    for (NasParser::ArgContext *arg : args->arg()) {
      std::string key = arg->IDENT()->getText();
      if (key != "shortcut") {
        error(loc(arg)) << "'residual' has no argument '" << key
                        << "'; expected shortcut";
        continue;
      }
      std::string text = arg->value()->getText();
      if (auto kind = symbolizeShortcut(text))
        shortcut = *kind;
      else
        error(loc(arg->value()))
            << "unknown shortcut '" << text << "'; expected one of "
            << listEnum(getMaxEnumValForShortcut(), [](uint32_t i) {
                 return stringifyShortcut(static_cast<Shortcut>(i));
               });
    }
  }
  SmallVector<NamedAttribute> attrs = {
      named("shortcut", ShortcutAttr::get(context, shortcut))};
  if (ctx->IDENT())
    attrs.push_back(
        named("name", builder.getStringAttr(ctx->IDENT()->getText())));
  Operation *residual =
      create(ResidualOp::getOperationName(), loc(ctx), attrs, 1);
  inside(residual, [&] { emitLayers(ctx->layer()); });
  return nullptr;
}

antlrcpp::Any MLIRGen::visitArgs(NasParser::ArgsContext *ctx) {
  llvm_unreachable("arguments are read by their owner");
}

antlrcpp::Any MLIRGen::visitArg(NasParser::ArgContext *ctx) {
  llvm_unreachable("arguments are read by their owner");
}

//===----------------------------------------------------------------------===//
// Objectives and constraints
//===----------------------------------------------------------------------===//

std::optional<MLIRGen::MetricRef>
MLIRGen::metric(NasParser::MetricContext *ctx) {
  std::string name = ctx->IDENT(0)->getText();
  std::optional<Metric> metric = symbolizeMetric(name);
  if (!metric) {
    error(loc(ctx)) << "unknown metric '" << name << "'; expected one of "
                    << listEnum(getMaxEnumValForMetric(), [](uint32_t i) {
                         return stringifyMetric(static_cast<Metric>(i));
                       });
    return std::nullopt;
  }
  if (ctx->IDENT().size() > 1) {
    std::string target = ctx->IDENT(1)->getText();
    if (!metricTakesTarget(*metric)) {
      error(loc(ctx->IDENT(1)))
          << "metric '" << name
          << "' does not depend on hardware and takes no target";
      return std::nullopt;
    }
    if (!lookup(target, DeclKind::Target, loc(ctx->IDENT(1))))
      return std::nullopt;
    return MetricRef{*metric, FlatSymbolRefAttr::get(context, target)};
  }
  if (!metricNeedsTarget(*metric))
    return MetricRef{*metric, nullptr};
  if (numTargets == 1)
    return MetricRef{*metric, FlatSymbolRefAttr::get(context, onlyTarget)};
  auto diag = error(loc(ctx)) << "metric '" << name
                              << "' depends on hardware: name a target, as in "
                              << name << "(TARGET)";
  if (numTargets == 0)
    diag << "; the spec declares no target";
  return std::nullopt;
}

antlrcpp::Any MLIRGen::visitMetric(NasParser::MetricContext *ctx) {
  llvm_unreachable("metrics are read by their owner");
}

antlrcpp::Any
MLIRGen::visitObjectivesDecl(NasParser::ObjectivesDeclContext *ctx) {
  if (seenObjectives) {
    error(loc(ctx)) << "a spec has one 'objectives' declaration";
    return nullptr;
  }
  seenObjectives = true;
  Formulation formulation =
      ctx->objective().size() > 1 ? Formulation::pareto : Formulation::single;
  if (auto *name = ctx->IDENT()) {
    std::optional<Formulation> given = symbolizeFormulation(name->getText());
    if (!given) {
      error(loc(name))
          << "unknown formulation '" << name->getText() << "'; expected one of "
          << listEnum(getMaxEnumValForFormulation(), [](uint32_t i) {
               return stringifyFormulation(static_cast<Formulation>(i));
             });
      return nullptr;
    }
    formulation = *given;
  }
  Operation *objectives = create(
      ObjectivesOp::getOperationName(), loc(ctx),
      {named("formulation", FormulationAttr::get(context, formulation))}, 1);
  inside(objectives, [&] {
    for (NasParser::ObjectiveContext *objective : ctx->objective())
      visitObjective(objective);
  });
  return nullptr;
}

antlrcpp::Any MLIRGen::visitObjective(NasParser::ObjectiveContext *ctx) {
  std::optional<MetricRef> ref = metric(ctx->metric());
  if (!ref)
    return nullptr;
  Direction direction = ctx->dir->getText() == "maximize" ? Direction::maximize
                                                          : Direction::minimize;
  SmallVector<NamedAttribute> attrs = {
      named("direction", DirectionAttr::get(context, direction)),
      named("metric", MetricAttr::get(context, ref->metric))};
  if (ref->target)
    attrs.push_back(named("target", ref->target));
  if (auto *weight = ctx->number()) {
    SourceValue v = std::any_cast<SourceValue>(visitAny(weight));
    attrs.push_back(named("weight", builder.getF64FloatAttr(v.asReal())));
  }
  if (auto *stage = ctx->INT()) {
    int64_t value = 0;
    if (StringRef(stage->getText()).getAsInteger(10, value))
      value = -1;
    attrs.push_back(named("stage", builder.getI64IntegerAttr(value)));
  }
  create(ObjectiveOp::getOperationName(), loc(ctx), attrs);
  return nullptr;
}

antlrcpp::Any
MLIRGen::visitConstraintsDecl(NasParser::ConstraintsDeclContext *ctx) {
  for (NasParser::ConstraintContext *constraint : ctx->constraint())
    visitConstraint(constraint);
  return nullptr;
}

antlrcpp::Any MLIRGen::visitConstraint(NasParser::ConstraintContext *ctx) {
  std::optional<MetricRef> ref = metric(ctx->metric());
  SourceValue bound = std::any_cast<SourceValue>(visitAny(ctx->quantity()));
  if (!ref || bound.kind == SourceValue::Invalid)
    return nullptr;
  StringRef unit =
      bound.kind == SourceValue::Quantity ? StringRef(bound.text) : StringRef();
  Dimension dimension = lookupUnit(unit)->dimension;
  if (!isDimensionValidFor(ref->metric, dimension)) {
    Dimension expected = getMetricDimension(ref->metric);
    error(bound.unitLoc) << "a bound on '" << stringifyMetric(ref->metric)
                         << "' must be a " << getDimensionName(expected) << " ("
                         << getDimensionUnits(expected) << "), but '" << unit
                         << "' is " << getDimensionName(dimension);
    return nullptr;
  }
  std::string cmpText = ctx->cmp->getText();
  Comparison cmp = cmpText == "<"    ? Comparison::lt
                   : cmpText == "<=" ? Comparison::le
                   : cmpText == ">"  ? Comparison::gt
                                     : Comparison::ge;
  SmallVector<NamedAttribute> attrs = {
      named("metric", MetricAttr::get(context, ref->metric)),
      named("cmp", ComparisonAttr::get(context, cmp)),
      named("bound", QuantityAttr::get(context, llvm::APFloat(bound.asReal()),
                                       builder.getStringAttr(unit)))};
  if (ref->target)
    attrs.push_back(named("target", ref->target));
  create(ConstraintOp::getOperationName(), loc(ctx), attrs);
  return nullptr;
}

//===----------------------------------------------------------------------===//
// User-defined ops and channel arithmetic
//===----------------------------------------------------------------------===//

antlrcpp::Any MLIRGen::visitUserOpDecl(NasParser::UserOpDeclContext *ctx) {
  // User ops are emitted where they are called.
  return nullptr;
}

antlrcpp::Any MLIRGen::visitParams(NasParser::ParamsContext *) {
  llvm_unreachable("parameters are read by their op");
}

antlrcpp::Any MLIRGen::visitParam(NasParser::ParamContext *) {
  llvm_unreachable("parameters are read by their op");
}

#define NASC_EXPR_READ_BY_OWNER(Kind)                                          \
  antlrcpp::Any MLIRGen::visit##Kind(NasParser::Kind##Context *) {             \
    llvm_unreachable("expressions are read by buildExpr");                     \
  }
NASC_EXPR_READ_BY_OWNER(ParenExpr)
NASC_EXPR_READ_BY_OWNER(CallExpr)
NASC_EXPR_READ_BY_OWNER(NegExpr)
NASC_EXPR_READ_BY_OWNER(MulExpr)
NASC_EXPR_READ_BY_OWNER(AddExpr)
NASC_EXPR_READ_BY_OWNER(NumberExpr)
NASC_EXPR_READ_BY_OWNER(NameExpr)
#undef NASC_EXPR_READ_BY_OWNER

std::optional<MLIRGen::Binding>
MLIRGen::resolveName(StringRef name, Location where, StringRef what) {
  if (name == "in") {
    if (!lexical)
      return std::nullopt;
    Binding b;
    b.kind = Binding::Program;
    ExprProgram program;
    program.input(0);
    b.code.assign(program.getCode().begin(), program.getCode().end());
    b.token = "in";
    return b;
  }
  if (const Binding *bound = lookupParam(name))
    return *bound;
  return std::nullopt;
}

Attribute MLIRGen::programParam(const Binding &bound, Location where,
                                StringRef what) {
  if (bound.kind == Binding::Invalid)
    return {};
  if (bound.kind != Binding::Program) {
    error(where) << "'" << what << "' must be an integer, but the parameter "
                 << "here holds " << bound.describe();
    return {};
  }
  if (readsInput(bound.code))
    return ExprAttr::get(context, bound.code);
  std::string problem;
  std::optional<Rational> value = evaluateExpr(bound.code, {}, problem);
  if (!value) {
    error(where) << "'" << what << "': " << exprToString(bound.code) << " "
                 << problem;
    return {};
  }
  if (!value->isInteger()) {
    error(where) << "'" << what << "' must be an integer, got "
                 << value->str();
    return {};
  }
  return builder.getI64IntegerAttr(value->num);
}

bool MLIRGen::buildExpr(NasParser::ExprContext *ctx, ExprProgram &program) {
  if (auto *paren = dynamic_cast<NasParser::ParenExprContext *>(ctx))
    return buildExpr(paren->expr(), program);
  if (auto *neg = dynamic_cast<NasParser::NegExprContext *>(ctx)) {
    if (!buildExpr(neg->expr(), program))
      return false;
    program.apply(ExprOpcode::Neg);
    return true;
  }
  if (auto *mul = dynamic_cast<NasParser::MulExprContext *>(ctx)) {
    if (!buildExpr(mul->expr(0), program) || !buildExpr(mul->expr(1), program))
      return false;
    program.apply(mul->op->getText() == "*" ? ExprOpcode::Mul
                                            : ExprOpcode::Div);
    return true;
  }
  if (auto *add = dynamic_cast<NasParser::AddExprContext *>(ctx)) {
    if (!buildExpr(add->expr(0), program) || !buildExpr(add->expr(1), program))
      return false;
    program.apply(add->op->getText() == "+" ? ExprOpcode::Add
                                            : ExprOpcode::Sub);
    return true;
  }
  if (auto *call = dynamic_cast<NasParser::CallExprContext *>(ctx)) {
    std::string name = call->IDENT()->getText();
    std::optional<ExprOpcode> function =
        getExprFunction(name, call->expr().size());
    if (!function) {
      error(loc(call)) << "unknown function '" << name << "' of "
                       << call->expr().size()
                       << " argument(s); expected ceil(x), floor(x), "
                          "min(a, b), max(a, b), make_divisible(x, d) or "
                          "make_divisible(x, d, min)";
      return false;
    }
    for (NasParser::ExprContext *arg : call->expr())
      if (!buildExpr(arg, program))
        return false;
    program.apply(*function);
    return true;
  }
  if (auto *number = dynamic_cast<NasParser::NumberExprContext *>(ctx)) {
    std::string problem;
    std::optional<SmallVector<int64_t, 8>> code =
        parseExpr(number->getText(), problem);
    if (!code) {
      error(loc(number)) << "number " << number->getText() << " " << problem;
      return false;
    }
    program.append(*code);
    return true;
  }
  // The last alternative of the rule. ANTLR contexts have no classof, so
  // llvm::cast does not compile where assertions are on (the fuzz build).
  auto *name = static_cast<NasParser::NameExprContext *>(ctx);
  std::string text = name->IDENT()->getText();
  if (text == "classes" && classes) {
    program.constant(Rational::integer(*classes));
    return true;
  }
  std::optional<Binding> bound = resolveName(text, loc(name), text);
  if (!bound) {
    if (text == "in")
      error(loc(name)) << "'in' (the input channels) is only defined inside "
                          "an 'op' definition";
    else
      error(loc(name)) << "unknown name '" << text << "' in an expression"
                       << (lexical ? "; op '" + lexical->op +
                                         "' has no such parameter"
                                   : std::string());
    return false;
  }
  if (bound->kind != Binding::Program) {
    if (bound->kind != Binding::Invalid)
      error(loc(name)) << "'" << text << "' holds " << bound->describe()
                       << ", not a number";
    return false;
  }
  program.append(bound->code);
  return true;
}

antlrcpp::Any MLIRGen::visitExprValue(NasParser::ExprValueContext *ctx) {
  SourceValue v(SourceValue::Expr, loc(ctx));
  ExprProgram program;
  if (!buildExpr(ctx->expr(), program)) {
    v.kind = SourceValue::Invalid;
    return std::any(v);
  }
  v.code.assign(program.getCode().begin(), program.getCode().end());
  if (readsInput(v.code))
    return std::any(v);
  std::string problem;
  std::optional<Rational> value = evaluateExpr(v.code, {}, problem);
  if (!value) {
    error(loc(ctx)) << ctx->getText() << ": " << problem;
    v.kind = SourceValue::Invalid;
  } else if (value->isInteger()) {
    v.kind = SourceValue::Int;
    v.integer = value->num;
    v.real = double(value->num);
  }
  return std::any(v);
}

std::vector<MLIRGen::Binding> MLIRGen::bindArgument(const SourceValue &v,
                                                    StringRef param,
                                                    StringRef op) {
  // One value, as the callee (one call further in) sees it.
  auto single = [&](const SourceValue &e) -> std::optional<Binding> {
    switch (e.kind) {
    case SourceValue::Int:
      return constantBinding(Rational::integer(e.integer),
                             std::to_string(e.integer));
    case SourceValue::Real: {
      std::string problem;
      std::optional<SmallVector<int64_t, 8>> code = parseExpr(e.text, problem);
      if (!code) {
        error(e.loc) << "number " << e.text << " " << problem;
        return std::nullopt;
      }
      Binding b;
      b.kind = Binding::Program;
      b.code.assign(code->begin(), code->end());
      b.token = e.text;
      return shifted(b, 0);
    }
    case SourceValue::Expr: {
      Binding b;
      b.kind = Binding::Program;
      b.code = e.code;
      b.token = exprToString(e.code);
      return shifted(b, 1);
    }
    case SourceValue::Ident: {
      if (e.text == "true" || e.text == "false") {
        Binding b;
        b.kind = Binding::Bool;
        b.flag = e.text == "true";
        b.token = e.text;
        return b;
      }
      if (e.text == "classes" && classes)
        return constantBinding(Rational::integer(*classes),
                               std::to_string(*classes));
      if (std::optional<Binding> bound = resolveName(e.text, e.loc, param))
        return shifted(*bound, 1);
      Binding b;
      b.kind = Binding::Word;
      b.word = e.text;
      b.token = e.text;
      return b;
    }
    case SourceValue::Invalid:
      return std::nullopt;
    default:
      error(e.loc) << "argument '" << param << "' of op '" << op
                   << "' must be a number, an expression, a name, "
                      "true/false, a choice or a range, got "
                   << e.describe();
      return std::nullopt;
    }
  };
  std::vector<Binding> values;
  if (v.kind == SourceValue::Choice) {
    for (const SourceValue &e : v.elements) {
      std::optional<Binding> b = single(e);
      if (!b)
        return {};
      values.push_back(std::move(*b));
    }
    if (values.empty())
      error(v.loc) << "argument '" << param << "' is an empty choice";
    return values;
  }
  if (v.kind == SourceValue::Range) {
    if (!rangeAttr(v))
      return {};
    // The step may not overflow past hi (a range ending near INT64_MAX).
    for (int64_t x = v.lo; x <= v.hi;) {
      values.push_back(constantBinding(Rational::integer(x), std::to_string(x)));
      if (values.size() > kMaxCallOptions ||
          __builtin_add_overflow(x, v.step, &x))
        break;
    }
    return values;
  }
  if (std::optional<Binding> b = single(v))
    values.push_back(std::move(*b));
  return values;
}

void MLIRGen::emitUserOpCall(NasParser::OpCallContext *call, StringRef name,
                             StringRef label) {
  auto *decl = static_cast<NasParser::UserOpDeclContext *>(
      decls.find(name)->second.tree);
  usedMacros.insert(name);
  std::vector<std::string> declared;
  if (auto *params = decl->params())
    for (NasParser::ParamContext *param : params->param())
      declared.push_back(param->IDENT()->getText());
  auto takes = [&](StringRef param) {
    return param == "out" || llvm::is_contained(declared, param);
  };

  // The arguments in the order written, then those an op set passes.
  std::vector<std::pair<std::string, std::vector<Binding>>> args;
  bool ok = true;
  auto given = [&](StringRef param) {
    return llvm::any_of(args, [&](auto &arg) { return arg.first == param; });
  };
  if (auto *callArgs = call->args()) {
    for (NasParser::ArgContext *arg : callArgs->arg()) {
      std::string key = arg->IDENT()->getText();
      if (!takes(key)) {
        error(loc(arg)) << "op '" << name << "' has no parameter '" << key
                        << "'"
                        << (declared.empty()
                                ? std::string("; it takes only 'out'")
                                : "; expected out or one of " +
                                      llvm::join(declared, ", "));
        ok = false;
        continue;
      }
      if (given(key)) {
        error(loc(arg)) << "argument '" << key << "' is given twice";
        ok = false;
        continue;
      }
      std::vector<Binding> values = bindArgument(value(arg->value()), key, name);
      if (values.empty()) {
        ok = false;
        continue;
      }
      args.push_back({key, std::move(values)});
    }
  }
  if (passedArgs)
    for (PassedArg &arg : *passedArgs) {
      if (!takes(arg.name) || given(arg.name))
        continue;
      arg.used = true;
      std::vector<Binding> values;
      auto fromAttr = [&](Attribute a) {
        if (auto integer = dyn_cast<IntegerAttr>(a))
          values.push_back(constantBinding(Rational::integer(integer.getInt()),
                                           std::to_string(integer.getInt())));
        else if (auto expr = dyn_cast<ExprAttr>(a)) {
          Binding b;
          b.kind = Binding::Program;
          b.code.assign(expr.getCode().begin(), expr.getCode().end());
          values.push_back(shifted(b, 1));
        }
      };
      if (!arg.value || isa<UnitAttr>(arg.value)) {
        Binding b;
        b.kind = Binding::Bool;
        b.flag = bool(arg.value);
        b.token = b.flag ? "true" : "false";
        values.push_back(b);
      } else if (auto choice = dyn_cast<ChoiceAttr>(arg.value)) {
        for (Attribute option : choice.getOptions())
          fromAttr(option);
      } else if (auto range = dyn_cast<RangeAttr>(arg.value)) {
        for (uint64_t i = 0; i < range.size() && i <= kMaxCallOptions; ++i)
          fromAttr(IntegerAttr::get(IntegerType::get(context, 64),
                                    range.getLo() + int64_t(i) * range.getStep()));
      } else {
        fromAttr(arg.value);
      }
      if (values.empty()) {
        error(arg.loc) << "argument '" << arg.name << "' cannot be passed to "
                       << "op '" << name << "'";
        ok = false;
        continue;
      }
      args.push_back({arg.name, std::move(values)});
    }
  if (!ok)
    return;
  if (auto *params = decl->params())
    for (NasParser::ParamContext *param : params->param())
      if (!param->value() && !given(param->IDENT()->getText())) {
        error(loc(call)) << "op '" << name << "' needs argument '"
                         << param->IDENT()->getText() << "'";
        ok = false;
      }
  if (!ok)
    return;

  // Choice-valued arguments make the call one decision over the product of
  // their values.
  uint64_t options = 1;
  for (auto &arg : args)
    options = std::min<uint64_t>(options * arg.second.size(),
                                 kMaxCallOptions + 1);
  auto bindingsOf = [&](uint64_t index, std::string *optionLabel) {
    llvm::StringMap<Binding> bindings;
    std::vector<std::string> parts;
    for (auto it = args.rbegin(); it != args.rend(); ++it) {
      size_t n = it->second.size();
      bindings[it->first] = it->second[index % n];
      if (n > 1)
        parts.push_back(it->first + it->second[index % n].token);
      index /= n;
    }
    std::reverse(parts.begin(), parts.end());
    if (optionLabel)
      *optionLabel = llvm::join(parts, "_");
    return bindings;
  };
  if (options == 1) {
    emitUserOpBody(decl, name, loc(call), label.empty() ? name : label,
                   bindingsOf(0, nullptr));
    return;
  }
  if (options > kMaxCallOptions) {
    error(loc(call)) << "the choices of this call of op '" << name
                     << "' combine to more than " << kMaxCallOptions
                     << " options (docs/language.md, \"Limits\")";
    return;
  }
  SmallVector<NamedAttribute> attrs;
  if (!label.empty())
    attrs.push_back(named("name", builder.getStringAttr(label)));
  Operation *choose = create(ChooseOp::getOperationName(), loc(call), attrs, 1);
  inside(choose, [&] {
    for (uint64_t i = 0; i < options; ++i) {
      std::string optionLabel;
      llvm::StringMap<Binding> bindings = bindingsOf(i, &optionLabel);
      Operation *option =
          create(OptionOp::getOperationName(), loc(call),
                 {named("name", builder.getStringAttr(optionLabel))}, 1);
      inside(option, [&] {
        emitUserOpBody(decl, name, loc(call), name, std::move(bindings));
      });
    }
  });
}

void MLIRGen::emitUserOpBody(NasParser::UserOpDeclContext *decl,
                             StringRef name, Location where,
                             StringRef blockName,
                             llvm::StringMap<Binding> bindings) {
  if (createdOps + 1 + countBlockOps(name, 0) > kMaxSpecOps)
    stopAtExpansionLimit(where);
  if (!expandingBlocks.insert(name).second) {
    error(where) << "op '" << name << "' calls itself";
    return;
  }
  Operation *block =
      create(BlockOp::getOperationName(), where,
             {named("name", builder.getStringAttr(blockName)),
              named("scope", builder.getUnitAttr())},
             1);
  LexicalScope scope{name.str(), std::move(bindings)};
  LexicalScope *savedScope = lexical;
  std::vector<PassedArg> *savedArgs = passedArgs;
  std::optional<int64_t> savedClasses = classes;
  inside(block, [&] {
    expandAt(where, [&] {
      lexical = &scope;
      passedArgs = nullptr;
      // `out` keeps the channels unless given (or declared with a default).
      bool declaresOut = false;
      if (auto *params = decl->params())
        for (NasParser::ParamContext *param : params->param())
          declaresOut |= param->IDENT()->getText() == "out";
      if (!scope.params.count("out") && !declaresOut) {
        Binding out;
        out.kind = Binding::Program;
        ExprProgram program;
        program.input(0);
        out.code.assign(program.getCode().begin(), program.getCode().end());
        scope.params["out"] = out;
      }
      // Defaults, in order: each sees `in`, `out` and the parameters before
      // it.
      if (auto *params = decl->params())
        for (NasParser::ParamContext *param : params->param()) {
          std::string key = param->IDENT()->getText();
          if (scope.params.count(key) || !param->value())
            continue;
          SourceValue v = value(param->value());
          if (v.kind == SourceValue::Choice || v.kind == SourceValue::Range) {
            error(v.loc) << "the default of parameter '" << key
                         << "' cannot be a choice; pass the choice at the "
                            "call";
            scope.params[key] = Binding();
            continue;
          }
          std::vector<Binding> values = bindArgument(v, key, name);
          // Bound in the callee's own scope: one level less than an
          // argument from outside.
          scope.params[key] =
              values.empty() ? Binding() : shifted(values.front(), -1);
        }
      emitLayers(decl->layer());
    });
  });
  lexical = savedScope;
  passedArgs = savedArgs;
  classes = savedClasses;
  expandingBlocks.erase(name);
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

antlrcpp::Any MLIRGen::visitNumber(NasParser::NumberContext *ctx) {
  bool negative = ctx->getStart()->getText() == "-";
  if (auto *integer = ctx->INT()) {
    SourceValue v(SourceValue::Int, loc(ctx));
    if (StringRef(integer->getText()).getAsInteger(10, v.integer)) {
      error(loc(ctx)) << "integer " << integer->getText() << " is too large";
      v.kind = SourceValue::Invalid;
    }
    v.integer = negative ? -v.integer : v.integer;
    v.real = double(v.integer);
    return std::any(v);
  }
  SourceValue v(SourceValue::Real, loc(ctx));
  // The text as written, for exact arithmetic (the arguments of user ops).
  v.text = (negative ? "-" : "") + ctx->FLOAT()->getText();
  if (StringRef(ctx->FLOAT()->getText()).getAsDouble(v.real) ||
      !std::isfinite(v.real)) {
    error(loc(ctx)) << "number " << ctx->FLOAT()->getText()
                    << " is out of range";
    v.kind = SourceValue::Invalid;
  }
  v.real = negative ? -v.real : v.real;
  return std::any(v);
}

antlrcpp::Any MLIRGen::visitUnit(NasParser::UnitContext *ctx) {
  return std::any(ctx->getText());
}

antlrcpp::Any MLIRGen::visitQuantity(NasParser::QuantityContext *ctx) {
  SourceValue v = std::any_cast<SourceValue>(visitAny(ctx->number()));
  if (!ctx->unit() || v.kind == SourceValue::Invalid)
    return std::any(v);
  std::string unit = std::any_cast<std::string>(visitAny(ctx->unit()));
  if (!lookupUnit(unit)) {
    error(loc(ctx->unit())) << "unknown unit '" << unit << "'";
    v.kind = SourceValue::Invalid;
    return std::any(v);
  }
  SourceValue q(SourceValue::Quantity, v.loc);
  q.real = v.asReal();
  q.text = unit;
  q.unitLoc = loc(ctx->unit());
  return std::any(q);
}

antlrcpp::Any
MLIRGen::visitQuantityValue(NasParser::QuantityValueContext *ctx) {
  return visit(ctx->quantity());
}

antlrcpp::Any MLIRGen::visitStringValue(NasParser::StringValueContext *ctx) {
  SourceValue v(SourceValue::String, loc(ctx));
  std::string text = ctx->STRING()->getText();
  // Drop the quotes and resolve backslash escapes.
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == '\\' && i + 2 < text.size()) {
      char next = text[++i];
      v.text += next == 'n' ? '\n' : next == 't' ? '\t' : next;
      continue;
    }
    v.text += text[i];
  }
  return std::any(v);
}

antlrcpp::Any MLIRGen::visitIdentValue(NasParser::IdentValueContext *ctx) {
  SourceValue v(SourceValue::Ident, loc(ctx));
  v.text = ctx->IDENT()->getText();
  return std::any(v);
}

antlrcpp::Any MLIRGen::visitListValue(NasParser::ListValueContext *ctx) {
  SourceValue v(SourceValue::List, loc(ctx));
  for (NasParser::ValueContext *element : ctx->value())
    v.elements.push_back(value(element));
  return std::any(v);
}

antlrcpp::Any MLIRGen::visitChoiceValue(NasParser::ChoiceValueContext *ctx) {
  // An empty choice is reported by ChoiceAttr's verifier where it is used.
  SourceValue v(SourceValue::Choice, loc(ctx));
  bool ok = true;
  for (NasParser::ValueContext *element : ctx->value()) {
    SourceValue e = value(element);
    if (e.kind == SourceValue::Invalid) {
      ok = false;
    } else if (!llvm::is_contained({SourceValue::Int, SourceValue::Real,
                                    SourceValue::String, SourceValue::Ident,
                                    SourceValue::Quantity},
                                   e.kind)) {
      error(e.loc) << "a choice alternative must be a number, string, name "
                      "or quantity, got "
                   << e.describe();
      ok = false;
    }
    v.elements.push_back(e);
  }
  if (!ok)
    v.kind = SourceValue::Invalid;
  return std::any(v);
}

antlrcpp::Any MLIRGen::visitRangeValue(NasParser::RangeValueContext *ctx) {
  SourceValue v(SourceValue::Range, loc(ctx));
  SourceValue lo = std::any_cast<SourceValue>(visitAny(ctx->lo));
  SourceValue hi = std::any_cast<SourceValue>(visitAny(ctx->hi));
  SourceValue step(SourceValue::Int, v.loc);
  step.integer = 1;
  if (ctx->step)
    step = std::any_cast<SourceValue>(visitAny(ctx->step));
  for (const SourceValue *bound : {&lo, &hi, &step}) {
    if (bound->kind == SourceValue::Int)
      continue;
    if (bound->kind != SourceValue::Invalid)
      error(bound->loc) << "range bounds and step must be integers";
    v.kind = SourceValue::Invalid;
  }
  v.lo = lo.integer;
  v.hi = hi.integer;
  v.step = step.integer;
  return std::any(v);
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

SourceLocator::SourceLocator(MLIRContext *context, StringRef fileName,
                             StringRef text)
    : context(context), fileName(fileName.str()), text(text) {
  lineStarts.push_back(0);
  bool ascii = true;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      asciiLines.push_back(ascii);
      lineStarts.push_back(i + 1);
      ascii = true;
    } else if (static_cast<unsigned char>(text[i]) >= 0x80) {
      ascii = false;
    }
  }
  asciiLines.push_back(ascii);
}

Location SourceLocator::get(size_t line, size_t codePointColumn) const {
  if (line == 0 || line > lineStarts.size())
    return FileLineColLoc::get(context, fileName, line, codePointColumn + 1);
  size_t start = lineStarts[line - 1];
  size_t end = line < lineStarts.size() ? lineStarts[line] - 1 : text.size();
  if (asciiLines[line - 1])
    return FileLineColLoc::get(context, fileName, line,
                               std::min(codePointColumn, end - start) + 1);
  // The byte offset of every code point of the line, built once per line so
  // that a long line costs linear time.
  std::vector<uint32_t> &offsets = codePointOffsets[line];
  if (offsets.empty()) {
    for (size_t pos = start; pos < end; ++pos)
      if ((text[pos] & 0xC0) != 0x80)
        offsets.push_back(uint32_t(pos - start));
    offsets.push_back(uint32_t(end - start));
  }
  size_t column = codePointColumn < offsets.size() ? offsets[codePointColumn]
                                                   : offsets.back();
  return FileLineColLoc::get(context, fileName, line, column + 1);
}

Location SourceLocator::getAtOffset(size_t offset) const {
  auto next = llvm::upper_bound(lineStarts, offset);
  size_t line = next - lineStarts.begin();
  return FileLineColLoc::get(context, fileName, line,
                             offset - lineStarts[line - 1] + 1);
}

OwningOpRef<ModuleOp> nasc::generateSpec(NasParser::SpecContext *tree,
                                         const SourceLocator &locator,
                                         StringRef specName,
                                         MLIRContext *context,
                                         ErrorCounter &errors) {
  context->getOrLoadDialect<NASDialect>();
  MLIRGen gen(context, locator, errors);
  return gen.generate(tree, specName);
}
