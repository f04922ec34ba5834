// RUN: nasc %s --emit=linalg -mlir-elide-elementsattrs-if-larger=1 | FileCheck %s

// An 8-bit fc over 3*224*224 = 150528 features could overflow int32 sums
// (127 * 127 * 150528 >= 2^31): it computes in float. The 8-bit conv
// before it (27 terms a sum) is integer.

dataset d { input = [3, 224, 224]; classes = 2; }
network n on d {
  conv(out = 3, kernel = 3, wbits = 8, abits = 8);
  fc(out = classes, wbits = 8, abits = 8);
}

// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<3x3x3x3xi8>) outs(%{{.*}} : tensor<?x224x224x3xi32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x150528xf32>, tensor<150528x2xf32>)
