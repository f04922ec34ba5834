//===- Summary.cpp - Human-readable outline of a nas.spec -----------------===//

#include "nasc/Driver/Summary.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

void nasc::printParam(Attribute param, llvm::raw_ostream &os) {
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
    llvm::interleaveComma(choice.getOptions(), os,
                          [&](Attribute option) { printParam(option, os); });
    os << "}";
  } else if (isa<UnitAttr>(param)) {
    os << "true";
  } else {
    os << param;
  }
}

namespace {

/// Walks a spec and prints its outline, counting searchable decisions.
class SummaryPrinter {
public:
  explicit SummaryPrinter(llvm::raw_ostream &os) : os(os) {}

  void print(SpecOp spec);

private:
  llvm::raw_ostream &os;
  unsigned decisions = 0;

  void indent(unsigned depth) { os.indent(2 * depth); }
  void printLayers(Block &body, unsigned depth);
  /// One option on one line: `label: relu -> conv(kernel = 3) -> bn`.
  void printOption(OptionOp option, unsigned depth);
  /// A layer inline, as in a chain; containers list their body in braces.
  void printInline(Operation &op);
  void printLayer(Operation &op, unsigned depth);
  /// The op's attributes other than those the outline shows another way.
  void printAttrs(Operation &op, ArrayRef<StringRef> skip);
  static StringRef mnemonic(Operation &op) {
    return op.getName().stripDialect();
  }
};

} // namespace

void SummaryPrinter::printAttrs(Operation &op, ArrayRef<StringRef> skip) {
  SmallVector<NamedAttribute> shown;
  for (NamedAttribute attr : op.getAttrs())
    if (!llvm::is_contained(skip, attr.getName().getValue()))
      shown.push_back(attr);
  if (shown.empty())
    return;
  os << "(";
  llvm::interleaveComma(shown, os, [&](NamedAttribute attr) {
    os << attr.getName().getValue() << " = ";
    printParam(attr.getValue(), os);
    if (isa<ChoiceAttr, RangeAttr>(attr.getValue()))
      ++decisions;
  });
  os << ")";
}

void SummaryPrinter::printOption(OptionOp option, unsigned depth) {
  indent(depth);
  os << option.getName() << ": ";
  Block &body = option.getBodyBlock();
  llvm::interleave(
      body.begin(), body.end(), [&](Operation &op) { printInline(op); },
      [&] { os << " -> "; });
  os << "\n";
}

void SummaryPrinter::printInline(Operation &op) {
  if (auto pool = dyn_cast<PoolOp>(op))
    os << stringifyPoolKind(pool.getKind()) << "_pool";
  else if (auto global = dyn_cast<GlobalPoolOp>(op))
    os << "global_" << stringifyPoolKind(global.getKind()) << "_pool";
  else if (auto act = dyn_cast<ActOp>(op))
    os << stringifyActKind(act.getKind());
  else if (auto cellRef = dyn_cast<CellRefOp>(op))
    os << "cell " << cellRef.getCell();
  else
    os << mnemonic(op);
  if (op.getNumRegions() == 0) {
    printAttrs(op, {"name", "kind", "cell"});
    return;
  }
  os << " { ";
  Block &body = op.getRegion(0).front();
  llvm::interleave(
      body.begin(), body.end(), [&](Operation &nested) { printInline(nested); },
      [&] { os << "; "; });
  os << " }";
}

void SummaryPrinter::printLayers(Block &body, unsigned depth) {
  for (Operation &op : body)
    printLayer(op, depth);
}

void SummaryPrinter::printLayer(Operation &op, unsigned depth) {
  indent(depth);
  if (auto name = op.getAttrOfType<StringAttr>("name"))
    os << name.getValue() << (isa<BlockOp>(op) ? ":" : ": ");
  if (auto choose = dyn_cast<ChooseOp>(op)) {
    ++decisions;
    SmallVector<StringRef> names;
    for (auto option : choose.getBody().getOps<OptionOp>())
      names.push_back(option.getName());
    os << "choose one of " << names.size() << ": " << llvm::join(names, " | ")
       << "\n";
    for (auto option : choose.getBody().getOps<OptionOp>())
      printOption(option, depth + 1);
    return;
  }
  if (auto repeat = dyn_cast<RepeatOp>(op)) {
    os << "repeat ";
    printParam(repeat.getCount(), os);
    if (isa<ChoiceAttr, RangeAttr>(repeat.getCount()))
      ++decisions;
    os << (repeat.getShared() ? " shared" : "") << "\n";
    printLayers(repeat.getBodyBlock(), depth + 1);
    return;
  }
  if (auto cellRef = dyn_cast<CellRefOp>(op)) {
    os << "cell " << cellRef.getCell() << "\n";
    return;
  }
  if (auto residual = dyn_cast<ResidualOp>(op)) {
    os << "residual (shortcut " << stringifyShortcut(residual.getShortcut())
       << ")\n";
    printLayers(residual.getBodyBlock(), depth + 1);
    return;
  }
  if (isa<StageOp>(op)) {
    os << "stage\n";
    printLayers(op.getRegion(0).front(), depth + 1);
    return;
  }
  if (isa<BlockOp>(op)) {
    os << "\n";
    printLayers(op.getRegion(0).front(), depth + 1);
    return;
  }
  if (auto pool = dyn_cast<PoolOp>(op))
    os << stringifyPoolKind(pool.getKind()) << "_pool";
  else if (auto global = dyn_cast<GlobalPoolOp>(op))
    os << "global_" << stringifyPoolKind(global.getKind()) << "_pool";
  else if (auto act = dyn_cast<ActOp>(op))
    os << stringifyActKind(act.getKind());
  else
    os << mnemonic(op);
  printAttrs(op, {"name", "kind"});
  os << "\n";
}

