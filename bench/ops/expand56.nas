dataset d { input = [24, 56, 56]; classes = 144; }
network expand56 on d {
  conv(out = 144, kernel = 1) -> bn -> relu -> global_avg_pool;
}
