// A grouped convolution is one convolution per group, inserted into the
// result's channels. Each group's convolution starts from an initializer
// of its own, the element-wise op after it (the ReLU) is split per group
// (nasc-cpu-in-place, SplitParts.cpp), and each group's sums start in
// registers, pass through its epilogue and are written once into their
// channels of the one output buffer: nothing zeroes the output, reads it
// back or copies it (the output used to be zeroed whole, accumulated group
// by group, and read back by the ReLU).
//
// A convolution with no element-wise op after it (the second one, before
// the global pool) gets an epilogue of its own that adds +0.0, so that its
// sums too are stored once, tile by tile.
// RUN: nasc %s --emit=linalg > %t.mlir
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place | FileCheck %s --check-prefix=SPLIT
// RUN: nasc-opt %t.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize --nasc-cpu-bufferize | FileCheck %s
//
// SPLIT-COUNT-2: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<?x16x16x32xf32>
// SPLIT: %[[DEST:.*]] = tensor.empty(%{{.*}}) : tensor<?x16x16x64xf32>
// SPLIT: tensor.extract_slice %[[DEST]][0, 0, 0, 0] [%{{.*}}, 16, 16, 32]
// SPLIT: arith.maximumf
// SPLIT: %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %[[DEST]][0, 0, 0, 0]
// SPLIT: tensor.extract_slice %[[FIRST]][0, 0, 0, 32] [%{{.*}}, 16, 16, 32]
// SPLIT: arith.maximumf
// SPLIT: tensor.insert_slice %{{.*}} into %[[FIRST]][0, 0, 0, 32]
//
// The first convolution's output: one buffer, each group's fused tiles
// writing its half after the ReLU.
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x16x16x64xf32>
// CHECK-NOT: memref<?x16x16x64xf32>
// CHECK: %[[G0:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [%{{.*}}, 16, 16, 32]
// CHECK-NEXT: scf.for
// CHECK-NOT: transfer_write
// CHECK: vector.fma
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK-NEXT: vector.transfer_write %{{.*}}, %[[G0]]
// CHECK: %[[G1:.*]] = memref.subview %[[OUT]][0, 0, 0, 32] [%{{.*}}, 16, 16, 32]
// CHECK-NEXT: scf.for
// CHECK-NOT: transfer_write
// CHECK: vector.fma
// CHECK: arith.maximumf {{.*}} : vector<8x32xf32>
// CHECK-NEXT: vector.transfer_write %{{.*}}, %[[G1]]
// The second convolution's groups, each through its +0.0 epilogue.
// CHECK: memref.subview %{{.*}}[0, 0, 0, 0] [%{{.*}}, 16, 16, 16]
// CHECK-NEXT: scf.for
// CHECK-NOT: transfer_write
// CHECK: vector.fma
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<8x16xf32>
// CHECK-NEXT: vector.transfer_write
// CHECK: memref.subview %{{.*}}[0, 0, 0, 16] [%{{.*}}, 16, 16, 16]
// CHECK-NEXT: scf.for
// CHECK-NOT: transfer_write
// CHECK: vector.fma
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<8x16xf32>
// CHECK-NEXT: vector.transfer_write
// CHECK-NOT: memref.copy %alloc{{.*}}x16x16

dataset d { input = [32, 16, 16]; classes = 10; }
network grouped on d {
  conv(out = 64, kernel = 1, groups = 2) -> bn -> relu;
  conv(out = 32, kernel = 1, groups = 2) -> bn;
  global_avg_pool;
  fc(out = classes);
}
