// RUN: nasc %s --emit=candidates | FileCheck %s
// RUN: nasc %s --emit=stats | FileCheck %s --check-prefix=STATS
// RUN: nasc %s --candidate="out=16 resolution=24" --emit=mlir | FileCheck %s --check-prefix=MLIR
// RUN: nasc %s | FileCheck %s --check-prefix=SUMMARY

// A searched input resolution (Once-for-All's elastic resolution): one
// decision, the last of every candidate; the input is [C, r, r].
// By hand, conv 3x3 stride 2 to `out` channels on [3, r, r]:
//   macs = 27 * out * ceil(r/2)^2, plus the fc: out * 10 + 10.
//   out 8,  r 16: 27*8*64   + 90  = 13824 + 90   = 13914
//   out 16, r 32: 27*16*256 + 170 = 110592 + 170 = 110762

dataset d { input = [3, 32, 32]; classes = 10; resolution = {16, 24, 32}; }
network n { conv(out = {8, 16}, stride = 2) -> bn -> relu; global_avg_pool -> fc(out = classes); }

// CHECK:      encoding,macs,{{.*}},conv.out,resolution
// CHECK-NEXT: out=8 resolution=16,13914,
// CHECK-NEXT: out=8 resolution=24,31194,
// CHECK-NEXT: out=8 resolution=32,55386,
// CHECK-NEXT: out=16 resolution=16,27818,
// CHECK-NEXT: out=16 resolution=24,62378,
// CHECK-NEXT: out=16 resolution=32,110762,

// The fold over the space starts once per resolution.
// STATS: space size: 6
// STATS: decisions: 2 (0 options, 1 hyper-parameters, 0 repeat counts, 0 tunables, 1 input resolution)
// STATS: macs: 13914 .. 110762

// MLIR: nas.dataset @d input [3, 24, 24] classes 10
// MLIR-NOT: resolution

// SUMMARY: dataset d: input 3x32x32, 10 classes, resolution {16, 24, 32}
