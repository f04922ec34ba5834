dataset d { input = [1104, 7, 7]; classes = 1104; }
network dw5_7 on d {
  dwconv(kernel = 5) -> bn -> relu -> global_avg_pool;
}
