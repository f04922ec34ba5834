// int8 convolutions and matmuls on the target CPU's dot product of bytes
// (docs/cpu.md, "Quantized layers"): vpdpbusd where it has AVX-512 VNNI
// (512 bits, and 256 for tiles of 8 channels) or AVX-VNNI (256 bits),
// 32-bit products elsewhere. A reduction extent not a multiple of 4 (the
// first convolution reads 3 channels per window column) is padded with
// zero bytes. The bits equal
// those of 32-bit products: CPUTargetTest.DotProductsOfBytesGiveTheSameBits.
//
// RUN: nasc %s --emit=linalg > %t.mlir
// RUN: nasc-opt %t.mlir --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize=dot=avx512-vnni | FileCheck %s --check-prefix=ZMM
// RUN: nasc-opt %t.mlir --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize=dot=avx-vnni | FileCheck %s --check-prefix=YMM
// RUN: nasc-opt %t.mlir --nasc-cpu-prepare --nasc-cpu-in-place --nasc-cpu-tile-and-vectorize | FileCheck %s --check-prefix=NONE --implicit-check-not=llvm.call_intrinsic
// RUN: not nasc-opt %t.mlir --nasc-cpu-tile-and-vectorize=dot=sse 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: nasc %s --emit=llvm --cpu znver4 | FileCheck %s --check-prefix=ZEN4
// RUN: nasc %s --emit=llvm --cpu alderlake | FileCheck %s --check-prefix=ADL
// RUN: nasc %s --emit=llvm --cpu x86-64-v3 | FileCheck %s --check-prefix=AVX2 --implicit-check-not=vpdpbusd
// RUN: nasc %s --emit=llvm --cpu znver4 --mattr=-avx512vnni | FileCheck %s --check-prefix=AVX2 --implicit-check-not=vpdpbusd
// RUN: nasc %s --emit=llvm --cpu znver4 --fake-quant | FileCheck %s --check-prefix=AVX2 --implicit-check-not=vpdpbusd

dataset d { input = [3, 12, 12]; classes = 16; }
network n on d {
  conv(out = 16, kernel = 3, stride = 2, wbits = 8, abits = 8) -> relu;
  conv(out = 32, kernel = 1, wbits = 4, abits = 8) -> relu;
  conv(out = 24, kernel = 1, wbits = 8, abits = 8) -> relu;
  global_avg_pool;
  fc(out = classes, wbits = 8, abits = 8);
}

// The first convolution: 3 channels padded to 4, its weights interleaved
// four channels to a lane, the activations' top bit flipped and 128 times
// the weights' sums taken off again.
// ZMM-LABEL: func.func @integer_dot
// ZMM: vector.insert_strided_slice {{.*}} : vector<3xi8> into vector<4xi8>
// ZMM: vector.shuffle
// ZMM: vector.bitcast {{.*}} : vector<64xi8> to vector<16xi32>
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// ZMM: arith.shli
// ZMM: arith.xori %{{.*}}, %c-2139062144_i32 : i32
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// ZMM: arith.subi {{.*}} : vector<16xi32>
// The 1x1 convolution: 6 columns of 16 channels.
// ZMM: vector.bitcast {{.*}} : vector<96xi8> to vector<24xi32>
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// 24 channels: a tile of 16 and a peeled one of 8, whose dot products
// take 256 bits (AVX-512 VL).
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"
// The fc: one row of 32 channels.
// ZMM: vector.bitcast {{.*}} : vector<32xi8> to vector<8xi32>
// ZMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"

// YMM: vector.bitcast {{.*}} : vector<32xi8> to vector<8xi32>
// YMM: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"

// Without: 32-bit products. The largest magnitude of the activations
// (their quantization scale) is reduced per channel, along the vectors,
// then over the channels in one vector.reduction (a tree of vector ops,
// not one scalar maximum per channel).
// NONE-LABEL: func.func @integer_dot
// NONE: arith.maximumf {{.*}} : vector<3xf32>
// NONE: vector.reduction <maximumf>, {{.*}} : vector<3xf32> into f32
// NONE: arith.muli {{.*}} : vector<16xi32>
// NONE: arith.maximumf {{.*}} : vector<16xf32>

// ERR: unknown dot product 'sse' (none, avx512-vnni, avx-vnni)

// ZEN4: call <16 x i32> @llvm.x86.avx512.vpdpbusd.512
// ADL: call <8 x i32> @llvm.x86.avx512.vpdpbusd.256
// AVX2: define {{.*}}@integer_dot_run
