// The examples in examples/ compile: their summaries, and their MLIR both as
// printed and after a round trip through nasc-opt.
//
// RUN: nasc %S/../../examples/nb201.nas | FileCheck %s --check-prefix=NB201-SUM
// RUN: nasc %S/../../examples/nb201.nas --emit=mlir | nasc-opt | FileCheck %s --check-prefix=NB201
// RUN: nasc %S/../../examples/nb201.nas --emit=mlir | grep -c 'nas.edge' | FileCheck %s --check-prefix=NB201-EDGES
// RUN: nasc %S/../../examples/nb201.nas --emit=mlir | grep 'nas.cell_ref @nb201_cell' | count 3
//
// RUN: nasc %S/../../examples/fbnet.nas | FileCheck %s --check-prefix=FBNET-SUM
// RUN: nasc %S/../../examples/fbnet.nas --emit=mlir | nasc-opt | FileCheck %s --check-prefix=FBNET
// RUN: nasc %S/../../examples/fbnet.nas --emit=mlir | grep 'nas.choose' | count 12
// RUN: nasc %S/../../examples/fbnet.nas --emit=mlir | grep 'nas.repeat 3 : i64 {' | count 5
// RUN: nasc %S/../../examples/fbnet.nas --emit=mlir | grep 'nas.option' | count 108
//
// RUN: nasc %S/../../examples/mobile.nas | FileCheck %s --check-prefix=MOBILE-SUM
// RUN: nasc %S/../../examples/mobile.nas --emit=mlir | nasc-opt | FileCheck %s --check-prefix=MOBILE
//
// Printing is stable: the MLIR that nasc prints is what nasc-opt prints.
// RUN: nasc %S/../../examples/nb201.nas --emit=mlir -o %t.nb201.mlir
// RUN: nasc-opt %t.nb201.mlir -o %t.nb201.2.mlir
// RUN: diff %t.nb201.mlir %t.nb201.2.mlir
// RUN: nasc %S/../../examples/mobile.nas --emit=mlir -o %t.mobile.mlir
// RUN: nasc-opt %t.mobile.mlir -o %t.mobile.2.mlir
// RUN: diff %t.mobile.mlir %t.mobile.2.mlir

// NAS-Bench-201: one cell with 6 edges in the benchmark's order, each with
// the 5 NB201 operations in order; the cell is stacked by a `repeat 5` in
// each of the 3 stages (3 references to the one cell).
// NB201-SUM:      spec nb201
// NB201-SUM-NEXT: dataset cifar10: input 3x32x32, 10 classes, source "cifar10"
// NB201-SUM-NEXT: cell nb201_cell: 4 nodes (1 input), output last, 6 edges, shared by every use
// NB201-SUM-NEXT:   edge 0 -> 1: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM-NEXT:   edge 0 -> 2: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM-NEXT:   edge 1 -> 2: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM-NEXT:   edge 0 -> 3: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM-NEXT:   edge 1 -> 3: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM-NEXT:   edge 2 -> 3: none | skip_connect | nor_conv_1x1 | nor_conv_3x3 | avg_pool_3x3
// NB201-SUM:      network nb201 on cifar10
// NB201-SUM:        reduce32: residual (shortcut avgpool_conv)
// NB201-SUM:      objectives (single)
// NB201-SUM-NEXT:   maximize accuracy
// NB201-SUM-NEXT: search random, budget 100, seed 0
// NB201-SUM-NEXT: evaluate train, batch_size 256, epochs 200, lr 0.1, optimizer sgd, schedule cosine
// NB201-SUM-NEXT: decisions: 6 in the space, at most 6 per candidate

// NB201-EDGES: {{^}}6{{$}}

