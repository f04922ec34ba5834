// The CPU pipeline's stages as passes (docs/cpu.md): each one alone on the
// linalg of a small network (a conv, an mbconv with squeeze-and-excitation,
// a conv whose ReLU alone reads it, max pooling, global pooling, fc), as
// lowerToLLVMDialect chains them.
//
// RUN: nasc %s --emit=linalg > %t.linalg.mlir
// RUN: nasc-opt %t.linalg.mlir --nasc-cpu-prepare | FileCheck %s --check-prefix=PREP
// RUN: nasc-opt %t.linalg.mlir --nasc-cpu-prepare --nasc-cpu-tile-and-vectorize | FileCheck %s --check-prefix=VEC --implicit-check-not=linalg.conv_2d_nhwc_hwcf --implicit-check-not=linalg.depthwise_conv_2d_nhwc_hwc --implicit-check-not=linalg.pooling_nhwc_max --implicit-check-not=linalg.matmul
// RUN: nasc-opt %t.linalg.mlir --nasc-cpu-prepare --nasc-cpu-in-place | FileCheck %s --check-prefix=INPLACE --implicit-check-not=tensor.pad
// RUN: nasc-opt %t.linalg.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-bufferize --nasc-cpu-copy-to-linalg > %t.buffers.mlir
// RUN: nasc-opt %t.linalg.mlir --nasc-cpu-add-entry-point --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize --nasc-cpu-bufferize | FileCheck %s --check-prefix=TILES --implicit-check-not="memref.copy {{.*}} : memref<?x{{[0-9]+}}x{{[0-9]+}}x{{[0-9]+}}x"
// RUN: FileCheck %s --check-prefix=BUF --input-file=%t.buffers.mlir --implicit-check-not=bufferization.to_tensor --implicit-check-not=memref.copy --implicit-check-not=tensor.pad
// RUN: nasc-opt %t.buffers.mlir --nasc-cpu-outline-loop-nests=entry-point=passes_forward | FileCheck %s --check-prefix=OUTLINE
// RUN: nasc-opt %t.buffers.mlir --nasc-cpu-outline-loop-nests --nasc-cpu-to-llvm | FileCheck %s --check-prefix=LLVM --implicit-check-not=func.func --implicit-check-not=memref. --implicit-check-not=scf.
// RUN: not nasc-opt %t.linalg.mlir --nasc-cpu-add-entry-point=function=nope 2>&1 | FileCheck %s --check-prefix=ERR

dataset d { input = [4, 8, 8]; classes = 3; }
network net on d {
  conv(out = 8, kernel = 3);
  mbconv(out = 8, expand = 2, se = true);
  conv(out = 8, kernel = 3) -> relu;
  max_pool(kernel = 3, stride = 2);
  global_avg_pool;
  fc(out = 3);
}

// Element-wise ops fused, the named ops kept for tiling.
// PREP-LABEL: func.func @passes(%{{.*}}: tensor<?x4x8x8xf32>) -> tensor<?x3xf32>
// PREP: linalg.conv_2d_nhwc_hwcf
// PREP: linalg.depthwise_conv_2d_nhwc_hwc
// PREP: linalg.pooling_nhwc_max
// PREP: linalg.matmul

// The padded input: its border filled, the input transposed into its
// interior (no tensor.pad, whose bufferization fills and copies all of it).
// INPLACE: bufferization.alloc_tensor(%{{.*}}) : tensor<?x10x10x4xf32>
// INPLACE-COUNT-2: linalg.fill {{.*}} -> tensor<?x1x10x4xf32>
// INPLACE-COUNT-2: linalg.fill {{.*}} -> tensor<?x10x1x4xf32>
// INPLACE: %[[INTERIOR:.*]] = tensor.extract_slice %{{.*}}[0, 1, 1, 0] [%{{.*}}, 8, 8, 4]
// INPLACE: linalg.transpose ins(%{{.*}}) outs(%[[INTERIOR]] : tensor<?x8x8x4xf32>)
// INPLACE: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 1, 0] [%{{.*}}, 8, 8, 4]
// The depthwise convolution's padded input, from the expansion's
// activation, the same way.
// INPLACE: bufferization.alloc_tensor(%{{.*}}) : tensor<?x10x10x16xf32>

// The 3x3 convolution fused into its ReLU's tiles: each tile's
// accumulators start at zero in registers (no fill of the whole buffer),
// are carried through the window rows as vectors, never stored, and
// pass through the ReLU; no activation is copied (only the logits, into
// the caller's buffer).
// TILES: scf.for {{.*}} iter_args(%{{.*}} = %cst{{.*}}) -> (vector<8x8xf32>)
// TILES: vector.fma
// TILES: arith.maximumf {{.*}} : vector<8x8xf32>

// Tiled to static loops over vector FMAs: no named op is left.
// VEC-LABEL: func.func @passes(
// VEC: scf.for
// VEC: vector.fma

// A memref entry point around the tensor function, which becomes private.
// BUF: func.func @passes_forward(%{{.*}}: memref<?x4x8x8xf32>, %{{.*}}: memref<?x3xf32>)
// BUF: linalg.copy

// Each loop nest of the entry point in a function of its own.
// OUTLINE: func.func private @passes_forward_0({{.*}}) attributes {llvm.linkage = #llvm.linkage<internal>, passthrough = ["noinline"]}
// OUTLINE: func.func @passes_forward(
// OUTLINE: call @passes_forward_0(

// LLVM: llvm.func internal @passes_forward_0(
// LLVM: llvm.func @passes_forward(

// ERR: error: no function 'nope' to compile
