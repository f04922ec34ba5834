//===- TestPasses.h - Test-only passes of nasc-opt --------------*- C++ -*-===//
//
// Passes that expose analyses to lit tests. They are linked into nasc-opt
// only, never into the nasc libraries.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TEST_LIB_TESTPASSES_H
#define NASC_TEST_LIB_TESTPASSES_H

namespace nasc::test {

/// Registers every test pass (test-print-costs, ...) with the global pass
/// registry.
void registerTestPasses();

} // namespace nasc::test

#endif // NASC_TEST_LIB_TESTPASSES_H
