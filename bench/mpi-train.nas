// 16 small convnets, each trained one epoch on 5% of Fashion-MNIST with one
// LibTorch thread: the training trials of bench/mpi.sh.
dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network small on fashion {
  stem: conv(out = {8, 12, 16, 24}, kernel = {3, 5}, stride = 2) -> bn -> relu;
  body: conv(out = {16, 32}, kernel = 3, stride = 2) -> bn -> relu;
  head: global_avg_pool -> fc(out = classes);
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

evaluate {
  method = train;
  epochs = 1;
  batch_size = 64;
  proxy_fraction = 0.05;
  threads = 1;
}
