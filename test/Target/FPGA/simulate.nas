// The emitted design, simulated by Verilator, computes the integer
// reference's outputs bit for bit: the test spec of emit.nas (every layer
// kind) with 1 and 4 lanes, two random candidates of examples/fpga.nas
// (mixed 2/4/8-bit weights, 4/8-bit activations) with 1 and 8 lanes, and
// binary weights. The
// testbench exits 1 on any difference. design.txt's latency is the
// simulated one, to the cycle.
// REQUIRES: verilator
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %S/emit.nas --emit=fpga -o %t/every-op
// RUN: %t/every-op/build.sh sim | FileCheck %s --check-prefix=EVERY
// The simulation also counts each image's bit toggles (docs/fpga.md,
// "Energy").
// EVERY: activity: engine 0 images 1 multiplier {{[1-9][0-9]+}} accumulator {{[1-9][0-9]+}} requantizer {{[1-9][0-9]+}}
// EVERY: activity: engine 0 images 2 multiplier
// EVERY: image 0: latency 9288 cycles
// EVERY: interval: 9288 cycles
// EVERY: outputs: all 8 equal the reference

// RUN: nasc %S/emit.nas --emit=fpga --fpga-pe 4 -o %t/every-op-pe4
// RUN: %t/every-op-pe4/build.sh sim > %t/every-op-pe4/sim.txt
// RUN: cat %t/every-op-pe4/design.txt %t/every-op-pe4/sim.txt | FileCheck %s --check-prefix=EXACT

// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga -o %t/a --candidate "abits=4 out=4 wbits=2 conv abits=8 wbits=2 dw abits=8 wbits=2 abits=4 kernel=3 wbits=4 abits=8 wbits=2 up5k.pe=1 up5k.stages=2 up5k.template=folded"
// RUN: %t/a/build.sh sim > %t/a/sim.txt
// RUN: cat %t/a/design.txt %t/a/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga --fpga-pe 8 -o %t/b --candidate "abits=8 out=8 wbits=8 avg k3 abits=8 wbits=4 abits=4 kernel=1 wbits=8 abits=4 wbits=4 up5k.pe=1 up5k.stages=2 up5k.template=folded"
// RUN: %t/b/build.sh sim > %t/b/sim.txt
// RUN: cat %t/b/design.txt %t/b/sim.txt | FileCheck %s --check-prefix=EXACT

// EXACT: latency: [[CYCLES:[0-9]+]] cycles per image
// EXACT: image 0: latency [[CYCLES]] cycles
// EXACT: outputs: all {{[0-9]+}} equal the reference

// The dataflow template: a chain of engines, one per stage (residuals and
// cells stay in one), each with the fewest lanes that keep it within the
// slowest stage. Bit-exact on four images; design.txt's latency (an image
// through the empty chain) and interval (the slowest engine's cycle) are
// the simulated ones, to the cycle.
// RUN: nasc %S/emit.nas --emit=fpga --fpga-template dataflow --fpga-pe 4 -o %t/flow-every
// RUN: %t/flow-every/build.sh sim > %t/flow-every/sim.txt
// RUN: cat %t/flow-every/design.txt %t/flow-every/sim.txt | FileCheck %s --check-prefix=FLOW
// RUN: FileCheck %s --check-prefix=FLOW-EVERY < %t/flow-every/design.txt
// FLOW-EVERY: engines: 7 (a chain, each streaming into the next)
// FLOW-EVERY: lanes: 4 at most
// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga --fpga-template dataflow --fpga-stages 3 --fpga-pe 8 -o %t/flow-a --candidate "abits=4 out=4 wbits=2 conv abits=8 wbits=2 dw abits=8 wbits=2 abits=4 kernel=3 wbits=4 abits=8 wbits=2 up5k.pe=1 up5k.stages=2 up5k.template=folded"
// RUN: %t/flow-a/build.sh sim > %t/flow-a/sim.txt
// RUN: cat %t/flow-a/design.txt %t/flow-a/sim.txt | FileCheck %s --check-prefix=FLOW
// RUN: FileCheck %s --check-prefix=FLOW-A < %t/flow-a/design.txt
// FLOW-A: engines: 3 (a chain, each streaming into the next)
// FLOW-A: engine 0: 2 lanes
// FLOW-A: engine 1: 4 lanes
// FLOW-A: engine 2: 2 lanes

// FLOW: latency: [[LATENCY:[0-9]+]] cycles per image
// FLOW: interval: [[INTERVAL:[0-9]+]] cycles between images
// FLOW: image 0: latency [[LATENCY]] cycles
// FLOW: interval: [[INTERVAL]] cycles
// FLOW: outputs: all {{[0-9]+}} equal the reference

