//===- NasTestUtils.h - Parsing specs in unit tests -------------*- C++ -*-===//
//
// Shared by the unit tests that start from .nas text or the examples
// (NASC_EXAMPLES_DIR is defined for each such test target).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_UNITTESTS_NASTESTUTILS_H
#define NASC_UNITTESTS_NASTESTUTILS_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Frontend/Frontend.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace nasc::test {

/// Parses .nas `text` (named `name` in diagnostics).
inline mlir::OwningOpRef<mlir::ModuleOp>
parseNas(mlir::MLIRContext &context, llvm::StringRef text,
         llvm::StringRef name = "test.nas") {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
  return parseNasSource(sourceMgr, &context);
}

#ifdef NASC_EXAMPLES_DIR
/// Parses examples/`file`.
inline mlir::OwningOpRef<mlir::ModuleOp>
parseExample(mlir::MLIRContext &context, llvm::StringRef file) {
  auto buffer = llvm::MemoryBuffer::getFile(std::string(NASC_EXAMPLES_DIR) +
                                            "/" + file.str());
  EXPECT_TRUE(bool(buffer)) << file.str();
  if (!buffer)
    return nullptr;
  return parseNas(context, (*buffer)->getBuffer(), file);
}
#endif

/// The module's (first) nas.spec.
inline nas::SpecOp specOf(mlir::ModuleOp module) {
  return *module.getOps<nas::SpecOp>().begin();
}

/// max |actual - expected| over max |expected| (the outputs' relative
/// error the backend tests bound); the sizes must agree.
inline double relativeError(const std::vector<float> &actual,
                            const std::vector<float> &expected) {
  EXPECT_EQ(actual.size(), expected.size());
  double maxDiff = 0, maxRef = 0;
  for (size_t i = 0; i < actual.size() && i < expected.size(); ++i) {
    maxDiff = std::max(maxDiff, double(std::fabs(actual[i] - expected[i])));
    maxRef = std::max(maxRef, double(std::fabs(expected[i])));
  }
  return maxDiff / std::max(maxRef, 1e-30);
}

} // namespace nasc::test

#endif // NASC_UNITTESTS_NASTESTUTILS_H
