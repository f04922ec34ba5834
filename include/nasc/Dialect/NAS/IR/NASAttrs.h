//===- NASAttrs.h - Attributes and enums of the nas dialect -----*- C++ -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASATTRS_H
#define NASC_DIALECT_NAS_IR_NASATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "nasc/Dialect/NAS/IR/NASEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "nasc/Dialect/NAS/IR/NASAttrs.h.inc"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace nasc::nas {
/// Writes a parameter value as it is written in .nas: 3, 0.5, "text", word,
/// 5 ms, {3, 5}, 16..64 step 16.
void printSourceForm(mlir::Attribute value, llvm::raw_ostream &os);

/// A comparison as written in .nas: <, <=, >, >=.
llvm::StringRef getComparisonSymbol(Comparison cmp);
} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_IR_NASATTRS_H
