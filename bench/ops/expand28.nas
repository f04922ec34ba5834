dataset d { input = [32, 28, 28]; classes = 192; }
network expand28 on d {
  conv(out = 192, kernel = 1) -> bn -> relu -> global_avg_pool;
}
