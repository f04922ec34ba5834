// The lowering example of docs/language.md, section 17, compiles to the IR shown there.
// RUN: nasc %s --emit=mlir | FileCheck %s

dataset cifar10 { input = [3, 32, 32]; classes = 10; }
target edge_gpu : gpu { peak_compute = 1.3 TFLOPS; }

cell c(nodes = 3) {
  edges all : { conv3: relu -> conv(kernel = 3) -> bn; skip: identity; };
}

network net on cifar10 {
  conv(out = 16, kernel = 3) -> bn;
  c -> c;
  pick: choose { conv: conv(kernel = {3, 5}); skip: identity; };
  global_avg_pool -> fc(out = classes);
}

objectives constrained { maximize accuracy; }
constraints { latency(edge_gpu) < 5 ms; }

// CHECK:      nas.spec @language_doc {
// CHECK-NEXT:   nas.dataset @cifar10 input [3, 32, 32] classes 10
// CHECK-NEXT:   nas.target @edge_gpu gpu {props = {peak_compute = #nas.quantity<1.300000e+00 "TFLOPS">}}
// CHECK-NEXT:   nas.cell @c nodes 3 inputs 1 output last {
// CHECK-NEXT:     nas.edge 0 -> 1 {
// CHECK-NEXT:       nas.option "conv3" {
// CHECK-NEXT:         nas.act relu
// CHECK-NEXT:         nas.conv {kernel = 3 : i64}
// CHECK-NEXT:         nas.bn
// CHECK-NEXT:       }
// CHECK-NEXT:       nas.option "skip" {
// CHECK-NEXT:         nas.identity
// CHECK:          nas.edge 0 -> 2 {
// CHECK:          nas.edge 1 -> 2 {
// CHECK:        nas.network @net on @cifar10 {
// CHECK-NEXT:     nas.conv {kernel = 3 : i64, out = 16 : i64}
// CHECK-NEXT:     nas.bn
// CHECK-NEXT:     nas.cell_ref @c
// CHECK-NEXT:     nas.cell_ref @c
// CHECK-NEXT:     nas.choose "pick" {
// CHECK-NEXT:       nas.option "conv" {
// CHECK-NEXT:         nas.conv {kernel = #nas.choice<[3, 5]>}
// CHECK-NEXT:       }
// CHECK-NEXT:       nas.option "skip" {
// CHECK-NEXT:         nas.identity
// CHECK-NEXT:       }
// CHECK-NEXT:     }
// CHECK-NEXT:     nas.global_pool avg
// CHECK-NEXT:     nas.fc {out = 10 : i64}
// CHECK-NEXT:   }
// CHECK-NEXT:   nas.objectives constrained {
// CHECK-NEXT:     nas.objective maximize accuracy
// CHECK-NEXT:   }
// CHECK-NEXT:   nas.constraint latency on @edge_gpu lt <5.000000e+00 "ms">
