// RUN: nasc-opt %s -split-input-file -nas-prune -verify-diagnostics | FileCheck %s
// RUN: nasc-opt %s -split-input-file -nas-prune -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=COSTS

// A quarter of 32 channels go; the next layers take 24 inputs. The
// classifier keeps its 10 outputs.
// CHECK-LABEL: nas.spec @chain
// CHECK:      nas.conv {kernel = 3 : i64, out = 16 : i64}
// CHECK-NEXT: nas.act relu
// CHECK-NEXT: nas.conv {kernel = 3 : i64, nas.pruned_from = 32 : i64, out = 24 : i64}
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {out = 10 : i64}
// Costs after pruning: conv#1 is 3*3*16*24*8*8 = 221184 MACs and 3456
// params (294912 and 4608 before); the fc has 24*10+10 = 250.
// COSTS-LABEL: costs of @chain
// COSTS: layer conv#1: out [24, 8, 8] macs 221184 flops 442368 params 3456
// COSTS: layer fc: out [10] macs 250 flops 470 params 250
// COSTS: total: macs 249082 flops 500694 params 4138
nas.spec @chain {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    nas.conv {out = 16, kernel = 3}
    nas.act relu
    nas.conv {out = 32, kernel = 3, prune = 0.25}
    nas.global_pool avg
    // expected-warning @+1 {{prune ratio 0.5 not applied: the classifier's width is the class count}}
    nas.fc {out = 10, prune = 0.5}
  }
}

// -----

// Through a residual: the body's inner layer may shrink, its last layer is
// added to the shortcut and keeps the input's 16 channels.
// CHECK-LABEL: nas.spec @residual
// CHECK:      nas.residual identity {
// CHECK-NEXT:   nas.conv {kernel = 3 : i64, nas.pruned_from = 16 : i64, out = 8 : i64}
// CHECK-NEXT:   nas.act relu
// CHECK-NEXT:   nas.conv {kernel = 3 : i64, out = 16 : i64}
// COSTS-LABEL: costs of @residual
// COSTS: total: macs {{[0-9]+}}
nas.spec @residual {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    nas.conv {out = 16}
    nas.residual identity {
      nas.conv {kernel = 3, out = 16, prune = 0.5}
      nas.act relu
      // expected-warning @+1 {{prune ratio 0.5 not applied: its output is added to an identity shortcut}}
      nas.conv {kernel = 3, out = 16, prune = 0.5}
    }
    nas.global_pool avg
    nas.fc {out = 10}
  }
}

// -----

// At least one channel stays.
// CHECK-LABEL: nas.spec @keep_one
// CHECK: nas.conv {nas.pruned_from = 2 : i64, out = 1 : i64}
nas.spec @keep_one {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    nas.conv {out = 2, prune = 0.9}
    nas.global_pool avg
    nas.fc {out = 10}
  }
}
