// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'
// RUN: nasc %s --split-input-file --verify-diagnostics --mlir-print-op-on-diagnostic=false

// Errors of the nas dialect's verifiers reached from .nas sources: the front
// end builds the IR, then verifies it, and each error points at the source
// token that the offending op was built from. One bad input per chunk, each
// checked with its exact line, column and message and with
// --verify-diagnostics. Apart from the marked mistake every chunk is a
// complete spec: a dataset and exactly one network.
//
// --mlir-print-op-on-diagnostic=false: a verifier error also carries a note
// with the op in generic form ("see current operation"), which the
// diagnostic verifier would report as unexpected.

// An even kernel has no 'same' padding.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op kernel 4 must be odd for 'same' padding{{$}}
// expected-error @+1 {{'nas.conv' op kernel 4 must be odd for 'same' padding}}
network n { conv(kernel = 4); fc(out = 10); }
// -----

// Every kernel of a choice is checked.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.sep_conv' op kernel 6 must be odd for 'same' padding{{$}}
// expected-error @+1 {{'nas.sep_conv' op kernel 6 must be odd for 'same' padding}}
network n { sep_conv(kernel = {3, 6}); fc(out = 10); }
// -----

// A kernel of 0.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op 'kernel' must be at least 1, got 0{{$}}
// expected-error @+1 {{'nas.conv' op 'kernel' must be at least 1, got 0}}
network n { conv(kernel = 0); fc(out = 10); }
// -----

// Groups must divide the output channels.
dataset d { input = [8, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op out channels 10 are not divisible by groups 4{{$}}
// expected-error @+1 {{'nas.conv' op out channels 10 are not divisible by groups 4}}
network n { conv(out = 10, groups = 4); fc(out = 10); }
// -----

// A pruning ratio of 1 would remove everything.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op 'prune' ratio must be in [0, 1), got 1{{$}}
// expected-error @+1 {{'nas.conv' op 'prune' ratio must be in [0, 1), got 1}}
network n { conv(prune = 1.0); fc(out = 10); }
// -----

// 64-bit weights are out of range.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op 'wbits' must be in [1, 32], got 64{{$}}
// expected-error @+1 {{'nas.conv' op 'wbits' must be in [1, 32], got 64}}
network n { conv(wbits = 64); fc(out = 10); }
// -----

// Activation bits out of range in a range value.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.fc' op 'abits' must be in [2, 32], got 0{{$}}
// expected-error @+1 {{'nas.fc' op 'abits' must be in [2, 32], got 0}}
network n { fc(out = 16, abits = 0..8 step 4); fc(out = 10); }
// -----

// One activation bit leaves no level but 0.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op 'abits' must be in [2, 32], got 1{{$}}
// expected-error @+1 {{'nas.conv' op 'abits' must be in [2, 32], got 1}}
network n { conv(out = 4, abits = 1); fc(out = 10); }
// -----

// A repeat count of 0.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.repeat' op 'count' must be at least 1, got 0{{$}}
// expected-error @+1 {{'nas.repeat' op 'count' must be at least 1, got 0}}
network n { repeat 0 { relu; } fc(out = 10); }
// -----

// A residual needs a body.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.residual' op needs a body{{$}}
// expected-error @+1 {{'nas.residual' op needs a body}}
network n { residual { } fc(out = 10); }
// -----

// An identity residual whose body has stride 2.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.residual' op identity shortcut needs a body that keeps the spatial size, but it has stride 2; use 'projection'{{$}}
// expected-error @+1 {{'nas.residual' op identity shortcut needs a body that keeps the spatial size, but it has stride 2; use 'projection'}}
network n { residual { conv(stride = 2); } fc(out = 10); }
// -----

// A searched stride counts too.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.residual' op identity shortcut needs a body that keeps the spatial size, but it has stride 2; use 'projection'{{$}}
// expected-error @+1 {{'nas.residual' op identity shortcut needs a body that keeps the spatial size, but it has stride 2; use 'projection'}}
network n { residual { conv(stride = {1, 2}); } fc(out = 10); }
// -----

// The last fc must produce one output per class.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:32: error: 'nas.fc' op produces 5 outputs but dataset @d has 10 classes{{$}}
// expected-error @+1 {{'nas.fc' op produces 5 outputs but dataset @d has 10 classes}}
network n { global_avg_pool -> fc(out = 5); }
// -----

// A convolution after the network has been flattened.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:27: error: 'nas.conv' op needs a spatial input, but a preceding 'nas.fc' has flattened it{{$}}
// expected-error @+1 {{'nas.conv' op needs a spatial input, but a preceding 'nas.fc' has flattened it}}
network n { fc(out = 16); conv; fc(out = 10); }
// -----

// An edge going backwards.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 3) {
  edge 0 -> 1 : { s: identity; };
// CHECK: errors-verifier.nas:[[@LINE+2]]:3: error: 'nas.edge' op goes from node 2 to node 1: edges must go to a later node (the cell is a DAG in node order){{$}}
// expected-error @+1 {{'nas.edge' op goes from node 2 to node 1: edges must go to a later node (the cell is a DAG in node order)}}
  edge 2 -> 1 : { s: identity; };
  edge 0 -> 2 : { s: identity; };
}
network n { c; fc(out = 10); }
// -----

// An edge from a node to itself.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 2) {
  edge 0 -> 1 : { s: identity; };
// CHECK: errors-verifier.nas:[[@LINE+2]]:3: error: 'nas.edge' op goes from node 1 to node 1: edges must go to a later node (the cell is a DAG in node order){{$}}
// expected-error @+1 {{'nas.edge' op goes from node 1 to node 1: edges must go to a later node (the cell is a DAG in node order)}}
  edge 1 -> 1 : { s: identity; };
}
network n { c; fc(out = 10); }
// -----

