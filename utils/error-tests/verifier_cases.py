HEADER = r'''// RUN: not nasc %s --split-input-file 2>&1 | FileCheck %s --implicit-check-not='{{[0-9]+}}: error:'
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
// diagnostic verifier would report as unexpected.'''
D = "dataset d { input = [3, 8, 8]; classes = 10; }"
N = "network n { fc(out = 10); }"
def net(layers):
    return "network n { %s fc(out = 10); }" % layers
CASES = [
 # Layers.
 ("An even kernel has no 'same' padding.",
  D + "\n" + net("conv(kernel = 4);")),
 ("Every kernel of a choice is checked.",
  D + "\n" + net("sep_conv(kernel = {3, 6});")),
 ("A kernel of 0.",
  D + "\n" + net("conv(kernel = 0);")),
 ("Groups must divide the output channels.",
  "dataset d { input = [8, 8, 8]; classes = 10; }\n" + net("conv(out = 10, groups = 4);")),
 ("A pruning ratio of 1 would remove everything.",
  D + "\n" + net("conv(prune = 1.0);")),
 ("64-bit weights are out of range.",
  D + "\n" + net("conv(wbits = 64);")),
 ("Activation bits out of range in a range value.",
  D + "\n" + net("fc(out = 16, abits = 0..8 step 4);")),
 ("A repeat count of 0.",
  D + "\n" + net("repeat 0 { relu; }")),
 ("A residual needs a body.",
  D + "\n" + net("residual { }")),
 ("An identity residual whose body has stride 2.",
  D + "\n" + net("residual { conv(stride = 2); }")),
 ("A searched stride counts too.",
  D + "\n" + net("residual { conv(stride = {1, 2}); }")),
 ("The last fc must produce one output per class.",
  D + "\nnetwork n { global_avg_pool -> fc(out = 5); }"),
 ("A convolution after the network has been flattened.",
  D + "\nnetwork n { fc(out = 16); conv; fc(out = 10); }"),
 # Cells.
 ("An edge going backwards.",
  D + "\ncell c(nodes = 3) {\n  edge 0 -> 1 : { s: identity; };\n  edge 2 -> 1 : { s: identity; };\n  edge 0 -> 2 : { s: identity; };\n}\n" + net("c;")),
 ("An edge from a node to itself.",
  D + "\ncell c(nodes = 2) {\n  edge 0 -> 1 : { s: identity; };\n  edge 1 -> 1 : { s: identity; };\n}\n" + net("c;")),
 ("An edge into an input node.",
  D + "\ncell c(nodes = 3, inputs = 2) {\n  edge 0 -> 1 : { s: identity; };\n  edge 0 -> 2 : { s: identity; };\n}\n" + net("c;")),
 ("An edge to a node the cell does not have.",
  D + "\ncell c(nodes = 3) {\n  edges all : { s: identity; };\n  edge 0 -> 7 : { s: identity; };\n}\n" + net("c;")),
 ("The same edge twice.",
  D + "\ncell c(nodes = 2) {\n  edge 0 -> 1 : { s: identity; };\n  edge 0 -> 1 : { z: zero; };\n}\n" + net("c;")),
 ("A node without an incoming edge.",
  D + "\ncell c(nodes = 3) { edge 0 -> 1 : { s: identity; }; }\n" + net("c;")),
 ("Stride 2 on a cell edge.",
  D + "\ncell c(nodes = 2) { edge 0 -> 1 : { s: conv(stride = 2); }; }\n" + net("c;")),
 ("Stride 2 on an edge from 'edges all'.",
  D + "\nops o { p: max_pool(stride = 2); s: identity; }\ncell c(nodes = 2) { edges all : o; }\n" + net("c;")),
 ("A cell whose nodes are all inputs.",
  D + "\ncell c(nodes = 2, inputs = 2) { }\n" + net("c;")),
 ("A cell without input nodes.",
  D + "\ncell c(nodes = 2, inputs = 0) { edge 0 -> 1 : { s: identity; }; }\n" + net("c;")),
 ("A cell too large.",
  D + "\ncell c(nodes = 100) { edges all : { s: identity; }; }\n" + net("c;")),
 # Datasets and targets.
 ("An input dimension of 0.",
  "dataset d { input = [0, 8, 8]; classes = 10; }\n" + N),
 ("An input of rank 2.",
  "dataset d { input = [8, 8]; classes = 10; }\n" + N),
 ("No classes.",
  "dataset d { input = [3, 8, 8]; classes = 0; }\n" + N),
 ("A negative target property.",
  D + "\ntarget t : gpu { memory = -4 GB; }\n" + N),
 # Objectives and constraints.
 ("A weighted sum without weights.",
  D + "\n" + N + "\nobjectives weighted_sum { maximize accuracy; minimize params; }"),
 ("A negative weight.",
  D + "\n" + N + "\nobjectives weighted_product { maximize accuracy weight 1; minimize params weight -1; }"),
 ("A weight where the formulation does not use one.",
  D + "\n" + N + "\nobjectives { maximize accuracy weight 1; }"),
 ("Pareto with one objective.",
  D + "\n" + N + "\nobjectives pareto { maximize accuracy; }"),
 ("'single' with two objectives.",
  D + "\n" + N + "\nobjectives single { maximize accuracy; minimize params; }"),
 ("The same metric twice.",
  D + "\n" + N + "\nobjectives { maximize accuracy; maximize accuracy; }"),
 ("'constrained' without a constraint.",
  D + "\n" + N + "\nobjectives constrained { maximize accuracy; }"),
 ("'two_stage' without stage 2.",
  D + "\n" + N + "\nobjectives two_stage { maximize accuracy stage 1; minimize params stage 1; }"),
 ("'two_stage' with an objective outside both stages.",
  D + "\n" + N + "\nobjectives two_stage { maximize accuracy stage 1; minimize params stage 3; }"),
 ("A stage outside 'two_stage'.",
  D + "\n" + N + "\nobjectives { maximize accuracy stage 1; }"),
 ("An accuracy bound of 95 written without %.",
  D + "\n" + N + "\nconstraints { accuracy >= 95; }"),
 ("A negative bound.",
  D + "\n" + N + "\nconstraints { params < -1; }"),
 # Settings.
 ("'method = table' without a table.",
  D + "\n" + N + "\nevaluate { method = table; }"),
 ("'method = zero_cost' without a proxy.",
  D + "\n" + N + "\nevaluate { method = zero_cost; }"),
 ("A proxy fraction of 0.",
  D + "\n" + N + "\nevaluate { proxy_fraction = 0; }"),
 ("Zero epochs.",
  D + "\n" + N + "\nevaluate { epochs = 0; }"),
 ("Negative patience.",
  D + "\n" + N + "\nevaluate { patience = -1; }"),
 ("A budget of 0.",
  D + "\n" + N + "\nsearch { budget = 0; }"),
 ("A negative seed.",
  D + "\n" + N + "\nsearch { seed = -1; }"),
 ("Compression defaults are checked like layer arguments.",
  D + "\n" + N + "\ncompress { wbits = {4, 64}; }"),

 ("Groups that do not divide the input channels (3 from the dataset).",
  D + "\nnetwork n { conv(out = 16, groups = 2); fc(out = 10); }"),
 ("An identity shortcut around a body that changes the channel count.",
  D + "\nnetwork n { conv(out = 16); residual { conv(out = 32); } fc(out = 10); }"),
 ("A cell edge that changes the channel count.",
  D + "\ncell c(nodes = 2) { edge 0 -> 1 : { w: conv(out = 8); }; }\nnetwork n { c; fc(out = 10); }"),
 ("An error in an op set is located in the op set, with a note at its use.",
  D + "\nops o { a: conv; }\nnetwork n { choose o(kernel = 4); fc(out = 10); }"),
]
