// RUN: nasc-opt %s -split-input-file -test-print-costs -o /dev/null 2>&1 | FileCheck %s

// NAS-Bench-201 (Dong & Yang, ICLR 2020) on CIFAR-10, as concrete
// candidates: the network of examples/nb201.nas with every decision taken.
// Its published bounds are 7.78305 M to 220.11969 M "FLOPs" (MACs in our
// convention: conv and linear layers, batch 1) and 0.073306 M to 1.531546 M
// params (BN affine included); the all-`none` and all-`nor_conv_3x3` cells
// must give them exactly.
//
// MACs and params of the fixed part (every cell `none`: zero edges cost 0):
//   stem conv 3 -> 16, 3x3 at 32x32:  3*3*3*16*1024      =   442368 MACs,
//                                      432 + BN 32        =      464 params
//   reduce32: conv 16 -> 32, s2 at 16x16: 9*16*32*256    =  1179648,
//             conv 32 -> 32 at 16x16:    9*32*32*256     =  2359296,
//             shortcut 2x2 avg pool + 1x1 16 -> 32:      =   131072
//                                             (sum 3670016 MACs)
//             params 4608 + 64 + 9216 + 64 + 512          =    14464
//   reduce64: conv 32 -> 64, s2 at 8x8:  9*32*64*64      =  1179648,
//             conv 64 -> 64 at 8x8:      9*64*64*64      =  2359296,
//             shortcut 1x1 32 -> 64 at 8x8               =   131072
//                                             (sum 3670016 MACs)
//             params 18432 + 128 + 36864 + 128 + 2048     =    57600
//   head BN(64) 128 params; fc 64 -> 10: 640 + 10        =      650 MACs,
//                                                               650 params
//   MACs   442368 + 2 * 3670016 + 650                     =  7783050
//   params 464 + 14464 + 57600 + 128 + 650                =    73306
//
// Each nor_conv_3x3 edge (ReLU, 3x3 conv C -> C, BN) at C channels, HxW:
//   9*C*C*H*W MACs, 9*C*C + 2*C params. 6 edges x 5 cells per stage:
//   C16 at 32x32: 30 * 2359296 = 70778880 MACs, 30 * 2336 =   70080 params
//   C32 at 16x16: 30 * 2359296 = 70778880 MACs, 30 * 9280 =  278400 params
//   C64 at 8x8:   30 * 2359296 = 70778880 MACs, 30 * 36992 = 1109760 params
//   MACs   7783050 + 3 * 70778880                         = 220119690
//   params 73306 + 70080 + 278400 + 1109760               =   1531546
//
// FLOPs (docs/analysis.md), all-none: stem 884736 + 32768; per C16 cell the
// node sums (1 + 2) * 16384 = 49152; reduce32 7421952 (relu 16384, conv
// 2359296, bn 16384, relu 8192, conv 4718592, bn 16384, shortcut pool
// 4*4096 + conv 262144, add 8192); per C32 cell 24576; reduce64 7380992;
// per C64 cell 12288; head bn 8192 + relu 4096 + pool 4096 + fc
// (2*64 - 1)*10 = 1270:
//   917504 + 5*49152 + 7421952 + 5*24576 + 7380992 + 5*12288 + 17654
//   = 16168182.
// All nor_conv_3x3 adds per edge 3*C*H*W (relu + bn) + 18*C*C*H*W (conv):
//   30 * (4767744 + 4743168 + 4730880) = 427253760; total 443421942.
//
// Peak memory: in a C16 cell (16*32*32*4 = 65536 B per tensor), when node 2
// is summed, node 0 and node 1 (still read by 0->3 and 1->3), the outputs
// of 0->2 and 1->2 and their sum are live: 5 * 65536 = 327680 (in the
// nor_conv_3x3 cell also while 1->2 runs: nodes 0, 1, the 0->2 output, and
// the ReLU and conv outputs of 1->2).

// CHECK-LABEL: costs of @nb201_none: input [3, 32, 32] output [10]
// CHECK-NEXT: layer stem/conv: out [16, 32, 32] macs 442368 flops 884736 params 432
// CHECK-NEXT: layer stem/bn: out [16, 32, 32] macs 0 flops 32768 params 32
// CHECK-NEXT: layer c16/nb201_cell#0/0->1/zero: out [16, 32, 32] macs 0 flops 0 params 0
// CHECK:      layer reduce32/shortcut: out [32, 16, 16] macs 131072 flops 278528 params 512
// CHECK:      layer c64/nb201_cell#4/node3: out [64, 8, 8] macs 0 flops 8192 params 0
// CHECK:      layer head/fc: out [10] macs 650 flops 1270 params 650
// CHECK-NEXT: total: macs 7783050 flops 16168182 params 73306 model_bytes 293224 bops 7969843200 activation_bytes 5792040 peak_memory_bytes 327680
nas.spec @nb201_none {
  nas.dataset @cifar10 input [3, 32, 32] classes 10 {source = "cifar10"}
  nas.cell @nb201_cell nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 0 -> 2 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 1 -> 2 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 0 -> 3 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 1 -> 3 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 2 -> 3 {
      nas.option "none" {
        nas.zero
      }
    }
  }
  nas.network @nb201 on @cifar10 {
    nas.block "stem" {
      nas.conv {kernel = 3 : i64, out = 16 : i64}
      nas.bn
    }
    nas.stage "c16" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce32"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 32 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c32" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce64"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 64 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c64" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.block "head" {
      nas.bn
      nas.act relu
      nas.global_pool avg
      nas.fc {out = 10 : i64}
    }
  }
}

