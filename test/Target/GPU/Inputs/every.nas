// Every op the front end lowers, for the GPU tests (emulate, ptxas,
// device).
dataset d { input = [3, 15, 15]; classes = 7; }
cell c(nodes = 3) {
  edge 0 -> 1 : { p: conv(kernel = 1) -> bn; };
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { m: avg_pool(kernel = 3); };
}
cell d2(nodes = 4, inputs = 2, output = concat) {
  edge 0 -> 2 : { s: identity; };
  edge 1 -> 2 : { z: zero; };
  edge 2 -> 3 : { m: max_pool(kernel = 3); };
}
op ir(k, e, g = 1, stride = 1) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1, groups = g) -> bn -> relu;
    shuffle(groups = g);
    dwconv(kernel = k, stride = stride) -> bn -> hswish;
    se(squeeze = make_divisible(in * e / 4, 8));
    conv(out = out, kernel = 1, groups = g) -> bn;
  }
}
network n on d {
  conv(out = 8, kernel = 3, stride = 2) -> bn -> hswish;
  c;
  residual(shortcut = projection) { sep_conv(out = 16, kernel = 5, stride = 2) -> relu6; }
  ir(k = 3, e = 2, g = 2);
  residual(shortcut = avgpool_conv) { conv(out = 24, kernel = 3, stride = 2) -> swish; }
  residual { mbconv(kernel = 3, expand = 4, se = true) -> tanh; }
  identity(out = 32, stride = 1);
  conv(out = 32, kernel = 3, groups = 4) -> bn -> relu;
  d2;
  mbconv(out = 40, kernel = 5, expand = 1, stride = 2) -> sigmoid;
  max_pool(kernel = 2, stride = 2);
  avg_pool(kernel = 2, stride = 1);
  global_max_pool;
  fc(out = 20) -> bn -> relu;
  fc(out = classes);
}
