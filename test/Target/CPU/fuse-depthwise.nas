// A depthwise convolution whose tile is sized to the vector registers
// (8 columns by 16 channels here, where element-wise ops take 32 channels)
// is still fused into its activation's tiles: the activation takes the
// depthwise tile. Each tile's sums start at zero in registers, are carried
// through the window rows and pass through the ReLU; the convolution's
// whole output is never zeroed, written or read back (unfused, it was 3
// passes over 4.8 MB at FBNet's 112x112x96: docs/cpu.md, item 3).
// RUN: nasc %s --emit=linalg > %t.mlir
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize --nasc-cpu-bufferize | FileCheck %s
// The ReLU's output, which the 1x1 convolution reads, is the one buffer of
// that shape: none for the depthwise convolution's, and nothing written
// before the fused loop.
// CHECK: memref.alloc({{.*}}) {{.*}} : memref<?x16x16x96xf32>
// CHECK-NOT: memref<?x16x16x96xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %cst{{.*}}) -> (vector<8x16xf32>)
// CHECK: vector.fma
// CHECK: arith.maximumf {{.*}} : vector<8x16xf32>

dataset d { input = [96, 16, 16]; classes = 10; }
network fuse_depthwise on d {
  dwconv(kernel = 3) -> relu;
  conv(out = 16, kernel = 1);
  global_avg_pool;
  fc(out = classes);
}
