//===- NetworkSemantics.h - How a concrete network's layers connect -*- C++
//-*-===//
//
// The structure of a concrete candidate: stages and blocks run their layers
// in sequence, a residual adds its shortcut (LayerSemantics.h's
// buildShortcut) to its body, a cell reference computes the cell's nodes
// from its edges (each edge a sequence, the sums of the edges into a node)
// and returns its last node or the concatenation of its intermediate nodes.
// The leaf layers are LayerSemantics.h's buildLayer.
//
// A Builder provides, besides what buildLayer asks of it:
//   void setCurrent(Operation *);      the op built now (for diagnostics)
//   void pushScope(int64_t channels);  entering a `nas.block ... scope`
//   void popScope();
//   FailureOr<Value> concat(ArrayRef<Value>);   along the channels
//
//===----------------------------------------------------------------------===//

#ifndef NASC_DIALECT_NAS_IR_NETWORKSEMANTICS_H
#define NASC_DIALECT_NAS_IR_NETWORKSEMANTICS_H

#include "nasc/Dialect/NAS/IR/LayerSemantics.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace nasc::nas {

template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildSequence(Builder &b, mlir::Block &body, typename Builder::Value x,
              llvm::SmallVectorImpl<typename Builder::Value> &history);

namespace detail {
template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildCell(Builder &b, CellRefOp ref, const typename Builder::Value &x,
          llvm::SmallVectorImpl<typename Builder::Value> &history) {
  using Value = typename Builder::Value;
  auto cellOp = mlir::SymbolTable::lookupNearestSymbolFrom<CellOp>(
      ref, ref.getCellAttr());
  if (!cellOp) {
    (void)b.fail(ref, "refers to an unknown cell");
    return mlir::failure();
  }
  int64_t numNodes = cellOp.getNumNodesAttr().getInt();
  int64_t numInputs = cellOp.getNumInputsAttr().getInt();
  llvm::SmallVector<std::optional<Value>> nodes(numNodes);
  for (int64_t k = 0; k < numInputs; ++k) {
    int64_t source = CellOp::getInputSource(k, history.size());
    nodes[k] = source < 0 ? x : history[source];
  }
  for (EdgeOp edge : getEdgesInOrder(cellOp)) {
    auto options = edge.getBody().template getOps<OptionOp>();
    if (std::distance(options.begin(), options.end()) != 1) {
      (void)b.fail(edge, "is not concrete: materialize the candidate first");
      return mlir::failure();
    }
    int64_t from = edge.getFromAttr().getInt(), to = edge.getToAttr().getInt();
    if (!nodes[from]) {
      (void)b.fail(edge, "reads node " + llvm::Twine(from) +
                             " before it is computed");
      return mlir::failure();
    }
    llvm::SmallVector<Value> edgeHistory{*nodes[from]};
    mlir::FailureOr<Value> out = buildSequence(
        b, (*options.begin()).getBodyBlock(), *nodes[from], edgeHistory);
    if (mlir::failed(out))
      return mlir::failure();
    b.setCurrent(ref);
    if (!nodes[to]) {
      nodes[to] = *out;
      continue;
    }
    mlir::FailureOr<Value> sum = b.add(*nodes[to], *out);
    if (mlir::failed(sum))
      return mlir::failure();
    nodes[to] = *sum;
  }
  for (auto &node : nodes)
    if (!node) {
      (void)b.fail(ref, "has a cell node without incoming edges");
      return mlir::failure();
    }
  if (cellOp.getOutput() != CellOutput::concat)
    return *nodes[numNodes - 1];
  std::vector<Value> parts;
  for (int64_t k = numInputs; k < numNodes; ++k)
    parts.push_back(*nodes[k]);
  if (parts.empty()) {
    (void)b.fail(ref, "has no intermediate node to concatenate");
    return mlir::failure();
  }
  return b.concat(parts);
}

template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildStructure(Builder &b, mlir::Operation *op,
               const typename Builder::Value &x,
               llvm::SmallVectorImpl<typename Builder::Value> &history) {
  using Value = typename Builder::Value;
  b.setCurrent(op);
  if (auto stage = llvm::dyn_cast<StageOp>(op))
    return buildSequence(b, stage.getBodyBlock(), x, history);
  if (auto block = llvm::dyn_cast<BlockOp>(op)) {
    llvm::SmallVector<Value> inner(history.begin(), history.end());
    if (block.getScope())
      b.pushScope(b.getShape(x).channels);
    mlir::FailureOr<Value> out =
        buildSequence(b, block.getBodyBlock(), x, inner);
    if (block.getScope())
      b.popScope();
    return out;
  }
  if (auto residual = llvm::dyn_cast<ResidualOp>(op)) {
    llvm::SmallVector<Value> inner(history.begin(), history.end());
    mlir::FailureOr<Value> body =
        buildSequence(b, residual.getBodyBlock(), x, inner);
    if (mlir::failed(body))
      return mlir::failure();
    if (!addsShortcut(residual, b.getShape(x), b.getShape(*body)))
      return body;
    b.setCurrent(op);
    mlir::FailureOr<Value> shortcut =
        buildShortcut(b, residual, x, b.getShape(*body));
    if (mlir::failed(shortcut))
      return mlir::failure();
    return b.add(*body, *shortcut);
  }
  if (auto ref = llvm::dyn_cast<CellRefOp>(op))
    return buildCell(b, ref, x, history);
  if (llvm::isa<ChooseOp, RepeatOp>(op)) {
    (void)b.fail(op, "is not concrete: materialize the candidate first");
    return mlir::failure();
  }
  return buildLayer(b, op, x);
}
} // namespace detail

/// The output of the layers of `body` applied in order to `x`; each layer's
/// output joins `history` (the cells' inputs), a stage's through its own
/// layers.
template <typename Builder>
mlir::FailureOr<typename Builder::Value>
buildSequence(Builder &b, mlir::Block &body, typename Builder::Value x,
              llvm::SmallVectorImpl<typename Builder::Value> &history) {
  for (mlir::Operation &op : body) {
    mlir::FailureOr<typename Builder::Value> y =
        detail::buildStructure(b, &op, x, history);
    if (mlir::failed(y))
      return mlir::failure();
    if (!llvm::isa<StageOp>(op))
      history.push_back(*y);
    x = *y;
  }
  return x;
}

} // namespace nasc::nas

#endif // NASC_DIALECT_NAS_IR_NETWORKSEMANTICS_H
