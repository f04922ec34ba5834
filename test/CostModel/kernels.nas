// RUN: nasc %s --emit=kernels | FileCheck %s
// RUN: not nasc %S/cost-models.nas --emit=kernels 2>&1 | FileCheck %s --check-prefix=NEEDS
// RUN: nasc %s --emit=layers | FileCheck %s --check-prefix=GRAPH

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

// The last column is the record graph: the kernels whose results a kernel
// reads (through reshapes and slices; the fill initializes the reduction).
// CHECK: record,kind,key,macs,flops,bytes,inputs
// CHECK-NOT: conv ?x10x10x3xf32
// CHECK: 0,elementwise,"elementwise ?x8x8x8xf32 ops0",0,0,2048,{{$}}
// CHECK-NEXT: 1,conv,"conv ?x8x8x8xf32 1x1x8x8xf32 ?x8x8x8xf32 s1x1",4096,8192,4352,0{{$}}
// CHECK-NEXT: 2,fill,
// CHECK-NEXT: 3,reduce,{{.*}},1 2{{$}}
// CHECK-NEXT: 4,elementwise,{{.*}},3{{$}}
// CHECK: 6,fc,"fc ?x8xf32 8x4xf32 ?x4xf32",32,64,176,4 5{{$}}
// CHECK-NOT: conv

// The layers' graph keeps the dead cell: both zeros read what feeds them,
// and the node sum reads both.
// GRAPH: record,kind,key,macs,flops,bytes,kernels,inputs
// GRAPH: 3,conv,{{.*}},2{{$}}
// GRAPH-NEXT: 4,bn,{{.*}},3{{$}}
// GRAPH-NEXT: 5,zero,{{.*}},2{{$}}
// GRAPH-NEXT: 6,zero,{{.*}},4{{$}}
// GRAPH-NEXT: 7,add,{{.*}},5 6{{$}}
// GRAPH-NEXT: 8,conv,{{.*}},7{{$}}

// NEEDS: nasc: error: --emit=kernels needs --candidate ENCODING: the space has
