// RUN: nasc-opt %s -split-input-file -test-print-costs -o /dev/null 2>&1 | FileCheck %s

// The cost analysis of small concrete candidates, one construct per case,
// every number computed by hand below (docs/analysis.md has the formulas).
// Tensors are fp32, batch 1: bytes = 4 x elements. Per layer the line reads
//   layer PATH: out SHAPE macs flops params model_bytes bops activation_bytes

// Plain conv: [3, 8, 8] -> 3x3, stride 2, out 8 -> [8, 4, 4] (ceil(8/2)).
//   macs   = 3*3*3*8 * 4*4 = 216 * 16 = 3456
//   flops  = 2 * 3456 = 6912 (eq. (3) without bias)
//   params = 3*3*3*8 = 216; model_bytes = 216*4 = 864
//   bops   = 3456 * 32 * 32 = 3538944
// global_avg_pool: [8, 4, 4] -> [8, 1, 1]: flops 8 * 16 = 128 (15 adds + 1
// division per channel).
// Memory: input 3*8*8*4 = 768 B; conv out 8*16*4 = 512 B; pool out 32 B.
//   peak at the conv: 768 + 512 = 1280. activation_bytes 512 + 32 = 544.

// CHECK-LABEL: costs of @conv: input [3, 8, 8] output [8, 1, 1]
// CHECK-NEXT: layer conv: out [8, 4, 4] macs 3456 flops 6912 params 216 model_bytes 864 bops 3538944 activation_bytes 512
// CHECK-NEXT: layer global_avg_pool: out [8, 1, 1] macs 0 flops 128 params 0 model_bytes 0 bops 0 activation_bytes 32
// CHECK-NEXT: total: macs 3456 flops 7040 params 216 model_bytes 864 bops 3538944 activation_bytes 544 peak_memory_bytes 1280
nas.spec @conv {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {kernel = 3 : i64, out = 8 : i64, stride = 2 : i64}
    nas.global_pool avg
  }
}

// -----

// Group conv, groups 2: [4, 8, 8] -> out 8, 3x3.
//   macs   = 3*3*(4/2)*8 * 8*8 = 144 * 64 = 9216; flops 18432
//   params = 3*3*2*8 = 144
// Depthwise (groups = C = 8, out defaults to 8), 5x5:
//   macs   = 5*5*1*8 * 64 = 12800; flops 25600; params 200
// Dilation changes neither the shape ("same" padding) nor the counts.

// CHECK-LABEL: costs of @groups
// CHECK-NEXT: layer grouped: out [8, 8, 8] macs 9216 flops 18432 params 144
// CHECK-NEXT: layer depthwise: out [8, 8, 8] macs 12800 flops 25600 params 200
// CHECK-NEXT: total: macs 22016 flops 44032 params 344
nas.spec @groups {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {groups = 2 : i64, kernel = 3 : i64, name = "grouped", out = 8 : i64}
    nas.conv {dilation = 2 : i64, groups = 8 : i64, kernel = 5 : i64, name = "depthwise"}
  }
}

// -----

// sep_conv on [4, 8, 8], out 8, stride 2 -> [8, 4, 4]:
//   depthwise 3x3, stride 2 -> [4, 4, 4]: macs 9*4*16 = 576, params 36
//   BN(4): params 8, flops 2*64 = 128;  ReLU: flops 64
//   pointwise 1x1 4 -> 8: macs 4*8*16 = 512, params 32
//   BN(8): params 16, flops 2*128 = 256
//   macs 576 + 512 = 1088; params 36 + 8 + 32 + 16 = 92
//   flops 1152 + 128 + 64 + 1024 + 256 = 2624
//   activation_bytes: 3 tensors of 64 and 2 of 128 elements: 4*(192+256) = 1792

// CHECK-LABEL: costs of @sep_conv
// CHECK-NEXT: layer sep_conv: out [8, 4, 4] macs 1088 flops 2624 params 92 model_bytes 368 bops 1114112 activation_bytes 1792
nas.spec @sep_conv {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.sep_conv {out = 8 : i64, stride = 2 : i64}
  }
}

// -----