// NB201-LABEL: nas.spec @nb201 {
// NB201:         nas.cell @nb201_cell nodes 4 inputs 1 output last {
// NB201-NEXT:      nas.edge 0 -> 1 {
// NB201-NEXT:        nas.option "none" {
// NB201-NEXT:          nas.zero
// NB201-NEXT:        }
// NB201-NEXT:        nas.option "skip_connect" {
// NB201-NEXT:          nas.identity
// NB201-NEXT:        }
// NB201-NEXT:        nas.option "nor_conv_1x1" {
// NB201-NEXT:          nas.act relu
// NB201-NEXT:          nas.conv {kernel = 1 : i64}
// NB201-NEXT:          nas.bn
// NB201-NEXT:        }
// NB201-NEXT:        nas.option "nor_conv_3x3" {
// NB201-NEXT:          nas.act relu
// NB201-NEXT:          nas.conv {kernel = 3 : i64}
// NB201-NEXT:          nas.bn
// NB201-NEXT:        }
// NB201-NEXT:        nas.option "avg_pool_3x3" {
// NB201-NEXT:          nas.pool avg {kernel = 3 : i64}
// NB201-NEXT:        }
// NB201-NEXT:      }
// NB201-NEXT:      nas.edge 0 -> 2 {
// NB201:           nas.edge 1 -> 2 {
// NB201:           nas.edge 0 -> 3 {
// NB201:           nas.edge 1 -> 3 {
// NB201:           nas.edge 2 -> 3 {
// NB201:         nas.network @nb201 on @cifar10 {
// NB201-NEXT:      nas.block "stem" {
// NB201-NEXT:        nas.conv {kernel = 3 : i64, out = 16 : i64}
// NB201-NEXT:        nas.bn
// NB201-NEXT:      }
// NB201-NEXT:      nas.stage "c16" {
// NB201-NEXT:        nas.repeat 5 : i64 {
// NB201-NEXT:          nas.cell_ref @nb201_cell
// NB201:           nas.residual avgpool_conv attributes {name = "reduce32"} {
// NB201:           nas.stage "c32" {
// NB201:           nas.residual avgpool_conv attributes {name = "reduce64"} {
// NB201:           nas.stage "c64" {
// NB201:             nas.fc {out = 10 : i64}
// NB201:         nas.objectives single {
// NB201-NEXT:      nas.objective maximize accuracy
// NB201:         nas.search random {budget = 100 : i64, seed = 0 : i64}
// NB201-NEXT:    nas.evaluate train {params = {batch_size = 256 : i64, epochs = 200 : i64, lr = 1.000000e-01 : f64, optimizer = "sgd", schedule = "cosine"}}

// FBNet: 22 searchable layers of 9 candidate blocks: 7 `choose`s, plus 5
// inside a `repeat 3` that decides anew for each repetition (7 + 5 * 3 =
// 22); the IR keeps the repeat, so it holds 12 nas.choose ops with 9
// options each (108).
// FBNET-SUM:      spec fbnet
// FBNET-SUM:      target galaxy_s8 (mobile): bandwidth 29.8 GB/s, cores 8, frequency 2.45 GHz, memory 4 GB
// FBNET-SUM:      network fbnet on imagenet
// FBNET-SUM:        tbs16: stage
// FBNET-SUM-NEXT:     l1:
// FBNET-SUM-NEXT:       choose one of 9: k3_e1 | k3_e1_g2 | k3_e3 | k3_e6 | k5_e1 | k5_e1_g2 | k5_e3 | k5_e6 | skip
// FBNET-SUM-NEXT:         k3_e1: block { residual { conv(groups = 1, kernel = 1, out = in * 1); bn; relu; shuffle(groups = 1); conv(depthwise = true, kernel = 3, stride = 1); bn; relu; conv(groups = 1, kernel = 1, out = 16); bn } }
// FBNET-SUM:              skip: identity(out = 16, stride = 1)
// FBNET-SUM:        tbs24: stage
// FBNET-SUM-NEXT:     fbnet_layer:
// FBNET-SUM-NEXT:       choose one of 9:
// FBNET-SUM:              skip: block { conv(kernel = 1, out = 24, stride = 2); bn; relu }
// FBNET-SUM:          repeat 3
// FBNET-SUM-NEXT:       fbnet_layer:
// FBNET-SUM-NEXT:         choose one of 9:
// FBNET-SUM:        tbs352: stage
// FBNET-SUM-NEXT:     l22:
// FBNET-SUM-NEXT:       choose one of 9:
// FBNET-SUM:      objectives (weighted_product)
// FBNET-SUM-NEXT:   maximize accuracy weight 1
// FBNET-SUM-NEXT:   minimize latency(galaxy_s8) weight 0.6
// FBNET-SUM-NEXT: search gradient, seed 0, arch_lr 0.01, cost_weight 0.2, epochs 90, temperature 5, weight_lr 0.1
// FBNET-SUM-NEXT: evaluate weight_sharing, optimizer sgd
// FBNET-SUM-NEXT: decisions: 22 in the space, at most 22 per candidate

