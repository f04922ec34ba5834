// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'
// RUN: nasc %s --split-input-file --verify-diagnostics

// Semantic errors found by the front end (MLIRGen) while it lowers a
// parsed .nas file, one bad input per chunk, each checked with its exact
// line, column and message (the first RUN line) and with
// --verify-diagnostics (the second, which also proves that no other
// diagnostic is reported). Apart from the marked mistake every chunk is a
// complete spec: a dataset and exactly one network.

// A spec without a network; reported at the start of the file.
// CHECK: errors-semantic.nas:[[@LINE-11]]:1: error: the spec declares no network{{$}}
// expected-error @-12 {{the spec declares no network}}
dataset d { input = [3, 8, 8]; classes = 10; }
// -----

// Two networks.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: a spec holds one network; 'm' is a second one{{$}}
// expected-error @+1 {{a spec holds one network; 'm' is a second one}}
network m { fc(out = 10); }
// -----

// A name declared twice, with a note at the first declaration.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+4]]:7: error: redefinition of 'n'{{$}}
// expected-error @+3 {{redefinition of 'n'}}
// CHECK: errors-semantic.nas:[[@LINE-3]]:1: note: 'n' was first declared here{{$}}
// expected-note @-4 {{'n' was first declared here}}
block n { relu; }
// -----

// Datasets and cells share one namespace.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+4]]:6: error: redefinition of 'd'{{$}}
// expected-error @+3 {{redefinition of 'd'}}
// CHECK: errors-semantic.nas:[[@LINE-3]]:1: note: 'd' was first declared here{{$}}
// expected-note @-4 {{'d' was first declared here}}
cell d(nodes = 2) { edges all : { s: identity; }; }
network n { fc(out = 10); }
// -----

// A cell named like a built-in op could never be used.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:6: error: 'relu' is the name of a built-in operation{{$}}
// expected-error @+1 {{'relu' is the name of a built-in operation}}
cell relu(nodes = 2) { edges all : { s: identity; }; }
network n { fc(out = 10); }
// -----

// A block named like a built-in op (an alias).
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:7: error: 'linear' is the name of a built-in operation{{$}}
// expected-error @+1 {{'linear' is the name of a built-in operation}}
block linear { relu; }
network n { fc(out = 10); }
// -----

// An op set named like a built-in op.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:5: error: 'bn' is the name of a built-in operation{{$}}
// expected-error @+1 {{'bn' is the name of a built-in operation}}
ops bn { a: relu; }
network n { fc(out = 10); }
// -----

// An unknown op.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: unknown operation 'frob': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'frob': not a built-in op, cell or block}}
network n { frob; fc(out = 10); }
// -----

// An unknown op later in a chain.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:27: error: unknown operation 'rleu': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'rleu': not a built-in op, cell or block}}
network n { conv -> bn -> rleu; fc(out = 10); }
// -----

// An unknown cell or block used inside a block.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:17: error: unknown operation 'nope_cell': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'nope_cell': not a built-in op, cell or block}}
block b { relu; nope_cell; }
network n { b; fc(out = 10); }
// -----

// An unknown op set.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:20: error: unknown op set 'nope'{{$}}
// expected-error @+1 {{unknown op set 'nope'}}
network n { choose nope; fc(out = 10); }
// -----

// A dataset used as an op.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: 'd' is a dataset, not an operation{{$}}
// expected-error @+1 {{'d' is a dataset, not an operation}}
network n { d; fc(out = 10); }
// -----

// A dataset used as an op set.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:20: error: 'd' is a dataset, not an op set{{$}}
// expected-error @+1 {{'d' is a dataset, not an op set}}
network n { choose d; fc(out = 10); }
// -----

