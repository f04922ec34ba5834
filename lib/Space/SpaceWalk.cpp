//===- SpaceWalk.cpp - What the space walk and materialization share ------===//

#include "SpaceWalk.h"

#include "mlir/IR/Builders.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

/// Every attribute a layer may search (ODS: NAS_IntParam, NAS_FloatParam),
/// sorted by name. Reading them by name avoids building the dictionary of
/// all of an op's attributes, which dominated materialization.
static constexpr llvm::StringLiteral kParamNames[] = {
    "abits", "dilation", "expand", "groups", "kernel",
    "out",   "prune",    "squeeze", "stride", "wbits"};

SmallVector<std::pair<std::string, Attribute>>
walk::getParams(Operation *op, CompressOp compress) {
  SmallVector<std::pair<std::string, Attribute>> params;
  bool compressed = compress && hasWeights(op);
  for (StringRef name : kParamNames) {
    Attribute param = op->getAttr(name);
    if (!param && compressed)
      param = compress->getAttr(name);
    if (param)
      params.push_back({name.str(), param});
  }
  return params;
}

SmallVector<Attribute> walk::getValues(Attribute param) {
  if (auto choice = dyn_cast<ChoiceAttr>(param))
    return SmallVector<Attribute>(choice.getOptions().begin(),
                                  choice.getOptions().end());
  if (auto range = dyn_cast<RangeAttr>(param)) {
    SmallVector<Attribute> values;
    Builder builder(param.getContext());
    for (uint64_t i = 0, e = range.size(); i < e; ++i)
      values.push_back(builder.getI64IntegerAttr(
          range.getLo() + static_cast<int64_t>(i) * range.getStep()));
    return values;
  }
  return {param};
}

SmallVector<CellOp> walk::getUsedCells(SpecOp spec) {
  llvm::SmallDenseSet<StringRef> used;
  spec.getNetwork().walk([&](CellRefOp ref) { used.insert(ref.getCell()); });
  SmallVector<CellOp> cells;
  for (CellOp cell : spec.getBodyBlock().getOps<CellOp>())
    if (used.contains(cell.getSymName()))
      cells.push_back(cell);
  return cells;
}

CompressOp walk::getCompress(SpecOp spec) {
  auto ops = spec.getBodyBlock().getOps<CompressOp>();
  return ops.empty() ? CompressOp() : *ops.begin();
}

std::string walk::getValueToken(Attribute value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  printSourceForm(value, os);
  llvm::erase(text, ' ');
  return text;
}
