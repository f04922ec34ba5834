// NAS-Bench-201 counts every edge of a cell, even one that cannot reach
// the output; -nas-eliminate-dead-edges removes such edges' costs.
// |nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|: the conv
// on 0 -> 1 feeds only `none` edges. Counted: 7783050 + 5 cells x 3 stages x
// one 3x3 C->C conv (9*C*C*H*W = 2359296 at every stage) = 43172490 MACs;
// after the pass the cell is a skip: the all-none network's 7783050.
// RUN: nasc %S/../../examples/nb201.nas --emit=mlir --candidate='|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|' > %t.mlir
// RUN: nasc-opt %t.mlir -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=COUNTED
// RUN: nasc-opt %t.mlir -nas-eliminate-dead-edges -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=ELIMINATED
// COUNTED: total: macs 43172490 flops 87377142 params 316346
// ELIMINATED: total: macs 7783050 flops 16168182 params 73306