// An op set used as an op.
dataset d { input = [3, 8, 8]; classes = 10; }
ops o { a: relu; b: tanh; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: 'o' is an op set; use 'choose o;', not an operation{{$}}
// expected-error @+1 {{'o' is an op set; use 'choose o;', not an operation}}
network n { o; fc(out = 10); }
// -----

// A built-in op used as an op set.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:20: error: 'relu' is an operation, not an op set; write it as an alternative: { label: relu; }{{$}}
// expected-error @+1 {{'relu' is an operation, not an op set; write it as an alternative: { label: relu; }}}
network n { choose relu; fc(out = 10); }
// -----

// A block used as the network's dataset.
dataset d { input = [3, 8, 8]; classes = 10; }
block b { relu; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:14: error: 'b' is a block, not a dataset{{$}}
// expected-error @+1 {{'b' is a block, not a dataset}}
network n on b { fc(out = 10); }
// -----

// An unknown dataset.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:14: error: unknown dataset 'imagenet'{{$}}
// expected-error @+1 {{unknown dataset 'imagenet'}}
network n on imagenet { fc(out = 10); }
// -----

// A dataset used as a target.
dataset d { input = [3, 8, 8]; classes = 10; }
target t : gpu { }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:23: error: 'd' is a dataset, not a target{{$}}
// expected-error @+1 {{'d' is a dataset, not a target}}
constraints { latency(d) < 1 ms; }
// -----

// An unknown target.
dataset d { input = [3, 8, 8]; classes = 10; }
target t : gpu { }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:23: error: unknown target 'u'{{$}}
// expected-error @+1 {{unknown target 'u'}}
constraints { latency(u) < 1 ms; }
// -----

// 'on DATASET' is required when there are two datasets.
dataset d { input = [3, 8, 8]; classes = 10; }
dataset e { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: network 'n' needs 'on DATASET': the spec declares 2 datasets{{$}}
// expected-error @+1 {{network 'n' needs 'on DATASET': the spec declares 2 datasets}}
network n { fc(out = 10); }
// -----

// A cell takes no arguments where it is used.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 2) { edges all : { s: identity; }; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: cell 'c' takes no arguments{{$}}
// expected-error @+1 {{cell 'c' takes no arguments}}
network n { c(out = 3); fc(out = 10); }
// -----

// Not even empty parentheses.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 2) { edges all : { s: identity; }; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: cell 'c' takes no arguments{{$}}
// expected-error @+1 {{cell 'c' takes no arguments}}
network n { c(); fc(out = 10); }
// -----

// A block takes no arguments either.
dataset d { input = [3, 8, 8]; classes = 10; }
block b { relu; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:13: error: block 'b' takes no arguments{{$}}
// expected-error @+1 {{block 'b' takes no arguments}}
network n { b(kernel = 3); fc(out = 10); }
// -----

// A block that uses itself.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:17: error: block 'b' uses itself{{$}}
// expected-error @+1 {{block 'b' uses itself}}
block b { relu; b; }
network n { b; fc(out = 10); }
// -----

// Blocks that use each other.
dataset d { input = [3, 8, 8]; classes = 10; }
block a { relu; b; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:17: error: block 'a' uses itself{{$}}
// expected-error @+1 {{block 'a' uses itself}}
block b { tanh; a; }
network n { a; fc(out = 10); }
// -----

// A cell without a node count.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: cell 'c' needs a node count: cell c(nodes = N){{$}}
// expected-error @+1 {{cell 'c' needs a node count: cell c(nodes = N)}}
cell c(inputs = 1) { edges all : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// An unknown cell argument.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:19: error: unknown cell argument 'depth'; expected nodes, inputs or output{{$}}
// expected-error @+1 {{unknown cell argument 'depth'; expected nodes, inputs or output}}
cell c(nodes = 2, depth = 3) { edges all : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// A cell argument given twice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:19: error: argument 'nodes' is given twice{{$}}
// expected-error @+1 {{argument 'nodes' is given twice}}
cell c(nodes = 2, nodes = 3) { edges all : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// A cell output that is neither last nor concat.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:28: error: 'output' must be 'last' or 'concat'{{$}}
// expected-error @+1 {{'output' must be 'last' or 'concat'}}
cell c(nodes = 2, output = sum) { edges all : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// 'edges all' twice in one cell.
dataset d { input = [3, 8, 8]; classes = 10; }
cell c(nodes = 2) {
  edges all : { s: identity; };
// CHECK: errors-semantic.nas:[[@LINE+2]]:3: error: 'edges all' is given twice{{$}}
// expected-error @+1 {{'edges all' is given twice}}
  edges all : { z: zero; };
}
network n { c; fc(out = 10); }
// -----

// A node index that does not fit in 64 bits.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:21: error: node index is too large{{$}}
// expected-error @+1 {{node index is too large}}
cell c(nodes = 2) { edge 0 -> 99999999999999999999 : { s: identity; }; }
network n { c; fc(out = 10); }
// -----

// An unknown argument of an op.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:18: error: 'conv' has no argument 'size'; expected one of out, kernel, stride, groups, dilation, wbits, abits, prune{{$}}
// expected-error @+1 {{'conv' has no argument 'size'; expected one of out, kernel, stride, groups, dilation, wbits, abits, prune}}
network n { conv(size = 3); fc(out = 10); }
// -----

// An argument of an op that takes none.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:18: error: 'relu' has no argument 'out'; it takes none{{$}}
// expected-error @+1 {{'relu' has no argument 'out'; it takes none}}
network n { relu(out = 3); fc(out = 10); }
// -----

// An argument given twice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:30: error: argument 'kernel' is given twice{{$}}
// expected-error @+1 {{argument 'kernel' is given twice}}
network n { conv(kernel = 3, kernel = 5); fc(out = 10); }
// -----

// An argument of an op set given twice.
dataset d { input = [3, 8, 8]; classes = 10; }
ops o { a: conv; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:31: error: argument 'out' is given twice{{$}}
// expected-error @+1 {{argument 'out' is given twice}}
network n { choose o(out = 8, out = 9); fc(out = 10); }
// -----

// An op-set argument that no alternative takes.
dataset d { input = [3, 8, 8]; classes = 10; }
ops o { a: relu; b: bn; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:22: error: no alternative of op set 'o' takes argument 'out'{{$}}
// expected-error @+1 {{no alternative of op set 'o' takes argument 'out'}}
network n { choose o(out = 8); fc(out = 10); }
// -----

// A name where an integer is expected.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: 'out' must be an integer, a choice {a, b} or a range lo..hi, got a name{{$}}
// expected-error @+1 {{'out' must be an integer, a choice {a, b} or a range lo..hi, got a name}}
network n { conv(out = wide); fc(out = 10); }
// -----

// 'se' is a boolean.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:25: error: 'se' must be true or false{{$}}
// expected-error @+1 {{'se' must be true or false}}
network n { mbconv(se = maybe); fc(out = 10); }
// -----

// An unknown shortcut.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:33: error: unknown shortcut 'dense'; expected one of identity, projection, avgpool_conv, identity_or_none{{$}}
// expected-error @+1 {{unknown shortcut 'dense'; expected one of identity, projection, avgpool_conv}}
network n { residual(shortcut = dense) { relu; } fc(out = 10); }
// -----

// An unknown argument of residual.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:22: error: 'residual' has no argument 'kind'; expected shortcut{{$}}
// expected-error @+1 {{'residual' has no argument 'kind'; expected shortcut}}
network n { residual(kind = identity) { relu; } fc(out = 10); }
// -----

// An alternative label listed twice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:31: error: alternative 'a' is listed twice{{$}}
// expected-error @+1 {{alternative 'a' is listed twice}}
network n { choose { a: relu; a: tanh; }; fc(out = 10); }
// -----

// A repeat count that is a name.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:20: error: 'repeat count' must be an integer, a choice {a, b} or a range lo..hi, got a name{{$}}
// expected-error @+1 {{'repeat count' must be an integer, a choice {a, b} or a range lo..hi, got a name}}
network n { repeat x { relu; } fc(out = 10); }
// -----

// An integer literal too large for 64 bits.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: integer 99999999999999999999999 is too large{{$}}
// expected-error @+1 {{integer 99999999999999999999999 is too large}}
network n { conv(out = 99999999999999999999999); fc(out = 10); }
// -----

// Choice alternatives of mixed kinds.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:34: error: choice mixes integer and string alternatives{{$}}
// expected-error @+1 {{choice mixes integer and string alternatives}}
target t : asic { tunable mode = {1, "a"}; }
network n { fc(out = 10); }
// -----

// A string in an integer choice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:31: error: 'kernel' choices must be integers, got a string{{$}}
// expected-error @+1 {{'kernel' choices must be integers, got a string}}
network n { conv(kernel = {3, "five"}); fc(out = 10); }
// -----

// A number in an integer choice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:31: error: 'kernel' choices must be integers, got a number{{$}}
// expected-error @+1 {{'kernel' choices must be integers, got a number}}
network n { conv(kernel = {3, 2.5}); fc(out = 10); }
// -----

// A string in a pruning choice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:32: error: 'prune' choices must be numbers, got a string{{$}}
// expected-error @+1 {{'prune' choices must be numbers, got a string}}
network n { conv(prune = {0.5, "x"}); fc(out = 10); }
// -----

// A choice that lists an alternative twice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:34: error: choice lists a twice{{$}}
// expected-error @+1 {{choice lists a twice}}
target t : asic { tunable mode = {"a", "a"}; }
network n { fc(out = 10); }
// -----

// A range bound that is not an integer.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: range bounds and step must be integers{{$}}
// expected-error @+1 {{range bounds and step must be integers}}
network n { conv(out = 1.5..4); fc(out = 10); }
// -----

// A range that does not end on its upper bound.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: range 16..64 step 10 does not end on its upper bound{{$}}
// expected-error @+1 {{range 16..64 step 10 does not end on its upper bound}}
network n { conv(out = 16..64 step 10); fc(out = 10); }
// -----

// An empty range.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: range is empty: 64 > 16{{$}}
// expected-error @+1 {{range is empty: 64 > 16}}
network n { conv(out = 64..16); fc(out = 10); }
// -----

// A tunable that is not a choice or a range.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:34: error: tunable 'tile' must be a choice {a, b} or a range lo..hi, got an integer{{$}}
// expected-error @+1 {{tunable 'tile' must be a choice {a, b} or a range lo..hi, got an integer}}
target t : asic { tunable tile = 8; }
network n { fc(out = 10); }
// -----

// A dataset without input.
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: dataset 'd' needs 'input = ...;'{{$}}
// expected-error @+1 {{dataset 'd' needs 'input = ...;'}}
dataset d { classes = 10; }
network n { fc(out = 10); }
// -----

// A dataset without classes.
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: dataset 'd' needs 'classes = ...;'{{$}}
// expected-error @+1 {{dataset 'd' needs 'classes = ...;'}}
dataset d { input = [3, 8, 8]; }
network n { fc(out = 10); }
// -----

// An unknown dataset property.
// CHECK: errors-semantic.nas:[[@LINE+2]]:46: error: unknown dataset property 'size'; expected input, classes, resolution, source or path{{$}}
// expected-error @+1 {{unknown dataset property 'size'; expected input, classes, resolution, source or path}}
dataset d { input = [3, 8, 8]; classes = 10; size = 3; }
network n { fc(out = 10); }
// -----

// A dataset property set twice.
// CHECK: errors-semantic.nas:[[@LINE+2]]:46: error: property 'classes' is set twice{{$}}
// expected-error @+1 {{property 'classes' is set twice}}
dataset d { input = [3, 8, 8]; classes = 10; classes = 5; }
network n { fc(out = 10); }
// -----

// A dataset property of the wrong kind.
// CHECK: errors-semantic.nas:[[@LINE+2]]:42: error: 'classes' must be an integer, got a string{{$}}
// expected-error @+1 {{'classes' must be an integer, got a string}}
dataset d { input = [3, 8, 8]; classes = "ten"; }
network n { fc(out = 10); }
// -----

// The input shape is a list.
// CHECK: errors-semantic.nas:[[@LINE+2]]:21: error: 'input' must be a list like [3, 32, 32], got an integer{{$}}
// expected-error @+1 {{'input' must be a list like [3, 32, 32], got an integer}}
dataset d { input = 3; classes = 10; }
network n { fc(out = 10); }
// -----

// Input dimensions are integers.
// CHECK: errors-semantic.nas:[[@LINE+2]]:25: error: input dimensions must be integers, got a string{{$}}
// expected-error @+1 {{input dimensions must be integers, got a string}}
dataset d { input = [3, "x", 8]; classes = 10; }
network n { fc(out = 10); }
// -----

// An unknown target kind.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:12: error: unknown target kind 'quantum'; expected one of cpu, gpu, fpga, asic, mobile, tiny{{$}}
// expected-error @+1 {{unknown target kind 'quantum'; expected one of cpu, gpu, fpga, asic, mobile, tiny}}
target t : quantum { }
network n { fc(out = 10); }
// -----

// An unknown target property.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:18: error: unknown property 'speed' for a gpu target; expected one of peak_compute, bandwidth, memory, sram, flash, cache, frequency, cores, power, energy_per_mac, energy_per_byte, overhead, peak_int8, preset, area (or 'tunable NAME = ...' for a hardware search parameter){{$}}
// expected-error @+1 {{unknown property 'speed' for a gpu target; expected one of peak_compute, bandwidth, memory, sram, flash, cache, frequency, cores, power, energy_per_mac, energy_per_byte, overhead, peak_int8, preset, area (or 'tunable NAME = ...' for a hardware search parameter)}}
target t : gpu { speed = 3 GHz; }
network n { fc(out = 10); }
// -----

// FPGA resources only on fpga targets.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:18: error: unknown property 'dsp' for a gpu target; expected one of peak_compute, bandwidth, memory, sram, flash, cache, frequency, cores, power, energy_per_mac, energy_per_byte, overhead, peak_int8, preset, area (or 'tunable NAME = ...' for a hardware search parameter){{$}}
// expected-error @+1 {{unknown property 'dsp' for a gpu target; expected one of peak_compute, bandwidth, memory, sram, flash, cache, frequency, cores, power, energy_per_mac, energy_per_byte, overhead, peak_int8, preset, area (or 'tunable NAME = ...' for a hardware search parameter)}}
target t : gpu { dsp = 10; }
network n { fc(out = 10); }
// -----

// A target property of the wrong kind.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:27: error: 'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), got a string{{$}}
// expected-error @+1 {{'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), got a string}}
target t : gpu { memory = "4GB"; }
network n { fc(out = 10); }
// -----

// A unit of the wrong dimension on a target property.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:29: error: 'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), but 'ms' is time{{$}}
// expected-error @+1 {{'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), but 'ms' is time}}
target t : gpu { memory = 4 ms; }
network n { fc(out = 10); }
// -----

// A tunable set twice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:51: error: property 'tile' is set twice{{$}}
// expected-error @+1 {{property 'tile' is set twice}}
target t : asic { tunable tile = {8, 16}; tunable tile = {4}; }
network n { fc(out = 10); }
// -----

// An unknown unit.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:26: error: unknown unit 'GQ'{{$}}
// expected-error @+1 {{unknown unit 'GQ'}}
constraints { params < 4 GQ; }
// -----

// A unit of the wrong dimension on a constraint.
dataset d { input = [3, 8, 8]; classes = 10; }
target t : gpu { }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:30: error: a bound on 'latency' must be a time (h, min, s, ms, us, ns), but 'mJ' is energy{{$}}
// expected-error @+1 {{a bound on 'latency' must be a time (h, min, s, ms, us, ns), but 'mJ' is energy}}
constraints { latency(t) < 5 mJ; }
// -----

// A bytes unit on a count.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:26: error: a bound on 'params' must be a plain number (no unit, K, M, G, T, %), but 'MiB' is bytes{{$}}
// expected-error @+1 {{a bound on 'params' must be a plain number (no unit, K, M, G, T, %), but 'MiB' is bytes}}
constraints { params < 4 MiB; }
// -----

// An unknown metric.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:23: error: unknown metric 'speed'; expected one of accuracy, macs, flops, params, bops, model_size, memory, latency, energy, power, area, cycles, lut, ff, dsp, bram, fmax{{$}}
// expected-error @+1 {{unknown metric 'speed'; expected one of accuracy, macs, flops, params, bops, model_size, memory, latency, energy, power, area, cycles, lut, ff, dsp, bram}}
objectives { maximize speed; }
// -----

// A hardware metric without a target when the spec declares none.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:23: error: metric 'latency' depends on hardware: name a target, as in latency(TARGET); the spec declares no target{{$}}
// expected-error @+1 {{metric 'latency' depends on hardware: name a target, as in latency(TARGET); the spec declares no target}}
objectives { minimize latency; }
// -----

// A hardware metric without a target when the spec declares two.
dataset d { input = [3, 8, 8]; classes = 10; }
target a : gpu { }
target b : cpu { }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:23: error: metric 'latency' depends on hardware: name a target, as in latency(TARGET){{$}}
// expected-error @+1 {{metric 'latency' depends on hardware: name a target, as in latency(TARGET)}}
objectives { minimize latency; }
// -----

// A target on a metric that does not depend on hardware.
dataset d { input = [3, 8, 8]; classes = 10; }
target a : gpu { }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:30: error: metric 'params' does not depend on hardware and takes no target{{$}}
// expected-error @+1 {{metric 'params' does not depend on hardware and takes no target}}
objectives { minimize params(a); }
// -----

// An unknown formulation.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:12: error: unknown formulation 'best'; expected one of single, two_stage, constrained, weighted_sum, weighted_product, pareto{{$}}
// expected-error @+1 {{unknown formulation 'best'; expected one of single, two_stage, constrained, weighted_sum, weighted_product, pareto}}
objectives best { maximize accuracy; }
// -----

// Two objectives declarations.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
objectives { maximize accuracy; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:1: error: a spec has one 'objectives' declaration{{$}}
// expected-error @+1 {{a spec has one 'objectives' declaration}}
objectives { minimize params; }
// -----

// An unknown strategy.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:21: error: unknown strategy 'annealing'; expected one of random, grid, evolution, nsga2, reinforce, gradient{{$}}
// expected-error @+1 {{unknown strategy 'annealing'; expected one of random, grid, evolution, nsga2, reinforce, gradient}}
search { strategy = annealing; }
// -----

// A search parameter the strategy does not take.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:29: error: unknown search parameter 'population' for strategy 'random'; expected budget, seed, time_limit{{$}}
// expected-error @+1 {{unknown search parameter 'population' for strategy 'random'; expected budget, seed, time_limit}}
search { strategy = random; population = 10; }
// -----

// A search parameter of the wrong kind.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:19: error: 'budget' must be an integer, got a number{{$}}
// expected-error @+1 {{'budget' must be an integer, got a number}}
search { budget = 1.5; }
// -----

// A time limit in bytes.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:25: error: 'time_limit' must be a time quantity (h, min, s, ms, us, ns), but 'GB' is bytes{{$}}
// expected-error @+1 {{'time_limit' must be a time quantity (h, min, s, ms, us, ns), but 'GB' is bytes}}
search { time_limit = 5 GB; }
// -----

// An unknown evaluation method.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:21: error: unknown method 'guess'; expected one of train, weight_sharing, predictor, table, zero_cost, none{{$}}
// expected-error @+1 {{unknown method 'guess'; expected one of train, weight_sharing, predictor, table, zero_cost, none}}
evaluate { method = guess; }
// -----

// An unknown evaluation parameter.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:28: error: unknown evaluation parameter 'dropout'; expected method, epochs, batch_size, lr, optimizer, schedule, patience, proxy_fraction, hot_start, checkpoint, table, proxy, threads, calibration_batches, finetune_epochs, halving{{$}}
// expected-error @+1 {{unknown evaluation parameter 'dropout'; expected method, epochs, batch_size, lr, optimizer, schedule, patience, proxy_fraction, hot_start, checkpoint, table, proxy, threads, calibration_batches, finetune_epochs, halving}}
evaluate { method = train; dropout = 0.1; }
// -----

// A word outside the accepted set.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:40: error: 'optimizer' must be one of sgd, adam, got a name{{$}}
// expected-error @+1 {{'optimizer' must be one of sgd, adam, got a name}}
evaluate { method = train; optimizer = rmsprop; }
// -----

// A boolean that is not true or false.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:24: error: 'hot_start' must be true or false, got a name{{$}}
// expected-error @+1 {{'hot_start' must be true or false, got a name}}
evaluate { hot_start = yes; }
// -----

// An unknown compression setting.
dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK: errors-semantic.nas:[[@LINE+2]]:12: error: unknown compression setting 'bits'; expected wbits, abits or prune{{$}}
// expected-error @+1 {{unknown compression setting 'bits'; expected wbits, abits or prune}}
compress { bits = 8; }
// -----

// An unknown unit on a target property: no second error about its dimension.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:29: error: unknown unit 'GQ'{{$}}
// expected-error @+1 {{unknown unit 'GQ'}}
target t : gpu { memory = 4 GQ; }
network n { fc(out = 10); }
// -----

// A plain number where a quantity is needed.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:27: error: 'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), got a plain number{{$}}
// expected-error @+1 {{'memory' must be a bytes quantity (B, KB, MB, GB, KiB, MiB, GiB), got a plain number}}
target t : gpu { memory = 4; }
network n { fc(out = 10); }
// -----

// An empty choice.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:27: error: a choice needs at least one alternative{{$}}
// expected-error @+1 {{a choice needs at least one alternative}}
network n { conv(kernel = {}); fc(out = 10); }
// -----

// A bad value passed to an op set is reported once, not once per op.
dataset d { input = [3, 8, 8]; classes = 10; }
ops o { a: conv; b: mbconv; c: identity; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:28: error: 'out' must be an integer, a choice {a, b} or a range lo..hi, got a name{{$}}
// expected-error @+1 {{'out' must be an integer, a choice {a, b} or a range lo..hi, got a name}}
network n { choose o(out = wide); fc(out = 10); }
// -----

// An error inside a block is reported once however often it is used.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:11: error: unknown operation 'frob': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'frob': not a built-in op, cell or block}}
block b { frob; }
network n { b; b; fc(out = 10); }
// -----

// A block no one uses is still checked.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:16: error: unknown operation 'frob': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'frob': not a built-in op, cell or block}}
block unused { frob; }
network n { fc(out = 10); }
// -----

// An op set no one uses is still checked.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:17: error: unknown operation 'zap': not a built-in op, cell or block{{$}}
// expected-error @+1 {{unknown operation 'zap': not a built-in op, cell or block}}
ops unused { a: zap; }
network n { fc(out = 10); }
// -----

// A number out of range.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:27: error: number 1e400 is out of range{{$}}
// expected-error @+1 {{number 1e400 is out of range}}
target t : gpu { memory = 1e400 GB; }
network n { fc(out = 10); }
// -----

// A range with a fractional step: one error.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:36: error: range bounds and step must be integers{{$}}
// expected-error @+1 {{range bounds and step must be integers}}
network n { conv(out = 16..64 step 0.5); fc(out = 10); }
// -----

// A node count that is not an integer: one error.
dataset d { input = [3, 8, 8]; classes = 10; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:16: error: 'nodes' must be an integer, got a name{{$}}
// expected-error @+1 {{'nodes' must be an integer, got a name}}
cell c(nodes = two) { edges all : { s: identity; }; }
network n { fc(out = 10); }
// -----

// 'out = classes' outside a network needs exactly one dataset.
dataset d { input = [3, 8, 8]; classes = 10; }
dataset e { input = [3, 8, 8]; classes = 5; }
// CHECK: errors-semantic.nas:[[@LINE+2]]:47: error: 'out = classes' is ambiguous here: outside a network it needs exactly one dataset, and the spec declares 2{{$}}
// expected-error @+1 {{'out = classes' is ambiguous here: outside a network it needs exactly one dataset, and the spec declares 2}}
cell c(nodes = 2) { edges all : { f: fc(out = classes); }; }
network n on d { fc(out = 10); }
