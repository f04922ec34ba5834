// --hardware nested on a cpu target: each architecture gets the schedule
// (vector, tile_*) under which the analytical latency, which reads the
// code's tiles (docs/costmodel.md, "Tiles"), is least: 512-bit vectors
// and 32-channel tiles for these 1x1 convolutions of 64 input channels at
// 8x8 (262,144 FLOPs at out = 32: 2.62 us at the given peak). The joint
// search draws the schedule with the rest: 256-bit vectors with 32-channel
// tiles spill (docs/costmodel.md), 4.59 us.
// RUN: rm -rf %t
// RUN: nasc search %s --objective min:'latency(host)' --objective min:params --strategy random --budget 4 --hardware nested --out %t/nested --quiet
// RUN: FileCheck %s --check-prefix=NESTED --input-file=%t/nested/trials.csv
// NESTED: number,encoding,status,latency(host) [ms],params [count]
// NESTED-NEXT: 0,out=64 host.tile_channels=32 host.vector=avx512,ok,0.00524288{{[0-9]*}},4096,
// NESTED-NEXT: 1,out=32 host.tile_channels=32 host.vector=avx512,ok,0.00262144{{[0-9]*}},2048,
//
// RUN: nasc search %s --objective min:'latency(host)' --objective min:params --strategy random --budget 4 --out %t/joint --quiet
// RUN: FileCheck %s --check-prefix=JOINT --input-file=%t/joint/trials.csv
// JOINT: 1,out=32 host.tile_channels=32 host.vector=avx2,ok,0.00458752{{[0-9]*}},2048,

dataset d { input = [64, 8, 8]; classes = 10; }
target host : cpu {
  peak_compute = 100 GFLOPS;
  bandwidth = 1000 GB/s;
  tunable vector = {"avx2", "avx512"};
  tunable tile_channels = {16, 32};
}
network n on d {
  conv(out = {32, 64}, kernel = 1);
}
