// A weight-sharing supernet under `mpirun -np N` trains data-parallel over
// every rank (docs/distributed.md, "The supernet across ranks"): each rank
// computes its shards of each batch and the gradients are summed over MPI,
// so N ranks train what one process trains with --supernet-shards N
// (LibTorch on 2% of Fashion-MNIST).
// REQUIRES: mpi
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc search %s --no-export --supernet-shards 3 --out %t/one3 2> %t/one3.log | FileCheck %s --check-prefix=RESULT
// RUN: FileCheck %s --check-prefix=ONE --input-file=%t/one3.log
// ONE: supernet: each batch of 64 in 3 shards
// ONE-NEXT: supernet epoch 1/2: loss
// RESULT: search evolution: 6 trials
// RUN: %mpirun -np 3 nasc search %s --no-export --out %t/mpi3 2> %t/mpi3.log | FileCheck %s --check-prefix=RESULT
// RUN: FileCheck %s --check-prefix=MPI --input-file=%t/mpi3.log
// MPI: supernet: each batch of 64 in 3 shards over 3 processes
// MPI-NEXT: supernet epoch 1/2: loss
// MPI-NOT: supernet epoch 1/2
// RUN: %python %S/Inputs/same_within.py losses %t/one3.log %t/mpi3.log 1e-3 | FileCheck %s --check-prefix=LOSSES
// LOSSES: 2 epoch losses agree within 0.001
// RUN: %python %S/Inputs/same_within.py trials %t/one3/trials.csv %t/mpi3/trials.csv 0.01 | FileCheck %s --check-prefix=TRIALS
// TRIALS: 6 trials agree within 0.01
//
// Two ranks take three shards in turn (rank 0 the first and third).
// RUN: %mpirun -np 2 nasc search %s --no-export --supernet-shards 3 --out %t/mpi2 2> %t/mpi2.log
// RUN: FileCheck %s --check-prefix=MPI2 --input-file=%t/mpi2.log
// MPI2: supernet: each batch of 64 in 3 shards over 2 processes
// RUN: %python %S/Inputs/same_within.py losses %t/one3.log %t/mpi2.log 1e-3
// RUN: %python %S/Inputs/same_within.py trials %t/one3/trials.csv %t/mpi2/trials.csv 0.01
//
// The gradient strategy trains the supernet on each candidate it scores,
// so under mpirun every rank takes each trial together (its shards of
// each weight step, its share of the validation images): 2 ranks equal
// one process with 2 shards, and rank 1 reports every evaluated trial.
// RUN: nasc search %s --no-export --strategy gradient --budget 8 --supernet-shards 2 --out %t/grad1 2> %t/grad1.log
// RUN: %mpirun -np 2 nasc search %s --no-export --strategy gradient --budget 8 --out %t/grad2 2> %t/grad2.log | FileCheck %s --check-prefix=GRADIENT
// GRADIENT: search gradient: 8 trials ([[#EVALUATED:]] evaluated
// GRADIENT-NEXT: rank 1: [[#EVALUATED]] trials
// RUN: %python %S/Inputs/same_within.py losses %t/grad1.log %t/grad2.log 1e-3
// RUN: %python %S/Inputs/same_within.py trials %t/grad1/trials.csv %t/grad2/trials.csv 0.01
//
// The shards are part of what the supernet computes: one shard (batch-norm
// statistics over the whole batch) trains something else.
// RUN: nasc search %s --no-export --out %t/one1 2> %t/one1.log
// RUN: not %python %S/Inputs/same_within.py losses %t/one3.log %t/one1.log 0
//
// RUN: not nasc search %s --no-export --supernet-shards 0 --out %t/bad 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: nasc search: error: --supernet-shards must be 1 to 1024
// RUN: not nasc search %s --no-export --eval-method train --supernet-shards 2 --out %t/bad 2>&1 | FileCheck %s --check-prefix=TRAIN
// TRAIN: error: --supernet-shards splits a weight-sharing supernet's batches: use it with --eval-method weight_sharing or strategy gradient
// RUN: not test -e %t/bad

dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network tiny on fashion {
  stem: conv(out = {4, 8, 12}, kernel = 3, stride = 2) -> bn -> relu;
  body: choose {
    k3:   conv(kernel = 3) -> bn -> relu;
    skip: identity;
  }
  tail: conv(out = {8, 16}, kernel = 3) -> bn -> relu;
  head: global_avg_pool -> fc(out = classes);
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

search {
  strategy = evolution;
  budget = 6;
  seed = 3;
  population = 3;
  sample_size = 2;
}

evaluate {
  method = weight_sharing;
  epochs = 2;
  batch_size = 64;
  proxy_fraction = 0.02;
  threads = 1;
}
