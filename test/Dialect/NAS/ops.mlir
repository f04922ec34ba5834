// RUN: nasc-opt %s | nasc-opt | FileCheck %s
// RUN: nasc-opt %s --mlir-print-op-generic | nasc-opt | FileCheck %s
// RUN: nasc-opt %s -emit-bytecode | nasc-opt | FileCheck %s

// Round trip of every op, attribute and enum case of the nas dialect: the
// custom form, the generic form and bytecode must all parse back and print
// the same custom form. Each spec covers one concern.

// Layers: every layer op with every one of its attributes set, fixed values.
// CHECK-LABEL: nas.spec @layers {
// CHECK-NEXT: nas.dataset @cifar10 input [4, 32, 32] classes 10 {path = "data/cifar10", source = "cifar10"}
// CHECK-NEXT: nas.network @net on @cifar10 {
// CHECK-NEXT: nas.conv {abits = 8 : i64, dilation = 2 : i64, groups = 2 : i64, kernel = 3 : i64, name = "stem", out = 16 : i64, prune = 2.500000e-01 : f64, stride = 1 : i64, wbits = 8 : i64}
// CHECK-NEXT: nas.sep_conv {abits = 8 : i64, kernel = 5 : i64, name = "sep", out = 32 : i64, prune = 5.000000e-01 : f64, stride = 2 : i64, wbits = 4 : i64}
// CHECK-NEXT: nas.mbconv {abits = 4 : i64, expand = 6 : i64, groups = 2 : i64, kernel = 7 : i64, name = "mb", out = 32 : i64, prune = 0.000000e+00 : f64, se, stride = 1 : i64, wbits = 4 : i64}
// CHECK-NEXT: nas.pool max {kernel = 3 : i64, name = "down", stride = 2 : i64}
// CHECK-NEXT: nas.pool avg
// CHECK-NEXT: nas.identity {name = "proj", out = 64 : i64, stride = 2 : i64}
// CHECK-NEXT: nas.identity
// CHECK-NEXT: nas.zero {name = "none"}
// CHECK-NEXT: nas.zero
// CHECK-NEXT: nas.bn {name = "norm"}
// CHECK-NEXT: nas.bn
// CHECK-NEXT: nas.act relu {name = "a"}
// CHECK-NEXT: nas.act relu6
// CHECK-NEXT: nas.act hswish
// CHECK-NEXT: nas.act swish
// CHECK-NEXT: nas.act sigmoid
// CHECK-NEXT: nas.act tanh
// CHECK-NEXT: nas.global_pool max {name = "gp"}
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {abits = 8 : i64, name = "head", out = 10 : i64, prune = 1.250000e-01 : f64, wbits = 8 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: }
nas.spec @layers {
  nas.dataset @cifar10 input [4, 32, 32] classes 10 {source = "cifar10", path = "data/cifar10"}
  nas.network @net on @cifar10 {
    nas.conv {name = "stem", out = 16, kernel = 3, stride = 1, groups = 2, dilation = 2, wbits = 8, abits = 8, prune = 0.25}
    nas.sep_conv {name = "sep", out = 32, kernel = 5, stride = 2, wbits = 4, abits = 8, prune = 0.5}
    nas.mbconv {name = "mb", out = 32, kernel = 7, expand = 6, stride = 1, groups = 2, se, wbits = 4, abits = 4, prune = 0.0}
    nas.pool max {name = "down", kernel = 3, stride = 2}
    nas.pool avg
    nas.identity {name = "proj", out = 64, stride = 2}
    nas.identity
    nas.zero {name = "none"}
    nas.zero
    nas.bn {name = "norm"}
    nas.bn
    nas.act relu {name = "a"}
    nas.act relu6
    nas.act hswish
    nas.act swish
    nas.act sigmoid
    nas.act tanh
    nas.global_pool max {name = "gp"}
    nas.global_pool avg
    nas.fc {name = "head", out = 10, wbits = 8, abits = 8, prune = 0.125}
  }
}


