dataset d { input = [64, 14, 14]; classes = 384; }
network expand14 on d {
  conv(out = 384, kernel = 1) -> bn -> relu -> global_avg_pool;
}
