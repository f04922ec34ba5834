//===- NASDialect.h - The nas dialect ---------------------------*- C++ -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASDIALECT_H
#define NASC_DIALECT_NAS_IR_NASDIALECT_H

#include "mlir/IR/Dialect.h"

#include "nasc/Dialect/NAS/IR/NASDialect.h.inc"

#endif // NASC_DIALECT_NAS_IR_NASDIALECT_H
