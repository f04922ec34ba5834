//===- TestCosts.cpp - Prints the CostAnalysis of every spec --------------===//
//
// `nasc-opt --test-print-costs` prints, for every nas.spec of the module,
// one line per layer record and the totals (CostAnalysis::print), so lit
// tests can check the numbers with FileCheck. The report goes to stderr, as
// MLIR's own test-print passes do, so stdout stays the module: unchanged,
// and ready for another nasc-opt.
//
//===----------------------------------------------------------------------===//

#include "TestPasses.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Dialect/NAS/IR/NASOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

struct TestPrintCostsPass
    : public PassWrapper<TestPrintCostsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestPrintCostsPass)

  StringRef getArgument() const final { return "test-print-costs"; }
  StringRef getDescription() const final {
    return "Print the per-layer and total costs of every concrete nas.spec";
  }

  void runOnOperation() override {
    bool ok = true;
    for (auto spec : getOperation().getOps<nasc::nas::SpecOp>()) {
      // Through the analysis manager, as a pass consuming the costs would.
      auto &costs = getChildAnalysis<nasc::CostAnalysis>(spec);
      if (costs.failed()) {
        ok = false;
        continue;
      }
      costs.print(llvm::errs());
    }
    if (!ok)
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace

namespace nasc::test {
void registerTestCostsPass() { PassRegistration<TestPrintCostsPass>(); }
} // namespace nasc::test
