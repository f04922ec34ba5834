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
