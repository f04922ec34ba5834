// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=stats | FileCheck %s --check-prefix=STATS

// A user op on a cell edge may change the channels inside its body and
// restore them (docs/language.md, §6.7): the edge's verifier skips the
// call's body (found by nasc-fuzz: it walked the body before the call and
// rejected every such op).

dataset d { input = [16, 8, 8]; classes = 10; }
op wide(k = 3) {
  conv(out = in * 2, kernel = 1) -> dwconv(kernel = k) -> conv(out = out, kernel = 1);
}
ops s { a: wide; b: relu; }
cell c(nodes = 3) { edges all : s; }
network n { c; global_avg_pool -> fc(out = classes); }

// CHECK: nas.edge 0 -> 1
// CHECK: nas.block "wide" scope {
// CHECK-NEXT: nas.conv {kernel = 1 : i64, out = #nas.expr<"in * 2">}
// STATS: space size: 8
// STATS: feasible: 8 of 8
