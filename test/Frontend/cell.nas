// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s
// RUN: nasc %s | FileCheck %s --check-prefix=SUMMARY

// Cells: `edges all` declares an edge i -> j for every i < j with j not an
// input, in canonical order (by target node, then source: NAS-Bench-201's
// 0->1, 0->2, 1->2, 0->3, 1->3, 2->3); explicit edges take their place in
// that order and are not duplicated by `edges all`; the nodes/inputs/output
// arguments; cells are emitted once and referenced by every use.

dataset d { input = [16, 8, 8]; classes = 10; }

ops o { skip: identity; none: zero; }

// CHECK-LABEL: nas.cell @all4 nodes 4 inputs 1 output last {
// CHECK-NEXT:    nas.edge 0 -> 1 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK-NEXT:        nas.identity
// CHECK-NEXT:      }
// CHECK-NEXT:      nas.option "none" {
// CHECK-NEXT:        nas.zero
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    nas.edge 0 -> 2 {
// CHECK:         nas.edge 1 -> 2 {
// CHECK:         nas.edge 0 -> 3 {
// CHECK:         nas.edge 1 -> 3 {
// CHECK:         nas.edge 2 -> 3 {
// CHECK-NOT:     nas.edge
cell all4(nodes = 4) { edges all : o; }

// Explicit edges keep their own alternatives, wherever they are written.
// CHECK-LABEL: nas.cell @mixed nodes 4 inputs 1 output last {
// CHECK-NEXT:    nas.edge 0 -> 1 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK:         nas.edge 0 -> 2 {
// CHECK-NEXT:      nas.option "conv" {
// CHECK-NEXT:        nas.conv {kernel = 3 : i64}
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    nas.edge 1 -> 2 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK:         nas.edge 0 -> 3 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK:         nas.edge 1 -> 3 {
// CHECK-NEXT:      nas.option "pool" {
// CHECK-NEXT:        nas.pool avg
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    nas.edge 2 -> 3 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK:         }
// CHECK-NOT:     nas.edge
cell mixed(nodes = 4) {
  edge 0 -> 2 : { conv: conv(kernel = 3); };
  edges all : o;
  edge 1 -> 3 : { pool: avg_pool; }       // the ';' after '}' is optional
}

// Two input nodes (0 and 1) receive no edges; the output concatenates the
// intermediate nodes.
// CHECK-LABEL: nas.cell @darts nodes 4 inputs 2 output concat {
// CHECK-NEXT:    nas.edge 0 -> 2 {
// CHECK:         nas.edge 1 -> 2 {
// CHECK:         nas.edge 0 -> 3 {
// CHECK:         nas.edge 1 -> 3 {
// CHECK:         nas.edge 2 -> 3 {
// CHECK-NOT:     nas.edge
cell darts(nodes = 4, inputs = 2, output = concat) { edges all : { s: identity; }; }

// Only explicit edges, written out of order: sorted into canonical order.
// Op-set arguments on an edge reach the ops that take them.
// CHECK-LABEL: nas.cell @chain nodes 3 inputs 1 output last {
// CHECK-NEXT:    nas.edge 0 -> 1 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK-NEXT:        nas.identity {stride = 1 : i64}
// CHECK:         nas.edge 1 -> 2 {
// CHECK-NEXT:      nas.option "skip" {
// CHECK-NEXT:        nas.identity{{$}}
// CHECK-NOT:     nas.edge
cell chain(output = last, nodes = 3) {
  edge 1 -> 2 : o;
  edge 0 -> 1 : o(stride = 1);
}

// Every use of a cell is a reference to the one cell.
// CHECK-LABEL: nas.network @n on @d {
// CHECK-NEXT:    nas.cell_ref @all4
// CHECK-NEXT:    nas.cell_ref @mixed
// CHECK-NEXT:    nas.cell_ref @all4
// CHECK-NEXT:    nas.cell_ref @darts
// CHECK-NEXT:    nas.repeat 2 : i64 {
// CHECK-NEXT:      nas.cell_ref @chain
// CHECK-NEXT:    }
network n {
  all4 -> mixed -> all4;
  darts;
  repeat 2 { chain; }
  global_avg_pool -> fc(out = classes);
}

// SUMMARY:      cell all4: 4 nodes (1 input), output last, 6 edges, shared by every use
// SUMMARY-NEXT:   edge 0 -> 1: skip | none
// SUMMARY-NEXT:   edge 0 -> 2: skip | none
// SUMMARY-NEXT:   edge 1 -> 2: skip | none
// SUMMARY-NEXT:   edge 0 -> 3: skip | none
// SUMMARY-NEXT:   edge 1 -> 3: skip | none
// SUMMARY-NEXT:   edge 2 -> 3: skip | none
// SUMMARY:      cell mixed: 4 nodes (1 input), output last, 6 edges, shared by every use
// SUMMARY-NEXT:   edge 0 -> 1: skip | none
// SUMMARY-NEXT:   edge 0 -> 2: conv
// SUMMARY-NEXT:   edge 1 -> 2: skip | none
// SUMMARY-NEXT:   edge 0 -> 3: skip | none
// SUMMARY-NEXT:   edge 1 -> 3: pool
// SUMMARY-NEXT:   edge 2 -> 3: skip | none
// SUMMARY:      cell darts: 4 nodes (2 inputs), output concat, 5 edges, shared by every use
// SUMMARY:      cell chain: 3 nodes (1 input), output last, 2 edges, shared by every use
