// RUN: nasc %s --emit=kernels | FileCheck %s
// RUN: not nasc %S/cost-models.nas --emit=kernels 2>&1 | FileCheck %s --check-prefix=NEEDS

// The kernels of the emitted code, the records of `--records kernels`:
// the BN folds into the convolution (its bias broadcast initializes the
// sums), the ReLU runs on its own, and the cell whose every path to the
// output is `zero` leaves nothing, nor does the conv before it.

dataset d { input = [3, 8, 8]; classes = 4; }
cell c(nodes = 3) {
  edge 0 -> 1 : { k: conv(kernel = 3) -> bn; };
  edge 0 -> 2 : { z: zero; };
  edge 1 -> 2 : { z: zero; };
}
network n on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  c;
  conv(out = 8, kernel = 1) -> bn;
  global_avg_pool -> fc(out = classes);
}

// CHECK: kind,key,macs,flops,bytes
// CHECK-NOT: conv ?x10x10x3xf32
// CHECK: elementwise,"elementwise ?x8x8x8xf32 ops0",0,0,2048
// CHECK-NEXT: conv,"conv ?x8x8x8xf32 1x1x8x8xf32 ?x8x8x8xf32 s1x1",4096,8192,
// CHECK: reduce,
// CHECK: fc,"fc ?x8xf32 8x4xf32 ?x4xf32",32,64,
// CHECK-NOT: conv

// NEEDS: nasc: error: --emit=kernels needs --candidate ENCODING: the space has