// mbconv, expand 1 (no expansion conv), on [8, 8, 8], out 8, 3x3:
//   depthwise 3x3: macs 9*8*64 = 4608, params 72; BN 16; ReLU
//   project 1x1 8 -> 8: macs 8*8*64 = 4096, params 64; BN 16
//   shape kept: + input (residual add)
//   macs 8704; params 168
//   flops 9216 + 1024 + 512 + 8192 + 1024 + 512 (add) = 20480
// The same with groups 2: project 8/2*8*64 = 2048 MACs, 32 params:
//   macs 6656; params 136; flops 9216 + 1024 + 512 + 4096 + 1024 + 512 = 16384
// mbconv, expand 6 (default), on [8, 8, 8], out 16, 5x5, stride 2 ->
// [16, 4, 4]; hidden 48 channels:
//   expand 1x1 8 -> 48 at 8x8: macs 8*48*64 = 24576, params 384; BN 96
//   depthwise 5x5 stride 2 at 4x4: macs 25*48*16 = 19200, params 1200; BN 96
//   project 1x1 48 -> 16 at 4x4: macs 48*16*16 = 12288, params 768; BN 32
//   macs 56064; params 384 + 96 + 1200 + 96 + 768 + 32 = 2576
//   flops 49152 + 6144 + 3072 (BN, ReLU at 8x8x48)
//       + 38400 + 1536 + 768 (at 4x4x48) + 24576 + 512 = 124160 (no add)

// CHECK-LABEL: costs of @mbconv
// CHECK-NEXT: layer e1: out [8, 8, 8] macs 8704 flops 20480 params 168
// CHECK-NEXT: layer e1_g2: out [8, 8, 8] macs 6656 flops 16384 params 136
// CHECK-NEXT: layer e6: out [16, 4, 4] macs 56064 flops 124160 params 2576
// CHECK-NEXT: total: macs 71424 flops 161024 params 2880
nas.spec @mbconv {
  nas.dataset @d input [8, 8, 8] classes 10
  nas.network @net on @d {
    nas.mbconv {expand = 1 : i64, name = "e1", out = 8 : i64}
    nas.mbconv {expand = 1 : i64, groups = 2 : i64, name = "e1_g2", out = 8 : i64}
    nas.mbconv {kernel = 5 : i64, name = "e6", out = 16 : i64, stride = 2 : i64}
  }
}

// -----

// Squeeze-and-excitation: mbconv expand 1 on [8, 4, 4] with se: hidden 8,
// squeeze 8/4 = 2.
//   depthwise 3x3: macs 9*8*16 = 1152, params 72, flops 2304; BN 16 / 256;
//   ReLU 128
//   SE: global avg pool flops 8*16 = 128
//       1x1 8 -> 2 with bias: macs 8*2 + 2 = 18, params 18, flops 2*(8+1)*2 = 36
//       ReLU 2; 1x1 2 -> 8 with bias: macs 16 + 8 = 24, params 24,
//       flops 2*(2+1)*8 = 48; sigmoid 8; scale 128
//   project 1x1 8 -> 8: macs 8*8*16 = 1024, params 64, flops 2048; BN 16 / 256
//   add 128
//   macs 1152 + 18 + 24 + 1024 = 2218; params 72+16+18+24+64+16 = 210
//   flops 2304+256+128 + 128+36+2+48+8+128 + 2048+256+128 = 5470

// CHECK-LABEL: costs of @mbconv_se
// CHECK-NEXT: layer mbconv: out [8, 4, 4] macs 2218 flops 5470 params 210
nas.spec @mbconv_se {
  nas.dataset @d input [8, 4, 4] classes 10
  nas.network @net on @d {
    nas.mbconv {expand = 1 : i64, se}
  }
}

// -----

// Fully connected layers on a [16]-feature dataset:
//   fc 16 -> 32: macs 16*32 + 32 = 544 (bias included), params 544,
//     flops (2*16 - 1)*32 = 992 (Molchanov's (2I - 1)O)
//   bn on [32]: params 64, flops 64;  relu: flops 32
//   fc 32 -> 10: macs 320 + 10 = 330, params 330, flops 63*10 = 630
// Memory: 64 B in, 128 B per [32] tensor, 40 B out; peak 128 + 128 at the
// bn or relu step = 256.

