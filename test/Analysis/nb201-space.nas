// The whole NAS-Bench-201 space streamed with its costs: the bounds are the
// benchmark's published figures for CIFAR-10 (7.78305 M to 220.11969 M
// "FLOPs", which are MACs in its counting, and 0.073306 M to 1.531546 M
// params), and single candidates match hand computation
// (test/Analysis/nb201-bounds.mlir works them out layer by layer).
// RUN: nasc %S/../../examples/nb201.nas --emit=candidates > %t.csv
// RUN: count 15626 < %t.csv
// RUN: tail -n +2 %t.csv | cut -d, -f2 | sort -n | head -1 | FileCheck %s --check-prefix=MIN-MACS
// RUN: tail -n +2 %t.csv | cut -d, -f2 | sort -n | tail -1 | FileCheck %s --check-prefix=MAX-MACS
// RUN: tail -n +2 %t.csv | cut -d, -f4 | sort -n | head -1 | FileCheck %s --check-prefix=MIN-PARAMS
// RUN: tail -n +2 %t.csv | cut -d, -f4 | sort -n | tail -1 | FileCheck %s --check-prefix=MAX-PARAMS
// RUN: grep -F '|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|,' %t.csv | FileCheck %s --check-prefix=MIXED
// RUN: grep -F '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|,' %t.csv | FileCheck %s --check-prefix=ALLCONV

// MIN-MACS: {{^}}7783050{{$}}
// MAX-MACS: {{^}}220119690{{$}}
// MIN-PARAMS: {{^}}73306{{$}}
// MAX-PARAMS: {{^}}1531546{{$}}
// MIXED: ,47104650,96961782,344346,
// ALLCONV: ,220119690,443421942,1531546,6126184,
