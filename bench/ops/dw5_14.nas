dataset d { input = [384, 14, 14]; classes = 384; }
network dw5_14 on d {
  dwconv(kernel = 5) -> bn -> relu -> global_avg_pool;
}
