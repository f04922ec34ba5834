// RUN: nasc-opt %s -split-input-file -verify-diagnostics

// Every verifier error of the nas dialect, one case each. Each case is a
// complete spec that would be valid but for the one marked error.

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{a choice needs at least one alternative}}
    nas.conv {kernel = #nas.choice<[]>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{choice alternative [3, 5] is not an integer, float, string or quantity}}
    nas.conv {kernel = #nas.choice<[[3, 5]]>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{choice mixes integer and float alternatives}}
    nas.conv {kernel = #nas.choice<[3, 5.0]>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{choice lists 3 twice}}
    nas.conv {kernel = #nas.choice<[3, 5, 3]>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{range step must be positive, got 0}}
    nas.conv {out = #nas.range<16, 64, 0>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{range is empty: 64 > 16}}
    nas.conv {out = #nas.range<64, 16, 16>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{range 16..64 step 20 does not end on its upper bound}}
    nas.conv {out = #nas.range<16, 64, 20>}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{unknown unit 'parsec'}}
  nas.constraint params lt <1.0 "parsec">
}

//===----------------------------------------------------------------------===//
// Operation constraints generated from ODS
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op attribute 'kernel' failed to satisfy constraint: an integer, #nas.choice, #nas.range or #nas.expr}}
    nas.conv {kernel = 3.0}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.fc' op attribute 'prune' failed to satisfy constraint: a 64-bit float or #nas.choice}}
    nas.fc {out = 10, prune = 1}
  }
}

// -----

// Only the module top level reaches the parent checks: inside a spec or a
// layer body the container rejects a misplaced edge or objective first.
// expected-error @+1 {{'nas.edge' op expects parent op 'nas.cell'}}
nas.edge 0 -> 1 { nas.option "a" { nas.identity } }

// -----

// expected-error @+1 {{'nas.objective' op expects parent op 'nas.objectives'}}
nas.objective maximize accuracy

//===----------------------------------------------------------------------===//
// nas.spec
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.conv' op cannot appear at the top of a 'nas.spec'}}
  nas.conv {out = 8}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.search random
  // expected-error @+1 {{'nas.search' op may appear only once in a spec}}
  nas.search grid
}

// -----

// expected-error @+1 {{'nas.spec' op must hold exactly one 'nas.network', found 0}}
nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
}

// -----

// expected-error @+1 {{'nas.spec' op must hold exactly one 'nas.network', found 2}}
nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @a on @d { nas.fc {out = 10} }
  nas.network @b on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.objectives' op 'constrained' formulation needs at least one constraint}}
  nas.objectives constrained { nas.objective maximize accuracy }
}

//===----------------------------------------------------------------------===//
// nas.dataset
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  // expected-error @+1 {{'nas.dataset' op input shape must be [features] or [channels, height, width], got rank 2}}
  nas.dataset @d input [28, 28] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  // expected-error @+1 {{'nas.dataset' op input dimensions must be positive, got 0}}
  nas.dataset @d input [3, 0, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  // expected-error @+1 {{'nas.dataset' op needs at least one class, got 0}}
  nas.dataset @d input [3, 8, 8] classes 0
  nas.network @net on @d { nas.global_pool avg }
}

//===----------------------------------------------------------------------===//
// nas.target
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op unknown property 'dsp' for a gpu target; expected one of peak_compute, bandwidth, memory, sram, flash, cache, frequency, cores, power, energy_per_mac, energy_per_byte, overhead, peak_int8, preset, area}}
  nas.target @t gpu {props = {dsp = #nas.quantity<100.0 "">}}
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op 'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB)}}
  nas.target @t gpu {props = {memory = #nas.quantity<8.0 "GHz">}}
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op 'overhead' must not be negative}}
  nas.target @t gpu {props = {overhead = #nas.quantity<-1.0 "us">}}
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op tunable 'tile' must be a choice or a range}}
  nas.target @t fpga {tunables = {tile = 16}}
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

// An fpga or cpu target's tunable binds to its backend: a known name, and
// alternatives the backend builds.
nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op unknown tunable 'tile' for a fpga target; expected one of template, pe, stages}}
  nas.target @t fpga {tunables = {tile = #nas.choice<[8, 16]>}}
  nas.network @net on @d { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.target' op tunable 'pe': the range reaches 128; it must be an integer in 1..64}}
  nas.target @t fpga {tunables = {pe = #nas.range<32, 128, 32>}}
  nas.network @net on @d { nas.fc {out = 10} }
}

//===----------------------------------------------------------------------===//
// nas.network
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.compress' op is not a layer and cannot appear in 'nas.network'}}
    nas.compress {wbits = 8}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.fc {out = 10}
    // expected-error @+1 {{'nas.conv' op needs a spatial input, but a preceding 'nas.fc' has flattened it}}
    nas.conv {out = 8}
  }
}

// -----

nas.spec @s {
  nas.target @t gpu
  // expected-error @+1 {{'nas.network' op refers to unknown dataset @missing}}
  nas.network @net on @missing { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.target @t gpu
  // expected-error @+1 {{'nas.network' op @t is not a dataset}}
  nas.network @net on @t { nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.fc {out = 64}
    nas.act relu
    // expected-error @+1 {{'nas.fc' op produces 5 outputs but dataset @d has 10 classes}}
    nas.fc {out = 5}
  }
}

//===----------------------------------------------------------------------===//
// nas.option, nas.choose
//===----------------------------------------------------------------------===//

// -----

// An option outside any nas.choose or nas.edge: in a spec or a layer body the
// container reports it first, so only the module top level reaches this.
// expected-error @+1 {{'nas.option' op must be inside 'nas.choose' or 'nas.edge'}}
nas.option "a" { nas.identity }

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.choose {
      nas.option "a" { nas.identity }
      // expected-error @+1 {{'nas.option' op 'b' is empty; use 'identity' for a skip}}
      nas.option "b" {}
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.choose {
      nas.option "a" {
        // expected-error @+1 {{'nas.objectives' op is not a layer and cannot appear in 'nas.option'}}
        nas.objectives single { nas.objective maximize accuracy }
      }
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.choose {
      nas.option "a" { nas.identity }
      // expected-error @+1 {{'nas.conv' op cannot appear in 'nas.choose': expected 'nas.option'}}
      nas.conv {out = 8}
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.choose {
      nas.option "a" { nas.identity }
      // expected-error @+1 {{'nas.option' op duplicate option name 'a'}}
      nas.option "a" { nas.zero }
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.choose' op needs at least one option}}
    nas.choose "empty" {}
    nas.fc {out = 10}
  }
}

//===----------------------------------------------------------------------===//
// nas.repeat, nas.stage, nas.block, nas.residual, nas.cell_ref
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.repeat' op 'count' must be at least 1, got 0}}
    nas.repeat #nas.range<0, 2, 1> { nas.conv }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.repeat' op 'count' choices must be integers, got "two"}}
    nas.repeat #nas.choice<["two", "three"]> { nas.conv }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.stage "body" {
      // expected-error @+1 {{'nas.dataset' op is not a layer and cannot appear in 'nas.stage'}}
      nas.dataset @inner input [8] classes 2
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.block "b" {
      // expected-error @+1 {{'nas.search' op is not a layer and cannot appear in 'nas.block'}}
      nas.search random
    }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.residual' op needs a body}}
    nas.residual projection {}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.residual' op identity shortcut needs a body that keeps the spatial size, but it has stride 2; use 'projection'}}
    nas.residual identity { nas.conv nas.stage { nas.conv {stride = 2} } }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.cell_ref' op refers to unknown cell @missing}}
    nas.cell_ref @missing
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.cell_ref' op @d is not a cell}}
    nas.cell_ref @d
    nas.fc {out = 10}
  }
}

//===----------------------------------------------------------------------===//
// nas.cell, nas.edge
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.cell' op needs at least one input node, got 0}}
  nas.cell @c nodes 2 inputs 0 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.cell' op has 2 nodes but 2 of them are inputs; it needs at least one more}}
  nas.cell @c nodes 2 inputs 2 output concat {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    // expected-error @+1 {{'nas.conv' op cannot appear in a cell: expected 'nas.edge'}}
    nas.conv
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "skip" { nas.identity } }
    // expected-error @+1 {{'nas.edge' op targets node 3 but the cell has 3 nodes (0..2)}}
    nas.edge 0 -> 3 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 2 output last {
    // expected-error @+1 {{'nas.edge' op targets node 1, which is an input of the cell}}
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    // expected-error @+1 {{'nas.edge' op duplicates edge 0 -> 1}}
    nas.edge 0 -> 1 { nas.option "none" { nas.zero } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  // expected-error @+1 {{'nas.cell' op node 2 has no incoming edge}}
  nas.cell @c nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    nas.edge 1 -> 3 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output last {
    nas.edge 0 -> 1 { nas.option "skip" { nas.identity } }
    // expected-error @+1 {{'nas.edge' op goes from node 2 to node 2: edges must go to a later node (the cell is a DAG in node order)}}
    nas.edge 2 -> 2 { nas.option "skip" { nas.identity } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "skip" { nas.identity }
      // expected-error @+1 {{'nas.conv' op cannot appear in 'nas.edge': expected 'nas.option'}}
      nas.conv
    }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    // expected-error @+1 {{'nas.edge' op has an option with stride 2, but cell edges must keep the node shape}}
    nas.edge 0 -> 1 {
      nas.option "skip" { nas.identity }
      nas.option "down" { nas.conv {stride = 2} }
    }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op 'out' must be at least 1, got 0}}
    nas.conv {out = 0}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op kernel 4 must be odd for 'same' padding}}
    nas.conv {kernel = #nas.range<3, 5, 1>}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op out channels 24 are not divisible by groups 16}}
    nas.conv {out = #nas.choice<[16, 24]>, groups = #nas.choice<[8, 16]>}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.sep_conv' op 'wbits' must be in [1, 32], got 64}}
    nas.sep_conv {wbits = #nas.choice<[8, 64]>}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.mbconv' op 'prune' ratios must be numbers, got "none"}}
    nas.mbconv {prune = #nas.choice<["none", "half"]>}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.fc' op 'prune' ratio must be in [0, 1), got 1}}
    nas.fc {out = 10, prune = 1.0}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.pool' op 'stride' must be at least 1, got 0}}
    nas.pool max {stride = 0}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.identity' op 'out' must be at least 1, got -8}}
    nas.identity {out = -8}
    nas.fc {out = 10}
  }
}

//===----------------------------------------------------------------------===//
// nas.objectives, nas.objective
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives single {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.search' op cannot appear in 'nas.objectives'}}
    nas.search random
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.objectives' op needs at least one objective}}
  nas.objectives single {}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.target @t gpu
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    nas.objective minimize latency on @t
    // expected-error @+1 {{'nas.objective' op repeats metric 'latency' on @t}}
    nas.objective maximize latency on @t
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives weighted_sum {
    nas.objective maximize accuracy {weight = 1.0}
    // expected-error @+1 {{'nas.objective' op needs a weight in a 'weighted_sum' formulation}}
    nas.objective minimize params
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.objective' op has a weight, but the formulation 'pareto' does not combine objectives by weight}}
    nas.objective minimize params {weight = 0.5}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives two_stage {
    nas.objective maximize accuracy {stage = 1}
    // expected-error @+1 {{'nas.objective' op needs 'stage 1' or 'stage 2' in a 'two_stage' formulation}}
    nas.objective minimize params
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.objective' op has a stage, but the formulation is 'pareto'}}
    nas.objective minimize params {stage = 2}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.objectives' op 'single' formulation optimizes exactly one objective, got 2}}
  nas.objectives single {
    nas.objective maximize accuracy
    nas.objective minimize params
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.objectives' op 'weighted_product' formulation needs at least two objectives}}
  nas.objectives weighted_product {
    nas.objective maximize accuracy {weight = 1.0}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.objectives' op 'two_stage' formulation needs objectives in both stage 1 and stage 2}}
  nas.objectives two_stage {
    nas.objective maximize accuracy {stage = 1}
    nas.objective minimize params {stage = 1}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives weighted_sum {
    nas.objective maximize accuracy {weight = 1.0}
    // expected-error @+1 {{'nas.objective' op weight must be positive, got 0}}
    nas.objective minimize params {weight = 0.0}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives two_stage {
    nas.objective maximize accuracy {stage = 1}
    nas.objective minimize params {stage = 2}
    // expected-error @+1 {{'nas.objective' op needs 'stage 1' or 'stage 2' in a 'two_stage' formulation}}
    nas.objective minimize macs {stage = 0}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.target @t gpu
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    // expected-error @+1 {{'nas.objective' op metric 'accuracy' does not depend on hardware and takes no target}}
    nas.objective maximize accuracy on @t
    nas.objective minimize latency on @t
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.objective' op metric 'energy' depends on hardware and needs a target}}
    nas.objective minimize energy
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.objective' op refers to unknown target @gpu}}
    nas.objective minimize latency on @gpu
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    // expected-error @+1 {{'nas.objective' op @net is not a target}}
    nas.objective minimize latency on @net
  }
}

//===----------------------------------------------------------------------===//
// nas.constraint
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.target @t gpu
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op metric 'params' does not depend on hardware and takes no target}}
  nas.constraint params on @t lt <1.0 "M">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op metric 'latency' depends on hardware and needs a target}}
  nas.constraint latency lt <5.0 "ms">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.target @t gpu
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op bound on 'latency' must be a time (h, min, s, ms, us, ns), but 'mJ' is energy}}
  nas.constraint latency on @t lt <5.0 "mJ">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op bound must not be negative}}
  nas.constraint model_size le <-1.0 "MB">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op accuracy bound 95 is above 1 (write 0.9 or 90 %)}}
  nas.constraint accuracy ge <95.0 "">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op refers to unknown target @edge}}
  nas.constraint latency on @edge lt <5.0 "ms">
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.constraint' op @d is not a target}}
  nas.constraint latency on @d lt <5.0 "ms">
}