// CHECK-LABEL: costs of @fc: input [16] output [10]
// CHECK-NEXT: layer fc#0: out [32] macs 544 flops 992 params 544
// CHECK-NEXT: layer bn: out [32] macs 0 flops 64 params 64
// CHECK-NEXT: layer relu: out [32] macs 0 flops 32 params 0
// CHECK-NEXT: layer fc#1: out [10] macs 330 flops 630 params 330
// CHECK-NEXT: total: macs 874 flops 1718 params 938 model_bytes 3752 bops 894976 activation_bytes 424 peak_memory_bytes 256
nas.spec @fc {
  nas.dataset @d input [16] classes 10
  nas.network @net on @d {
    nas.fc {out = 32 : i64}
    nas.bn
    nas.act relu
    nas.fc {out = 10 : i64}
  }
}

// -----

// Pooling on [4, 8, 8]; none has MACs:
//   max 3x3 stride 2 -> [4, 4, 4]: flops (9 - 1) * 64 = 512 (comparisons)
//   avg 3x3 (default kernel 3, stride 1) -> [4, 4, 4]: flops 9 * 64 = 576
//   global max -> [4, 1, 1]: flops 4 * (16 - 1) = 60
// Spatial size by "same" padding: a 5x5 max pool, stride 3 on 8x8 gives
// ceil(8/3) = 3.

// CHECK-LABEL: costs of @pooling
// CHECK-NEXT: layer max_pool: out [4, 4, 4] macs 0 flops 512 params 0
// CHECK-NEXT: layer avg_pool: out [4, 4, 4] macs 0 flops 576 params 0
// CHECK-NEXT: layer global_max_pool: out [4, 1, 1] macs 0 flops 60 params 0
// CHECK-NEXT: total: macs 0 flops 1148 params 0
// CHECK-LABEL: costs of @pool_same
// CHECK-NEXT: layer max_pool: out [4, 3, 3] macs 0 flops 864
nas.spec @pooling {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.pool max {kernel = 3 : i64, stride = 2 : i64}
    nas.pool avg
    nas.global_pool max
  }
}
nas.spec @pool_same {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // 24 comparisons x 4*3*3 = 36 outputs = 864
    nas.pool max {kernel = 5 : i64, stride = 3 : i64}
  }
}

// -----

// Identity residual on [4, 8, 8]: relu, conv 3x3, bn, then + input.
//   relu 256; conv macs 9*4*4*64 = 9216, flops 18432, params 144;
//   bn 512 flops, 8 params; add 256 flops
// Memory: the input (1 KiB) stays live for the add; at the add: input,
// bn out and sum = 3 KiB.

// CHECK-LABEL: costs of @residual_identity
// CHECK-NEXT: layer res/relu: out [4, 8, 8] macs 0 flops 256 params 0
// CHECK-NEXT: layer res/conv: out [4, 8, 8] macs 9216 flops 18432 params 144
// CHECK-NEXT: layer res/bn: out [4, 8, 8] macs 0 flops 512 params 8
// CHECK-NEXT: layer res/add: out [4, 8, 8] macs 0 flops 256 params 0 model_bytes 0 bops 0 activation_bytes 1024
// CHECK-NEXT: total: macs 9216 flops 19456 params 152 model_bytes 608 bops 9437184 activation_bytes 4096 peak_memory_bytes 3072
nas.spec @residual_identity {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.residual identity attributes {name = "res"} {
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
  }
}

// -----

// Projection residual on [4, 8, 8]: body conv 3x3 out 8 stride 2 -> [8, 4, 4]
//   body conv: macs 9*4*8*16 = 4608, params 288
//   shortcut: 1x1 conv, stride 2 (the body's), 4 -> 8 at 4x4: macs 4*8*16 =
//     512, params 32, flops 1024; BN(8): params 16, flops 256
//   add: 128 flops

// CHECK-LABEL: costs of @residual_projection
// CHECK-NEXT: layer residual/conv: out [8, 4, 4] macs 4608 flops 9216 params 288
// CHECK-NEXT: layer residual/shortcut: out [8, 4, 4] macs 512 flops 1280 params 48
// CHECK-NEXT: layer residual/add: out [8, 4, 4] macs 0 flops 128 params 0
// CHECK-NEXT: total: macs 5120 flops 10624 params 336
nas.spec @residual_projection {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.residual projection {
      nas.conv {kernel = 3 : i64, out = 8 : i64, stride = 2 : i64}
    }
  }
}

// -----

