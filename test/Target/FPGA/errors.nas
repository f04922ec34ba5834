// What the FPGA backend cannot compute in integers is a located error, and
// nothing is written.
// RUN: split-file %s %t
// RUN: not nasc %t/swish.nas --emit=fpga -o %t/out 2>&1 | FileCheck %s --check-prefix=SWISH
// RUN: not ls %t/out
// SWISH: swish.nas:3:35: error: the fpga backend computes relu, relu6 and hswish, not swish
// RUN: not nasc %t/space.nas --emit=fpga -o %t/out 2>&1 | FileCheck %s --check-prefix=SPACE
// SPACE: nasc: error: --emit=fpga needs --candidate ENCODING: the space has 2 candidates

//--- swish.nas
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  c: conv(out = 4, kernel = 3) -> swish;
}
//--- space.nas
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  c: conv(out = {4, 8});
}
