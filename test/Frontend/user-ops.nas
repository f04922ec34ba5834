// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s

// User-defined ops (docs/language.md, "User-defined ops"): each call is a
// `nas.block ... scope` holding the op's body with its parameters bound;
// what depends on `in` (the call's input channels) stays a #nas.expr,
// everything else is folded; a call with choice-valued arguments is one
// decision over the product of their values, labelled name+value joined
// by `_`; op-valued parameters name the op they call.

dataset d { input = [16, 8, 8]; classes = 10; }

op ir(k, e, g = 1, stride = 1, mid = in * e) {
  residual(shortcut = identity_or_none) {
    conv(out = mid, kernel = 1, groups = g) -> bn -> relu;
    shuffle(groups = g);
    dwconv(kernel = k, stride = stride) -> bn -> relu;
    conv(out = out, kernel = 1, groups = g) -> bn;
  }
}

op se4() { se(squeeze = make_divisible(in / 4, 8)); }

op mb(k, e, act = relu, attn = identity) {
  conv(out = make_divisible(in * e, 8), kernel = 1) -> bn -> act;
  dwconv(kernel = k) -> bn -> act -> attn;
  conv(out = out, kernel = 1) -> bn;
}

// An op calling another: the argument `in * 2` is the caller's input.
op twice(k) { ir(k = k, e = 2, out = in * 2); }

// A default may use `out` (by default `in`) and earlier parameters.
op wide(mid = out * 2) { conv(out = mid, kernel = 1); conv(out = out, kernel = 1); }

ops blocks {
  a: ir(k = 3, e = 1, g = 2);
  skip: identity;
}

network n {
  // CHECK-LABEL: nas.block "l0" scope {
  // CHECK-NEXT:    nas.residual identity_or_none {
  // CHECK-NEXT:      nas.conv {groups = 1 : i64, kernel = 1 : i64, out = #nas.expr<"in * 6">}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.shuffle {groups = 1 : i64}
  // CHECK-NEXT:      nas.conv {depthwise, kernel = 5 : i64, stride = 2 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:      nas.act relu
  // CHECK-NEXT:      nas.conv {groups = 1 : i64, kernel = 1 : i64, out = 24 : i64}
  // CHECK-NEXT:      nas.bn
  // CHECK-NEXT:    }
  // CHECK-NEXT:  }
  l0: ir(k = 5, e = 6, stride = 2, out = 24);

  // Op set arguments reach user ops as they reach built-in ones.
  // CHECK:       nas.choose "l1" {
  // CHECK-NEXT:    nas.option "a" {
  // CHECK-NEXT:      nas.block "ir" scope {
  // CHECK-NEXT:        nas.residual identity_or_none {
  // CHECK-NEXT:          nas.conv {groups = 2 : i64, kernel = 1 : i64, out = #nas.expr<"in * 1">}
  // CHECK:               nas.shuffle {groups = 2 : i64}
  // CHECK:               nas.conv {groups = 2 : i64, kernel = 1 : i64, out = 32 : i64}
  // CHECK:         nas.option "skip" {
  // CHECK-NEXT:      nas.identity {out = 32 : i64}
  l1: choose blocks(out = 32);

  // CHECK:       nas.choose "l2" {
  // CHECK-NEXT:    nas.option "k3_e3" {
  // CHECK-NEXT:      nas.block "mb" scope {
  // CHECK-NEXT:        nas.conv {kernel = 1 : i64, out = #nas.expr<"make_divisible(in * 3, 8)">}
  // CHECK-NEXT:        nas.bn
  // CHECK-NEXT:        nas.act hswish
  // CHECK-NEXT:        nas.conv {depthwise, kernel = 3 : i64}
  // CHECK-NEXT:        nas.bn
  // CHECK-NEXT:        nas.act hswish
  // CHECK-NEXT:        nas.block "se4" scope {
  // CHECK-NEXT:          nas.se {squeeze = #nas.expr<"make_divisible(in / 4, 8)">}
  // CHECK-NEXT:        }
  // CHECK-NEXT:        nas.conv {kernel = 1 : i64, out = #nas.expr<"in">}
  // CHECK:         nas.option "k3_e6" {
  // CHECK:         nas.option "k5_e3" {
  // CHECK:         nas.option "k5_e6" {
  // CHECK-NOT:     nas.option
  // CHECK:       nas.block "twice" scope {
  // CHECK-NEXT:    nas.block "ir" scope {
  // CHECK-NEXT:      nas.residual identity_or_none {
  // CHECK-NEXT:        nas.conv {groups = 1 : i64, kernel = 1 : i64, out = #nas.expr<"in * 2">}
  // CHECK:             nas.conv {groups = 1 : i64, kernel = 1 : i64, out = #nas.expr<"in^1 * 2">}
  // CHECK:       nas.block "wide" scope {
  // CHECK-NEXT:    nas.conv {kernel = 1 : i64, out = 48 : i64}
  // CHECK-NEXT:    nas.conv {kernel = 1 : i64, out = 24 : i64}
  // CHECK:       nas.block "wide" scope {
  // CHECK-NEXT:    nas.conv {kernel = 1 : i64, out = #nas.expr<"in * 2">}
  // CHECK-NEXT:    nas.conv {kernel = 1 : i64, out = #nas.expr<"in">}
  l2: mb(k = {3, 5}, e = {3, 6}, act = hswish, attn = se4);
  twice(k = 3);
  wide(out = 24);
  wide();
  global_avg_pool -> fc(out = classes);
}
