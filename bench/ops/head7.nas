dataset d { input = [352, 7, 7]; classes = 1984; }
network head7 on d {
  conv(out = 1984, kernel = 1) -> bn -> relu -> global_avg_pool;
}
