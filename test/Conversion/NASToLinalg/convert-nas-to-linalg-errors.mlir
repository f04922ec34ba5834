// RUN: nasc-opt %s --convert-nas-to-linalg -split-input-file -verify-diagnostics

// A space, not a candidate: materialize it first (nasc --candidate).
nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 4
  nas.network @n on @d {
    // expected-error @+1 {{'nas.choose' op is a choice; the cost analysis needs a concrete candidate}}
    nas.choose {
      nas.option "a" {
        nas.conv {kernel = 3 : i64, out = 8 : i64}
      }
      nas.option "b" {
        nas.conv {kernel = 5 : i64, out = 8 : i64}
      }
    }
    nas.global_pool avg
    nas.fc {out = 4 : i64}
  }
}

// -----

// expected-error @+1 {{expected exactly one 'nas.spec', found 0}}
module {
}