//===----------------------------------------------------------------------===//
// nas.compress, nas.search, nas.evaluate
//===----------------------------------------------------------------------===//

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.compress' op 'abits' must be in [2, 32], got 0}}
  nas.compress {abits = #nas.range<0, 8, 4>}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.search' op budget must be at least 1, got 0}}
  nas.search random {budget = 0}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.search' op unknown parameter 'population' for strategy 'reinforce'; expected one of lr, baseline_decay, entropy, batch, time_limit}}
  nas.search reinforce {params = {population = 10}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.search' op 'time_limit' must be a time quantity (h, min, s, ms, us, ns)}}
  nas.search evolution {params = {time_limit = 60}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op unknown parameter 'epoch' for the evaluation; expected one of epochs, batch_size, lr, optimizer, schedule, patience, proxy_fraction, hot_start, checkpoint, table, proxy, threads}}
  nas.evaluate train {params = {epoch = 10}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op 'lr' must be a number}}
  nas.evaluate train {params = {lr = "fast"}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op 'batch_size' must be at least 1, got 0}}
  nas.evaluate train {params = {epochs = 5, batch_size = 0}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op 'patience' must not be negative}}
  nas.evaluate train {params = {patience = -1}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op 'proxy_fraction' must be in (0, 1], got 1.5}}
  nas.evaluate train {params = {proxy_fraction = 1.5}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op method 'table' needs 'table'}}
  nas.evaluate table
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d { nas.fc {out = 10} }
  // expected-error @+1 {{'nas.evaluate' op method 'zero_cost' needs 'proxy'}}
  nas.evaluate zero_cost {params = {epochs = 1}}
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    // expected-error @+1 {{'nas.conv' op groups 2 do not divide its 3 input channels}}
    nas.conv {out = 16, groups = 2}
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {out = 16}
    // expected-error @+1 {{'nas.residual' op identity shortcut adds 16 input channels to a body output of 32 channels; use 'projection'}}
    nas.residual identity { nas.conv {out = 32} }
    nas.fc {out = 10}
  }
}

