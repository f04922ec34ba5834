// What the FPGA backend cannot compute in integers is a located error, and
// nothing is written.
// RUN: split-file %s %t
// RUN: not nasc %t/hswish.nas --emit=fpga -o %t/out 2>&1 | FileCheck %s --check-prefix=HSWISH
// RUN: not ls %t/out
// HSWISH: hswish.nas:3:35: error: the fpga backend computes relu and relu6, not hswish
// RUN: not nasc %t/se.nas --emit=fpga -o %t/out 2>&1 | FileCheck %s --check-prefix=SE
// SE: se.nas:3:23: error: squeeze-and-excitation (hard sigmoid, channel scaling) is not implemented by the fpga backend
// RUN: not nasc %t/space.nas --emit=fpga -o %t/out 2>&1 | FileCheck %s --check-prefix=SPACE
// SPACE: nasc: error: --emit=fpga needs --candidate ENCODING: the space has 2 candidates

//--- hswish.nas
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  c: conv(out = 4, kernel = 3) -> hswish;
}
//--- se.nas
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  c: conv(out = 4) -> se;
}
//--- space.nas
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  c: conv(out = {4, 8});
}