// avgpool_conv residual (NAS-Bench-201's ResNet downsample) on [4, 8, 8]:
//   shortcut: 2x2 avg pool stride 2 -> [4, 4, 4]: flops 4*64 = 256;
//     1x1 conv 4 -> 8: macs 4*8*16 = 512, flops 1024, params 32 (no BN)

// CHECK-LABEL: costs of @residual_avgpool_conv
// CHECK-NEXT: layer residual/conv: out [8, 4, 4] macs 4608 flops 9216 params 288
// CHECK-NEXT: layer residual/shortcut: out [8, 4, 4] macs 512 flops 1280 params 32 model_bytes 128 bops 524288 activation_bytes 768
// CHECK-NEXT: layer residual/add: out [8, 4, 4] macs 0 flops 128 params 0
// CHECK-NEXT: total: macs 5120 flops 10624 params 320
nas.spec @residual_avgpool_conv {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.residual avgpool_conv {
      nas.conv {kernel = 3 : i64, out = 8 : i64, stride = 2 : i64}
    }
  }
}

// -----

// identity: unchanged it is its input (nothing written, no costs); with out
// or stride it is a 1x1 conv + BN projection.
//   identity out 8 stride 2 on [4, 8, 8] -> [8, 4, 4]: macs 4*8*16 = 512,
//     params 32 + 16 = 48, flops 1024 + 256 = 1280

// CHECK-LABEL: costs of @identity
// CHECK-NEXT: layer identity#0: out [4, 8, 8] macs 0 flops 0 params 0 model_bytes 0 bops 0 activation_bytes 0
// CHECK-NEXT: layer identity#1: out [8, 4, 4] macs 512 flops 1280 params 48 model_bytes 192 bops 524288 activation_bytes 1024
// CHECK-NEXT: layer zero: out [8, 4, 4] macs 0 flops 0 params 0 model_bytes 0 bops 0 activation_bytes 512
nas.spec @identity {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.identity
    nas.identity {out = 8 : i64, stride = 2 : i64}
    nas.zero
  }
}

// -----

// A 3-node cell (output last) used twice on [4, 8, 8]; every node sums its
// edges. Per instance:
//   0 -> 1: conv 1x1: macs 4*4*64 = 1024, flops 2048, params 16
//   0 -> 2: identity (0); 1 -> 2: avg pool 3x3: flops 9*256 = 2304
//   node2 = sum of 2 edges: flops (2 - 1)*256 = 256
// Two instances: macs 2048, params 32, flops 2*(2048 + 2304 + 256) = 9216.

// CHECK-LABEL: costs of @cell_sum
// CHECK-NEXT: layer c#0/0->1/conv: out [4, 8, 8] macs 1024 flops 2048 params 16
// CHECK-NEXT: layer c#0/0->2/identity: out [4, 8, 8] macs 0 flops 0
// CHECK-NEXT: layer c#0/1->2/avg_pool: out [4, 8, 8] macs 0 flops 2304
// CHECK-NEXT: layer c#0/node2: out [4, 8, 8] macs 0 flops 256 params 0
// CHECK-NEXT: layer c#1/0->1/conv: out [4, 8, 8] macs 1024
// CHECK:      layer c#1/node2:
// CHECK-NEXT: total: macs 2048 flops 9216 params 32
nas.spec @cell_sum {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "conv_1x1" { nas.conv {kernel = 1 : i64} }
    }
    nas.edge 0 -> 2 {
      nas.option "skip" { nas.identity }
    }
    nas.edge 1 -> 2 {
      nas.option "avg_pool_3x3" { nas.pool avg {kernel = 3 : i64} }
    }
  }
  nas.network @net on @d {
    nas.cell_ref @c
    nas.cell_ref @c
  }
}

// -----

// A DARTS-like cell: 2 inputs, output concat. Before it a 1x1 conv on
// [4, 8, 8] (macs 4*4*64 = 1024); the cell's input 0 is that conv's output,
// input 1 (two layers back) falls back to the earliest output: the same
// conv's.
//   node2 = identity(n0) + zero(n1): sum flops 256
//   node3 = conv 1x1 (n0): macs 1024, params 16 + identity(n2): sum 256
//   output: concat of nodes 2 and 3: [8, 8, 8], 0 FLOPs, 2 KiB written
// After it, a 1x1 conv with groups 2 on the 8 concatenated channels (out
// defaults to 8): macs 1*1*(8/2)*8*64 = 2048, params 32.
// Total: macs 1024 + 1024 + 2048 = 4096, params 16 + 16 + 32 = 64.

