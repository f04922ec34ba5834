// --emit=stats folds the analytical latency and energy on each target like
// the other costs: the range over the space is that of the candidates'
// own estimates (--emit=candidates --target-costs), and constraints on
// them are counted.
// RUN: nasc %s --emit=stats 2>&1 | FileCheck %s
// RUN: nasc %s --emit=stats --format=json | FileCheck %s --check-prefix=JSON
// RUN: nasc %s --emit=candidates --target-costs | FileCheck %s --check-prefix=CSV

dataset d { input = [3, 8, 8]; classes = 10; }
target board : gpu {
  peak_compute = 2 GFLOPS;
  bandwidth = 1 GB/s;
  overhead = 1 us;
  energy_per_mac = 2 pJ;
  energy_per_byte = 50 pJ;
}
// No peak and no bandwidth: energy only (the default energy figures).
target bare : cpu { }
network n {
  conv(out = {8, 16});
  choose { a: conv(out = 32); b: identity; c: sep_conv(out = 16, kernel = 3); }
  global_avg_pool;
  fc(out = 10);
}
constraints {
  latency(board) < 0.05 ms;
  energy(board) <= 2 uJ;
  latency(bare) < 1 s;
  energy(board) > 4 uJ;
}

// Every candidate's estimates, in milliseconds and millijoules (the board,
// then the bare target). By hand, out=8 b (docs/costmodel.md: a kernel per
// conv, pool and fc, 1 GB/s = 1 byte/ns, 2 GFLOPS = 2 FLOP/ns):
//   conv 3->8 k3: 27648 FLOPs (13.824 us) vs (192 + 512 + 216) * 4 B
//     (3.68 us): 13.824 + 1 = 14.824 us
//   global pool: 512 FLOPs vs (512 + 8) * 4 B (2.08 us): 3.08 us
//   fc 8->10: 150 FLOPs vs (8 + 10 + 90) * 4 B (0.432 us): 1.432 us
//   identity: no kernel.  Sum: 19.336 us.
// CSV: encoding,{{.*}},latency(board) [ms],latency_err(board) [ms],energy(board) [mJ],energy_err(board) [mJ],method(board),latency(bare) [ms],latency_err(bare) [ms],energy(bare) [mJ],energy_err(bare) [mJ],method(bare),conv.out,choose
// CSV-NEXT: out=8 a,{{[0-9,]+}},0.175088,0,0.00197042,0,analytical,0,0,0.00601445,0,analytical,8,a
// CSV-NEXT: out=8 b,{{[0-9,]+}},0.019336,0,0.000337428,0,analytical,0,0,0.00105472,0,analytical,8,b
// CSV-NEXT: out=8 c,{{[0-9,]+}},0.03836,0,0.00103679,0,analytical,0,0,0.00326949,0,analytical,8,c
// CSV-NEXT: out=16 a,{{[0-9,]+}},0.336368,0,0.00300178,0,analytical,0,0,0.00902449,0,analytical,16,a
// CSV-NEXT: out=16 b,{{[0-9,]+}},0.035592,0,0.000632436,0,analytical,0,0,0.00197372,0,analytical,16,b
// CSV-NEXT: out=16 c,{{[0-9,]+}},0.065752,0,0.00158284,0,analytical,0,0,0.00496892,0,analytical,16,c

// The folded ranges are the smallest and largest of those columns:
// latency < 0.05 ms: out=8 b, out=8 c, out=16 b; energy <= 0.002 mJ: all
// but out=16 a; both: the same three; > 0.004 mJ: none.
// CHECK:      stats-target-costs.nas:29:3: warning: no candidate meets this constraint: the largest energy(board) in the space is 0.00300178 mJ (out=16 a)
// CHECK:      costs over the space, folded
// CHECK:        peak_memory_bytes:
// CHECK-NEXT:   latency(board): 0.019336 .. 0.336368 ms
// CHECK-NEXT:   energy(board): 0.000337428 .. 0.00300178 mJ
// CHECK-NEXT:   energy(bare): 0.00105472 .. 0.00902449 mJ
// CHECK-NEXT: constraint latency(board) < 0.05 ms: met by 3
// CHECK-NEXT: constraint energy(board) <= 2 uJ: met by 5
// CHECK-NEXT: constraint latency(bare) < 1 s: not evaluated here (target 'bare' has neither peak_compute nor bandwidth for the analytical model)
// CHECK-NEXT: constraint energy(board) > 4 uJ: met by 0
// CHECK-NEXT: feasible: 0 of 6

// JSON:      "latency(board)": {
// JSON-NEXT:   "min": 0.019336
// JSON-NEXT:   "max": 0.336368
// JSON-NEXT:   "unit": "ms",
// JSON-NEXT:   "argmin": "out=8 b",
// JSON-NEXT:   "argmax": "out=16 a"
// JSON:      "constraint": "latency(board) < 0.05 ms",
// JSON-NEXT: "met_by": "3"
// JSON:      "constraint": "latency(bare) < 1 s",
// JSON-NEXT: "met_by": null,
// JSON-NEXT: "not_evaluated": "target 'bare' has neither
