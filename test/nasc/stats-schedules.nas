// --emit=stats over a space whose cpu target has schedule tunables: the
// latency's range and the constraint's count are those of the candidates'
// own estimates, each at its schedule (--emit=candidates --target-costs),
// not of the default schedule alone (docs/analysis.md, "Tunables that
// change the costs").
// RUN: nasc %s --emit=stats 2>&1 | FileCheck %s
// RUN: nasc %s --emit=stats --format=json | FileCheck %s --check-prefix=JSON
// RUN: nasc %s --emit=candidates --target-costs | FileCheck %s --check-prefix=CSV

dataset d { input = [64, 8, 8]; classes = 10; }
target host : cpu {
  peak_compute = 100 GFLOPS;
  bandwidth = 1000 GB/s;
  tunable vector = {"avx2", "avx512"};
  tunable tile_channels = {16, 32};
}
network n on d { conv(out = {32, 64}, kernel = 1); }
constraints { latency(host) < 0.006 ms; }

// Each candidate's latency (docs/costmodel.md, "Tiles"): the least is 32
// channels in one 512-bit tile of 32, the greatest 64 channels in 256-bit
// tiles of 32; 6 of the 8 are under 6 us.
// CSV: out=32 host.tile_channels=16 host.vector=avx2,{{([^,]*,)+}}0.0032768,
// CSV: out=32 host.tile_channels=16 host.vector=avx512,{{([^,]*,)+}}0.00294912,
// CSV: out=32 host.tile_channels=32 host.vector=avx2,{{([^,]*,)+}}0.00458752,
// CSV: out=32 host.tile_channels=32 host.vector=avx512,{{([^,]*,)+}}0.00262144,
// CSV: out=64 host.tile_channels=16 host.vector=avx2,{{([^,]*,)+}}0.0065536,
// CSV: out=64 host.tile_channels=16 host.vector=avx512,{{([^,]*,)+}}0.00589824,
// CSV: out=64 host.tile_channels=32 host.vector=avx2,{{([^,]*,)+}}0.00917504,
// CSV: out=64 host.tile_channels=32 host.vector=avx512,{{([^,]*,)+}}0.00524288,

// CHECK: latency(host): 0.00262144 .. 0.00917504 ms
// CHECK: constraint latency(host) < 0.006 ms: met by 6
// CHECK: feasible: 6 of 8

// JSON: "latency(host)": {
// JSON-NEXT: "min": 0.0026214
// JSON-NEXT: "max": 0.0091750
// JSON-NEXT: "unit": "ms",
// JSON-NEXT: "argmin": "out=32 host.tile_channels=32 host.vector=avx512",
// JSON-NEXT: "argmax": "out=64 host.tile_channels=32 host.vector=avx2"
