// --static-int8 lowers the candidate's integer network: the input is
// quantized once (in double, round half to even), every layer computes on
// int8 levels (int32 sums from zero, a fixed-point requantization per
// output channel in 32-bit integers back to int8, the sums clamped to the
// window that maps inside the levels first), and only the output is scaled
// back to float. Channels are stored rounded up for the dot products (the
// fc's 7 outputs as 8), and the output drops those added. Its bits are
// runInteger's (StaticInt8Test).
// RUN: split-file %s %t.split
// RUN: nasc %t.split/static_int8.nas --emit=linalg --static-int8 | FileCheck %s
// RUN: nasc %t.split/static_int8.nas --emit=cpu --static-int8 -o %t && test -f %t/static_int8.o
//
// --float ignores the bit widths: no int8 at all, no quantization steps.
// RUN: nasc %t.split/static_int8.nas --emit=linalg --float | FileCheck %s --check-prefix=FLOAT
//
// The ways exclude each other, and a layer outside the integer network is
// an error at its location.
// RUN: not nasc %t.split/static_int8.nas --emit=linalg --static-int8 --fake-quant 2>&1 | FileCheck %s --check-prefix=BOTH
// RUN: not nasc %t.split/swish.nas --emit=cpu --static-int8 -o %t.swish 2>&1 | FileCheck %s --check-prefix=SWISH
// RUN: not test -e %t.swish
// RUN: not nasc %t.split/static_int8.nas --emit=gpu --static-int8 -o %t.gpu 2>&1 | FileCheck %s --check-prefix=GPU
// RUN: not nasc %t.split/static_int8.nas --emit=onnx --fake-quant -o %t.onnx 2>&1 | FileCheck %s --check-prefix=ONNX
//
// CHECK-LABEL: func.func @static_int8(%{{.*}}: tensor<?x3x16x16xf32>) -> tensor<?x7xf32>
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: math.roundeven %{{.*}} : f64
// CHECK: arith.fptosi %{{.*}} : f64 to i8
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x17x17x3xi8>, tensor<3x3x3x16xi8>) outs(%{{.*}} : tensor<?x8x8x16xi32>)
// CHECK: arith.maxsi %{{.*}} : i32
// CHECK-NEXT: arith.minsi
// CHECK-NEXT: arith.muli
// CHECK-NEXT: arith.addi
// CHECK-NEXT: arith.shrsi
// CHECK-NEXT: arith.trunci %{{.*}} : i32 to i8
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x10x10x16xi8>, tensor<3x3x16xi8>) outs(%{{.*}} : tensor<?x8x8x16xi32>)
// CHECK: linalg.pooling_nhwc_max {{.*}} outs(%{{.*}} : tensor<?x4x4x16xi8>)
// CHECK: linalg.pooling_nhwc_sum {{.*}} outs(%{{.*}} : tensor<?x1x1x16xi32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x1x1x16xi8>, tensor<1x1x16x8xi8>) outs(%{{.*}} : tensor<?x1x1x8xi32>)
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [%{{.*}}, 1, 1, 7] [1, 1, 1, 1] : tensor<?x1x1x8xi8> to tensor<?x1x1x7xi8>
// CHECK: tensor.collapse_shape %{{.*}} : tensor<?x1x1x7xi8> into tensor<?x7xi8>
// CHECK: arith.sitofp %{{.*}} : i8 to f64
// CHECK: arith.truncf %{{.*}} : f64 to f32
//
// FLOAT-NOT: i8
// FLOAT-NOT: math.roundeven
// FLOAT: linalg.conv_2d_nhwc_hwcf {{.*}} -> tensor<?x8x8x16xf32>
//
// BOTH: nasc: error: --fake-quant, --static-int8 and --float exclude each other
//
// GPU: nasc: error: --static-int8 applies to --emit=linalg|llvm|cpu, not --emit=gpu
// ONNX: nasc: error: --fake-quant applies to --emit=linalg|llvm|cpu|gpu, not --emit=onnx
//
// SWISH: swish.nas:4:32: error: the integer network computes relu, relu6 and hswish, not swish

//--- static_int8.nas
dataset d { input = [3, 16, 16]; classes = 7; }
network static_int8 on d {
  conv(out = 16, kernel = 3, stride = 2) -> bn -> relu;
  dwconv(kernel = 3) -> bn -> relu6;
  max_pool(kernel = 3, stride = 2);
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 8; abits = 8; }

//--- swish.nas
dataset d { input = [3, 8, 8]; classes = 4; }
network n on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  conv(out = 8, kernel = 3) -> swish;
  global_avg_pool -> fc(out = classes);
}
