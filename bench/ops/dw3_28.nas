dataset d { input = [192, 28, 28]; classes = 192; }
network dw3_28 on d {
  dwconv(kernel = 3) -> bn -> relu -> global_avg_pool;
}
