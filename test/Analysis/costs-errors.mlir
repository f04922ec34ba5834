// RUN: nasc-opt %s -split-input-file -test-print-costs -verify-diagnostics -o /dev/null

// Candidates the verifier accepts but the cost analysis rejects: shape
// errors that only shape inference of the whole candidate finds, and specs
// that are not concrete. One case each; errors inside a cell carry a note at
// the cell instance.

// mbconv groups must divide its input channels.
nas.spec @mbconv_groups {
  nas.dataset @d input [6, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.mbconv' op groups 4 do not divide its 6 input channels}}
    nas.mbconv {groups = 4 : i64, out = 8 : i64}
  }
}

// -----

// A body that keeps the channels but not the spatial size cannot take an
// identity shortcut.
nas.spec @residual_mismatch {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{identity shortcut adds its input of shape [4, 8, 8] to a body output of shape [4, 1, 1]}}
    nas.residual identity {
      nas.global_pool avg
    }
  }
}

// -----

// The avgpool_conv shortcut halves the resolution; this body does not.
nas.spec @avgpool_conv_mismatch {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'avgpool_conv' shortcut produces [8, 4, 4], but the body produces [8, 8, 8]}}
    nas.residual avgpool_conv {
      nas.conv {out = 8 : i64}
    }
  }
}

// -----

// Nothing spatial after an fc, even inside a block.
nas.spec @conv_after_fc {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.block "head" {
      nas.global_pool avg
      nas.fc {out = 10 : i64}
      // expected-error @+1 {{'nas.conv' op needs a [C, H, W] input, but its input is the flat [10]}}
      nas.conv {kernel = 1 : i64}
    }
  }
}

// -----

// A grouped conv on a cell edge, 4 channels at the node.
nas.spec @cell_groups {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    nas.edge 0 -> 1 {
      // expected-error @+1 {{'nas.conv' op groups 3 do not divide its 4 input channels}}
      nas.option "g3" { nas.conv {groups = 3 : i64} }
    }
  }
  nas.network @net on @d {
    nas.conv {kernel = 1 : i64}
    // expected-note @+1 {{in 'cells/c#0', an instance of cell @c}}
    nas.stage "cells" { nas.cell_ref @c  nas.cell_ref @c }
  }
}

// -----

// A 2-input cell whose inputs differ in shape, both feeding node 2.
nas.spec @cell_inputs {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 2 output last {
    nas.edge 0 -> 2 {
      nas.option "skip" { nas.identity }
    }
    // expected-error @+1 {{'nas.edge' op reads node 1 of shape [8, 8, 8], but node 2's other incoming edges read [4, 8, 8]}}
    nas.edge 1 -> 2 {
      nas.option "skip" { nas.identity }
    }
  }
  nas.network @net on @d {
    nas.conv {kernel = 1 : i64, out = 8 : i64}
    nas.conv {kernel = 1 : i64, out = 4 : i64}
    // expected-note @+1 {{in 'c', an instance of cell @c}}
    nas.cell_ref @c
  }
}

// -----

// Concatenated nodes must agree in spatial size: input 0 is the pool's
// [4, 4, 4] output, input 1 the conv's [4, 8, 8].
nas.spec @cell_concat {
  nas.dataset @d input [4, 8, 8] classes 10
  // expected-error @+1 {{'nas.cell' op concatenates node 3 of shape [4, 8, 8] with node 2 of shape [4, 4, 4]}}
  nas.cell @c nodes 4 inputs 2 output concat {
    nas.edge 0 -> 2 {
      nas.option "skip" { nas.identity }
    }
    nas.edge 1 -> 3 {
      nas.option "skip" { nas.identity }
    }
  }
  nas.network @net on @d {
    nas.conv {kernel = 1 : i64}
    nas.pool max {stride = 2 : i64}
    // expected-note @+1 {{in 'c', an instance of cell @c}}
    nas.cell_ref @c
  }
}

// -----

// Not concrete: a choice left in the network.
nas.spec @choose {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.choose' op is a choice; the cost analysis needs a concrete candidate (materialize one)}}
    nas.choose {
      nas.option "a" { nas.conv }
      nas.option "b" { nas.identity }
    }
  }
}

// -----

nas.spec @repeat {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.repeat' op is a repeat; the cost analysis needs a concrete candidate}}
    nas.repeat 2 : i64 { nas.conv }
  }
}

// -----

nas.spec @searched_param {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op has a searched 'kernel'; the cost analysis needs a concrete candidate}}
    nas.conv {kernel = #nas.choice<[3, 5]>}
  }
}

// -----

nas.spec @edge_options {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    // expected-error @+1 {{'nas.edge' op has 2 options, but a concrete cell edge has one}}
    nas.edge 0 -> 1 {
      nas.option "skip" { nas.identity }
      nas.option "none" { nas.zero }
    }
  }
  nas.network @net on @d {
    nas.cell_ref @c
  }
}

// -----

// nas.compress searches the bit width of a layer that does not set its own.
nas.spec @compress_searched {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {wbits = 8 : i64}
    // expected-error @+1 {{'nas.conv' op takes 'wbits' from 'nas.compress', where it is searched}}
    nas.conv
  }
  nas.compress {wbits = #nas.choice<[4, 8]>}
}
