// A small layer-wise space for Fashion-MNIST (Debian's dataset-fashion-mnist:
// 1x28x28 grey images, 10 classes), searched with real LibTorch training:
// accuracy against FLOPs, a Pareto front. The README's first command runs
// this search; it takes a few minutes on two cores.

dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network fashion_net on fashion {
  stem: conv(out = {8, 16}, kernel = 3) -> bn -> relu;             // 28x28

  // Downsampling: a free pooling or a learned strided convolution.
  down1: choose {
    pool: max_pool(kernel = 2, stride = 2);
    conv: conv(out = {16, 32}, kernel = 3, stride = 2) -> bn -> relu;
  }                                                                // 14x14

  body: choose {
    k3:   conv(kernel = 3) -> bn -> relu;
    k5:   conv(kernel = 5) -> bn -> relu;
    sep:  sep_conv(kernel = 3) -> relu;
    mb:   mbconv(kernel = 3, expand = 3);
    skip: identity;
  }

  down2: max_pool(kernel = 2, stride = 2);                         // 7x7
  head: fc(out = classes);                                         // flattens 7x7xC
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

search {
  strategy = nsga2;
  budget = 16;
  seed = 1;
  population = 8;
}

// Successive halving: every candidate trains two epochs (Adam, cosine) on
// a class-balanced 12% of the training images; the best third then trains
// on 36%, and the best third of those on all of them. Accuracy is measured
// on the held-out tenth of the training set; the front also shows each
// member's test accuracy. About two minutes on two cores.
evaluate {
  method = train;
  epochs = 2;
  batch_size = 64;
  lr = 0.002;
  optimizer = adam;
  schedule = cosine;
  proxy_fraction = 0.12;
  halving = 3;
  threads = 2;
}
