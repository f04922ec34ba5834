// Levels take their own bit width in an engine's memories: weights the
// widest of its layers' (a binary layer stores a bit a weight, 1 is +1 and
// 0 is -1), activations the widest of its tensors'. An engine of binary or
// ternary weights gives its lanes after the first an add or subtract
// instead of a multiplier. design.txt says how many multiply-accumulates
// are such adds and how large the memories are; the simulation is
// bit-exact (simulate.nas), and synthesis counts the DSPs saved
// (measure.nas).
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %s --emit=fpga --fpga-pe 4 -o %t/binary
// RUN: FileCheck %s --check-prefix=BINARY < %t/binary/design.txt
// BINARY: energy: {{[0-9.]+}} uJ per image at 12 MHz (27920 multiply-accumulates, 20940 of them adds on binary or ternary lanes,
// BINARY: weights: 464 levels in 58 bytes of weight memory (1-bit levels)
// BINARY-NEXT: activation memory: 896 levels in 896 bytes (8-bit levels)
// BINARY-NEXT: counters: 12 bits
// RUN: FileCheck %s --check-prefix=BINARY-TOP < %t/binary/nasc_narrow_weights.v
// BINARY-TOP: .ABITS(8),
// BINARY-TOP: .PE(4),
// BINARY-TOP-NEXT: .CW(12),
// BINARY-TOP-NEXT: .WBITS(1),
// A word of 4 binary weights is one hex digit.
// RUN: FileCheck %s --check-prefix=WORDS < %t/binary/weights.mem
// WORDS-NOT: {{[0-9a-f][0-9a-f]}}

// The same network with 8-bit weights: no adds, bytes of weights.
// RUN: sed 's/wbits = 1/wbits = 8/' %s > %t/wide.nas
// RUN: nasc %t/wide.nas --emit=fpga --fpga-pe 4 -o %t/wide
// RUN: FileCheck %s --check-prefix=WIDE < %t/wide/design.txt
// WIDE: energy: {{[0-9.]+}} uJ per image at 12 MHz (27920 multiply-accumulates, {{[0-9]+}} bytes
// WIDE: weights: 464 levels in 464 bytes of weight memory (8-bit levels)
// RUN: FileCheck %s --check-prefix=WIDE-TOP < %t/wide/nasc_wide.v
// WIDE-TOP: .WBITS(8),

// A chain: each engine its own widths; the first engine's tensors all
// have 4-bit levels, the second's output 8.
// RUN: sed '/stem:/s/wbits = 1/wbits = 4/' %s > %t/mixed.nas
// RUN: nasc %t/mixed.nas --emit=fpga --fpga-template dataflow --fpga-stages 2 --fpga-pe 4 -o %t/mixed
// RUN: FileCheck %s --check-prefix=MIXED < %t/mixed/design.txt
// MIXED: weights: 464 levels in 112 bytes of weight memory (1 to 4-bit levels)
// MIXED-NEXT: activation memory: 1408 levels in 1088 bytes (4 to 8-bit levels)
// RUN: FileCheck %s --check-prefix=MIXED-TOP < %t/mixed/nasc_mixed.v
// MIXED-TOP: .ABITS(4),
// MIXED-TOP: .WBITS(4),
// MIXED-TOP: .ABITS(8),
// MIXED-TOP: .WBITS(1),

dataset d { input = [2, 8, 8]; classes = 4; }

network narrow on d {
  stem: conv(out = 8, kernel = 3, wbits = 1) -> bn -> relu;
  body: conv(out = 8, kernel = 3, wbits = 1, prune = 0.5) -> bn -> relu;
  down: max_pool(kernel = 2, stride = 2);
  residual { conv(kernel = 1, wbits = 1) -> bn -> relu; }
  global_avg_pool -> fc(out = classes, wbits = 1);
}

compress { abits = {4}; }
