// Inputs past the documented limits (docs/language.md, "Limits") end in a
// located error and exit 1, at any size: no stack overflow, no saturated
// count, no unbounded run. The large inputs are generated here.

// Nesting: the parser is never reached past 256 levels of braces, at 5,000
// or 20,000 levels alike; 100 levels are fine.
// RUN: %python %S/Inputs/gen_spec.py nested-residual 5000 > %t.deep.nas
// RUN: not nasc %t.deep.nas 2>&1 | FileCheck %s --check-prefix=DEEP
// RUN: %python %S/Inputs/gen_spec.py nested-residual 20000 > %t.deeper.nas
// RUN: not nasc %t.deeper.nas 2>&1 | FileCheck %s --check-prefix=DEEP
// DEEP: .nas:3:2815: error: '{' nested deeper than 256 levels
// RUN: %python %S/Inputs/gen_spec.py nested-residual 100 > %t.ok.nas
// RUN: nasc %t.ok.nas --emit=candidates | FileCheck %s --check-prefix=OK
// OK: encoding,macs,flops,params
// OK-NEXT: ,40,313394,40,

// .mlir input: nasc and nasc-opt check the bracket depth before MLIR's
// parser, from a file or standard input.
// RUN: %python %S/Inputs/gen_spec.py nested-mlir 5000 > %t.deep.mlir
// RUN: not nasc %t.deep.mlir 2>&1 | FileCheck %s --check-prefix=MLIR
// RUN: not nasc-opt %t.deep.mlir 2>&1 | FileCheck %s --check-prefix=MLIR
// RUN: not nasc-opt < %t.deep.mlir 2>&1 | FileCheck %s --check-prefix=MLIR
// MLIR: :2:576: error: brackets nested deeper than 576 levels

// Blocks nest without braces of their own: a chain of 5,000 blocks each
// using the one before stops at the 256th level.
// RUN: %python %S/Inputs/gen_spec.py block-chain 5000 > %t.blocks.nas
// RUN: not nasc %t.blocks.nas 2>&1 | FileCheck %s --check-prefix=BLOCKS
// BLOCKS: error: layers nested deeper than 256 levels

// Each use of a block is a copy: 2^40 copies stop at two million ops.
// RUN: %python %S/Inputs/gen_spec.py block-bomb 40 > %t.bomb.nas
// RUN: not nasc %t.bomb.nas 2>&1 | FileCheck %s --check-prefix=BOMB
// BOMB: error: the spec expands to more than 2000000 ops
// The same with a two-way choose in b0: its alternatives count, so the
// network's use of b19 (2.6 M ops) stops before any is built; counted as 1
// op, the tower built two million ops first (6 s; found by nasc-fuzz).
// RUN: %python %S/Inputs/gen_spec.py choose-bomb 19 > %t.cbomb.nas
// RUN: not nasc %t.cbomb.nas 2>&1 | FileCheck %s --check-prefix=CBOMB
// CBOMB: cbomb.nas:23:3: error: the spec expands to more than 2000000 ops

// A repeat is counted, not unrolled, by the verifier.
// RUN: split-file %s %t
// RUN: not nasc %t/repeat.nas 2>&1 | FileCheck %s --check-prefix=REPEAT
// REPEAT: repeat.nas:3:3: error: 'nas.repeat' op unrolls to more than 1000000 layers (count 1000000000 times 1 layers
// 200 nested `repeat 2` (2^200 layers) are counted without 2^200 work.
// RUN: %python %S/Inputs/gen_spec.py nested-repeat 200 > %t.repeats.nas
// RUN: not nasc %t.repeats.nas 2>&1 | FileCheck %s --check-prefix=REPEATS
// REPEATS: error: 'nas.repeat' op unrolls to more than 1000000 layers (count 2 times 524288 layers

// Costs past 64 bits are a located error naming the layer, never
// 18446744073709551615, in every output.
// RUN: not nasc %t/huge.nas --emit=candidates 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: not nasc %t/huge.nas --emit=stats 2>&1 | FileCheck %s --check-prefix=HUGE
// RUN: nasc %t/huge.nas --emit=mlir --candidate= -o %t.huge.mlir
// RUN: not nasc-opt %t.huge.mlir -nas-annotate-costs 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE-NOT: 18446744073709551615
// HUGE: huge.{{nas:3:3|mlir:5:7}}: error: 'nas.conv' op has costs past 64-bit counts
// HUGE-NOT: 18446744073709551615
// The same layers over a space: the largest sum overflows.
// RUN: not nasc %t/huge-sum.nas --emit=stats 2>&1 | FileCheck %s --check-prefix=SUM
// SUM-NOT: 18446744073709551615
// SUM: error: {{.*}}past 64-bit counts
// SUM-NOT: 18446744073709551615

// A long chain takes linear time (bench/RESULTS.md times 200,000 ops).
// RUN: %python %S/Inputs/gen_spec.py chain 50000 > %t.chain.nas
// RUN: nasc %t.chain.nas --emit=candidates | FileCheck %s --check-prefix=CHAIN
// CHAIN: encoding,macs
// CHAIN-NEXT: ,40,

//--- repeat.nas
dataset d { input = [3, 32, 32]; classes = 10; }
network n on d {
  repeat 1000000000 { conv(kernel = 3); }
  global_avg_pool -> fc(out = 10);
}
//--- huge.nas
dataset d { input = [3, 100000, 100000]; classes = 10; }
network n on d {
  conv(out = 2000000000);
  global_avg_pool -> fc(out = 10);
}
//--- huge-sum.nas
dataset d { input = [3, 30000, 30000]; classes = 10; }
network n on d {
  repeat 100 { conv(out = {1000000, 2000000}, kernel = 1); }
  global_avg_pool -> fc(out = 10);
}
