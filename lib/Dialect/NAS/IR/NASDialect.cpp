//===- NASDialect.cpp - The nas dialect and its attributes ----------------===//

#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/IR/Expr.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Dialect/NAS/IR/Units.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc::nas;

#include "nasc/Dialect/NAS/IR/NASDialect.cpp.inc"
#include "nasc/Dialect/NAS/IR/NASEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "nasc/Dialect/NAS/IR/NASAttrs.cpp.inc"

void NASDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "nasc/Dialect/NAS/IR/NASOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "nasc/Dialect/NAS/IR/NASAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Source form
//===----------------------------------------------------------------------===//

void nasc::nas::printSourceForm(Attribute param, llvm::raw_ostream &os) {
  if (auto integer = dyn_cast<IntegerAttr>(param)) {
    if (isa<BoolAttr>(param))
      os << (cast<BoolAttr>(param).getValue() ? "true" : "false");
    else
      os << integer.getInt();
  } else if (auto real = dyn_cast<FloatAttr>(param)) {
    os << llvm::format("%g", real.getValueAsDouble());
  } else if (auto text = dyn_cast<StringAttr>(param)) {
    os << text.getValue();
  } else if (auto quantity = dyn_cast<QuantityAttr>(param)) {
    os << llvm::format("%g", quantity.getNumber());
    if (!quantity.getUnit().getValue().empty())
      os << " " << quantity.getUnit().getValue();
  } else if (auto range = dyn_cast<RangeAttr>(param)) {
    os << range.getLo() << ".." << range.getHi();
    if (range.getStep() != 1)
      os << " step " << range.getStep();
  } else if (auto choice = dyn_cast<ChoiceAttr>(param)) {
    os << "{";
    llvm::interleaveComma(choice.getOptions(), os, [&](Attribute option) {
      printSourceForm(option, os);
    });
    os << "}";
  } else if (auto expr = dyn_cast<ExprAttr>(param)) {
    printExpr(expr.getCode(), os);
  } else if (isa<UnitAttr>(param)) {
    os << "true";
  } else {
    os << param;
  }
}

StringRef nasc::nas::getComparisonSymbol(Comparison cmp) {
  switch (cmp) {
  case Comparison::lt:
    return "<";
  case Comparison::le:
    return "<=";
  case Comparison::gt:
    return ">";
  case Comparison::ge:
    return ">=";
  }
  llvm_unreachable("unknown comparison");
}

//===----------------------------------------------------------------------===//
// ChoiceAttr
//===----------------------------------------------------------------------===//

/// The kind an alternative belongs to; all alternatives of a choice share it.
static StringRef getAlternativeKind(Attribute attr) {
  if (isa<BoolAttr>(attr))
    return "boolean";
  if (isa<IntegerAttr>(attr))
    return "integer";
  if (isa<FloatAttr>(attr))
    return "float";
  if (isa<StringAttr>(attr))
    return "string";
  if (isa<QuantityAttr>(attr))
    return "quantity";
  return "";
}

LogicalResult ChoiceAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayAttr options) {
  if (options.empty())
    return emitError() << "a choice needs at least one alternative";
  StringRef kind = getAlternativeKind(options[0]);
  llvm::DenseSet<Attribute> seen;
  for (Attribute option : options) {
    StringRef optionKind = getAlternativeKind(option);
    if (optionKind.empty())
      return emitError() << "choice alternative " << option
                         << " is not an integer, float, string or quantity";
    if (optionKind != kind)
      return emitError() << "choice mixes " << kind << " and " << optionKind
                         << " alternatives";
    if (!seen.insert(option).second) {
      std::string text;
      llvm::raw_string_ostream os(text);
      printSourceForm(option, os);
      return emitError() << "choice lists " << text << " twice";
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// RangeAttr
//===----------------------------------------------------------------------===//

LogicalResult RangeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                int64_t lo, int64_t hi, int64_t step) {
  if (step <= 0)
    return emitError() << "range step must be positive, got " << step;
  if (lo > hi)
    return emitError() << "range is empty: " << lo << " > " << hi;
  int64_t span;
  if (llvm::SubOverflow(hi, lo, span))
    return emitError() << "range " << lo << ".." << hi << " is too wide";
  if (span % step != 0)
    return emitError() << "range " << lo << ".." << hi << " step " << step
                       << " does not end on its upper bound";
  return success();
}

//===----------------------------------------------------------------------===//
// QuantityAttr
//===----------------------------------------------------------------------===//

LogicalResult QuantityAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   llvm::APFloat value, StringAttr unit) {
  if (!unit)
    return emitError() << "quantity needs a unit string (\"\" for none)";
  if (!lookupUnit(unit.getValue()))
    return emitError() << "unknown unit '" << unit.getValue() << "'";
  return success();
}

double QuantityAttr::getBaseValue() const {
  return getNumber() * lookupUnit(getUnit().getValue())->scale;
}

Attribute QuantityAttr::parse(AsmParser &parser, Type) {
  double value = 0;
  std::string unit;
  if (parser.parseLess())
    return {};
  // The number is an integer or float literal, optionally negative.
  Attribute number;
  if (parser.parseAttribute(number))
    return {};
  if (auto integer = llvm::dyn_cast<IntegerAttr>(number))
    value = double(integer.getInt());
  else if (auto real = llvm::dyn_cast<FloatAttr>(number))
    value = real.getValueAsDouble();
  else
    return parser.emitError(parser.getCurrentLocation(),
                            "expected a number in a quantity"),
           Attribute();
  if (parser.parseString(&unit) || parser.parseGreater())
    return {};
  return parser.getChecked<QuantityAttr>(
      parser.getContext(), llvm::APFloat(value),
      StringAttr::get(parser.getContext(), unit));
}

void QuantityAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printFloat(getValue());
  printer << " \"" << getUnit().getValue() << "\">";
}

//===----------------------------------------------------------------------===//
// ExprAttr
//===----------------------------------------------------------------------===//

LogicalResult ExprAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> code) {
  if (!isWellFormedExpr(code))
    return emitError() << "malformed expression program";
  return success();
}

std::optional<int64_t> ExprAttr::evaluate(ArrayRef<int64_t> inputs,
                                          std::string &error) const {
  return evaluateIntExpr(getCode(), inputs, error);
}

int64_t ExprAttr::getNumLevels() const {
  return getMaxInputLevel(getCode()) + 1;
}

Attribute ExprAttr::parse(AsmParser &parser, Type) {
  std::string text;
  llvm::SMLoc where = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseString(&text) || parser.parseGreater())
    return {};
  std::string error;
  std::optional<SmallVector<int64_t, 8>> code = parseExpr(text, error);
  if (!code)
    return parser.emitError(where, "invalid expression: " + error),
           Attribute();
  return parser.getChecked<ExprAttr>(parser.getContext(), *code);
}

void ExprAttr::print(AsmPrinter &printer) const {
  printer << "<\"";
  printExpr(getCode(), printer.getStream());
  printer << "\">";
}