// An edge into an input node.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 3, inputs = 2) {
// CHECK: errors-verifier.nas:[[@LINE+2]]:3: error: 'nas.edge' op targets node 1, which is an input of the cell{{$}}
// expected-error @+1 {{'nas.edge' op targets node 1, which is an input of the cell}}
  edge 0 -> 1 : { s: identity; };
  edge 0 -> 2 : { s: identity; };
}
network n { c; fc(out = 10); }
// -----

// An edge to a node the cell does not have.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 3) {
  edges all : { s: identity; };
// CHECK: errors-verifier.nas:[[@LINE+2]]:3: error: 'nas.edge' op targets node 7 but the cell has 3 nodes (0..2){{$}}
// expected-error @+1 {{'nas.edge' op targets node 7 but the cell has 3 nodes (0..2)}}
  edge 0 -> 7 : { s: identity; };
}
network n { c; fc(out = 10); }
// -----

// The same edge twice.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 2) {
  edge 0 -> 1 : { s: identity; };
// CHECK: errors-verifier.nas:[[@LINE+2]]:3: error: 'nas.edge' op duplicates edge 0 -> 1{{$}}
// expected-error @+1 {{'nas.edge' op duplicates edge 0 -> 1}}
  edge 0 -> 1 : { z: zero; };
}
network n { c; fc(out = 10); }
// -----