void SummaryPrinter::print(SpecOp spec) {
  os << "spec " << spec.getSymName() << "\n";
  for (Operation &op : spec.getBodyBlock()) {
    if (auto dataset = dyn_cast<DatasetOp>(op)) {
      os << "dataset " << dataset.getSymName() << ": input "
         << llvm::join(llvm::map_range(dataset.getInputShape(),
                                       [](int64_t d) { return std::to_string(d); }),
                       "x")
         << ", " << dataset.getNumClasses() << " classes";
      if (auto source = dataset.getSource())
        os << ", source \"" << *source << "\"";
      os << "\n";
    } else if (auto target = dyn_cast<TargetOp>(op)) {
      os << "target " << target.getSymName() << " ("
         << stringifyTargetKind(target.getKind()) << ")";
      if (auto props = target.getPropsAttr()) {
        os << ": ";
        llvm::interleaveComma(props, os, [&](NamedAttribute prop) {
          os << prop.getName().getValue() << " ";
          printParam(prop.getValue(), os);
        });
      }
      os << "\n";
      if (auto tunables = target.getTunablesAttr())
        for (NamedAttribute tunable : tunables) {
          ++decisions;
          os << "  tunable " << tunable.getName().getValue() << " = ";
          printParam(tunable.getValue(), os);
          os << "\n";
        }
    } else if (auto cell = dyn_cast<CellOp>(op)) {
      unsigned edges = 0;
      for (auto edge : cell.getBody().getOps<EdgeOp>()) {
        (void)edge;
        ++edges;
      }
      os << "cell " << cell.getSymName() << ": " << cell.getNumNodes()
         << " nodes (" << cell.getNumInputs() << " input"
         << (cell.getNumInputs() == 1 ? "" : "s") << "), output "
         << stringifyCellOutput(cell.getOutput()) << ", " << edges
         << " edges, shared by every use\n";
      for (auto edge : cell.getBody().getOps<EdgeOp>()) {
        ++decisions;
        SmallVector<StringRef> names;
        for (auto option : edge.getBody().getOps<OptionOp>())
          names.push_back(option.getName());
        os << "  edge " << edge.getFrom() << " -> " << edge.getTo() << ": "
           << llvm::join(names, " | ") << "\n";
      }
      // Each distinct alternative once (edges usually share one op set).
      os << "  alternatives:\n";
      llvm::StringSet<> shown;
      for (auto edge : cell.getBody().getOps<EdgeOp>())
        for (auto option : edge.getBody().getOps<OptionOp>())
          if (shown.insert(option.getName()).second)
            printOption(option, 2);
    } else if (auto network = dyn_cast<NetworkOp>(op)) {
      os << "network " << network.getSymName() << " on "
         << network.getDataset() << "\n";
      printLayers(network.getBodyBlock(), 1);
    } else if (auto objectives = dyn_cast<ObjectivesOp>(op)) {
      os << "objectives ("
         << stringifyFormulation(objectives.getFormulation()) << ")\n";
      for (auto objective : objectives.getBody().getOps<ObjectiveOp>()) {
        os << "  " << stringifyDirection(objective.getDirection()) << " "
           << stringifyMetric(objective.getMetric());
        if (auto target = objective.getTarget())
          os << "(" << *target << ")";
        if (auto weight = objective.getWeightAttr())
          os << " weight " << llvm::format("%g", weight.getValueAsDouble());
        if (auto stage = objective.getStage())
          os << " stage " << *stage;
        os << "\n";
      }
    } else if (auto constraint = dyn_cast<ConstraintOp>(op)) {
      static const char *const symbols[] = {"<", "<=", ">", ">="};
      os << "constraint " << stringifyMetric(constraint.getMetric());
      if (auto target = constraint.getTarget())
        os << "(" << *target << ")";
      os << " " << symbols[static_cast<uint32_t>(constraint.getCmp())] << " ";
      printParam(constraint.getBound(), os);
      os << "\n";
    } else if (auto compress = dyn_cast<CompressOp>(op)) {
      os << "compress ";
      printAttrs(op, {});
      os << "\n";
    } else if (auto search = dyn_cast<SearchOp>(op)) {
      os << "search " << stringifyStrategy(search.getStrategy());
      if (auto budget = search.getBudget())
        os << ", budget " << *budget;
      if (auto seed = search.getSeed())
        os << ", seed " << *seed;
      if (auto params = search.getParamsAttr())
        for (NamedAttribute param : params) {
          os << ", " << param.getName().getValue() << " ";
          printParam(param.getValue(), os);
        }
      os << "\n";
    } else if (auto evaluate = dyn_cast<EvaluateOp>(op)) {
      os << "evaluate " << stringifyEvalMethod(evaluate.getMethod());
      if (auto params = evaluate.getParamsAttr())
        for (NamedAttribute param : params) {
          os << ", " << param.getName().getValue() << " ";
          printParam(param.getValue(), os);
        }
      os << "\n";
    }
  }
  os << "decision points: " << decisions
     << " (choose layers, cell edges, searched hyper-parameters, tunables;"
        " each repetition decides anew unless shared)\n";
}

void nasc::printSpecSummary(SpecOp spec, llvm::raw_ostream &os) {
  SummaryPrinter(os).print(spec);
}
