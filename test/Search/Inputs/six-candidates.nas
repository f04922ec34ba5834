// Six candidates (3 widths x 2 bodies), costs from the analyses only:
// test/Search/search-batches.test draws them again and again.
dataset d { input = [1, 8, 8]; classes = 2; }
network n on d {
  stem: conv(out = {4, 8, 12}, kernel = 3) -> relu;
  body: choose { a: conv(kernel = 3); b: identity; }
  head: global_avg_pool -> fc(out = classes);
}
objectives pareto { minimize flops; minimize params; }
