// RUN: nasc-opt %s -split-input-file -nas-annotate-costs -verify-diagnostics | FileCheck %s

// Per layer, per residual (its shortcut and add), per cell instance, and
// the totals on the spec; they add up to the totals (38570 MACs:
// 13824 + 4096 + 2048 + 18432 + 0 + 170).
// CHECK-LABEL: nas.spec @small
// CHECK-SAME:  nas.cost_convention = "macs: conv and fc multiply-accumulates, fc bias included
// CHECK-SAME:  nas.costs = {activation_bytes = 12392 : ui64, bops = 39495680 : ui64, flops = 83254 : ui64, macs = 38570 : ui64, model_bytes = 7048 : ui64, params = 1762 : ui64, peak_memory_bytes = 6144 : ui64}
// The cell's own layers carry nothing: their instance does.
// CHECK:       nas.conv {kernel = 1 : i64}
// CHECK:       nas.network
// CHECK-NEXT:  nas.conv {kernel = 3 : i64, nas.costs = {activation_bytes = 2048 : ui64, bops = 14155776 : ui64, flops = 27648 : ui64, macs = 13824 : ui64, model_bytes = 864 : ui64, output = array<i64: 8, 8, 8>, params = 216 : ui64}, out = 8 : i64}
// CHECK-NEXT:  nas.cell_ref @c {nas.costs = {activation_bytes = 6144 : ui64, bops = 4194304 : ui64, flops = 13312 : ui64, macs = 4096 : ui64, model_bytes = 256 : ui64, params = 64 : ui64}}
// CHECK-NEXT:  nas.residual projection attributes {nas.costs = {activation_bytes = 3072 : ui64, bops = 2097152 : ui64, flops = 4864 : ui64, macs = 2048 : ui64, model_bytes = 640 : ui64, params = 160 : ui64}}
// CHECK-NEXT:  nas.conv {kernel = 3 : i64, nas.costs = {{{.*}}macs = 18432 : ui64{{.*}}output = array<i64: 16, 4, 4>
// CHECK:       nas.global_pool avg {nas.costs = {{{.*}}output = array<i64: 16, 1, 1>
// CHECK-NEXT:  nas.fc {nas.costs = {activation_bytes = 40 : ui64, bops = 174080 : ui64, flops = 310 : ui64, macs = 170 : ui64, model_bytes = 680 : ui64, output = array<i64: 10>, params = 170 : ui64}, out = 10 : i64}
nas.spec @small {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "conv" {
        nas.conv {kernel = 1 : i64}
      }
    }
    nas.edge 0 -> 2 {
      nas.option "skip" {
        nas.identity
      }
    }
    nas.edge 1 -> 2 {
      nas.option "pool" {
        nas.pool avg {kernel = 3 : i64}
      }
    }
  }
  nas.network @n on @d {
    nas.conv {kernel = 3 : i64, out = 8 : i64}
    nas.cell_ref @c
    nas.residual projection {
      nas.conv {kernel = 3 : i64, out = 16 : i64, stride = 2 : i64}
    }
    nas.global_pool avg
    nas.fc {out = 10 : i64}
  }
}

// -----

// Not a concrete candidate: an error, nothing annotated.
nas.spec @searched {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    // expected-error @+1 {{'nas.conv' op has a searched 'out'; the cost analysis needs a concrete candidate (materialize one)}}
    nas.conv {out = #nas.choice<[8, 16]>}
    nas.fc {out = 10 : i64}
  }
}
