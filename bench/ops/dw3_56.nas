dataset d { input = [144, 56, 56]; classes = 144; }
network dw3_56 on d {
  dwconv(kernel = 3) -> bn -> relu -> global_avg_pool;
}
