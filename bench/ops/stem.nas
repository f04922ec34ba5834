dataset d { input = [3, 224, 224]; classes = 16; }
network stem on d {
  conv(out = 16, kernel = 3, stride = 2) -> bn -> relu -> global_avg_pool;
}
