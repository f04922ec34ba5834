dataset d { input = [96, 112, 112]; classes = 96; }
network dw3s2_112 on d {
  dwconv(kernel = 3, stride = 2) -> bn -> relu -> global_avg_pool;
}
