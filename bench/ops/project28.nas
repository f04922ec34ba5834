dataset d { input = [144, 28, 28]; classes = 32; }
network project28 on d {
  conv(out = 32, kernel = 1) -> bn -> global_avg_pool;
}
