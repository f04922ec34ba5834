//===- Schema.h - Known properties of .nas declarations ---------*- C++ -*-===//
//
// Declarations written as `key = value;` lists (targets, search, evaluate)
// accept a fixed set of keys. This table is shared by the front end, which
// reports a bad key at its source location, and the verifiers, which check
// IR that did not come from the front end.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_SCHEMA_H
#define NASC_DIALECT_NAS_IR_SCHEMA_H

#include "nasc/Dialect/NAS/IR/Units.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace mlir {
class Attribute;
} // namespace mlir

namespace nasc::nas {

enum class TargetKind : uint32_t;
enum class Strategy : uint32_t;
enum class EvalMethod : uint32_t;

/// The kind of value a property takes.
enum class ValueKind {
  Int,      ///< integer (IntegerAttr)
  Real,     ///< number (FloatAttr; the front end widens integers)
  Bool,     ///< true / false (BoolAttr)
  String,   ///< "text" (StringAttr)
  Word,     ///< a bare identifier, e.g. `sgd` (StringAttr)
  Quantity, ///< number with a unit of `dimension` (QuantityAttr)
};

struct PropertySpec {
  llvm::StringLiteral name;
  ValueKind kind;
  Dimension dimension; ///< only for Quantity
  llvm::StringLiteral doc;
  /// For Word values: the accepted words, comma-separated ("" for any).
  llvm::StringLiteral words = "";
  /// For Int values: the accepted range.
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
};

/// Properties of a target; FPGA resources only on FPGA targets.
llvm::ArrayRef<PropertySpec> getTargetProperties(TargetKind kind);

/// The tunables (`tunable NAME = ...`) of a target kind whose backend reads
/// them (fpga, cpu): each name binds to a backend parameter, and every
/// alternative must be a value the backend can build. None for the other
/// kinds: nasc reads none of their tunables, which then reach only what is
/// keyed by the encoding (measurement files, tables).
std::optional<llvm::ArrayRef<PropertySpec>>
getTargetTunables(TargetKind kind);

/// Checks `value`, given on the command line as `flag` in place of the
/// integer tunable `name` of a `kind` target, against that tunable's range;
/// returns "FLAG must be MIN to MAX, not VALUE" or "".
std::string checkTunableFlag(TargetKind kind, llvm::StringRef name,
                             llvm::StringRef flag, int64_t value);

/// Checks the alternatives of tunable `name` of a `kind` target (a choice
/// or a range); returns an error message or "".
std::string checkTunable(TargetKind kind, llvm::StringRef name,
                         mlir::Attribute alternatives);

/// Parameters a search strategy accepts besides strategy, budget and seed.
llvm::ArrayRef<PropertySpec> getStrategyParams(Strategy strategy);

/// Parameters of the accuracy evaluation (every method shares one set).
llvm::ArrayRef<PropertySpec> getEvaluationParams();

/// Finds `name` in `specs`.
const PropertySpec *findProperty(llvm::ArrayRef<PropertySpec> specs,
                                 llvm::StringRef name);

/// Comma-separated names of `specs`, for "expected one of" diagnostics.
std::string listPropertyNames(llvm::ArrayRef<PropertySpec> specs);

/// Checks that `value` is of `spec`'s kind; returns an error message or "".
std::string checkPropertyValue(const PropertySpec &spec, mlir::Attribute value);

/// Human name of a value kind: "an integer", "a time quantity", ...
std::string describeKind(const PropertySpec &spec);

} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_IR_SCHEMA_H
