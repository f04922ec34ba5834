//===- ConvertNASToLinalgPass.cpp - convert-nas-to-linalg -----------------===//

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/Passes.h"

namespace nasc {
#define GEN_PASS_DEF_CONVERTNASTOLINALG
#include "nasc/Conversion/Passes.h.inc"
} // namespace nasc

using namespace mlir;
using namespace nasc;

namespace {

struct ConvertNASToLinalgPass
    : public nasc::impl::ConvertNASToLinalgBase<ConvertNASToLinalgPass> {
  using ConvertNASToLinalgBase::ConvertNASToLinalgBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto specs = llvm::to_vector(module.getOps<nas::SpecOp>());
    if (specs.size() != 1) {
      module.emitError() << "expected exactly one 'nas.spec', found "
                         << specs.size();
      return signalPassFailure();
    }
    SeededWeights weights(seed);
    LinalgLoweringOptions options;
    options.foldBatchNorm = foldBatchNorm;
    options.integerArithmetic = integerArithmetic;
    if (failed(lowerToLinalg(specs.front(), module, weights, options)))
      return signalPassFailure();
    specs.front().erase();
  }
};

} // namespace
