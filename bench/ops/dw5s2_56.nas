dataset d { input = [144, 56, 56]; classes = 144; }
network dw5s2_56 on d {
  dwconv(kernel = 5, stride = 2) -> bn -> relu -> global_avg_pool;
}