// A node without an incoming edge.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.cell' op node 2 has no incoming edge{{$}}
// expected-error @+1 {{'nas.cell' op node 2 has no incoming edge}}
cell c(nodes = 3) { edge 0 -> 1 : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// Stride 2 on a cell edge.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:21: error: 'nas.edge' op has an option with stride 2, but cell edges must keep the node shape{{$}}
// expected-error @+1 {{'nas.edge' op has an option with stride 2, but cell edges must keep the node shape}}
cell c(nodes = 2) { edge 0 -> 1 : { s: conv(stride = 2); }; }
network n { c; fc(out = 10); }
// -----

// Stride 2 on an edge from 'edges all'.
dataset d { input = [3, 8, 8]; classes = 10; }
ops o { p: max_pool(stride = 2); s: identity; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:21: error: 'nas.edge' op has an option with stride 2, but cell edges must keep the node shape{{$}}
// expected-error @+1 {{'nas.edge' op has an option with stride 2, but cell edges must keep the node shape}}
cell c(nodes = 2) { edges all : o; }
network n { c; fc(out = 10); }
// -----

// A cell whose nodes are all inputs.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.cell' op has 2 nodes but 2 of them are inputs; it needs at least one more{{$}}
// expected-error @+1 {{'nas.cell' op has 2 nodes but 2 of them are inputs; it needs at least one more}}
cell c(nodes = 2, inputs = 2) { }
network n { c; fc(out = 10); }
// -----

// A cell without input nodes.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.cell' op needs at least one input node, got 0{{$}}
// expected-error @+1 {{'nas.cell' op needs at least one input node, got 0}}
cell c(nodes = 2, inputs = 0) { edge 0 -> 1 : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// A cell too large.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.cell' op has 100 nodes; cells are limited to 64{{$}}
// expected-error @+1 {{'nas.cell' op has 100 nodes; cells are limited to 64}}
cell c(nodes = 100) { edges all : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// An input dimension of 0.
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.dataset' op input dimensions must be positive, got 0{{$}}
// expected-error @+1 {{'nas.dataset' op input dimensions must be positive, got 0}}
dataset d { input = [0, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// -----

// An input of rank 2.
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.dataset' op input shape must be [features] or [channels, height, width], got rank 2{{$}}
// expected-error @+1 {{'nas.dataset' op input shape must be [features] or [channels, height, width], got rank 2}}
dataset d { input = [8, 8]; classes = 10; }
network n { fc(out = 10); }
// -----

// No classes.
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.dataset' op needs at least one class, got 0{{$}}
// expected-error @+1 {{'nas.dataset' op needs at least one class, got 0}}
dataset d { input = [3, 8, 8]; classes = 0; }
network n { fc(out = 10); }
// -----

// A negative target property.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.target' op 'memory' must not be negative{{$}}
// expected-error @+1 {{'nas.target' op 'memory' must not be negative}}
target t : gpu { memory = -4 GB; }
network n { fc(out = 10); }
// -----

// A rate so small that the cost models would divide it into infinity.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.target' op 'bandwidth' of {{.*}} GB/s is out of range (a finite value, 0 or at least {{.*}} in base units){{$}}
// expected-error @+1 {{'nas.target' op 'bandwidth' of}}
target t : gpu { bandwidth = 1e-320 GB/s; }
network n { fc(out = 10); }
// -----

// A weighted sum without weights.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:27: error: 'nas.objective' op needs a weight in a 'weighted_sum' formulation{{$}}
// expected-error @+1 {{'nas.objective' op needs a weight in a 'weighted_sum' formulation}}
objectives weighted_sum { maximize accuracy; minimize params; }
// -----

// A negative weight.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:59: error: 'nas.objective' op weight must be positive, got -1{{$}}
// expected-error @+1 {{'nas.objective' op weight must be positive, got -1}}
objectives weighted_product { maximize accuracy weight 1; minimize params weight -1; }
// -----

// A weight where the formulation does not use one.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:14: error: 'nas.objective' op has a weight, but the formulation 'single' does not combine objectives by weight{{$}}
// expected-error @+1 {{'nas.objective' op has a weight, but the formulation 'single' does not combine objectives by weight}}
objectives { maximize accuracy weight 1; }
// -----

// Pareto with one objective.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.objectives' op 'pareto' formulation needs at least two objectives{{$}}
// expected-error @+1 {{'nas.objectives' op 'pareto' formulation needs at least two objectives}}
objectives pareto { maximize accuracy; }
// -----

// 'single' with two objectives.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.objectives' op 'single' formulation optimizes exactly one objective, got 2{{$}}
// expected-error @+1 {{'nas.objectives' op 'single' formulation optimizes exactly one objective, got 2}}
objectives single { maximize accuracy; minimize params; }
// -----

// The same metric twice.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:33: error: 'nas.objective' op repeats metric 'accuracy'{{$}}
// expected-error @+1 {{'nas.objective' op repeats metric 'accuracy'}}
objectives { maximize accuracy; maximize accuracy; }
// -----

// 'constrained' without a constraint.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.objectives' op 'constrained' formulation needs at least one constraint{{$}}
// expected-error @+1 {{'nas.objectives' op 'constrained' formulation needs at least one constraint}}
objectives constrained { maximize accuracy; }
// -----

// 'two_stage' without stage 2.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.objectives' op 'two_stage' formulation needs objectives in both stage 1 and stage 2{{$}}
// expected-error @+1 {{'nas.objectives' op 'two_stage' formulation needs objectives in both stage 1 and stage 2}}
objectives two_stage { maximize accuracy stage 1; minimize params stage 1; }
// -----

// 'two_stage' with an objective outside both stages.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:51: error: 'nas.objective' op needs 'stage 1' or 'stage 2' in a 'two_stage' formulation{{$}}
// expected-error @+1 {{'nas.objective' op needs 'stage 1' or 'stage 2' in a 'two_stage' formulation}}
objectives two_stage { maximize accuracy stage 1; minimize params stage 3; }
// -----

// A stage outside 'two_stage'.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:14: error: 'nas.objective' op has a stage, but the formulation is 'single'{{$}}
// expected-error @+1 {{'nas.objective' op has a stage, but the formulation is 'single'}}
objectives { maximize accuracy stage 1; }
// -----

// An accuracy bound of 95 written without %.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:15: error: 'nas.constraint' op accuracy bound 95 is above 1 (write 0.9 or 90 %){{$}}
// expected-error @+1 {{'nas.constraint' op accuracy bound 95 is above 1 (write 0.9 or 90 %)}}
constraints { accuracy >= 95; }
// -----

// A negative bound.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:15: error: 'nas.constraint' op bound must not be negative{{$}}
// expected-error @+1 {{'nas.constraint' op bound must not be negative}}
constraints { params < -1; }
// -----

// 'method = table' without a table.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.evaluate' op method 'table' needs 'table'{{$}}
// expected-error @+1 {{'nas.evaluate' op method 'table' needs 'table'}}
evaluate { method = table; }
// -----

// 'method = zero_cost' without a proxy.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.evaluate' op method 'zero_cost' needs 'proxy'{{$}}
// expected-error @+1 {{'nas.evaluate' op method 'zero_cost' needs 'proxy'}}
evaluate { method = zero_cost; }
// -----

// A proxy fraction of 0.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.evaluate' op 'proxy_fraction' must be in (0, 1], got 0{{$}}
// expected-error @+1 {{'nas.evaluate' op 'proxy_fraction' must be in (0, 1], got 0}}
evaluate { proxy_fraction = 0; }
// -----

// Zero epochs.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.evaluate' op 'epochs' must be at least 1, got 0{{$}}
// expected-error @+1 {{'nas.evaluate' op 'epochs' must be at least 1, got 0}}
evaluate { epochs = 0; }
// -----

// Negative patience.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.evaluate' op 'patience' must not be negative{{$}}
// expected-error @+1 {{'nas.evaluate' op 'patience' must not be negative}}
evaluate { patience = -1; }
// -----

// A budget of 0.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.search' op budget must be at least 1, got 0{{$}}
// expected-error @+1 {{'nas.search' op budget must be at least 1, got 0}}
search { budget = 0; }
// -----

// A negative seed.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.search' op seed must not be negative, got -1{{$}}
// expected-error @+1 {{'nas.search' op seed must not be negative, got -1}}
search { seed = -1; }
// -----

// Compression defaults are checked like layer arguments.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-verifier.nas:[[@LINE+2]]:1: error: 'nas.compress' op 'wbits' must be in [1, 32], got 64{{$}}
// expected-error @+1 {{'nas.compress' op 'wbits' must be in [1, 32], got 64}}
compress { wbits = {4, 64}; }
// -----

// Groups that do not divide the input channels (3 from the dataset).
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:13: error: 'nas.conv' op groups 2 do not divide its 3 input channels{{$}}
// expected-error @+1 {{'nas.conv' op groups 2 do not divide its 3 input channels}}
network n { conv(out = 16, groups = 2); fc(out = 10); }
// -----

// An identity shortcut around a body that changes the channel count.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:29: error: 'nas.residual' op identity shortcut adds 16 input channels to a body output of 32 channels; use 'projection'{{$}}
// expected-error @+1 {{'nas.residual' op identity shortcut adds 16 input channels to a body output of 32 channels; use 'projection'}}
network n { conv(out = 16); residual { conv(out = 32); } fc(out = 10); }
// -----

// A cell edge that changes the channel count.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+2]]:21: error: 'nas.edge' op has an option that sets 'out', but cell edges must keep the node's channel count{{$}}
// expected-error @+1 {{'nas.edge' op has an option that sets 'out', but cell edges must keep the node's channel count}}
cell c(nodes = 2) { edge 0 -> 1 : { w: conv(out = 8); }; }
network n { c; fc(out = 10); }
// -----

// An error in an op set is located in the op set, with a note at its use.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-verifier.nas:[[@LINE+4]]:12: error: 'nas.conv' op kernel 4 must be odd for 'same' padding{{$}}
// expected-error @+3 {{'nas.conv' op kernel 4 must be odd for 'same' padding}}
// CHECK: errors-verifier.nas:[[@LINE+3]]:20: note: called from{{$}}
// (call-site note: checked by FileCheck only)
ops o { a: conv; }
network n { choose o(kernel = 4); fc(out = 10); }