// Binary weights (a bit each, lanes that add or subtract), folded with 4
// and 8 lanes, and a chain of a 4-bit engine and a binary one.
// RUN: nasc %S/narrow-weights.nas --emit=fpga --fpga-pe 4 -o %t/binary4
// RUN: %t/binary4/build.sh sim > %t/binary4/sim.txt
// RUN: cat %t/binary4/design.txt %t/binary4/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: nasc %S/narrow-weights.nas --emit=fpga --fpga-pe 8 -o %t/binary8
// RUN: %t/binary8/build.sh sim > %t/binary8/sim.txt
// RUN: cat %t/binary8/design.txt %t/binary8/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: sed '/stem:/s/wbits = 1/wbits = 4/' %S/narrow-weights.nas > %t/mixed.nas
// RUN: nasc %t/mixed.nas --emit=fpga --fpga-template dataflow --fpga-stages 2 --fpga-pe 4 -o %t/mixed
// RUN: %t/mixed/build.sh sim > %t/mixed/sim.txt
// RUN: cat %t/mixed/design.txt %t/mixed/sim.txt | FileCheck %s --check-prefix=FLOW

// Channel shuffles (FBNet's) are strided copies; the design computes them
// too.
// RUN: split-file %s %t/split
// 2-bit activations and binary weights (FINN's LFC-W1A2 in small): the
// engines whose requantizations have at most 4 levels compare their sums
// with thresholds instead of multiplying, and lane 0 adds like the others;
// bit-exact as a chain and folded.
// RUN: nasc %t/split/thresholds.nas --emit=fpga --fpga-template dataflow --fpga-pe 8 -o %t/thresholds-flow
// RUN: %t/thresholds-flow/build.sh sim > %t/thresholds-flow/sim.txt
// RUN: cat %t/thresholds-flow/design.txt %t/thresholds-flow/sim.txt | FileCheck %s --check-prefix=FLOW
// RUN: FileCheck %s --check-prefix=THRESHOLDS < %t/thresholds-flow/design.txt
// THRESHOLDS: requantization: thresholds in 2 of 3 engines (results of at most 4 levels: comparisons, no multiply)
// RUN: FileCheck %s --check-prefix=THRESHOLDS-TOP < %t/thresholds-flow/nasc_thresholds.v
// THRESHOLDS-TOP: .THRESHOLDS(1),
// THRESHOLDS-TOP-NEXT: .LANE0_ADD(1),
// THRESHOLDS-TOP: .THRESHOLDS(1),
// THRESHOLDS-TOP-NEXT: .LANE0_ADD(1),
// THRESHOLDS-TOP-NOT: .THRESHOLDS(1),
// RUN: nasc %t/split/thresholds.nas --emit=fpga --fpga-pe 8 -o %t/thresholds-folded
// RUN: %t/thresholds-folded/build.sh sim > %t/thresholds-folded/sim.txt
// RUN: cat %t/thresholds-folded/design.txt %t/thresholds-folded/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: nasc %t/split/shuffle.nas --emit=fpga --fpga-pe 2 -o %t/shuffle
// RUN: %t/shuffle/build.sh sim > %t/shuffle/sim.txt
// RUN: cat %t/shuffle/design.txt %t/shuffle/sim.txt | FileCheck %s --check-prefix=EXACT
// MobileNetV3's layers: hswish (the level times its clamped shifted self)
// and squeeze-and-excitation (global pooling, two convolutions, the hard
// sigmoid folded into the second, each channel scaled by its gate), in an
// mbconv with a residual, folded with 1 and 4 lanes and as a chain.
// RUN: nasc %S/Inputs/mobile.nas --emit=fpga -o %t/mobile1
// RUN: %t/mobile1/build.sh sim > %t/mobile1/sim.txt
// RUN: cat %t/mobile1/design.txt %t/mobile1/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: FileCheck %s --check-prefix=MOBILE < %t/mobile1/design.txt
// MOBILE: hswish: [8, 6, 6] -> [8, 6, 6], 8-bit levels
// MOBILE: scale: [16, 6, 6] -> [16, 6, 6], 8-bit levels
// RUN: nasc %S/Inputs/mobile.nas --emit=fpga --fpga-pe 4 -o %t/mobile4
// RUN: %t/mobile4/build.sh sim > %t/mobile4/sim.txt
// RUN: cat %t/mobile4/design.txt %t/mobile4/sim.txt | FileCheck %s --check-prefix=EXACT
// RUN: nasc %S/Inputs/mobile.nas --emit=fpga --fpga-template dataflow --fpga-pe 4 -o %t/mobile-flow
// RUN: %t/mobile-flow/build.sh sim > %t/mobile-flow/sim.txt
// RUN: cat %t/mobile-flow/design.txt %t/mobile-flow/sim.txt | FileCheck %s --check-prefix=FLOW

//--- shuffle.nas
dataset d { input = [3, 6, 6]; classes = 5; }
network shuffled on d {
  conv(out = 6, kernel = 3, groups = 3) -> bn -> relu -> shuffle(groups = 3);
  conv(out = 6, kernel = 1, groups = 2) -> shuffle(groups = 2);
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 8; abits = 8; }

//--- thresholds.nas
dataset d { input = [1, 8, 8]; classes = 10; }
network thresholds on d {
  fc(out = 64, wbits = 1, abits = 2) -> bn -> relu;
  fc(out = 64, wbits = 1, abits = 2) -> bn -> relu;
  fc(out = classes, wbits = 1, abits = 2);
}
