// RUN: nasc %s --emit=linalg -mlir-elide-elementsattrs-if-larger=1 | FileCheck %s
// RUN: nasc %s --emit=linalg --fake-quant -mlir-elide-elementsattrs-if-larger=1 | FileCheck %s --check-prefix=FAKE

// Layers whose weights and activations are both at most 8 bits compute on
// int8 levels with int32 sums; a BN after them scales the dequantization.
// Weight-only quantization stays in float. --fake-quant computes everything
// in float, as LibTorch's fake quantization.

dataset d { input = [2, 9, 9]; classes = 5; }
network n on d {
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> bn -> relu;
  conv(out = 8, kernel = 3, groups = 8, wbits = 4, abits = 4);
  conv(out = 8, kernel = 1, wbits = 8);
  global_avg_pool;
  fc(out = classes, wbits = 8, abits = 8);
}

// The activation's scale: its largest magnitude over the batch / 127.
// CHECK-LABEL: func.func @quantized(
// CHECK: arith.maximumf
// CHECK: arith.constant 1.270000e+02 : f32
// Levels: round, clamp to +-127, to i8.
// CHECK: math.roundeven
// CHECK: arith.fptosi {{.*}} : f32 to i8
// "Same" padding with integer zeros.
// CHECK: tensor.pad
// CHECK: tensor.yield %{{.*}} : i8
// CHECK: [[ZERO:%.+]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<?x9x9x8xi32>)
// CHECK: [[SUMS:%.+]] = linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x11x11x2xi8>, tensor<3x3x2x8xi8>) outs([[ZERO]] : tensor<?x9x9x8xi32>)
// The BN folds into the dequantization of the sums (one, the unfolded one
// is dead): sums * input scale * per-channel scale + shift.
// CHECK: [[DEQ:%.+]] = linalg.generic {{.*}} ins([[SUMS]], %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x9x9x8xi32>, tensor<f32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: arith.sitofp {{.*}} : i32 to f32
// CHECK-NOT: ins([[SUMS]]
// CHECK: ins([[DEQ]] :
// CHECK: arith.maximumf
// 4 bits: levels +-7 on the same int8 kernels (depthwise here).
// CHECK: arith.constant 7.000000e+00 : f32
// CHECK: arith.constant -7.000000e+00 : f32
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} tensor<3x3x8xi8>) outs(%{{.*}} : tensor<?x9x9x8xi32>)
// Weight-only 8 bits: float.
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x8x8xf32>) outs(%{{.*}} : tensor<?x9x9x8xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x8xi8>, tensor<8x5xi8>) outs(%{{.*}} : tensor<?x5xi32>)
// CHECK: arith.sitofp

// FAKE-LABEL: func.func @quantized(
// FAKE-NOT: i8
// FAKE: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<3x3x2x8xf32>)
// FAKE-NOT: i8
// FAKE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<8x5xf32>)
