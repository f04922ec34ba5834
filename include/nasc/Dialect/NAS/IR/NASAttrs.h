//===- NASAttrs.h - Attributes and enums of the nas dialect -----*- C++ -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASATTRS_H
#define NASC_DIALECT_NAS_IR_NASATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "nasc/Dialect/NAS/IR/NASEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "nasc/Dialect/NAS/IR/NASAttrs.h.inc"

#endif // NASC_DIALECT_NAS_IR_NASATTRS_H
