// Costs over a space, folded: the range of every metric and how many
// candidates meet the constraints; a constraint no candidate meets is a
// warning at its source with the best value the space reaches. The fold
// does not enumerate, so --stats-limit (which bounds enumeration) does not
// apply.
// RUN: nasc %s --emit=stats 2>&1 | FileCheck %s
// RUN: nasc %s --emit=stats --format=json 2>/dev/null | FileCheck %s --check-prefix=JSON
// RUN: nasc %s --emit=stats --stats-limit=3 2>/dev/null | FileCheck %s --check-prefix=LIMITED
// RUN: nasc %S/../../examples/nb201.nas --emit=stats | FileCheck %s --check-prefix=NB201

dataset d { input = [3, 8, 8]; classes = 10; }
target t : cpu { }
network n {
  conv(out = {16, 32});
  choose { a: conv(out = 64); b: identity; }
  global_avg_pool;
  fc(out = 10);
}
constraints { params < 100; macs <= 1 M; latency(t) < 5 ms; }

// Smallest: conv 3->16 (432 params, 27648 MACs) + fc 16->10 (170): 602
// params, 27818 MACs. Largest: conv 3->32 (864 / 55296) + conv 32->64
// (18432 / 1179648) + fc 64->10 (650): 19946 params, 1235594 MACs.
// CHECK: stats-costs.nas:19:15: warning: no candidate meets this constraint: the smallest params in the space is 602 (out=16 b)
// CHECK:      space size: 4
// CHECK:      costs over the space, folded (min .. max; docs/analysis.md):
// CHECK-NEXT:   macs: 27818 .. 1235594
// CHECK-NEXT:   flops:
// CHECK-NEXT:   params: 602 .. 19946
// CHECK:      constraint params < 100: met by 0
// CHECK-NEXT: constraint macs <= 1 M: met by 3
// CHECK-NEXT: constraint latency(t) < 5 ms: not evaluated here (target 't' has neither peak_compute nor bandwidth for the analytical model)
// CHECK-NEXT: feasible: 0 of 4

// JSON: "method": "folded",
// JSON: "params": {
// JSON-NEXT: "min": 602,
// JSON-NEXT: "max": 19946,
// JSON-NEXT: "argmin": "out=16 b",
// JSON-NEXT: "argmax": "out=32 a"
// JSON:      "constraint": "params < 100",
// JSON-NEXT: "met_by": "0"
// JSON:      "constraint": "macs <= 1 M",
// JSON-NEXT: "met_by": "3"
// JSON:      "constraint": "latency(t) < 5 ms",
// JSON-NEXT: "met_by": null,
// JSON-NEXT: "not_evaluated": "target 't' has neither peak_compute nor bandwidth for the analytical model"
// JSON:      "feasible": "0"

// LIMITED:      space size: 4
// LIMITED:      costs over the space, folded
// LIMITED-NEXT:   macs: 27818 .. 1235594

// NAS-Bench-201's published ranges (MACs 7.78305 M .. 220.11969 M, params
// 0.073306 M .. 1.531546 M).
// NB201:      costs over the space, folded
// NB201-NEXT:   macs: 7783050 .. 220119690
// NB201:        params: 73306 .. 1531546

// FBNet's 9^22 candidates are folded, not enumerated.
// RUN: nasc %S/../../examples/fbnet.nas --emit=stats | FileCheck %s --check-prefix=FBNET
// FBNET:      space size: 984770902183611232881
// FBNET:      costs over the space, folded
// FBNET-NEXT:   macs: 48555776 .. 572635080
// FBNET:        params: 2768640 .. 5754072
// FBNET:        latency(galaxy_s8): 0.517195 .. 4.09101 ms
// FBNET-NEXT:   energy(galaxy_s8): 2.69332 .. 22.14 mJ
// FBNET:      feasible: 984770902183611232881 of 984770902183611232881
