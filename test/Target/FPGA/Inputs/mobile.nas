// MobileNetV3's layers for the FPGA tests (simulate.nas, hls.nas): hswish,
// squeeze-and-excitation after an activation and inside an mbconv with a
// residual.
dataset d { input = [3, 6, 6]; classes = 5; }
network mobile on d {
  conv(out = 8, kernel = 3) -> bn -> hswish;
  mbconv(kernel = 3, expand = 2, se = true);
  conv(out = 16, kernel = 1) -> bn -> hswish -> se;
  global_avg_pool -> fc(out = classes);
}
compress { wbits = 8; abits = 8; }
