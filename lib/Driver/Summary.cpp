//===- Summary.cpp - Human-readable outline of a nas.spec -----------------===//

#include "nasc/Driver/Summary.h"

#include "nasc/Space/Space.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;

//===----------------------------------------------------------------------===//
// Counting decisions
//===----------------------------------------------------------------------===//

namespace {

/// Walks a spec and prints its outline.
class SummaryPrinter {
public:
  explicit SummaryPrinter(llvm::raw_ostream &os) : os(os) {}

  void print(SpecOp spec);

private:
  void print(DatasetOp dataset);
  void print(TargetOp target);
  void print(CellOp cell);
  void print(ObjectivesOp objectives);
  void print(ConstraintOp constraint);
  /// `, key value` for each setting.
  void printSettings(DictionaryAttr params);

  llvm::raw_ostream &os;

  void indent(unsigned depth) { os.indent(2 * depth); }
  void printLayers(Block &body, unsigned depth);
  /// One option on one line: `label: relu -> conv(kernel = 3) -> bn`.
  void printOption(OptionOp option, unsigned depth);
  /// A layer inline, as in a chain; containers list their body in braces.
  void printInline(Operation &op);
  void printLayer(Operation &op, unsigned depth);
  /// The op's attributes other than those the outline shows another way.
  void printAttrs(Operation &op, ArrayRef<StringRef> skip);
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
    printSourceForm(attr.getValue(), os);
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

/// The op's name in the language: avg_pool, relu, cell NAME, conv, ...
static std::string getSourceName(Operation &op) {
  if (auto pool = dyn_cast<PoolOp>(op))
    return (stringifyPoolKind(pool.getKind()) + "_pool").str();
  if (auto global = dyn_cast<GlobalPoolOp>(op))
    return ("global_" + stringifyPoolKind(global.getKind()) + "_pool").str();
  if (auto act = dyn_cast<ActOp>(op))
    return stringifyActKind(act.getKind()).str();
  if (auto cellRef = dyn_cast<CellRefOp>(op))
    return ("cell " + cellRef.getCell()).str();
  return op.getName().stripDialect().str();
}

void SummaryPrinter::printInline(Operation &op) {
  os << getSourceName(op);
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
    printSourceForm(repeat.getCount(), os);
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
  os << getSourceName(op);
  printAttrs(op, {"name", "kind"});
  os << "\n";
}

void SummaryPrinter::printSettings(DictionaryAttr params) {
  if (!params)
    return;
  for (NamedAttribute param : params) {
    os << ", " << param.getName().getValue() << " ";
    printSourceForm(param.getValue(), os);
  }
}

void SummaryPrinter::print(DatasetOp dataset) {
  os << "dataset " << dataset.getSymName() << ": input "
     << llvm::join(llvm::map_range(dataset.getInputShape(),
                                   [](int64_t d) { return std::to_string(d); }),
                   "x")
     << ", " << dataset.getNumClasses() << " classes";
  if (Attribute resolution = dataset.getResolutionAttr()) {
    os << ", resolution ";
    printSourceForm(resolution, os);
  }
  if (auto source = dataset.getSource())
    os << ", source \"" << *source << "\"";
  os << "\n";
}

void SummaryPrinter::print(TargetOp target) {
  os << "target " << target.getSymName() << " ("
     << stringifyTargetKind(target.getKind()) << ")";
  if (auto props = target.getPropsAttr()) {
    os << ": ";
    llvm::interleaveComma(props, os, [&](NamedAttribute prop) {
      os << prop.getName().getValue() << " ";
      printSourceForm(prop.getValue(), os);
    });
  }
  os << "\n";
  if (auto tunables = target.getTunablesAttr())
    for (NamedAttribute tunable : tunables) {
      os << "  tunable " << tunable.getName().getValue() << " = ";
      printSourceForm(tunable.getValue(), os);
      os << "\n";
    }
}

void SummaryPrinter::print(CellOp cell) {
  auto edges = cell.getBody().getOps<EdgeOp>();
  os << "cell " << cell.getSymName() << ": " << cell.getNumNodes() << " nodes ("
     << cell.getNumInputs() << " input" << (cell.getNumInputs() == 1 ? "" : "s")
     << "), output " << stringifyCellOutput(cell.getOutput()) << ", "
     << llvm::range_size(edges) << " edges, shared by every use\n";
  for (EdgeOp edge : edges) {
    SmallVector<StringRef> names;
    for (auto option : edge.getBody().getOps<OptionOp>())
      names.push_back(option.getName());
    os << "  edge " << edge.getFrom() << " -> " << edge.getTo() << ": "
       << llvm::join(names, " | ") << "\n";
  }
  // Each distinct alternative once (edges usually share one op set).
  os << "  alternatives:\n";
  llvm::StringSet<> shown;
  for (EdgeOp edge : edges)
    for (auto option : edge.getBody().getOps<OptionOp>())
      if (shown.insert(option.getName()).second)
        printOption(option, 2);
}

void SummaryPrinter::print(ObjectivesOp objectives) {
  os << "objectives (" << stringifyFormulation(objectives.getFormulation())
     << ")\n";
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
}

void SummaryPrinter::print(ConstraintOp constraint) {
  os << "constraint " << stringifyMetric(constraint.getMetric());
  if (auto target = constraint.getTarget())
    os << "(" << *target << ")";
  os << " " << getComparisonSymbol(constraint.getCmp()) << " ";
  printSourceForm(constraint.getBound(), os);
  os << "\n";
}

void SummaryPrinter::print(SpecOp spec) {
  os << "spec " << spec.getSymName() << "\n";
  for (Operation &op : spec.getBodyBlock()) {
    llvm::TypeSwitch<Operation *>(&op)
        .Case<DatasetOp, TargetOp, CellOp, ObjectivesOp, ConstraintOp>(
            [&](auto decl) { print(decl); })
        .Case([&](NetworkOp network) {
          os << "network " << network.getSymName() << " on "
             << network.getDataset() << "\n";
          printLayers(network.getBodyBlock(), 1);
        })
        .Case([&](CompressOp) {
          os << "compress ";
          printAttrs(op, {});
          os << "\n";
        })
        .Case([&](SearchOp search) {
          os << "search " << stringifyStrategy(search.getStrategy());
          if (auto budget = search.getBudget())
            os << ", budget " << *budget;
          if (auto seed = search.getSeed())
            os << ", seed " << *seed;
          printSettings(search.getParamsAttr());
          os << "\n";
        })
        .Case([&](EvaluateOp evaluate) {
          os << "evaluate " << stringifyEvalMethod(evaluate.getMethod());
          printSettings(evaluate.getParamsAttr());
          os << "\n";
        });
  }
  // The decision tree of lib/Space, as --emit=stats counts it.
  FailureOr<Space> space = Space::build(spec);
  if (failed(space))
    return;
  os << "decisions: " << space->getAllDecisions().size()
     << " in the space, at most " << space->getMaxDecisionsPerCandidate()
     << " per candidate (docs/space.md)\n";
}

void nasc::printSpecSummary(SpecOp spec, llvm::raw_ostream &os) {
  SummaryPrinter(os).print(spec);
}
