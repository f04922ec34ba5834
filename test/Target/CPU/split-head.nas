// nasc-cpu-split-head (docs/cpu.md, "The head"): NAME_forward is cut at
// the pooled features, the first [N, F] value the output depends on alone;
// NAME_head computes the classifier on a static block of 8 samples, and
// NAME_head_one on one sample (batch 1, a short last block).
// Padded matmul channels (nasc-cpu-tile-and-vectorize): 20 outputs are
// not padded (a 32-lane tile would waste more than an eighth of them).
//
// RUN: split-file %s %t
// RUN: nasc %t/split_head.nas --emit=linalg > %t.mlir
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head --nasc-cpu-prepare | FileCheck %s
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head=rows=4 | FileCheck %s --check-prefix=ROWS
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head=rows=1 | FileCheck %s --check-prefix=ONE
// RUN: not nasc-opt %t.mlir --nasc-cpu-split-head=rows=0 2>&1 | FileCheck %s --check-prefix=BADROWS
// BADROWS: error: nasc-cpu-split-head: rows must be at least 1, not 0
//
// A classifier of 250 outputs computes 256, the extra weights zero, and
// its users read the slice of 250; its weights [64, 256] are packed in 8
// panels [64, 32], the block computed panel-major; the cut is the input
// itself when that is already [N, F].
// RUN: nasc %t/pad.nas --emit=linalg | nasc-opt --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head --nasc-cpu-prepare --nasc-cpu-tile-and-vectorize | FileCheck %s --check-prefix=PAD
//
// A network whose output is not [N, K] after a pooling is left alone, and
// so is one whose samples are coupled (an activation quantized with the
// batch's scale).
// RUN: nasc %t/spatial.nas --emit=linalg | nasc-opt --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head | FileCheck %s --check-prefix=NONE
// RUN: nasc %t/coupled.nas --emit=linalg | nasc-opt --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-split-head | FileCheck %s --check-prefix=NONE

//--- split_head.nas
dataset d { input = [4, 8, 8]; classes = 3; }
network split_head on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool;
  fc(out = 20) -> relu;
  fc(out = classes);
}

// CHECK: module attributes {nasc.cpu.head = {features = 8 : i64, head = "split_head_head", rows = 8 : i64, single = "split_head_head_one"}}
// CHECK: func.func @split_head_forward(%{{.*}}: memref<?x4x8x8xf32>, %[[FEATURES:.*]]: memref<?x8xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: linalg.matmul
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[FEATURES]] : (tensor<?x8xf32>, memref<?x8xf32>)
// CHECK: func.func @split_head_head(%{{.*}}: memref<8x8xf32>, %[[OUT:.*]]: memref<8x3xf32>)
// CHECK-NOT: tensor<?x
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x20xf32>) outs(%{{.*}} : tensor<8x20xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x20xf32>, tensor<20x3xf32>) outs(%{{.*}} : tensor<8x3xf32>)
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[OUT]] : (tensor<8x3xf32>, memref<8x3xf32>)
// CHECK: func.func @split_head_head_one(%{{.*}}: memref<1x8xf32>, %[[OUT1:.*]]: memref<1x3xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x8xf32>, tensor<8x20xf32>) outs(%{{.*}} : tensor<1x20xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x20xf32>, tensor<20x3xf32>) outs(%{{.*}} : tensor<1x3xf32>)
// CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %[[OUT1]] : (tensor<1x3xf32>, memref<1x3xf32>)

// ROWS: rows = 4
// ROWS: func.func @split_head_head(%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x3xf32>)
// ROWS: func.func @split_head_head_one(%{{.*}}: memref<1x8xf32>, %{{.*}}: memref<1x3xf32>)

// A block of one row needs no second head.
// ONE: nasc.cpu.head = {features = 8 : i64, head = "split_head_head", rows = 1 : i64}
// ONE-NOT: _head_one

// PAD: nasc.cpu.head = {features = 64 : i64, head = "pad_head", rows = 8 : i64, single = "pad_head_one"}
// PAD: func.func @pad_head(%{{.*}}: memref<8x64xf32>, %{{.*}}: memref<8x250xf32>)
// PAD: arith.constant dense<{{.*}}> : tensor<8x64x32xf32>
// PAD: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [8, 8, 32] : tensor<8x256xf32> into tensor<8x8x32xf32>
// PAD: scf.for {{.*}} -> (tensor<8x8x32xf32>)
// PAD: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<8x8x32xf32> into tensor<8x256xf32>
// PAD: tensor.extract_slice %{{.*}}[0, 0] [8, 250] [1, 1] : tensor<8x256xf32> to tensor<8x250xf32>

// NONE-NOT: nasc.cpu.head
// NONE: func.func @{{spatial|coupled}}_forward(%{{.*}}: memref<?x4x8x8xf32>, %{{.*}}: memref<?x3
// NONE-NOT: _head(

//--- spatial.nas
dataset d { input = [4, 8, 8]; classes = 3; }
network spatial on d {
  conv(out = 8, kernel = 3) -> relu;
  conv(out = 3, kernel = 1);
}

//--- coupled.nas
dataset d { input = [4, 8, 8]; classes = 3; }
network coupled on d {
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool;
  fc(out = classes, wbits = 8, abits = 8);
}

//--- pad.nas
dataset d { input = [64]; classes = 250; }
network pad on d {
  fc(out = classes);
}
