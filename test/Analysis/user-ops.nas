// RUN: nasc %s --emit=candidates | FileCheck %s
// RUN: nasc %s --emit=stats | FileCheck %s --check-prefix=STATS
// RUN: nasc %s --emit=candidates --target-costs | FileCheck %s --check-prefix=LAT

// Costs of user-defined ops, by hand. Input [8, 8, 8] (64 pixels).
// l1 = ir(k = 3, e = 2): in 8, mid = in * e = 16, out = in = 8.
//   1x1 8 -> 16:  macs 8*16*64 = 8192,  params 128 + BN 32
//   dw 3x3 x16:   macs 16*9*64 = 9216,  params 144 + BN 32
//   1x1 16 -> 8:  macs 16*8*64 = 8192,  params 128 + BN 16
//   shape kept: the input is added.   macs 25600, params 480
// l2 = the same with out = 16 or 24 (a decision): the shape changes, no add.
//   out 16: 1x1 16 -> 16: macs 16384, params 256 + BN 32
//           macs 8192 + 9216 + 16384 = 33792, params 128+32+144+32+256+32 = 624
//   out 24: 1x1 16 -> 24: macs 24576, params 384 + BN 48
//           macs 41984, params 768
// head: global pool, fc 16 -> 10 (or 24 -> 10), bias included:
//   macs 170 (250), params 170 (250)
// Totals: out 16: macs 25600 + 33792 + 170 = 59562, params 480 + 624 + 170 = 1274
//         out 24: macs 25600 + 41984 + 250 = 67834, params 480 + 768 + 250 = 1498
// The built-in mbconv(expand = 2) computes the same: the `ref` alternative
// of l3 gives the same figures as `user`, so each row appears twice.

dataset d { input = [8, 8, 8]; classes = 10; }
target board : gpu {
  peak_compute = 2 GFLOPS;
  bandwidth = 1 GB/s;
  overhead = 1 us;
}

op ir(k, e) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1) -> bn -> relu6;
    dwconv(kernel = k) -> bn -> relu6;
    conv(out = out, kernel = 1) -> bn;
  }
}

network n {
  l1: choose { user: ir(k = 3, e = 2); ref: mbconv(kernel = 3, expand = 2); };
  l2: ir(k = 3, e = 2, out = {16, 24});
  global_avg_pool -> fc(out = classes);
}

// CHECK: encoding,macs,flops,params,
// CHECK-DAG: user out16,59562,{{[0-9]+}},1274,
// CHECK-DAG: ref out16,59562,{{[0-9]+}},1274,
// CHECK-DAG: user out24,67834,{{[0-9]+}},1498,
// CHECK-DAG: ref out24,67834,{{[0-9]+}},1498,

// The fold over the space agrees with the rows.
// STATS: space size: 4
// STATS: macs: 59562 .. 67834
// STATS: params: 1274 .. 1498

// The analytical latency and energy do not depend on the spelling either:
// both run as the same kernels (each 1x1 conv and the depthwise conv with
// their batch norms and activations fused, and the add), where one record
// per layer would charge the eight layers of `user` eight launches and
// eight reads of their inputs.
// LAT: encoding,macs,flops,params,{{.*}},latency(board) [ms],latency_err(board) [ms],energy(board) [mJ],
// LAT-NEXT: user out16,59562,135990,1274,{{[0-9]+,[0-9]+,[0-9]+,[0-9]+}},[[LAT16:[0-9.e-]+]],0,[[EN16:[0-9.e-]+]],
// LAT-NEXT: user out24,67834,154070,1498,{{[0-9]+,[0-9]+,[0-9]+,[0-9]+}},[[LAT24:[0-9.e-]+]],0,[[EN24:[0-9.e-]+]],
// LAT-NEXT: ref out16,59562,135990,1274,{{[0-9]+,[0-9]+,[0-9]+,[0-9]+}},[[LAT16]],0,[[EN16]],
// LAT-NEXT: ref out24,67834,154070,1498,{{[0-9]+,[0-9]+,[0-9]+,[0-9]+}},[[LAT24]],0,[[EN24]],
