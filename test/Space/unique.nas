// Cell isomorphism: NAS-Bench-201's 15,625 cells are 6,466 unique ones
// (its to_unique_str rule: zero and identity edges simplified, a node's
// inputs unordered).
// RUN: nasc %S/../../examples/nb201.nas --emit=stats --unique | FileCheck %s --check-prefix=NB201
// RUN: nasc %S/../../examples/nb201.nas --emit=candidates --unique | count 6467
// RUN: nasc %s --emit=candidates --unique | cut -d, -f1,9- | FileCheck %s

// NB201:      space size: 15625
// NB201-NEXT: unique up to isomorphism: 6466

// Node 2 sums 0->2 and 1->2, so swapping what the two paths compute is the
// same cell; a conv fed only by zero edges computes nothing.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 3) { edges all : { z: zero; s: identity; c: conv; } }
network n { c; fc(out = 10); }

// The first of each class is kept, in enumeration order: 9 of 27
// (worked out by hand in docs/space.md's rule; e.g. z,z,s is z,z,z since the
// identity copies node 1's "#").
// CHECK:      encoding,c/0->1,c/0->2,c/1->2
// CHECK-NEXT: |z~0|+|z~0|z~1|,z,z,z
// CHECK-NEXT: |z~0|+|s~0|z~1|,z,s,z
// CHECK-NEXT: |z~0|+|c~0|z~1|,z,c,z
// CHECK-NEXT: |s~0|+|s~0|s~1|,s,s,s
// CHECK-NEXT: |s~0|+|s~0|c~1|,s,s,c
// CHECK-NEXT: |s~0|+|c~0|c~1|,s,c,c
// CHECK-NEXT: |c~0|+|z~0|c~1|,c,z,c
// CHECK-NEXT: |c~0|+|s~0|c~1|,c,s,c
// CHECK-NEXT: |c~0|+|c~0|c~1|,c,c,c
// CHECK-NOT:  {{.}}