// -----

nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.cell @c nodes 2 inputs 1 output last {
    // expected-error @+1 {{'nas.edge' op has an option that sets 'out', but cell edges must keep the node's channel count}}
    nas.edge 0 -> 1 { nas.option "w" { nas.conv {out = 8} } }
  }
  nas.network @net on @d { nas.cell_ref @c nas.fc {out = 10} }
}

// -----

// The channel count is unknown after a searched width: no error.
nas.spec @s {
  nas.dataset @d input [3, 8, 8] classes 10
  nas.network @net on @d {
    nas.conv {out = #nas.choice<[16, 24]>}
    nas.conv {out = 32, groups = 4}
    nas.fc {out = 10}
  }
}

// -----

// A concatenating cell changes the channel count: the checker does not
// assume it keeps 4 channels, so groups = 8 after it is fine here.
nas.spec @s {
  nas.dataset @d input [4, 8, 8] classes 10
  nas.cell @c nodes 3 inputs 1 output concat {
    nas.edge 0 -> 1 { nas.option "s" { nas.identity } }
    nas.edge 0 -> 2 { nas.option "s" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "s" { nas.identity } }
  }
  nas.network @net on @d {
    nas.cell_ref @c
    nas.conv {out = 8, groups = 8}
    nas.fc {out = 10}
  }
}
