// Channel tiles with a remainder (docs/cpu.md, item 3): 72 channels are
// tiled in whole 512-bit registers, and the channel loop's last 8 are
// peeled into a loop of their own with static sizes; the 1x1 convolution
// (32 at a time: 64 and 8), the depthwise one (16, within the registers)
// and their fused activations all take both. Before, 72 channels had
// tiles of 8 lanes only.
//
// RUN: nasc %s --emit=linalg | nasc-opt --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize | FileCheck %s --implicit-check-not=linalg.conv_2d_nhwc_hwcf --implicit-check-not=linalg.depthwise_conv_2d_nhwc_hwc
// RUN: nasc %s --emit=cpu -o %t && objdump -d %t/peel_channels.o | grep -c zmm

dataset d { input = [24, 14, 14]; classes = 10; }
network peel_channels on d {
  conv(out = 72, kernel = 1) -> relu;
  dwconv(kernel = 3) -> relu;
  conv(out = 24, kernel = 1);
  global_avg_pool;
  fc(out = classes);
}

// CHECK-DAG: scf.for %{{.*}} = %c0 to %c64 step %c32
// CHECK-DAG: vector<7x32xf32>
// CHECK-DAG: vector<7x16xf32>
// CHECK-DAG: vector<7x8xf32>