// CHECK-LABEL: costs of @cell_concat
// CHECK-NEXT: layer conv#0: out [4, 8, 8] macs 1024
// CHECK-NEXT: layer dc/0->2/identity: out [4, 8, 8] macs 0
// CHECK-NEXT: layer dc/1->2/zero: out [4, 8, 8] macs 0 flops 0
// CHECK-NEXT: layer dc/node2: out [4, 8, 8] macs 0 flops 256
// CHECK-NEXT: layer dc/0->3/conv: out [4, 8, 8] macs 1024 flops 2048 params 16
// CHECK-NEXT: layer dc/2->3/identity: out [4, 8, 8]
// CHECK-NEXT: layer dc/node3: out [4, 8, 8] macs 0 flops 256
// CHECK-NEXT: layer dc/concat: out [8, 8, 8] macs 0 flops 0 params 0 model_bytes 0 bops 0 activation_bytes 2048
// CHECK-NEXT: layer conv#1: out [8, 8, 8] macs 2048 flops 4096 params 32
// CHECK-NEXT: total: macs 4096 flops 8704 params 64
nas.spec @cell_concat {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @dc nodes 4 inputs 2 output concat {
    nas.edge 0 -> 2 {
      nas.option "skip" { nas.identity }
    }
    nas.edge 1 -> 2 {
      nas.option "none" { nas.zero }
    }
    nas.edge 0 -> 3 {
      nas.option "conv_1x1" { nas.conv {kernel = 1 : i64} }
    }
    nas.edge 2 -> 3 {
      nas.option "skip" { nas.identity }
    }
  }
  nas.network @net on @d {
    nas.conv {kernel = 1 : i64}
    nas.cell_ref @dc
    nas.conv {groups = 2 : i64, kernel = 1 : i64}
  }
}

// -----

// Bit widths: wbits/abits on a layer, else nas.compress's fixed values for
// layers with weights, else 32. model_bytes = params * wbits / 8 (rounded
// up), bops = macs * wbits * abits.
//   conv 3x3 4 -> 4 on [4, 8, 8], wbits 4, abits 8: macs 9216, params 144:
//     model_bytes 144*4/8 = 72, bops 9216*32 = 294912
//   conv 1x1 (compress: wbits 8, abits 32): macs 1024, params 16:
//     model_bytes 16, bops 1024*256 = 262144
//   bn: no weights for compress; 8 params at 32 bits = 32 bytes
//   total model_bytes 72 + 16 + 32 = 120

// CHECK-LABEL: costs of @bits
// CHECK-NEXT: layer conv#0: out [4, 8, 8] macs 9216 flops 18432 params 144 model_bytes 72 bops 294912
// CHECK-NEXT: layer conv#1: out [4, 8, 8] macs 1024 flops 2048 params 16 model_bytes 16 bops 262144
// CHECK-NEXT: layer bn: out [4, 8, 8] macs 0 flops 512 params 8 model_bytes 32 bops 0
// CHECK-NEXT: total: macs 10240 flops 20992 params 168 model_bytes 120 bops 557056
nas.spec @bits {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {abits = 8 : i64, kernel = 3 : i64, wbits = 4 : i64}
    nas.conv {kernel = 1 : i64}
    nas.bn
  }
  nas.compress {wbits = 8 : i64}
}

// -----

// Containers name the path: a block, a stage (named or not), and an
// unnamed residual; siblings with one name get #0, #1, ...

// CHECK-LABEL: costs of @paths
// CHECK-NEXT: layer stem/conv: out [8, 8, 8]
// CHECK-NEXT: layer stem/bn:
// CHECK-NEXT: layer s1/residual#0/relu:
// CHECK-NEXT: layer s1/residual#0/add:
// CHECK-NEXT: layer s1/residual#1/relu:
// CHECK-NEXT: layer s1/residual#1/add:
// CHECK-NEXT: layer stage/relu:
nas.spec @paths {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.block "stem" {
      nas.conv {out = 8 : i64}
      nas.bn
    }
    nas.stage "s1" {
      nas.residual identity { nas.act relu }
      nas.residual identity { nas.act relu }
    }
    nas.stage { nas.act relu }
  }
}
