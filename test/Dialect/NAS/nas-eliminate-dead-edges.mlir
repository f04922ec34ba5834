// RUN: nasc-opt %s -split-input-file -nas-eliminate-dead-edges | FileCheck %s
// RUN: nasc-opt %s -split-input-file -nas-eliminate-dead-edges -test-print-costs -o /dev/null 2>&1 | FileCheck %s --check-prefix=COSTS

// |nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|: node 1
// only feeds node 2 through `none`, node 2 gets only `none`s, so the conv on
// 0 -> 1 reaches nothing: it becomes zero. Node 3 = skip(node 0) stays.
// CHECK-LABEL: nas.spec @unreachable
// CHECK:      nas.edge 0 -> 1 {
// CHECK-NEXT:   nas.option "conv" attributes {nas.dead} {
// CHECK-NEXT:     nas.zero
// CHECK-NEXT:   }
// CHECK:      nas.edge 0 -> 3 {
// CHECK-NEXT:   nas.option "skip" {
// CHECK-NEXT:     nas.identity
// COSTS-LABEL: costs of @unreachable
// COSTS: total: macs 50 {{.*}} params 50
nas.spec @unreachable {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "conv" { nas.conv {kernel = 3} } }
    nas.edge 0 -> 2 { nas.option "none" { nas.zero } }
    nas.edge 1 -> 2 { nas.option "none" { nas.zero } }
    nas.edge 0 -> 3 { nas.option "skip" { nas.identity } }
    nas.edge 1 -> 3 { nas.option "none" { nas.zero } }
    nas.edge 2 -> 3 { nas.option "none" { nas.zero } }
  }
  nas.network @n on @d { nas.cell_ref @c nas.global_pool avg nas.fc {out = 10} }
}

// -----

// An edge out of a node fed only by zeros computes on zeros: dead too.
// CHECK-LABEL: nas.spec @zero_fed
// CHECK:      nas.edge 1 -> 2 {
// CHECK-NEXT:   nas.option "conv" attributes {nas.dead} {
// CHECK-NEXT:     nas.zero
// CHECK:      nas.edge 0 -> 2 {
// CHECK-NEXT:   nas.option "conv" {
// CHECK-NEXT:     nas.conv
nas.spec @zero_fed {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "none" { nas.zero } }
    nas.edge 1 -> 2 { nas.option "conv" { nas.conv {kernel = 3} } }
    nas.edge 0 -> 2 { nas.option "conv" { nas.conv {kernel = 3} } }
  }
  nas.network @n on @d { nas.cell_ref @c nas.global_pool avg nas.fc {out = 10} }
}
