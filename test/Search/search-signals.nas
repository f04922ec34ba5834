// SIGTERM and SIGINT while a candidate trains (real LibTorch training on a
// tiny made-up dataset): the search stops between training steps, commits
// the trial finished before, drops the one under way, exits 143 or 130,
// and --resume completes it (docs/search.md, "Stopping").
// RUN: rm -rf %t %t.data
// RUN: %python %S/Inputs/signal_search.py %s %t 40 | FileCheck %s
// CHECK:      nasc search: interrupted after 1 trials, all in the store; continue with --resume
// CHECK-NEXT: sent SIGTERM True exit 143
// CHECK-NEXT: stopped before the last epoch True
// CHECK-NEXT: stored trials 1
// CHECK-NEXT: nasc search: interrupted after 1 trials, all in the store; continue with --resume
// CHECK-NEXT: sent SIGINT True exit 130
// CHECK-NEXT: stopped before the last epoch True
// CHECK-NEXT: stored trials 1
// CHECK-NEXT: resumed exit 0
// CHECK-NEXT: search random: 2 trials (1 evaluated, 0 cached, 1 resumed)
// CHECK-NEXT: stored trials 2

dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network tiny on fashion {
  stem: conv(out = {4, 8}, kernel = 3, stride = 2) -> bn -> relu;
  body: choose {
    k3:   conv(kernel = 3) -> bn -> relu;
    skip: identity;
  }
  head: global_avg_pool -> fc(out = classes);
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

// Two distinct candidates for this seed, in one batch: the first finishes,
// the second is interrupted.
search {
  strategy = random;
  budget = 2;
  seed = 1;
}

evaluate {
  method = train;
  epochs = 40;
  batch_size = 64;
  threads = 1;
}
