// Thread tiles and half storage (the gpu target's `thread_tile` and
// `precision`) over float layers of each kind: emulate.test, ptxas.test.
dataset d { input = [3, 11, 11]; classes = 7; }
target g : gpu {
  tunable thread_tile = {3, 4};
  tunable fusion = {"on", "off"};
  tunable precision = {"fp32", "fp16"};
}
network tiled on d {
  conv(out = 12, kernel = 3) -> bn -> relu;
  residual { mbconv(out = 12, kernel = 5, expand = 3, se = true) -> hswish; }
  sep_conv(out = 20, kernel = 3, stride = 2) -> relu6;
  avg_pool(kernel = 3, stride = 1);
  global_avg_pool -> fc(out = classes);
}
