// ProxylessNAS: the mobile search space of
//   H. Cai, L. Zhu and S. Han, "ProxylessNAS: Direct Neural Architecture
//   Search on Target Task and Hardware", ICLR 2019.
//
// Reference code: mit-han-lab/proxylessnas,
//   search/models/super_nets/super_proxyless.py  (SuperProxylessNASNets: the
//       macro-architecture, where `Zero` is a candidate),
//   search/imagenet_arch_search.py               (widths, depths, strides and
//       the six MBConv candidates of the ImageNet search),
//   search/modules/layers.py                     (ConvLayer, MBInvertedConvLayer,
//       LinearLayer),
//   search/models/normal_nets/proxyless_nets.py  (MobileInvertedResidualBlock,
//       ProxylessNASNets.forward).
// bench/published-spaces.md records the details; bench/published-spaces.sh
// compares nasc's MACs and params with a PyTorch rebuild of that structure.
//
// 21 searchable layers after a fixed first conv and first block. The first
// layer of each stage changes the channels or the stride and picks one of the
// 6 MBConv candidates; each of the other 15 may also be `zero` (the layer is
// skipped: the block returns its input). 6^6 * 7^15 (about 2.2e17)
// architectures.

dataset imagenet {
  input = [3, 224, 224];
  classes = 1000;
  source = "ILSVRC2012";
}

// ProxylessNAS (mobile) searched for a Google Pixel 1 (Snapdragon 821),
// with a latency model measured on the phone; approximate datasheet values.
target pixel1 : mobile {
  cores = 4;
  frequency = 2.15 GHz;
  memory = 4 GB;
  bandwidth = 29.8 GB/s;
}

// MBInvertedConvLayer: 1x1 conv to in*e (round(in * e)) -> BN -> ReLU6,
// depthwise kxk (stride) -> BN -> ReLU6, 1x1 conv to out -> BN; no biases.
// The block adds its input (IdentityLayer shortcut) when stride 1 and the
// channels are kept.
op mb(k, e, stride = 1) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1) -> bn -> relu6;
    dwconv(kernel = k, stride = stride) -> bn -> relu6;
    conv(out = out, kernel = 1) -> bn;
  }
}

// A layer that keeps the shape: the six MBConv candidates, or `zero`
// (ZeroLayer; MobileInvertedResidualBlock then returns its input).
ops mb_or_zero {
  k3_e3: mb(k = 3, e = 3);
  k3_e6: mb(k = 3, e = 6);
  k5_e3: mb(k = 5, e = 3);
  k5_e6: mb(k = 5, e = 6);
  k7_e3: mb(k = 7, e = 3);
  k7_e6: mb(k = 7, e = 6);
  zero:  identity;
}

// width_stages 24,40,80,96,192,320; n_cell_stages 4,4,4,4,4,1;
// stride_stages 2,2,2,1,2,1. The first layer of each stage is one decision
// over kernel {3, 5, 7} x expansion {3, 6} (no zero: the shape changes).
network proxylessnas on imagenet {
  first_conv: conv(out = 32, kernel = 3, stride = 2) -> bn -> relu6;  // 224 -> 112
  // 3x3_MBConv1, 32 -> 16: no expansion conv at e = 1, no shortcut.
  first_block: dwconv(kernel = 3) -> bn -> relu6 -> conv(out = 16, kernel = 1) -> bn;

  stage s24 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 24, stride = 2);
    repeat 3 { choose mb_or_zero(out = 24); }
  }
  stage s40 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 40, stride = 2);
    repeat 3 { choose mb_or_zero(out = 40); }
  }
  stage s80 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 80, stride = 2);
    repeat 3 { choose mb_or_zero(out = 80); }
  }
  stage s96 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 96);
    repeat 3 { choose mb_or_zero(out = 96); }
  }
  stage s192 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 192, stride = 2);
    repeat 3 { choose mb_or_zero(out = 192); }
  }
  stage s320 {
    mb(k = {3, 5, 7}, e = {3, 6}, out = 320);
  }

  // feature_mix_layer: 1x1 conv to 1280 -> BN -> ReLU6; global average
  // pool; classifier: fully connected with bias (LinearLayer).
  head: conv(out = 1280, kernel = 1) -> bn -> relu6
        -> global_avg_pool -> fc(out = classes);
}

// ProxylessNAS adds the expected latency to the loss:
// CE + lambda * E[LAT]. Here: accuracy against latency on the phone.
objectives weighted_sum {
  maximize accuracy weight 1.0;
  minimize latency(pixel1) weight 0.1;
}

// Gradient-based search on an over-parameterized supernet; the paper
// samples binary paths, approximated here by Gumbel softmax.
search {
  strategy = gradient;
  seed = 0;
  epochs = 120;
  temperature = 5.0;
  arch_lr = 0.006;
  weight_lr = 0.05;
  cost_weight = 0.1;
}

evaluate {
  method = weight_sharing;
  optimizer = sgd;
}
