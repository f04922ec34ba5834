dataset d { input = [384, 14, 14]; classes = 64; }
network project14 on d {
  conv(out = 64, kernel = 1) -> bn -> global_avg_pool;
}
