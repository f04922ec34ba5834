// Constant filters read in contiguous panels (nasc-cpu-tile-and-vectorize,
// PackFilters.cpp; docs/cpu.md, item 3): a convolution's filter [.., C, F]
// whose tiles read L < F output channels at a time becomes panels
// [.., ceil(F / L), C, L], and each tile reads its own panel. 72 channels
// in tiles of 32 make 3 panels, the last one's 8 channels (the peeled
// remainder) beside 24 zero lanes. 32 channels read whole by each tile
// stay as they are, and so does a 3x3 filter, whose tiles read 3-D
// vectors (window columns too).
//
// RUN: nasc %s --emit=linalg | nasc-opt --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize | FileCheck %s --implicit-check-not="tensor<1x1x24x72xf32>"
// The numbers: gtest CPUTargetTest.PackedFiltersMatchLibTorch.

dataset d { input = [24, 14, 14]; classes = 10; }
network pack_filters on d {
  conv(out = 72, kernel = 1) -> relu;
  conv(out = 48, kernel = 3) -> relu;
  conv(out = 32, kernel = 1) -> relu;
  global_avg_pool;
  fc(out = classes);
}

// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<1x1x3x24x32xf32>
// CHECK-DAG: vector.transfer_read %{{.*}}[%c0, %c0, %{{.*}}, %{{.*}}, %c0{{.*}}], %{{.*}} : tensor<1x1x3x24x32xf32>, vector<{{[0-9]+}}x32xf32>
// CHECK-DAG: vector.transfer_read %{{.*}}[%c0, %c0, %{{.*}}, %{{.*}}, %c0{{.*}}], %{{.*}} : tensor<1x1x3x24x32xf32>, vector<{{[0-9]+}}x8xf32>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<3x3x72x48xf32>
// CHECK-DAG: arith.constant dense<{{.*}}> : tensor<1x1x48x32xf32>
