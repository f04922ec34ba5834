//===- nasc-opt.cpp - The nasc optimizer driver ---------------------------===//
//
// mlir-opt for the nas dialect: parses, verifies, runs nasc passes and prints.
// Lit tests drive the dialect and every pass through it; the test-only
// passes (test/lib, e.g. --test-print-costs) expose the analyses.
//
//===----------------------------------------------------------------------===//

#include "nasc/Conversion/NASToLinalg/NASToLinalg.h"
#include "nasc/Conversion/Passes.h"
#include "nasc/Dialect/NAS/IR/NASDialect.h"
#include "nasc/Dialect/NAS/Transforms/Passes.h"

#include "TestPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  nasc::nas::registerNASPasses();
  nasc::test::registerTestPasses();
  nasc::registerNASConversionPasses();
  mlir::DialectRegistry registry;
  registry.insert<nasc::nas::NASDialect>();
  nasc::registerLinalgLoweringDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "nasc optimizer driver\n", registry));
}
