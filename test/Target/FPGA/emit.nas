// --emit=fpga writes the folded engine's design: every layer kind of the
// integer network (conv with BN and ReLU folded, depthwise, strided, a
// residual add, max and average pooling, a concatenating cell, global
// pooling, fc), its program, memory files, testbench and build script.
// RUN: rm -rf %t && nasc %s --emit=fpga -o %t
// RUN: FileCheck %s --check-prefix=DESIGN < %t/design.txt
// RUN: FileCheck %s --check-prefix=PROGRAM < %t/nasc_program.v
// RUN: FileCheck %s --check-prefix=TOP < %t/nasc_emit.v
// RUN: FileCheck %s --check-prefix=BUILD < %t/build.sh
// RUN: count 43 < %t/requant.mem
// RUN: FileCheck %s --check-prefix=REQUANT < %t/requant.mem
// RUN: count 8 < %t/expected.mem
// RUN: count 256 < %t/input.mem

// A part build.sh does not know: an error, nothing written.
// RUN: not nasc %s --emit=fpga --fpga-part ecp5 -o %t/bad 2>&1 | FileCheck %s --check-prefix=PART
// RUN: not ls %t/bad
// PART: unknown FPGA part 'ecp5' (known: up5k, hx8k, xc7z020)
// RUN: not nasc %s --emit=fpga 2>&1 | FileCheck %s --check-prefix=NO-DIR
// NO-DIR: nasc: error: --emit=fpga needs -o DIR

dataset d { input = [2, 8, 8]; classes = 4; }

