// Problem formulations with the table evaluator: two-stage (this spec),
// weighted sum and weighted product (the command line), and errors.
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %nasc_src_root/examples/nb201.nas --emit=candidates > %t/candidates.csv
// RUN: %python %nasc_src_root/utils/tables/nb201_synthetic.py 'latency(gpu)' < %t/candidates.csv > %t/table.csv
//
// Two stages: 300 trials for accuracy, then 300 for both objectives from
// stage 1's best. Stage 1 finds the most accurate cell; it stays on the
// front.
// RUN: nasc search %s --table %t/table.csv --out %t/two --quiet | FileCheck %s --check-prefix=TWO
// RUN: FileCheck %s --check-prefix=TWO-FRONT --input-file=%t/two/pareto.csv
// RUN: FileCheck %s --check-prefix=TWO-SUMMARY --input-file=%t/two/summary.json
// TWO: search evolution: 600 trials
// TWO-FRONT:      encoding,accuracy [fraction],latency(gpu) [ms],number,best
// TWO-FRONT-NEXT: |nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|,0.8589,4.702394,{{[0-9]+}},0
// TWO-SUMMARY: "formulation": "two_stage",
// TWO-SUMMARY: "stage": 1
// TWO-SUMMARY: "stage": 2
//
// Weighted sum, exhaustively: accuracy - 100 * latency[s]; the best by
// hand from the table is the cell below (0.72474 at 0.848877 ms).
// RUN: nasc search %s --table %t/table.csv --objective max:accuracy --objective 'min:latency(gpu)*100' --formulation weighted_sum --strategy grid --budget 15625 --out %t/sum --quiet | FileCheck %s --check-prefix=SUM
// SUM: best: |nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|skip_connect~2|
// SUM-NEXT: accuracy = 0.72474
//
// Weighted product (FBNet's accuracy * latency^-0.6), exhaustively.
// RUN: nasc search %s --table %t/table.csv --objective max:accuracy --objective 'min:latency(gpu)*0.6' --formulation weighted_product --strategy grid --budget 15625 --out %t/product --quiet | FileCheck %s --check-prefix=PRODUCT
// PRODUCT: best: |skip_connect~0|+|skip_connect~0|nor_conv_1x1~1|+|skip_connect~0|skip_connect~1|skip_connect~2|
// PRODUCT-NEXT: accuracy = 0.583165
//
// Command-line errors.
// RUN: not nasc search %s --objective up:accuracy --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR1
// ERR1: nasc search: error: --objective 'up:accuracy': expected max:METRIC or min:METRIC (optionally *WEIGHT)
// RUN: not nasc search %s --strategy annealing --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR2
// ERR2: nasc search: error: unknown strategy 'annealing' (random, grid, evolution, nsga2, reinforce, gradient)
// RUN: not nasc search %s --constraint 'latency(gpu)<5MB' --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR3
// ERR3: nasc search: error: --constraint 'latency(gpu)<5MB': a latency bound needs time (h, min, s, ms, us, ns), not 'MB'
// RUN: not nasc search %s --objective max:accuracy --formulation weighted_sum --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR4
// ERR4: nasc search: error: {{.*}}search-formulations.nas: formulation 'weighted_sum' needs at least two objectives
// The gradient strategy's policy runs on a table too (no supernet then).
// RUN: nasc search %s --table %t/table.csv --strategy gradient --budget 64 --out %t/g --quiet | FileCheck %s --check-prefix=GRADIENT
// GRADIENT: search gradient: 64 trials
// RUN: not nasc search %s --budget 0 --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR6
// ERR6: nasc search: error: --budget must be at least 1
// RUN: not nasc search %s --budget many --out %t/e 2>&1 | FileCheck %s --check-prefix=ERR7
// ERR7: nasc search: error: --budget needs a non-negative integer, got 'many'

target gpu : gpu { }

dataset cifar10 {
  input = [3, 32, 32];
  classes = 10;
  source = "cifar10";
}

ops nb201_ops {
  none:         zero;
  skip_connect: identity;
  nor_conv_1x1: relu -> conv(kernel = 1) -> bn;
  nor_conv_3x3: relu -> conv(kernel = 3) -> bn;
  avg_pool_3x3: avg_pool(kernel = 3);
}

cell nb201_cell(nodes = 4) {
  edges all : nb201_ops;
}

network nb201 on cifar10 {
  stem: conv(out = 16, kernel = 3) -> bn;

  // Every nb201_cell below is the same cell: one set of 6 edge decisions.
  stage c16 {
    repeat 5 { nb201_cell; }
  }

  // Reduction: ReLU-Conv3x3(stride 2)-BN, ReLU-Conv3x3-BN, plus a 2x2
  // average pool and 1x1 conv on the shortcut.
  reduce32: residual(shortcut = avgpool_conv) {
    relu -> conv(out = 32, kernel = 3, stride = 2) -> bn;
    relu -> conv(kernel = 3) -> bn;
  }

  stage c32 {
    repeat 5 { nb201_cell; }
  }

  reduce64: residual(shortcut = avgpool_conv) {
    relu -> conv(out = 64, kernel = 3, stride = 2) -> bn;
    relu -> conv(kernel = 3) -> bn;
  }

  stage c64 {
    repeat 5 { nb201_cell; }
  }

  head: bn -> relu -> global_avg_pool -> fc(out = classes);
}

objectives two_stage {
  maximize accuracy stage 1;
  minimize latency(gpu) stage 2;
}

search { strategy = evolution; budget = 600; seed = 2; population = 40; sample_size = 8; }
