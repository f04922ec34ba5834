// RUN: nasc-opt %s -split-input-file -nas-quantize -verify-diagnostics

nas.spec @searched {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @n on @d {
    // expected-error @+1 {{'nas.conv' op 'wbits' is still searched; nas-quantize needs a concrete candidate (nasc --candidate)}}
    nas.conv {out = 16, wbits = #nas.choice<[4, 8]>}
    nas.fc {out = 10}
  }
}
