// RUN: nasc-opt %s -nas-eliminate-dead-edges -verify-diagnostics

nas.spec @searched {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    // expected-error @+1 {{'nas.edge' op has several options; nas-eliminate-dead-edges needs a concrete candidate (nasc --candidate)}}
    nas.edge 0 -> 1 { nas.option "a" { nas.identity } nas.option "b" { nas.zero } }
  }
  nas.network @n on @d { nas.cell_ref @c nas.global_pool avg nas.fc {out = 10} }
}
