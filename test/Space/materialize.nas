// --candidate resolves every decision: no choose, no repeat, no choice or
// range left; repeats unrolled (each repetition with its own outcome);
// cell edges with their one option; compression defaults on every layer.
// RUN: nasc %s --emit=mlir --candidate='|z~0|+|s~0|s~1| b kernel=5 tanh relu' | FileCheck %s --implicit-check-not=nas.choose --implicit-check-not=nas.repeat --implicit-check-not='#nas.range' --implicit-check-not=nas.compress
// RUN: nasc %s --emit=mlir --candidate='|z~0|+|s~0|s~1| b kernel=5 tanh relu' | nasc-opt | FileCheck %s --check-prefix=VERIFIED
// RUN: not nasc %s --candidate='|z~0|+|s~0|s~1| b kernel=5 tanh' 2>&1 | FileCheck %s --check-prefix=SHORT

dataset d { input = [3, 8, 8]; classes = 10; }
compress { wbits = 8; }
cell c(nodes = 3) { edges all : { s: identity; z: zero; } }
network n {
  c;
  pick: choose { a: identity; b: conv(out = 16, kernel = {3, 5}); }
  repeat 2 { act: choose { relu: relu; tanh: tanh; } }
  fc(out = 10);
}

// CHECK:      nas.cell @c nodes 3 inputs 1 output last {
// CHECK-NEXT:   nas.edge 0 -> 1 {
// CHECK-NEXT:     nas.option "z" {
// CHECK-NEXT:       nas.zero
// CHECK:        nas.edge 0 -> 2 {
// CHECK-NEXT:     nas.option "s" {
// CHECK:        nas.edge 1 -> 2 {
// CHECK-NEXT:     nas.option "s" {
// CHECK:      nas.network @n on @d {
// CHECK-NEXT:   nas.cell_ref @c
// CHECK-NEXT:   nas.conv {kernel = 5 : i64, out = 16 : i64, wbits = 8 : i64}
// CHECK-NEXT:   nas.act tanh
// CHECK-NEXT:   nas.act relu
// CHECK-NEXT:   nas.fc {out = 10 : i64, wbits = 8 : i64}
// CHECK-NEXT: }

// VERIFIED: nas.spec @materialize

// SHORT: nasc: error: --candidate: missing token 5: expected relu, tanh for 'repeat/act[1]'