cell two(nodes = 3, output = concat) {
  edge 0 -> 1 : { p: max_pool(kernel = 3); };
  edge 1 -> 2 : { c: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
}

network emit_fpga on d {
  stem: conv(out = 4, kernel = 3) -> bn -> relu;
  down: conv(kernel = 3, stride = 2) -> bn -> relu6;
  residual { dwconv(kernel = 3) -> bn -> relu; }
  two;
  avg_pool(kernel = 3, stride = 2);
  global_avg_pool -> fc(out = classes);
}

compress { wbits = {4}; abits = {8}; }

// DESIGN: design: emit (folded template, part up5k)
// DESIGN-NEXT: lanes: 1
// DESIGN-NEXT: layers: 12
// DESIGN: input: 128 levels
// DESIGN: output: 4 levels
// DESIGN:      0 conv 3x3: [2, 8, 8] -> [4, 8, 8], 8-bit levels, 4-bit weights, 1 lane  ({{.*}}emit.nas:31:44)
// DESIGN-NEXT: 1 conv 3x3: [4, 8, 8] -> [4, 4, 4], 8-bit levels, 4-bit weights
// DESIGN-NEXT: 2 conv 3x3 g4: [4, 4, 4] -> [4, 4, 4]
// DESIGN-NEXT: 3 add: [4, 4, 4] -> [4, 4, 4]
// DESIGN-NEXT: 4 max_pool 3x3: [4, 4, 4] -> [4, 4, 4]
// DESIGN-NEXT: 5 conv 1x1: [4, 4, 4] -> [4, 4, 4]
// DESIGN-NEXT: 6 add: [4, 4, 4] -> [4, 4, 4]
// DESIGN-NEXT: 7 concat: [4, 4, 4] -> [8, 4, 4]
// DESIGN-NEXT: 8 concat: [4, 4, 4] -> [8, 4, 4]
// DESIGN-NEXT: 9 avg_pool 3x3: [8, 4, 4] -> [8, 2, 2]
// DESIGN-NEXT: 10 global_avg_pool: [8, 2, 2] -> [8, 1, 1]
// DESIGN-NEXT: 11 fc: [8, 1, 1] -> [4, 1, 1]

// The stem: 2 input channels per group, 9 terms each; "same" padding 1.
// PROGRAM: module nasc_program
// PROGRAM: // conv 3x3 (conv) at {{.*}}emit.nas:31:44
// PROGRAM-NEXT: 16'd0: begin kind = 3'd0; in0 = 32'd0; {{.*}} cinpg = 32'd2; blocks = 32'd4; outc = 32'd4; inh = 32'd8; inw = 32'd8; outh = 32'd8; outw = 32'd8; kh = 32'd3; kw = 32'd3; stride = 32'd1; padt = 32'd1; padl = 32'd1; wbase = 32'd0; rqbase = 32'd0; terms = 32'd18; plane = 32'd64; rowstep = 32'd8; groupstep = 32'd128; rowstart = -32'sd8; lanes = 32'd1; outplane = 32'd64; blockskip = 32'd0; coef0 = 16'sd0; coef1 = 16'sd0; end
// The strided conv: TensorFlow's "same" padding puts the odd pixel after.
// PROGRAM-NEXT: // conv 3x3
// PROGRAM-NEXT: 16'd1: begin kind = 3'd0; {{.*}} stride = 32'd2; padt = 32'd0; padl = 32'd0; wbase = 32'd72; rqbase = 32'd4;
// The residual add: two terms an output, its inputs' coefficients in the
// program (its requantization memory holds one word).
// PROGRAM: 16'd3: begin kind = 3'd3; {{.*}} rqbase = 32'd12; terms = 32'd2; {{.*}} coef0 = 16'sd{{[1-9][0-9]*}}; coef1 = 16'sd{{[1-9][0-9]*}}; end
// PROGRAM: 16'd4: begin kind = 3'd1; {{.*}} rqbase = 32'd13;
// The concatenation's parts: the second lands 4 channels (64 levels) after
// the first.
// PROGRAM: 16'd7: begin kind = 3'd4; in0 = 32'd0; in1 = 32'd0; out = 32'd64;
// PROGRAM: 16'd8: begin kind = 3'd4; in0 = 32'd192; in1 = 32'd0; out = 32'd128;
// The fc: its window is its whole [8, 1, 1] input.
// PROGRAM: 16'd11: begin kind = 3'd0; {{.*}} kh = 32'd1; kw = 32'd1; {{.*}} terms = 32'd8;
// PROGRAM: default:

// TOP: module nasc_emit (
// TOP: nasc_engine #(
// TOP: .NUM_LAYERS(12),
// TOP: .IN_SIZE(128),
// TOP: .OUT_SIZE(4),

// With 4 lanes, a convolution with 4 output channels per group computes
// them at once: weight words of 4 levels, one block per group, the
// write-back skipping the other 3 lanes' planes. The depthwise conv (1
// output channel per group) keeps 1 lane.
// RUN: nasc %s --emit=fpga --fpga-pe 4 -o %t/pe4
// RUN: FileCheck %s --check-prefix=PE4 < %t/pe4/nasc_program.v
// RUN: FileCheck %s --check-prefix=PE4-TOP < %t/pe4/nasc_emit.v
// RUN: FileCheck %s --check-prefix=PE4-DESIGN < %t/pe4/design.txt
// PE4: 16'd0: begin kind = 3'd0; {{.*}} cinpg = 32'd2; blocks = 32'd1; outc = 32'd4; {{.*}} terms = 32'd18; {{.*}} lanes = 32'd4; outplane = 32'd64; blockskip = 32'd192; coef0 = 16'sd0; coef1 = 16'sd0; end
// PE4: 16'd2: begin kind = 3'd0; {{.*}} cinpg = 32'd1; blocks = 32'd1; outc = 32'd4; {{.*}} lanes = 32'd1; outplane = 32'd16; blockskip = 32'd0; coef0 = 16'sd0; coef1 = 16'sd0; end
// PE4-TOP: .PE(4),
// PE4-DESIGN: lanes: 4
// PE4-DESIGN: cycles: {{[0-9]+}}
// RUN: not nasc %s --emit=fpga --fpga-pe 0 -o %t/pe0 2>&1 | FileCheck %s --check-prefix=PE0
// PE0: nasc: error: --fpga-pe must be 1 to 64, not 0

// BUILD: verilator --cc --exe --build
// BUILD: synth_ice40 -dsp -top nasc_emit
// BUILD: nextpnr-ice40 --up5k

// Requantization words: a 16-bit multiplier, offset, shift, lo, hi; the
// stem's ReLU clamps at level 0, its 8-bit levels at 127.
// REQUANT: {{^0000[0-9a-f]{4}[0-9a-f]{16}[0-9a-f]{2}007f00$}}