// Op-set arguments reach every mbconv and the skip of each layer.
// FBNET-LABEL: nas.network @fbnet on @imagenet {
// FBNET:         nas.stage "tbs24" {
// FBNET-NEXT:      nas.block "fbnet_layer" scope {
// FBNET-NEXT:        nas.choose {
// FBNET-NEXT:          nas.option "k3_e1" {
// FBNET-NEXT:            nas.block "ir" scope {
// FBNET-NEXT:              nas.residual identity_or_none {
// FBNET-NEXT:                nas.conv {groups = 1 : i64, kernel = 1 : i64, out = #nas.expr<"in * 1">}
// FBNET-NEXT:                nas.bn
// FBNET-NEXT:                nas.act relu
// FBNET-NEXT:                nas.shuffle {groups = 1 : i64}
// FBNET-NEXT:                nas.conv {depthwise, kernel = 3 : i64, stride = 2 : i64}
// FBNET-NEXT:                nas.bn
// FBNET-NEXT:                nas.act relu
// FBNET-NEXT:                nas.conv {groups = 1 : i64, kernel = 1 : i64, out = 24 : i64}
// FBNET-NEXT:                nas.bn
// FBNET:               nas.option "k3_e1_g2" {
// FBNET-NEXT:            nas.block "ir" scope {
// FBNET-NEXT:              nas.residual identity_or_none {
// FBNET-NEXT:                nas.conv {groups = 2 : i64, kernel = 1 : i64, out = #nas.expr<"in * 1">}
// FBNET-NEXT:                nas.bn
// FBNET-NEXT:                nas.act relu
// FBNET-NEXT:                nas.shuffle {groups = 2 : i64}
// FBNET:               nas.option "skip" {
// FBNET-NEXT:            nas.block "skip_projection" scope {
// FBNET-NEXT:              nas.conv {kernel = 1 : i64, out = 24 : i64, stride = 2 : i64}
// FBNET-NEXT:              nas.bn
// FBNET-NEXT:              nas.act relu
// FBNET:           nas.repeat 3 : i64 {
// FBNET-NEXT:        nas.block "fbnet_layer" scope {
// FBNET-NEXT:          nas.choose {
// FBNET-NEXT:            nas.option "k3_e1" {
// FBNET:                 nas.option "skip" {
// FBNET-NEXT:              nas.identity {out = 24 : i64, stride = 1 : i64}
// FBNET:         nas.stage "tbs352" {
// FBNET-NEXT:      nas.block "l22" scope {
// FBNET-NEXT:        nas.choose {
// FBNET:           nas.fc {out = 1000 : i64}
// FBNET:       nas.objectives weighted_product {
// FBNET-NEXT:    nas.objective maximize accuracy {weight = 1.000000e+00 : f64}
// FBNET-NEXT:    nas.objective minimize latency on @galaxy_s8 {weight = 6.000000e-01 : f64}
// FBNET:       nas.search gradient {params = {arch_lr = 1.000000e-02 : f64, cost_weight = 2.000000e-01 : f64, epochs = 90 : i64, temperature = 5.000000e+00 : f64, weight_lr = 1.000000e-01 : f64}, seed = 0 : i64}
// FBNET-NEXT:  nas.evaluate weight_sharing {params = {optimizer = "sgd"}}

