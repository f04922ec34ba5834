//===- Lowering.cpp - A candidate as linalg, for any backend --------------===//

#include "nasc/Target/Common/Lowering.h"

#include "nasc/Target/Common/Diagnostics.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace nasc;

llvm::Expected<nas::SpecOp> target::getSpec(ModuleOp module) {
  auto specs = module.getOps<nas::SpecOp>();
  if (specs.empty() || std::next(specs.begin()) != specs.end())
    return llvm::createStringError("expected exactly one nas.spec");
  return *specs.begin();
}

std::string target::getCName(nas::SpecOp spec) {
  std::string name = spec.getSymName().str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  if (name.empty() || llvm::isDigit(name[0]))
    name = "_" + name;
  return name;
}

llvm::Expected<OwningOpRef<ModuleOp>>
target::lowerCandidate(nas::SpecOp spec, WeightSource &weights,
                       LoweredSignature &signature,
                       const LinalgLoweringOptions &options) {
  DiagnosticCapture capture(spec.getContext());
  OwningOpRef<ModuleOp> module = ModuleOp::create(spec.getLoc());
  if (failed(lowerToLinalg(spec, *module, weights, options, &signature)))
    return capture.takeError("cannot lower " + spec.getSymName().str() +
                             " to linalg");
  // The entry points take the spec's C name.
  std::string name = getCName(spec);
  if (name != spec.getSymName())
    if (auto func = module->lookupSymbol<func::FuncOp>(spec.getSymName()))
      func.setSymName(name);
  return std::move(module);
}

llvm::Expected<mlir::Attribute>
target::getDecidedTunable(nas::SpecOp spec, nas::TargetKind kind,
                          llvm::StringRef name) {
  DiagnosticCapture capture(spec.getContext());
  mlir::Attribute decided;
  for (nas::TargetOp target : spec.getBodyBlock().getOps<nas::TargetOp>()) {
    if (target.getKind() != kind || !target.getTunables())
      continue;
    mlir::Attribute value = target.getTunables()->get(name);
    if (!value)
      continue;
    auto choice = mlir::dyn_cast<nas::ChoiceAttr>(value);
    if (!choice || choice.size() != 1) {
      target.emitError() << "tunable '" << name << "' of target '"
                         << target.getSymName()
                         << "' is not decided: give a candidate that decides "
                            "it";
      return capture.takeError("undecided tunable");
    }
    if (decided && decided != choice.getOptions()[0]) {
      target.emitError() << nas::stringifyTargetKind(kind)
                         << " targets disagree on tunable '" << name << "'";
      return capture.takeError("disagreeing tunables");
    }
    decided = choice.getOptions()[0];
  }
  return decided;
}