// -----

// CHECK-LABEL: costs of @nb201_nor_conv_3x3: input [3, 32, 32] output [10]
// CHECK:      layer c16/nb201_cell#0/0->1/conv: out [16, 32, 32] macs 2359296 flops 4718592 params 2304
// CHECK:      layer c32/nb201_cell#4/2->3/conv: out [32, 16, 16] macs 2359296 flops 4718592 params 9216
// CHECK:      layer c64/nb201_cell#2/1->3/bn: out [64, 8, 8] macs 0 flops 8192 params 128
// CHECK:      total: macs 220119690 flops 443421942 params 1531546 model_bytes 6126184 bops 225402562560 activation_bytes 12673320 peak_memory_bytes 327680
nas.spec @nb201_nor_conv_3x3 {
  nas.dataset @cifar10 input [3, 32, 32] classes 10 {source = "cifar10"}
  nas.cell @nb201_cell nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 0 -> 2 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 1 -> 2 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 0 -> 3 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 1 -> 3 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 2 -> 3 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
  }
  nas.network @nb201 on @cifar10 {
    nas.block "stem" {
      nas.conv {kernel = 3 : i64, out = 16 : i64}
      nas.bn
    }
    nas.stage "c16" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce32"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 32 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c32" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce64"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 64 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c64" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.block "head" {
      nas.bn
      nas.act relu
      nas.global_pool avg
      nas.fc {out = 10 : i64}
    }
  }
}

// -----

// A mixed cell, |nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|:
// over the all-none network, per cell a 3x3 and a 1x1 conv edge:
//   (9 + 1)*C*C*H*W MACs = 2621440 at every stage, x 5 x 3 = 39321600;
//   params (9 + 1)*C*C + 4*C: 5 * (2624 + 10368 + 41216) = 271040.
//   FLOPs: per cell 15*C*H*W (two relu+bn edges, a 3x3 avg pool) +
//   20*C*C*H*W: 5 * (5488640 + 5365760 + 5304320) = 80793600.
//   MACs 7783050 + 39321600 = 47104650; params 73306 + 271040 = 344346;
//   FLOPs 16168182 + 80793600 = 96961782.

// CHECK-LABEL: costs of @nb201_mixed
// CHECK:      layer c16/nb201_cell#0/0->3/conv: out [16, 32, 32] macs 262144 flops 524288 params 256
// CHECK:      layer c16/nb201_cell#0/1->3/avg_pool: out [16, 32, 32] macs 0 flops 147456 params 0
// CHECK:      total: macs 47104650 flops 96961782 params 344346
nas.spec @nb201_mixed {
  nas.dataset @cifar10 input [3, 32, 32] classes 10 {source = "cifar10"}
  nas.cell @nb201_cell nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "nor_conv_3x3" {
        nas.act relu
        nas.conv {kernel = 3 : i64}
        nas.bn
      }
    }
    nas.edge 0 -> 2 {
      nas.option "none" {
        nas.zero
      }
    }
    nas.edge 1 -> 2 {
      nas.option "skip_connect" {
        nas.identity
      }
    }
    nas.edge 0 -> 3 {
      nas.option "nor_conv_1x1" {
        nas.act relu
        nas.conv {kernel = 1 : i64}
        nas.bn
      }
    }
    nas.edge 1 -> 3 {
      nas.option "avg_pool_3x3" {
        nas.pool avg {kernel = 3 : i64}
      }
    }
    nas.edge 2 -> 3 {
      nas.option "none" {
        nas.zero
      }
    }
  }
  nas.network @nb201 on @cifar10 {
    nas.block "stem" {
      nas.conv {kernel = 3 : i64, out = 16 : i64}
      nas.bn
    }
    nas.stage "c16" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce32"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 32 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c32" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.residual avgpool_conv attributes {name = "reduce64"} {
      nas.act relu
      nas.conv {kernel = 3 : i64, out = 64 : i64, stride = 2 : i64}
      nas.bn
      nas.act relu
      nas.conv {kernel = 3 : i64}
      nas.bn
    }
    nas.stage "c64" {
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
      nas.cell_ref @nb201_cell
    }
    nas.block "head" {
      nas.bn
      nas.act relu
      nas.global_pool avg
      nas.fc {out = 10 : i64}
    }
  }
}