// Mobile: two targets (one with a hardware search space), two cells, blocks,
// mixed precision, constraints and a Pareto objective over both targets.
// MOBILE-SUM:      spec mobile
// MOBILE-SUM:      target phone_cpu (mobile):
// MOBILE-SUM-NEXT: target pynq (fpga):
// MOBILE-SUM-NEXT:   tunable pe = {8, 16, 32}
// MOBILE-SUM-NEXT:   tunable stages = {4, 8}
// MOBILE-SUM-NEXT:   tunable template = {folded, dataflow}
// MOBILE-SUM-NEXT: cell ir_cell: 3 nodes (1 input), output last, 3 edges, shared by every use
// MOBILE-SUM:      cell light_cell: 4 nodes (1 input), output last, 6 edges, shared by every use
// MOBILE-SUM:      network mobile_net on imagenet
// MOBILE-SUM:      compress (abits = {8}, prune = {0, 0.25, 0.5}, wbits = {4, 8})
// MOBILE-SUM-NEXT: constraint latency(phone_cpu) < 30 ms
// MOBILE-SUM-NEXT: constraint model_size < 4 MiB
// MOBILE-SUM-NEXT: constraint area(pynq) < 50 K
// MOBILE-SUM-NEXT: constraint accuracy >= 70 %
// MOBILE-SUM-NEXT: objectives (pareto)
// MOBILE-SUM-NEXT:   maximize accuracy
// MOBILE-SUM-NEXT:   minimize latency(phone_cpu)
// MOBILE-SUM-NEXT:   minimize latency(pynq)
// MOBILE-SUM-NEXT:   minimize energy(pynq)
// MOBILE-SUM-NEXT: search nsga2, budget 3000, seed 42,
// MOBILE-SUM:      decisions: 271 in the space, at most 103 per candidate

// MOBILE-LABEL: nas.spec @mobile {
// MOBILE:         nas.target @phone_cpu mobile {props = {
// MOBILE:         nas.target @pynq fpga {props = {{{.*}}}, tunables = {pe = #nas.choice<[8, 16, 32]>, stages = #nas.choice<[4, 8]>, template = #nas.choice<["folded", "dataflow"]>}}
// MOBILE:         nas.cell @light_cell nodes 4 inputs 1 output last {
// MOBILE-NEXT:      nas.edge 0 -> 1 {
// MOBILE-NEXT:        nas.option "dw3" {
// MOBILE-NEXT:          nas.act relu6
// MOBILE-NEXT:          nas.sep_conv {kernel = 3 : i64, wbits = 8 : i64}
// MOBILE:         nas.network @mobile_net on @imagenet {
// MOBILE:             nas.repeat #nas.choice<[1, 2]> shared {
// MOBILE-NEXT:          nas.block "ir_block" {
// MOBILE-NEXT:            nas.cell_ref @ir_cell
// MOBILE:             nas.repeat #nas.range<1, 3, 1> {
// MOBILE-NEXT:          nas.block "light_block" {
// MOBILE:         nas.compress {abits = #nas.choice<[8]>, prune = #nas.choice<[0.000000e+00, 2.500000e-01, 5.000000e-01]>, wbits = #nas.choice<[4, 8]>}
// MOBILE:         nas.objectives pareto {
// MOBILE-NEXT:      nas.objective maximize accuracy
// MOBILE-NEXT:      nas.objective minimize latency on @phone_cpu
// MOBILE-NEXT:      nas.objective minimize latency on @pynq
// MOBILE-NEXT:      nas.objective minimize energy on @pynq
// MOBILE-NEXT:    }
// MOBILE-NEXT:    nas.search nsga2 {budget = 3000 : i64,
// MOBILE-NEXT:    nas.evaluate train {params = {
