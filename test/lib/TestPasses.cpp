//===- TestPasses.cpp - Registration of the test-only passes --------------===//

#include "TestPasses.h"

namespace nasc::test {

void registerTestCostsPass();

void registerTestPasses() { registerTestCostsPass(); }

} // namespace nasc::test
