// One conv trained for one epoch on 2% of Fashion-MNIST.
dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

network tiny on fashion {
  stem: conv(out = {4, 8}, kernel = 3, stride = 2) -> bn -> relu;
  head: global_avg_pool -> fc(out = classes);
}

objectives pareto {
  maximize accuracy;
  minimize flops;
}

search {
  strategy = random;
  budget = 1;
  seed = 1;
}

evaluate {
  method = train;
  epochs = 1;
  batch_size = 64;
  proxy_fraction = 0.02;
  threads = 1;
}
