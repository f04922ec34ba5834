// nasc search with the analytical evaluator: grid search over all 12
// candidates, the constrained problem (one objective, one constraint).
// RUN: rm -rf %t && nasc search %s --out %t --quiet | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=FRONT --input-file=%t/pareto.csv
// RUN: FileCheck %s --check-prefix=TRIALS --input-file=%t/trials.csv
// RUN: FileCheck %s --check-prefix=BEST --input-file=%t/best.mlir
// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t/summary.json
// A rerun is free: every evaluation comes from the cache in the store.
// RUN: nasc search %s --out %t --quiet | FileCheck %s --check-prefix=AGAIN
// The counts agree (issue 22, item 4): a candidate proposed again, in the
// same batch or a later one, is a cache hit, and every trials.csv row
// marked cached is one; evaluated + cached + resumed = trials.
// RUN: nasc search %s --strategy random --budget 30 --out %t/repeat --quiet > %t/repeat.out
// RUN: awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "cached") c = i; next } $c == 1 { n++ } END { print "rows", NR - 1, "cached rows", n + 0 }' %t/repeat/trials.csv > %t/repeat.rows
// RUN: cat %t/repeat.out %t/repeat.rows %t/repeat/summary.json | FileCheck %s --check-prefix=COUNTS
// COUNTS: search random: 30 trials ([[#EVALUATED:]] evaluated, [[#CACHED:]] cached, 0 resumed)
// COUNTS: rows [[#EVALUATED+CACHED]] cached rows [[#CACHED]]
// COUNTS: "evaluated": [[#EVALUATED]],
// COUNTS-NEXT: "cache_hits": [[#CACHED]],
// That trials.csv, which repeats candidates, reads back as a table.
// RUN: nasc search %s --strategy random --budget 3 --table %t/repeat/trials.csv --out %t/from-trials --quiet | FileCheck %s --check-prefix=FROM-TRIALS
// FROM-TRIALS: search random: 3 trials

dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  conv(out = {8, 16, 32}, kernel = {1, 3});
  tail: choose { wide: conv(out = 16, kernel = 1); skip: identity; }
  global_avg_pool;
  fc(out = 10);
}
objectives { minimize params; }
constraints { macs >= 40 K; }
search { strategy = grid; budget = 12; seed = 1; }

// Feasible (macs >= 40 K): kernel=3 out=16 wide (858 params: conv 3*9*16 =
// 432, conv 16*16 = 256, fc 16*10+10 = 170; 44202 MACs), kernel=3 out=32
// wide (1546) and kernel=3 out=32 skip (1194). The least params: 858.
// OUT:      search grid: 12 trials (12 evaluated, 0 cached, 0 resumed)
// OUT-NEXT: best: kernel=3 out=16 wide
// OUT-NEXT:   params = 858
// OUT-NEXT:   macs = 44202
// OUT-NEXT: front: 1 candidates

// FRONT:      encoding,params [count],macs [MACs],number,best
// FRONT-NEXT: kernel=3 out=16 wide,858,44202,8,1
// FRONT-NOT:  {{.}}

// TRIALS:      number,encoding,status,params [count],macs [MACs],seconds,cached,stage,rung,data_share,message
// TRIALS-NEXT: 0,kernel=1 out=8 wide,infeasible,322,9898,{{[0-9.]+}},0,0,0,,violates macs >= 40 K
// TRIALS:      8,kernel=3 out=16 wide,ok,858,44202,
// TRIALS:      11,kernel=3 out=32 skip,ok,1194,55626,

// BEST: // kernel=3 out=16 wide
// BEST: nas.conv {kernel = 3 : i64, out = 16 : i64}
// BEST: nas.conv {kernel = 1 : i64, out = 16 : i64}

// SUMMARY: "formulation": "constrained",
// SUMMARY: "ok": 3,
// SUMMARY: "infeasible": 9,

// AGAIN: search grid: 12 trials (0 evaluated, 12 cached, 0 resumed)
