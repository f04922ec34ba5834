// The exact size of a space and how it is counted (docs/space.md).
// RUN: nasc %s --split-input-file --emit=stats | FileCheck %s

// Independent layer choices multiply; a choose adds up its options, each
// counted with the decisions inside it: (2 + 1) * 3 = 9.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 9
// CHECK-NEXT: decisions: 3 (2 options, 1 hyper-parameters, 0 repeat counts, 0 tunables)
dataset d { input = [3, 8, 8]; classes = 10; }
network n {
  choose { a: conv(kernel = {3, 5}); b: identity; }
  choose { x: relu; y: relu6; z: hswish; }
  fc(out = 10);
}

// -----

// A searched depth sums over its counts; each repetition decides anew:
// 2^2 + 2^3 = 12.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 12
dataset d { input = [3, 8, 8]; classes = 10; }
network n { repeat {2, 3} { choose { a: relu; b: tanh; } } fc(out = 10); }

// -----

// Shared: one decision for every repetition: 2 * 2 = 4.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 4
dataset d { input = [3, 8, 8]; classes = 10; }
network n { repeat {2, 3} shared { choose { a: relu; b: tanh; } } fc(out = 10); }

// -----

// A cell is decided once however often it is used: 3^3; a tunable and a
// range multiply in: 27 * 2 * 4 = 216.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 216
// CHECK-NEXT: decisions: 5 (3 options, 1 hyper-parameters, 0 repeat counts, 1 tunables)
dataset d { input = [3, 8, 8]; classes = 10; }
target t : fpga { tunable pe = {8, 16}; }
cell c(nodes = 3) { edges all : { s: identity; z: zero; p: avg_pool; } }
network n { conv(out = 16..64 step 16); c; c; c; fc(out = 10); }

// -----

// Compression defaults are decided per layer with weights: 2 layers, each
// with 2 * 3 outcomes: 36.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 36
dataset d { input = [3, 8, 8]; classes = 10; }
compress { wbits = {4, 8}; prune = {0.0, 0.25, 0.5}; }
network n { conv(out = 16); relu; fc(out = 10); }

// -----

// Unused cells add nothing.
// CHECK-LABEL: spec size
// CHECK-NEXT: space size: 1
dataset d { input = [3, 8, 8]; classes = 10; }
cell unused(nodes = 3) { edges all : { s: identity; z: zero; } }
network n { fc(out = 10); }
