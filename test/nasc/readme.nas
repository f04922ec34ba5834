// The example in README.md compiles as shown.
// RUN: nasc %s | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s --check-prefix=MLIR

dataset cifar10 { input = [3, 32, 32]; classes = 10; }
target edge_gpu : gpu { peak_compute = 1.3 TFLOPS; bandwidth = 59.7 GB/s; }

ops blocks { k3: mbconv(kernel = 3, expand = {3, 6}); skip: identity; }

network net on cifar10 {
  stem: conv(out = 16, kernel = 3, stride = 2) -> bn -> relu;
  repeat {2, 3} { choose blocks(out = 32); }
  head: global_avg_pool -> fc(out = classes, wbits = {4, 8});
}

objectives pareto { maximize accuracy; minimize latency(edge_gpu); }
constraints { latency(edge_gpu) < 5 ms; params < 1 M; }
search { strategy = nsga2; budget = 500; seed = 1; population = 50; }

// CHECK: spec readme
// CHECK: repeat {2, 3}
// CHECK-NEXT: choose one of 2: k3 | skip
// CHECK-NEXT: k3: mbconv(expand = {3, 6}, kernel = 3, out = 32)
// CHECK-NEXT: skip: identity(out = 32)
// CHECK: fc(out = 10, wbits = {4, 8})
// CHECK: objectives (pareto)
// CHECK: constraint latency(edge_gpu) < 5 ms

// MLIR: nas.spec @readme
// MLIR: nas.network @net on @cifar10
// MLIR: nas.repeat #nas.choice<[2, 3]>
// MLIR: nas.objectives pareto
