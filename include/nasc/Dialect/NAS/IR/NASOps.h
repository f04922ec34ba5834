//===- NASOps.h - Operations of the nas dialect -----------------*- C++ -*-===//

#ifndef NASC_DIALECT_NAS_IR_NASOPS_H
#define NASC_DIALECT_NAS_IR_NASOPS_H

#include "nasc/Dialect/NAS/IR/NASAttrs.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::OpTrait {
/// Operations that may appear in a sequence of layers.
template <typename ConcreteType>
class NASLayer : public TraitBase<ConcreteType, NASLayer> {};
/// Operations that may appear directly in a nas.spec.
template <typename ConcreteType>
class NASDecl : public TraitBase<ConcreteType, NASDecl> {};
} // namespace mlir::OpTrait

namespace nasc::nas {
class NetworkOp;
} // namespace nasc::nas

#define GET_OP_CLASSES
#include "nasc/Dialect/NAS/IR/NASOps.h.inc"

namespace nasc::nas {

/// A cell's edges by target node, then source node (the order of its
/// decisions and of NAS-Bench-201's architecture strings).
llvm::SmallVector<EdgeOp> getEdgesInOrder(CellOp cell);
/// A layer's bit width `name` (wbits or abits) in a concrete candidate: its
/// own, else, for a layer with weights, that of `compress` (may be null),
/// else 32.
int64_t getBitWidth(mlir::Operation *op, llvm::StringRef name,
                    CompressOp compress);
} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_IR_NASOPS_H
