// A cpu target's analytical latency reads the schedule its tunables give
// the code (docs/costmodel.md, "Tiles"): each candidate's estimate is the
// roofline at the share of the peak its tiles reach.
// RUN: nasc %s --emit=candidates --target-costs | FileCheck %s

dataset d { input = [64, 8, 8]; classes = 10; }
target host : cpu {
  peak_compute = 100 GFLOPS;
  bandwidth = 1000 GB/s;
  tunable vector = {"avx2", "avx512"};
  tunable tile_channels = {16, 32};
}
// A 1x1 convolution of 64 -> 64 channels at 8x8: 524,288 FLOPs, 5.24288 us
// at the whole peak; its tile has 8 columns, a step is one input channel.
network n on d { conv(out = 64, kernel = 1); }

// CHECK: encoding,{{.*}},latency(host) [ms],latency_err(host) [ms]
// AVX2, 16 channels: 2 registers of 8 lanes, 16 accumulators, 8
// broadcasts and 2 filter vectors live in 16 registers: 10 spill, a store
// and a reload each. 16 FMAs (8 cycles) against 20 loads (10) and 10
// stores (10): 0.8 of the (given) peak.
// CHECK-NEXT: host.tile_channels=16 host.vector=avx2,{{[0-9]+,524288,4096,}}{{[0-9,]+}},0.0065536,0,
// AVX-512, 16 channels: 8 FMAs (4 cycles) against 9 loads (4.5).
// CHECK-NEXT: host.tile_channels=16 host.vector=avx512,{{[0-9]+,524288,4096,}}{{[0-9,]+}},0.00589824,0,
// AVX2, 32 channels: 32 accumulators, 8 broadcasts and 4 filter vectors,
// 28 past the file: 28 stores (28 cycles) against 32 FMAs (16).
// CHECK-NEXT: host.tile_channels=32 host.vector=avx2,{{[0-9]+,524288,4096,}}{{[0-9,]+}},0.00917504,0,
// AVX-512, 32 channels: 16 FMAs (8 cycles) against 10 loads (5): the peak.
// CHECK-NEXT: host.tile_channels=32 host.vector=avx512,{{[0-9]+,524288,4096,}}{{[0-9,]+}},0.00524288,0,
