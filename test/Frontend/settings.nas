// RUN: nasc %s --split-input-file --emit=mlir | FileCheck %s
// RUN: nasc %s --split-input-file --emit=mlir | nasc-opt --split-input-file | FileCheck %s
// RUN: nasc %s --split-input-file | FileCheck %s --check-prefix=SUMMARY

// search, evaluate and compress: every strategy with its parameters, every
// evaluation method and parameter, compression defaults. `budget` and `seed`
// are attributes of nas.search; the strategy's own keys go to `params`.
// Where a number is expected an integer is accepted.

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search evolution {budget = 500 : i64, params = {crossover_rate = 1.000000e+00 : f64, mutation_rate = 1.000000e-01 : f64, population = 50 : i64, sample_size = 10 : i64, time_limit = #nas.quantity<7.200000e+03 "s">}, seed = 3 : i64}
// SUMMARY:       search evolution, budget 500, seed 3, crossover_rate 1, mutation_rate 0.1, population 50, sample_size 10, time_limit 7200 s
search {
  strategy = evolution;
  budget = 500;
  seed = 3;
  population = 50;
  sample_size = 10;
  mutation_rate = 0.1;
  crossover_rate = 1;
  time_limit = 7200 s;
}

// -----

// The default strategy is random; nsga2 takes the evolutionary keys.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search random {budget = 10 : i64, seed = 0 : i64}
// CHECK:         nas.evaluate train{{$}}
search { budget = 10; seed = 0; }
evaluate { }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search nsga2 {params = {population = 10 : i64}}
search { strategy = nsga2; population = 10; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search reinforce {params = {baseline_decay = 9.000000e-01 : f64, batch = 8 : i64, entropy = 1.000000e-02 : f64, lr = 1.000000e-03 : f64}}
search { strategy = reinforce; lr = 0.001; baseline_decay = 0.9; entropy = 0.01; batch = 8; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search gradient {params = {arch_lr = 3.000000e-04 : f64, cost_weight = 2.000000e-01 : f64, epochs = 50 : i64, temperature = 5.000000e+00 : f64, weight_lr = 2.500000e-02 : f64}}
search { strategy = gradient; arch_lr = 3e-4; weight_lr = 0.025; temperature = 5; epochs = 50; cost_weight = 0.2; }

// -----

// grid takes only time_limit.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.search grid {params = {time_limit = #nas.quantity<5.000000e+02 "ms">}}
search { strategy = grid; time_limit = 500 ms; }

// -----

// Every evaluation parameter.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.evaluate weight_sharing {params = {batch_size = 64 : i64, checkpoint = "ckpt/a.pt", epochs = 3 : i64, hot_start = false, lr = 5.000000e-02 : f64, optimizer = "adam", patience = 0 : i64, proxy_fraction = 1.000000e+00 : f64, schedule = "multistep", threads = 2 : i64}}
// SUMMARY:       evaluate weight_sharing, batch_size 64, checkpoint ckpt/a.pt, epochs 3, hot_start false, lr 0.05, optimizer adam, patience 0, proxy_fraction 1, schedule multistep, threads 2
evaluate {
  method = weight_sharing;
  epochs = 3;
  batch_size = 64;
  lr = 0.05;
  optimizer = adam;
  schedule = multistep;
  patience = 0;
  proxy_fraction = 1;
  hot_start = false;
  checkpoint = "ckpt/a.pt";
  threads = 2;
}

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.evaluate table {params = {table = "nb201.csv"}}
evaluate { method = table; table = "nb201.csv"; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.evaluate zero_cost {params = {proxy = "synflow"}}
evaluate { method = zero_cost; proxy = synflow; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.evaluate predictor{{$}}
evaluate { method = predictor; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.evaluate none{{$}}
evaluate { method = none; }

// -----

// Compression defaults: choices, ranges and fixed values.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.compress {abits = #nas.range<2, 8, 2>, prune = #nas.choice<[0.000000e+00, 2.500000e-01, 5.000000e-01]>, wbits = #nas.choice<[4, 8]>}
// SUMMARY:       compress (abits = 2..8 step 2, prune = {0, 0.25, 0.5}, wbits = {4, 8})
compress { wbits = {4, 8}; abits = 2..8 step 2; prune = {0.0, 0.25, 0.5}; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.compress {prune = 5.000000e-01 : f64, wbits = 8 : i64}
compress { wbits = 8; prune = 0.5; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @settings {
// CHECK:         nas.compress{{$}}
compress { }
