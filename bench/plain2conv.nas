// A plain 2-conv network for Fashion-MNIST (the issue's reference: about 90%
// in a few epochs), as a one-candidate space for bench/eval.sh.
dataset fashion { input = [1, 28, 28]; classes = 10; source = "fashion-mnist"; }
network plain on fashion {
  conv(out = 32, kernel = 3) -> bn -> relu -> max_pool(kernel = 2, stride = 2);
  conv(out = 64, kernel = 3) -> bn -> relu -> max_pool(kernel = 2, stride = 2);
  fc(out = 128) -> relu;
  fc(out = classes);
}
objectives { maximize accuracy; }
evaluate { method = train; epochs = 1; batch_size = 128; lr = 0.05; optimizer = sgd; schedule = cosine; }
