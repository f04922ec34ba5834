// A hierarchical, MobileNet-style search space for two targets at once: a
// phone CPU and a small FPGA.
//
//   * two different cells (ir_cell, light_cell): cell-based parts, each
//     cell's edge decisions shared by all its uses;
//   * blocks built from different cells (ir_block, light_block): each use of
//     a block is an independent instance;
//   * stages built from blocks, with searched depth (`repeat {2, 3} shared`,
//     `repeat 1..3`);
//   * mixed-precision quantization and structured pruning per layer;
//   * a hardware search space on the FPGA (`tunable`);
//   * hard constraints and a Pareto objective over accuracy, latency on both
//     targets and energy on the FPGA.
//
// The target numbers are illustrative estimates, not measurements.

dataset imagenet {
  input = [3, 224, 224];
  classes = 1000;
  source = "ILSVRC2012";
  path = "/data/imagenet";
}

// A big core cluster of a recent phone SoC.
target phone_cpu : mobile {
  cores = 4;
  frequency = 2.84 GHz;
  peak_compute = 90 GFLOPS;
  memory = 6 GB;
  cache = 2 MiB;
  bandwidth = 34 GB/s;
  power = 3 W;
  overhead = 20 us;          # fixed cost of launching one layer
}

// A Zynq-7020 (PYNQ-Z1 board). The accelerator's shape is searched together
// with the network: a parameter-based space (PE array, buffer) and a
// template-based one (which accelerator template to instantiate).
target pynq : fpga {
  frequency = 150 MHz;
  dsp = 220;
  bram = 140;
  lut = 53.2 K;
  ff = 106.4 K;
  sram = 630 KB;
  memory = 512 MB;
  bandwidth = 2.1 GB/s;
  power = 2.5 W;
  energy_per_mac = 5 pJ;
  energy_per_byte = 80 pJ;

  tunable pe = {8, 16, 32};               // lanes of each engine
  tunable template = {"folded", "dataflow"};
  tunable stages = {4, 8};                // a dataflow chain's most engines
}

// Inverted residuals (MobileNetV2 / MnasNet style).
ops ir_ops {
  e3_k3:    mbconv(kernel = 3, expand = 3);
  e3_k5:    mbconv(kernel = 5, expand = 3);
  e6_k3:    mbconv(kernel = 3, expand = 6);
  e6_k5:    mbconv(kernel = 5, expand = 6);
  e6_k3_se: mbconv(kernel = 3, expand = 6, se = true);
  skip:     identity;
}

// Cheap operations for a densely connected cell.
ops light_ops {
  dw3:  relu6 -> sep_conv(kernel = 3) -> bn;
  dw5:  relu6 -> sep_conv(kernel = 5) -> bn;
  pw:   relu6 -> conv(kernel = 1) -> bn;
  max3: max_pool(kernel = 3);
  skip: identity;
  none: zero;
}

// Cell A: two inverted residuals in sequence and a searchable long skip.
cell ir_cell(nodes = 3) {
  edge 0 -> 1 : ir_ops;
  edge 1 -> 2 : ir_ops;
  edge 0 -> 2 : { skip: identity; none: zero; };
}

// Cell B: every pair of nodes connected, NAS-Bench-201 style. The argument
// reaches the ops that take it (sep_conv, conv) and no others: the cell's
// weights stay at 8 bits whatever the `compress` defaults say.
cell light_cell(nodes = 4) {
  edges all : light_ops(wbits = 8);
}

// Block X: built from both cells, with a choice of activation between them.
block ir_block {
  ir_cell;
  act: choose { relu6: relu6; hswish: hswish; };
  light_cell;
}

// Block Y: a cell, then a layer-wise choice and a residual whose kernel is
// searched; every use of light_block decides `mix` and `kernel` anew.
block light_block {
  light_cell;
  mix: choose ir_ops;
  residual {
    relu6 -> sep_conv(kernel = {3, 5}) -> bn;
  }
}

network mobile_net on imagenet {
  // First and last layers keep 8-bit weights and activations and are not
  // pruned: these arguments override the `compress` defaults.
  stem: conv(out = 16, kernel = 3, stride = 2, wbits = 8, abits = 8,
             prune = 0.0) -> bn -> hswish;                       // 112x112

  stage s24 {                                                    // 56x56
    down24: choose ir_ops(out = 24, stride = 2);
    repeat {1, 2} shared { ir_block; }     // one `act` decision per stage
  }
  stage s40 {                                                    // 28x28
    down40: choose ir_ops(out = 40, stride = 2);
    repeat {2, 3} shared { ir_block; }
  }
  stage s80 {                                                    // 14x14
    down80: choose ir_ops(out = 80, stride = 2);
    repeat {2, 3} { light_block; }         // decided per repetition
  }
  stage s160 {                                                   // 7x7
    down160: choose ir_ops(out = 160, stride = 2);
    repeat 1..3 { light_block; }
  }

  head: conv(out = 960, kernel = 1) -> bn -> hswish -> global_avg_pool
        -> fc(out = classes, wbits = 8, abits = 8, prune = 0.0);
}

// Defaults for every layer with weights that does not set its own: each
// such layer picks its weight bit width and pruning ratio (mixed precision).
compress {
  wbits = {4, 8};
  abits = {8};
  prune = {0.0, 0.25, 0.5};
}

// Hard limits: a candidate that breaks one is infeasible.
constraints {
  latency(phone_cpu) < 30 ms;
  model_size < 4 MiB;
  area(pynq) < 50 K;         # a plain count: LUTs used on the FPGA
  accuracy >= 70 %;
}

// Multi-objective, multi-target: the result is the Pareto front.
objectives pareto {
  maximize accuracy;
  minimize latency(phone_cpu);
  minimize latency(pynq);
  minimize energy(pynq);
}

search {
  strategy = nsga2;
  budget = 3000;
  seed = 42;
  population = 100;
  sample_size = 2;           // binary tournament
  mutation_rate = 0.1;
  crossover_rate = 0.9;
  time_limit = 48 h;     // two days
}

// Cheap accuracy estimates: train on a class-balanced 10 % of the data,
// stop early after 5 epochs without gain, and hot-start each candidate from
// its parent's weights; `checkpoint` is a known-good model to start from.
evaluate {
  method = train;
  epochs = 40;
  batch_size = 256;
  lr = 0.1;
  optimizer = sgd;
  schedule = cosine;
  patience = 5;
  proxy_fraction = 0.1;
  hot_start = true;
  checkpoint = "checkpoints/mobilenet_v2.pt";
  threads = 8;
}
