// Magnitude pruning with fine-tuning (--finetune-epochs), with real
// LibTorch training on 5% of Fashion-MNIST: each pruned candidate trains at
// full width, loses the filters of smallest L1 norm down to its pruned
// width and is fine-tuned; the network it leaves is the pruned candidate's
// own and computes what the masked dense one computes.
// RUN: rm -rf %t
// RUN: nasc search %s --finetune-epochs 1 --out %t 2>&1 | FileCheck %s
// CHECK: prune=0: pruned 1 conv layer(s) by filter magnitude; fine-tuning
// CHECK: prune=0: the pruned network's outputs differ from the masked one's by at most 0
// CHECK: prune=0.5: pruned 2 conv layer(s) by filter magnitude; fine-tuning
// CHECK: prune=0.5: the pruned network's outputs differ from the masked one's by at most 0
// CHECK: search grid: 2 trials (2 evaluated
// The exported network has the pruned widths: 12 of the body's 16
// filters, and 8 or 16 of the stem's (whichever candidate was chosen).
// RUN: %system_python -c "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m); print(sorted(list(i.dims) for i in m.graph.initializer if len(i.dims) == 4))" %t/best.onnx | FileCheck %s --check-prefix=ONNX
// ONNX: {{\[}}[12, [[STEM:8|16]], 3, 3], [[[STEM]], 1, 3, 3]]
// Without fine-tuning, candidates train at their pruned widths.
// RUN: nasc search %s --out %t/plain 2>&1 | FileCheck %s --check-prefix=PLAIN
// PLAIN-NOT: filter magnitude
// PLAIN: search grid: 2 trials

dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network pruned on fashion {
  stem: conv(out = 16, kernel = 3, stride = 2, prune = {0.0, 0.5}) -> bn -> relu;
  body: conv(out = 16, kernel = 3, prune = 0.25) -> bn -> relu;
  head: global_avg_pool -> fc(out = classes);
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

search {
  strategy = grid;
  budget = 2;
  seed = 1;
}

evaluate {
  method = train;
  epochs = 1;
  batch_size = 64;
  proxy_fraction = 0.05;
  threads = 1;
}
