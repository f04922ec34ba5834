// Candidate tables count pruned channels: a candidate's costs are those of
// its materialized copy after nas-prune.
// RUN: nasc %s --emit=candidates | FileCheck %s
// RUN: nasc %s --candidate='prune=0.5 prune=0.25' --emit=mlir | nasc-opt -nas-prune -test-print-costs 2>&1 | FileCheck %s --check-prefix=PASS

dataset d { input = [3, 8, 8]; classes = 10; }
compress { prune = {0.0, 0.25}; }
network n {
  conv(out = 32, kernel = 3, prune = {0.0, 0.5});
  conv(out = 16, kernel = 1);
  global_avg_pool;
  fc(out = 10, prune = 0.5);
}

// The first conv searches its own ratio, the second takes the compress
// default (a decision of its own), the classifier keeps its 10 outputs.
// params = 9*3*w1 + w1*w2 + w2*10 + 10 with w1 in {32, 16} and w2 in
// {16, 12}:
// CHECK:      encoding,macs,flops,params,
// CHECK-NEXT: prune=0 prune=0,{{[0-9]+}},{{[0-9]+}},1546,
// CHECK-NEXT: prune=0 prune=0.25,{{[0-9]+}},{{[0-9]+}},1378,
// CHECK-NEXT: prune=0.5 prune=0,{{[0-9]+}},{{[0-9]+}},858,
// CHECK-NEXT: prune=0.5 prune=0.25,{{[0-9]+}},{{[0-9]+}},754,

// PASS: warning: prune ratio 0.5 not applied: the classifier's width is the class count
// PASS: total: macs {{[0-9]+}} flops {{[0-9]+}} params 754
