dataset d { input = [96, 56, 56]; classes = 24; }
network project56 on d {
  conv(out = 24, kernel = 1) -> bn -> global_avg_pool;
}
