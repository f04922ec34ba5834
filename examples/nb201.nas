// NAS-Bench-201: the cell-based search space of
//   X. Dong and Y. Yang, "NAS-Bench-201: Extending the Scope of Reproducible
//   Neural Architecture Search", ICLR 2020.
//
// One cell with 4 nodes (node 0 is the input, node 3 the output) and an edge
// i -> j for every i < j: 6 edges, each picking one of 5 operations, so the
// space holds 5^6 = 15625 architectures. The found cell is stacked 5 times
// in each of 3 stages (16, 32, 64 channels); a ResNet basic block with an
// average-pool shortcut halves the resolution between stages.

// CIFAR-10 is not a Debian package: to train, give its images as IDX files
// with `path = "DIR";` here or `nasc search --data DIR`. Without them,
// `nasc search` stops with an error here, unless --stand-in-data asks for
// Fashion-MNIST adapted to 3x32x32 in its place (summary.json says so).
dataset cifar10 {
  input = [3, 32, 32];
  classes = 10;
  source = "cifar10";
}

// The five NAS-Bench-201 operations, under the names the benchmark uses.
// The labels are the names in the benchmark's architecture strings
// ("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|"), so a table of
// NAS-Bench-201 results can be joined to candidates by that encoding.
ops nb201_ops {
  none:         zero;
  skip_connect: identity;
  nor_conv_1x1: relu -> conv(kernel = 1) -> bn;
  nor_conv_3x3: relu -> conv(kernel = 3) -> bn;
  avg_pool_3x3: avg_pool(kernel = 3);
}

// Node 0 is the input; nodes 1..3 sum their incoming edges; the output is
// node 3. `edges all` declares 0->1, 0->2, 1->2, 0->3, 1->3, 2->3 (edges are
// ordered by target node, then source, as in the architecture strings).
cell nb201_cell(nodes = 4) {
  edges all : nb201_ops;
}

network nb201 on cifar10 {
  stem: conv(out = 16, kernel = 3) -> bn;

  // Every nb201_cell below is the same cell: one set of 6 edge decisions.
  stage c16 {
    repeat 5 { nb201_cell; }
  }

  // Reduction: ReLU-Conv3x3(stride 2)-BN, ReLU-Conv3x3-BN, plus a 2x2
  // average pool and 1x1 conv on the shortcut.
  reduce32: residual(shortcut = avgpool_conv) {
    relu -> conv(out = 32, kernel = 3, stride = 2) -> bn;
    relu -> conv(kernel = 3) -> bn;
  }

  stage c32 {
    repeat 5 { nb201_cell; }
  }

  reduce64: residual(shortcut = avgpool_conv) {
    relu -> conv(out = 64, kernel = 3, stride = 2) -> bn;
    relu -> conv(kernel = 3) -> bn;
  }

  stage c64 {
    repeat 5 { nb201_cell; }
  }

  head: bn -> relu -> global_avg_pool -> fc(out = classes);
}

// Plain NAS: accuracy only (one objective, so the formulation is `single`).
objectives {
  maximize accuracy;
}

search {
  strategy = random;
  budget = 100;
  seed = 0;
}

// The benchmark's own training schedule: 200 epochs, batch 256, SGD with
// Nesterov momentum, learning rate 0.1 annealed by a cosine schedule.
// To query the released results instead of training, use
//   evaluate { method = table; table = "nb201.csv"; }
// which joins candidates to the rows of the CSV by the architecture string
// built from the option labels above.
evaluate {
  method = train;
  epochs = 200;
  batch_size = 256;
  lr = 0.1;
  optimizer = sgd;
  schedule = cosine;
}