// Searchable parameters: integer parameters take a choice or a range, the
// pruning ratio a choice of reals.
// CHECK-LABEL: nas.spec @params {
// CHECK-NEXT: nas.dataset @d input [1, 28, 28] classes 10
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.conv {abits = #nas.range<4, 8, 4>, dilation = #nas.range<1, 3, 1>, groups = #nas.choice<[1, 2, 4]>, kernel = #nas.choice<[1, 3, 5]>, out = #nas.range<16, 64, 16>, prune = #nas.choice<[0.000000e+00, 2.500000e-01, 5.000000e-01]>, stride = #nas.choice<[1, 2]>, wbits = #nas.choice<[2, 4, 8]>}
// CHECK-NEXT: nas.sep_conv {kernel = #nas.range<3, 7, 2>, out = #nas.choice<[32, 48]>, stride = #nas.range<1, 2, 1>}
// CHECK-NEXT: nas.mbconv {expand = #nas.choice<[1, 3, 6]>, groups = #nas.range<1, 2, 1>, kernel = #nas.choice<[3, 5]>, out = #nas.range<8, 24, 8>, stride = #nas.choice<[1, 2]>}
// CHECK-NEXT: nas.pool avg {kernel = #nas.choice<[2, 3]>, stride = #nas.range<1, 2, 1>}
// CHECK-NEXT: nas.identity {out = #nas.choice<[16, 32]>, stride = #nas.range<1, 2, 1>}
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {out = #nas.choice<[64, 128]>, wbits = #nas.range<2, 8, 2>}
// CHECK-NEXT: nas.fc {out = 10 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: }
nas.spec @params {
  nas.dataset @d input [1, 28, 28] classes 10
  nas.network @net on @d {
    nas.conv {out = #nas.range<16, 64, 16>, kernel = #nas.choice<[1, 3, 5]>, stride = #nas.choice<[1, 2]>, groups = #nas.choice<[1, 2, 4]>, dilation = #nas.range<1, 3, 1>, wbits = #nas.choice<[2, 4, 8]>, abits = #nas.range<4, 8, 4>, prune = #nas.choice<[0.0, 0.25, 0.5]>}
    nas.sep_conv {out = #nas.choice<[32, 48]>, kernel = #nas.range<3, 7, 2>, stride = #nas.range<1, 2, 1>}
    nas.mbconv {out = #nas.range<8, 24, 8>, kernel = #nas.choice<[3, 5]>, expand = #nas.choice<[1, 3, 6]>, stride = #nas.choice<[1, 2]>, groups = #nas.range<1, 2, 1>}
    nas.pool avg {kernel = #nas.choice<[2, 3]>, stride = #nas.range<1, 2, 1>}
    nas.identity {out = #nas.choice<[16, 32]>, stride = #nas.range<1, 2, 1>}
    nas.global_pool avg
    nas.fc {out = #nas.choice<[64, 128]>, wbits = #nas.range<2, 8, 2>}
    nas.fc {out = 10}
  }
}


// Containers: stages, blocks, repeats (fixed, searched, shared), choices,
// residuals with every shortcut, and a DAG cell used through cell_ref.
// CHECK-LABEL: nas.spec @containers {
// CHECK-NEXT: nas.dataset @d input [3, 32, 32] classes 100
// CHECK-NEXT: nas.cell @nb201 nodes 4 inputs 1 output last {
// CHECK-NEXT: nas.edge 0 -> 1 {
// CHECK-NEXT: nas.option "none" {
// CHECK-NEXT: nas.zero
// CHECK-NEXT: }
// CHECK-NEXT: nas.option "skip_connect" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: nas.option "nor_conv_3x3" {
// CHECK-NEXT: nas.act relu
// CHECK-NEXT: nas.conv {kernel = 3 : i64}
// CHECK-NEXT: nas.bn
// CHECK-NEXT: }
// CHECK-NEXT: nas.option "avg_pool_3x3" {
// CHECK-NEXT: nas.pool avg
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 0 -> 2 {
// CHECK-NEXT: nas.option "skip_connect" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 1 -> 2 {
// CHECK-NEXT: nas.option "skip_connect" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 0 -> 3 {
// CHECK-NEXT: nas.option "skip_connect" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 2 -> 3 {
// CHECK-NEXT: nas.option "none" {
// CHECK-NEXT: nas.zero
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.cell @darts nodes 4 inputs 2 output concat {
// CHECK-NEXT: nas.edge 0 -> 2 {
// CHECK-NEXT: nas.option "sep_conv_3x3" {
// CHECK-NEXT: nas.sep_conv {kernel = 3 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 1 -> 2 {
// CHECK-NEXT: nas.option "max_pool_3x3" {
// CHECK-NEXT: nas.pool max
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.edge 2 -> 3 {
// CHECK-NEXT: nas.option "skip_connect" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.stage "stem" {
// CHECK-NEXT: nas.conv {out = 16 : i64}
// CHECK-NEXT: nas.bn
// CHECK-NEXT: }
// CHECK-NEXT: nas.stage {
// CHECK-NEXT: nas.repeat 5 : i64 {
// CHECK-NEXT: nas.cell_ref @nb201
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.residual avgpool_conv {
// CHECK-NEXT: nas.conv {out = 32 : i64, stride = 2 : i64}
// CHECK-NEXT: nas.conv {out = 32 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.residual projection attributes {name = "down"} {
// CHECK-NEXT: nas.conv {out = 64 : i64, stride = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.residual identity {
// CHECK-NEXT: nas.conv
// CHECK-NEXT: nas.bn
// CHECK-NEXT: }
// CHECK-NEXT: nas.block "mb" {
// CHECK-NEXT: nas.mbconv {expand = 6 : i64}
// CHECK-NEXT: nas.act relu6
// CHECK-NEXT: }
// CHECK-NEXT: nas.repeat #nas.choice<[2, 3, 4]> shared {
// CHECK-NEXT: nas.choose "layer" {
// CHECK-NEXT: nas.option "k3_e3" {
// CHECK-NEXT: nas.mbconv {expand = 3 : i64, kernel = 3 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.option "skip" {
// CHECK-NEXT: nas.identity
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.repeat #nas.range<1, 3, 1> {
// CHECK-NEXT: nas.choose {
// CHECK-NEXT: nas.option "only" {
// CHECK-NEXT: nas.cell_ref @darts
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {out = 100 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: }
nas.spec @containers {
  nas.dataset @d input [3, 32, 32] classes 100
  nas.cell @nb201 nodes 4 inputs 1 output last {
    nas.edge 0 -> 1 {
      nas.option "none" { nas.zero }
      nas.option "skip_connect" { nas.identity }
      nas.option "nor_conv_3x3" { nas.act relu nas.conv {kernel = 3} nas.bn }
      nas.option "avg_pool_3x3" { nas.pool avg }
    }
    nas.edge 0 -> 2 { nas.option "skip_connect" { nas.identity } }
    nas.edge 1 -> 2 { nas.option "skip_connect" { nas.identity } }
    nas.edge 0 -> 3 { nas.option "skip_connect" { nas.identity } }
    nas.edge 2 -> 3 { nas.option "none" { nas.zero } }
  }
  nas.cell @darts nodes 4 inputs 2 output concat {
    nas.edge 0 -> 2 { nas.option "sep_conv_3x3" { nas.sep_conv {kernel = 3} } }
    nas.edge 1 -> 2 { nas.option "max_pool_3x3" { nas.pool max } }
    nas.edge 2 -> 3 { nas.option "skip_connect" { nas.identity } }
  }
  nas.network @net on @d {
    nas.stage "stem" { nas.conv {out = 16} nas.bn }
    nas.stage { nas.repeat 5 { nas.cell_ref @nb201 } }
    nas.residual avgpool_conv { nas.conv {out = 32, stride = 2} nas.conv {out = 32} }
    nas.residual projection attributes {name = "down"} { nas.conv {out = 64, stride = 2} }
    nas.residual identity { nas.conv nas.bn }
    nas.block "mb" { nas.mbconv {expand = 6} nas.act relu6 }
    nas.repeat #nas.choice<[2, 3, 4]> shared {
      nas.choose "layer" {
        nas.option "k3_e3" { nas.mbconv {kernel = 3, expand = 3} }
        nas.option "skip" { nas.identity }
      }
    }
    nas.repeat #nas.range<1, 3, 1> {
      nas.choose { nas.option "only" { nas.cell_ref @darts } }
    }
    nas.global_pool avg
    nas.fc {out = 100}
  }
}


// Targets: every kind, every property dimension, tunables of every choice
// kind and a range.
// CHECK-LABEL: nas.spec @targets {
// CHECK-NEXT: nas.dataset @d input [16] classes 2
// CHECK-NEXT: nas.target @cpu cpu {props = {cache = #nas.quantity<3.200000e+01 "MiB">, cores = #nas.quantity<8.000000e+00 "">, frequency = #nas.quantity<3.500000e+00 "GHz">}}
// CHECK-NEXT: nas.target @gpu gpu {props = {bandwidth = #nas.quantity<9.000000e+02 "GB/s">, memory = #nas.quantity<1.600000e+01 "GiB">, overhead = #nas.quantity<5.000000e+00 "us">, peak_compute = #nas.quantity<1.300000e+00 "TFLOPS">, power = #nas.quantity<2.500000e+02 "W">}}
// CHECK-NEXT: nas.target @fpga fpga {props = {bram = #nas.quantity<9.120000e+02 "">, dsp = #nas.quantity<2.500000e+00 "K">, ff = #nas.quantity<5.480000e+02 "K">, frequency = #nas.quantity<2.000000e+02 "MHz">, lut = #nas.quantity<2.740000e+02 "K">}, tunables = {pe = #nas.range<4, 32, 4>, stages = #nas.choice<[1, 2, 4]>}}
// CHECK-NEXT: nas.target @asic asic {props = {area = #nas.quantity<2.500000e+00 "mm2">, energy_per_byte = #nas.quantity<1.000000e+01 "pJ">, energy_per_mac = #nas.quantity<2.000000e-01 "pJ">, sram = #nas.quantity<5.120000e+02 "KiB">}, tunables = {clock = #nas.choice<[#nas.quantity<5.000000e-01 "GHz">, #nas.quantity<1.000000e+00 "GHz">]>, dataflow = #nas.choice<["ws", "os"]>, scale = #nas.choice<[5.000000e-01, 1.000000e+00]>, sparse = #nas.choice<[true, false]>}}
// CHECK-NEXT: nas.target @phone mobile {props = {peak_compute = #nas.quantity<2.600000e+01 "GOPS">, power = #nas.quantity<5.000000e+02 "mW">}}
// CHECK-NEXT: nas.target @mcu tiny {props = {flash = #nas.quantity<1.000000e+00 "MB">, frequency = #nas.quantity<2.160000e+02 "MHz">, sram = #nas.quantity<3.200000e+02 "KB">}}
// CHECK-NEXT: nas.target @bare gpu
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: }
nas.spec @targets {
  nas.dataset @d input [16] classes 2
  nas.target @cpu cpu {props = {cores = #nas.quantity<8.0 "">, frequency = #nas.quantity<3.5 "GHz">, cache = #nas.quantity<32.0 "MiB">}}
  nas.target @gpu gpu {props = {peak_compute = #nas.quantity<1.3 "TFLOPS">, bandwidth = #nas.quantity<900.0 "GB/s">, memory = #nas.quantity<16.0 "GiB">, power = #nas.quantity<250.0 "W">, overhead = #nas.quantity<5.0 "us">}}
  nas.target @fpga fpga {props = {dsp = #nas.quantity<2.5 "K">, bram = #nas.quantity<912.0 "">, lut = #nas.quantity<274.0 "K">, ff = #nas.quantity<548.0 "K">, frequency = #nas.quantity<200.0 "MHz">}, tunables = {pe = #nas.range<4, 32, 4>, stages = #nas.choice<[1, 2, 4]>}}
  nas.target @asic asic {props = {area = #nas.quantity<2.5 "mm2">, energy_per_mac = #nas.quantity<0.2 "pJ">, energy_per_byte = #nas.quantity<10.0 "pJ">, sram = #nas.quantity<512.0 "KiB">}, tunables = {dataflow = #nas.choice<["ws", "os"]>, clock = #nas.choice<[#nas.quantity<0.5 "GHz">, #nas.quantity<1.0 "GHz">]>, scale = #nas.choice<[0.5, 1.0]>, sparse = #nas.choice<[true, false]>}}
  nas.target @phone mobile {props = {peak_compute = #nas.quantity<26.0 "GOPS">, power = #nas.quantity<500.0 "mW">}}
  nas.target @mcu tiny {props = {sram = #nas.quantity<320.0 "KB">, flash = #nas.quantity<1.0 "MB">, frequency = #nas.quantity<216.0 "MHz">}}
  nas.target @bare gpu
  nas.network @net on @d { nas.fc {out = 2} }
}


// Goals and settings: objectives with targets and weights, constraints in
// every comparison and unit dimension, compression, search and evaluation.
// CHECK-LABEL: nas.spec @goals {
// CHECK-NEXT: nas.dataset @d input [3, 32, 32] classes 10
// CHECK-NEXT: nas.target @gpu gpu
// CHECK-NEXT: nas.target @fpga fpga
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.global_pool avg
// CHECK-NEXT: nas.fc {out = 10 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives weighted_sum {
// CHECK-NEXT: nas.objective maximize accuracy {weight = 1.000000e+00 : f64}
// CHECK-NEXT: nas.objective minimize latency on @gpu {weight = 5.000000e-01 : f64}
// CHECK-NEXT: nas.objective minimize energy on @fpga {weight = 2.500000e-01 : f64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.constraint accuracy ge <9.000000e+01 "%">
// CHECK-NEXT: nas.constraint latency on @gpu lt <5.000000e+00 "ms">
// CHECK-NEXT: nas.constraint energy on @gpu le <2.000000e+00 "mJ">
// CHECK-NEXT: nas.constraint power on @fpga lt <3.000000e+00 "W">
// CHECK-NEXT: nas.constraint area on @fpga le <1.200000e+03 "">
// CHECK-NEXT: nas.constraint memory on @gpu le <5.120000e+02 "KiB">
// CHECK-NEXT: nas.constraint memory lt <1.000000e+00 "GB">
// CHECK-NEXT: nas.constraint model_size le <4.000000e+00 "MB">
// CHECK-NEXT: nas.constraint params le <1.500000e+00 "M">
// CHECK-NEXT: nas.constraint macs lt <3.000000e+02 "M">
// CHECK-NEXT: nas.constraint flops lt <6.000000e-01 "G">
// CHECK-NEXT: nas.constraint bops gt <1.000000e+00 "T">
// CHECK-NEXT: nas.compress {abits = #nas.range<4, 8, 4>, prune = #nas.choice<[0.000000e+00, 5.000000e-01]>, wbits = #nas.choice<[4, 8]>}
// CHECK-NEXT: nas.search evolution {budget = 500 : i64, params = {crossover_rate = 5.000000e-01 : f64, mutation_rate = 1.000000e-01 : f64, population = 50 : i64, sample_size = 10 : i64, time_limit = #nas.quantity<2.000000e+00 "s">}, seed = 42 : i64}
// CHECK-NEXT: nas.evaluate train {params = {batch_size = 256 : i64, checkpoint = "init.pt", epochs = 12 : i64, hot_start = true, lr = 1.000000e-01 : f64, optimizer = "sgd", patience = 0 : i64, proxy_fraction = 5.000000e-01 : f64, schedule = "cosine", threads = 4 : i64}}
// CHECK-NEXT: }
nas.spec @goals {
  nas.dataset @d input [3, 32, 32] classes 10
  nas.target @gpu gpu
  nas.target @fpga fpga
  nas.network @net on @d { nas.global_pool avg nas.fc {out = 10} }
  nas.objectives weighted_sum {
    nas.objective maximize accuracy {weight = 1.0}
    nas.objective minimize latency on @gpu {weight = 0.5}
    nas.objective minimize energy on @fpga {weight = 0.25}
  }
  nas.constraint accuracy ge <90.0 "%">
  nas.constraint latency on @gpu lt <5.0 "ms">
  nas.constraint energy on @gpu le <2.0 "mJ">
  nas.constraint power on @fpga lt <3.0 "W">
  nas.constraint area on @fpga le <1200.0 "">
  nas.constraint memory on @gpu le <512.0 "KiB">
  nas.constraint memory lt <1.0 "GB">
  nas.constraint model_size le <4.0 "MB">
  nas.constraint params le <1.5 "M">
  nas.constraint macs lt <300.0 "M">
  nas.constraint flops lt <0.6 "G">
  nas.constraint bops gt <1.0 "T">
  nas.compress {wbits = #nas.choice<[4, 8]>, abits = #nas.range<4, 8, 4>, prune = #nas.choice<[0.0, 0.5]>}
  nas.search evolution {budget = 500, seed = 42, params = {population = 50, sample_size = 10, mutation_rate = 0.1, crossover_rate = 0.5, time_limit = #nas.quantity<2.0 "s">}}
  nas.evaluate train {params = {epochs = 12, batch_size = 256, lr = 0.1, optimizer = "sgd", schedule = "cosine", patience = 0, proxy_fraction = 0.5, hot_start = true, checkpoint = "init.pt", threads = 4}}
}

// Every formulation, search strategy and evaluation method, one spec each
// (a spec holds at most one of each setting).
// CHECK-LABEL: nas.spec @single {
// CHECK-NEXT: nas.dataset @d input [8] classes 2
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives single {
// CHECK-NEXT: nas.objective maximize accuracy
// CHECK-NEXT: }
// CHECK-NEXT: nas.search random {budget = 10 : i64, params = {time_limit = #nas.quantity<1.000000e+00 "s">}}
// CHECK-NEXT: nas.evaluate weight_sharing
// CHECK-NEXT: }
nas.spec @single {
  nas.dataset @d input [8] classes 2
  nas.network @net on @d { nas.fc {out = 2} }
  nas.objectives single { nas.objective maximize accuracy }
  nas.search random {budget = 10, params = {time_limit = #nas.quantity<1.0 "s">}}
  nas.evaluate weight_sharing
}

// CHECK-LABEL: nas.spec @two_stage {
// CHECK-NEXT: nas.dataset @d input [8] classes 2
// CHECK-NEXT: nas.target @t tiny
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives two_stage {
// CHECK-NEXT: nas.objective maximize accuracy {stage = 1 : i64}
// CHECK-NEXT: nas.objective minimize latency on @t {stage = 2 : i64}
// CHECK-NEXT: nas.objective minimize memory on @t {stage = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.search grid
// CHECK-NEXT: nas.evaluate predictor
// CHECK-NEXT: }
nas.spec @two_stage {
  nas.dataset @d input [8] classes 2
  nas.target @t tiny
  nas.network @net on @d { nas.fc {out = 2} }
  nas.objectives two_stage {
    nas.objective maximize accuracy {stage = 1}
    nas.objective minimize latency on @t {stage = 2}
    nas.objective minimize memory on @t {stage = 2}
  }
  nas.search grid
  nas.evaluate predictor
}

// CHECK-LABEL: nas.spec @constrained {
// CHECK-NEXT: nas.dataset @d input [8] classes 2
// CHECK-NEXT: nas.target @t mobile
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives constrained {
// CHECK-NEXT: nas.objective maximize accuracy
// CHECK-NEXT: }
// CHECK-NEXT: nas.constraint latency on @t lt <2.000000e+01 "ms">
// CHECK-NEXT: nas.search nsga2 {params = {population = 16 : i64}}
// CHECK-NEXT: nas.evaluate table {params = {table = "nb201.csv"}}
// CHECK-NEXT: }
nas.spec @constrained {
  nas.dataset @d input [8] classes 2
  nas.target @t mobile
  nas.network @net on @d { nas.fc {out = 2} }
  nas.objectives constrained { nas.objective maximize accuracy }
  nas.constraint latency on @t lt <20.0 "ms">
  nas.search nsga2 {params = {population = 16}}
  nas.evaluate table {params = {table = "nb201.csv"}}
}

// CHECK-LABEL: nas.spec @weighted_product {
// CHECK-NEXT: nas.dataset @d input [8] classes 2
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives weighted_product {
// CHECK-NEXT: nas.objective maximize accuracy {weight = 1.000000e+00 : f64}
// CHECK-NEXT: nas.objective minimize params {weight = 7.000000e-02 : f64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.search reinforce {params = {baseline_decay = 8.750000e-01 : f64, batch = 8 : i64, entropy = 1.000000e-04 : f64, lr = 1.000000e-03 : f64}}
// CHECK-NEXT: nas.evaluate zero_cost {params = {proxy = "synflow"}}
// CHECK-NEXT: }
nas.spec @weighted_product {
  nas.dataset @d input [8] classes 2
  nas.network @net on @d { nas.fc {out = 2} }
  nas.objectives weighted_product {
    nas.objective maximize accuracy {weight = 1.0}
    nas.objective minimize params {weight = 0.07}
  }
  nas.search reinforce {params = {lr = 0.001, baseline_decay = 0.875, entropy = 0.0001, batch = 8}}
  nas.evaluate zero_cost {params = {proxy = "synflow"}}
}

// CHECK-LABEL: nas.spec @pareto {
// CHECK-NEXT: nas.dataset @d input [8] classes 2
// CHECK-NEXT: nas.target @t cpu
// CHECK-NEXT: nas.network @net on @d {
// CHECK-NEXT: nas.fc {out = 2 : i64}
// CHECK-NEXT: }
// CHECK-NEXT: nas.objectives pareto {
// CHECK-NEXT: nas.objective maximize accuracy
// CHECK-NEXT: nas.objective minimize macs
// CHECK-NEXT: nas.objective minimize memory on @t
// CHECK-NEXT: }
// CHECK-NEXT: nas.search gradient {params = {arch_lr = 3.000000e-04 : f64, cost_weight = 1.000000e-01 : f64, epochs = 50 : i64, temperature = 5.000000e+00 : f64, weight_lr = 2.500000e-02 : f64}, seed = 0 : i64}
// CHECK-NEXT: nas.evaluate none
// CHECK-NEXT: }
nas.spec @pareto {
  nas.dataset @d input [8] classes 2
  nas.target @t cpu
  nas.network @net on @d { nas.fc {out = 2} }
  nas.objectives pareto {
    nas.objective maximize accuracy
    nas.objective minimize macs
    nas.objective minimize memory on @t
  }
  nas.search gradient {seed = 0, params = {arch_lr = 0.0003, weight_lr = 0.025, temperature = 5.0, epochs = 50, cost_weight = 0.1}}
  nas.evaluate none
}
