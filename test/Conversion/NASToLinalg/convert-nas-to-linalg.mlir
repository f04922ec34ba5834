// RUN: nasc-opt %s --convert-nas-to-linalg -mlir-elide-elementsattrs-if-larger=1 | FileCheck %s --implicit-check-not=nas.
// RUN: nasc-opt %s --convert-nas-to-linalg=fold-bn=false -mlir-elide-elementsattrs-if-larger=1 | FileCheck %s --check-prefix=NOFOLD

// A concrete candidate with a strided conv, BN, a cell (1x1 conv, identity,
// average pool summed), a grouped mbconv with its residual, max pooling,
// global pooling and fc. Activations are NHWC inside, the batch dynamic.

// CHECK-LABEL: func.func @small(%{{.*}}: tensor<?x3x8x8xf32>) -> tensor<?x4xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// "Same" padding of a 3x3 stride-2 window on 8: 0 before, 1 after.
// CHECK: tensor.pad {{.*}} low[0, 0, 0, 0] high[0, 1, 1, 0]
// BN folded: the bias initializes the accumulator.
// CHECK: [[BIAS:%.+]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<8xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}}strides = dense<2> {{.*}} tensor<3x3x3x8xf32>) outs([[BIAS]] : tensor<?x4x4x8xf32>)
// CHECK: arith.maximumf
// The cell: 0->1 conv 1x1 (+ BN), 1->2 average pool divided by the count
// of positions inside the input, summed with the identity 0->2.
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x8x8xf32>)
// CHECK: linalg.pooling_nhwc_sum
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x4x4x8xf32>, tensor<4x4xf32>)
// CHECK: arith.divf
// CHECK: [[CELL:%.+]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x4x4x8xf32>, tensor<?x4x4x8xf32>)
// CHECK: arith.addf
// The mbconv: grouped expansion as two convolutions on channel slices.
// CHECK: tensor.extract_slice {{.*}}[0, 0, 0, 0] [%{{.*}}, 4, 4, 4]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x4x8xf32>)
// CHECK: tensor.insert_slice
// CHECK: tensor.extract_slice {{.*}}[0, 0, 0, 4] [%{{.*}}, 4, 4, 4]
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x4x8xf32>)
// CHECK: arith.constant 6.0
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} tensor<3x3x16xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x8x4xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x1x8x4xf32>)
// The inverted residual adds the mbconv's input, the cell's output.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, [[CELL]] : tensor<?x4x4x8xf32>, tensor<?x4x4x8xf32>)
// Max pooling pads with -inf.
// CHECK: [[NEGINF:%.+]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad {{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield [[NEGINF]] : f32
// CHECK: linalg.pooling_nhwc_max
// CHECK: iterator_types = ["parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.constant 1.600000e+01
// CHECK: tensor.collapse_shape {{.*}} tensor<?x1x1x8xf32> into tensor<?x8xf32>
// CHECK: [[OUT:%.+]] = linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<8x4xf32>)
// CHECK: return [[OUT]] : tensor<?x4xf32>

// Without folding, BN is a per-channel scale and shift after the conv.
// NOFOLD: linalg.conv_2d_nhwc_hwcf {{.*}}strides = dense<2>
// NOFOLD-NEXT: arith.constant dense{{.*}} : tensor<8xf32>
// NOFOLD-NEXT: arith.constant dense{{.*}} : tensor<8xf32>
// NOFOLD: arith.mulf
// NOFOLD-NEXT: arith.addf

module {
  nas.spec @small {
    nas.dataset @d input [3, 8, 8] classes 4
    nas.cell @c nodes 3 inputs 1 output last {
      nas.edge 0 -> 1 {
        nas.option "p" {
          nas.conv {kernel = 1 : i64}
          nas.bn
        }
      }
      nas.edge 0 -> 2 {
        nas.option "s" {
          nas.identity
        }
      }
      nas.edge 1 -> 2 {
        nas.option "m" {
          nas.pool avg {kernel = 3 : i64}
        }
      }
    }
    nas.network @small on @d {
      nas.conv {kernel = 3 : i64, out = 8 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.cell_ref @c
      nas.mbconv {expand = 2 : i64, groups = 2 : i64, kernel = 3 : i64, out = 8 : i64}
      nas.pool max {kernel = 3 : i64}
      nas.global_pool avg
      nas.fc {out = 4 : i64}
    }
  }
}

