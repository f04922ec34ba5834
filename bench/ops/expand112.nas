dataset d { input = [16, 112, 112]; classes = 96; }
network expand112 on d {
  conv(out = 96, kernel = 1) -> bn -> relu -> global_avg_pool;
}
