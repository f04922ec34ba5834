// RUN: nasc-opt %s -split-input-file -nas-prune -verify-diagnostics

nas.spec @searched {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    // expected-error @+1 {{'nas.conv' op 'prune' is still searched; nas-prune needs a concrete candidate (nasc --candidate)}}
    nas.conv {out = 16, prune = #nas.choice<[0.0, 0.5]>}
    nas.fc {out = 10}
  }
}
