// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s
// RUN: nasc %s | FileCheck %s --check-prefix=SUMMARY
// RUN: nasc %s --emit=mlir --mlir-print-debuginfo | FileCheck %s --check-prefix=LOC

// Layers of a network: labels, chains, repeat, stage, residual, block and
// cell instances, built-in ops with their aliases, and `out = classes`.

dataset d { input = [16, 32, 32]; classes = 10; }

cell c(nodes = 2) { edges all : { s: identity; }; }
block blk { relu -> conv(kernel = 3) -> bn; }
block outer { blk; c; act: choose { r: relu; t: tanh; }; }

// CHECK-LABEL: nas.network @n on @d {
network n {
  // A label on a chain of several ops groups them in a named block.
  // CHECK-NEXT:    nas.block "stem" {
  // CHECK-NEXT:      nas.conv {dilation = 1 : i64, groups = 2 : i64, kernel = 3 : i64, out = 16 : i64, stride = 1 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:    }
  // LOC-DAG: [[STEM:#loc[0-9]+]] = loc("{{.*}}layers.nas":[[@LINE+3]]:3)
  // LOC-DAG: [[CONV:#loc[0-9]+]] = loc("{{.*}}layers.nas":[[@LINE+2]]:9)
  // LOC-DAG: [[BN:#loc[0-9]+]] = loc("{{.*}}layers.nas":[[@LINE+1]]:77)
  stem: conv(out = 16, kernel = 3, stride = 1, groups = 2, dilation = 1) -> bn -> relu;

  // A label on a single built-in op names the op.
  // CHECK-NEXT:    nas.act relu6 {name = "one"}
  // LOC-DAG: [[RELU6:#loc[0-9]+]] = loc("{{.*}}layers.nas":[[@LINE+1]]:8)
  one: relu6;

  // A label on a single block or cell use still makes a block.
  // CHECK-NEXT:    nas.block "named_blk" {
  // CHECK-NEXT:      nas.block "blk" {
  // CHECK-NEXT:        nas.act relu
  // CHECK-NEXT:        nas.conv {kernel = 3 : i64}
  // CHECK-NEXT:        nas.bn
  // CHECK-NEXT:      }
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.block "named_cell" {
  // CHECK-NEXT:      nas.cell_ref @c
  // CHECK-NEXT:    }
  named_blk: blk;
  named_cell: c;

  // Searched op arguments: a range and a choice.
  // CHECK-NEXT:    nas.conv {kernel = #nas.choice<[3, 5]>, out = #nas.range<16, 64, 16>}
  conv(out = 16..64 step 16, kernel = {3, 5});
  // CHECK-NEXT:    nas.conv {out = 16 : i64}
  conv(out = 16);

  // Repeat counts: fixed, choice, range (step 1 by default), shared.
  // CHECK-NEXT:    nas.repeat 2 : i64 {
  // CHECK-NEXT:      nas.act hswish
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.repeat #nas.choice<[2, 3]> shared {
  // CHECK-NEXT:      nas.act swish
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.repeat #nas.range<1, 3, 1> {
  // CHECK-NEXT:      nas.act sigmoid
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.repeat #nas.range<2, 6, 2> shared {
  // CHECK-NEXT:      nas.choose {
  repeat 2 { hswish; }
  repeat {2, 3} shared { swish; }
  repeat 1..3 { sigmoid; }
  repeat 2..6 step 2 shared { choose { a: relu; b: tanh; }; }

  // Stages, named and unnamed, nested.
  // CHECK:         nas.stage "s1" {
  // CHECK-NEXT:      nas.act tanh
  // CHECK-NEXT:      nas.stage {
  // CHECK-NEXT:        nas.bn
  // CHECK-NEXT:      }
  // CHECK-NEXT:    }
  stage s1 { tanh; stage { bn; } }

  // Residuals: the identity shortcut by default, projection, avgpool_conv;
  // a label names the residual.
  // CHECK-NEXT:    nas.residual identity attributes {name = "res"} {
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.conv {kernel = 3 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.residual identity {
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.residual projection {
  // CHECK-NEXT:      nas.conv {out = 32 : i64, stride = 2 : i64}
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.residual avgpool_conv {
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.conv {out = 64 : i64, stride = 2 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:    }
  res: residual { relu -> conv(kernel = 3) -> bn; }
  residual(shortcut = identity) { relu; }
  residual(shortcut = projection) { conv(out = 32, stride = 2); }
  residual(shortcut = avgpool_conv) { relu -> conv(out = 64, stride = 2) -> bn; }

  // Block instances are expanded inline, one copy per use, nested blocks
  // included; cells stay references.
  // CHECK-NEXT:    nas.block "blk" {
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.conv {kernel = 3 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.block "outer" {
  // CHECK-NEXT:      nas.block "blk" {
  // CHECK-NEXT:        nas.act relu
  // CHECK-NEXT:        nas.conv {kernel = 3 : i64}
  // CHECK-NEXT:        nas.bn
  // CHECK-NEXT:      }
  // CHECK-NEXT:      nas.cell_ref @c
  // CHECK-NEXT:      nas.choose "act" {
  // CHECK-NEXT:        nas.option "r" {
  // CHECK-NEXT:          nas.act relu
  // CHECK-NEXT:        }
  // CHECK-NEXT:        nas.option "t" {
  // CHECK-NEXT:          nas.act tanh
  // CHECK-NEXT:        }
  // CHECK-NEXT:      }
  // CHECK-NEXT:    }
  // CHECK-NEXT:    nas.block "outer" {
  // CHECK-NEXT:      nas.block "blk" {
  blk; outer; outer;

  // Pools; `name` and `name()` are the same.
  // CHECK:         nas.pool avg {kernel = 3 : i64, stride = 2 : i64}
  // CHECK-NEXT:    nas.pool max{{$}}
  // CHECK-NEXT:    nas.pool max{{$}}
  avg_pool(kernel = 3, stride = 2) -> max_pool -> max_pool();

  // The other ops with weights.
  // CHECK-NEXT:    nas.sep_conv {kernel = 5 : i64, out = 32 : i64, stride = 1 : i64}
  // CHECK-NEXT:    nas.mbconv {expand = 3 : i64, groups = 2 : i64, kernel = 3 : i64, out = 32 : i64, se, stride = 1 : i64}
  // CHECK-NEXT:    nas.mbconv{{$}}
  sep_conv(out = 32, kernel = 5, stride = 1)
    -> mbconv(out = 32, kernel = 3, expand = 3, groups = 2, stride = 1, se = true)
    -> mbconv(se = false);

  // Aliases: skip is identity, none is zero.
  // CHECK-NEXT:    nas.identity{{$}}
  // CHECK-NEXT:    nas.identity {out = 32 : i64, stride = 1 : i64}
  // CHECK-NEXT:    nas.zero
  // CHECK-NEXT:    nas.zero
  skip -> identity(out = 32, stride = 1) -> none -> zero;

  // Activations.
  // CHECK-NEXT:    nas.act relu
  // CHECK-NEXT:    nas.act relu6
  // CHECK-NEXT:    nas.act hswish
  // CHECK-NEXT:    nas.act swish
  // CHECK-NEXT:    nas.act sigmoid
  // CHECK-NEXT:    nas.act tanh
  relu -> relu6 -> hswish -> swish -> sigmoid -> tanh;

  // Global pools and the head: linear is fc; `out = classes` is the
  // dataset's class count; activations, bn and identity may follow an fc.
  // CHECK-NEXT:    nas.global_pool max
  // CHECK-NEXT:    nas.global_pool avg
  // CHECK-NEXT:    nas.fc {name = "hidden", out = 64 : i64, wbits = 8 : i64}
  // CHECK-NEXT:    nas.act relu
  // CHECK-NEXT:    nas.identity
  // CHECK-NEXT:    nas.bn
  // CHECK-NEXT:    nas.fc {abits = #nas.choice<[4, 8]>, name = "head", out = 10 : i64, prune = 2.500000e-01 : f64}
  // CHECK-NEXT:  }
  global_max_pool -> global_avg_pool;
  hidden: linear(out = 64, wbits = 8);
  relu -> identity -> bn;
  head: fc(out = classes, abits = {4, 8}, prune = 0.25);
}

// SUMMARY:      network n on d
// SUMMARY-NEXT:   stem:
// SUMMARY-NEXT:     conv(dilation = 1, groups = 2, kernel = 3, out = 16, stride = 1)
// SUMMARY-NEXT:     bn
// SUMMARY-NEXT:     relu
// SUMMARY-NEXT:   one: relu6
// SUMMARY:        repeat {2, 3} shared
// SUMMARY-NEXT:     swish
// SUMMARY-NEXT:   repeat 1..3
// SUMMARY:        s1: stage
// SUMMARY:        res: residual (shortcut identity)
// SUMMARY:        residual (shortcut avgpool_conv)
// SUMMARY:        head: fc(abits = {4, 8}, out = 10, prune = 0.25)

// Locations: a labelled block is at its label, each op at its name.
// LOC-DAG: nas.block "stem" {
// LOC-DAG: nas.conv {dilation = 1 : i64, {{.*}}} loc([[CONV]])
// LOC-DAG: nas.bn loc([[BN]])
// LOC-DAG: } loc([[STEM]])
// LOC-DAG: nas.act relu6 {name = "one"} loc([[RELU6]])
