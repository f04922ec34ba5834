// FBNet: the layer-wise search space of
//   B. Wu, X. Dai, P. Zhang, Y. Wang, F. Sun, Y. Wu, Y. Tian, P. Vajda,
//   Y. Jia and K. Keutzer, "FBNet: Hardware-Aware Efficient ConvNet Design
//   via Differentiable Neural Architecture Search", CVPR 2019.
//
// A fixed macro-architecture (Table 1 of the paper) with 22 searchable
// layers. Each layer independently picks one of 9 candidate blocks
// (Table 2), so the space holds 9^22 (about 1e21) architectures.
//
// Reference code: facebookresearch/maskrcnn-benchmark,
// maskrcnn_benchmark/modeling/backbone/fbnet_builder.py (IRFBlock, Identity,
// ConvBNRelu, ChannelShuffle, PRIMITIVES, FBNetBuilder.add_first/add_last).
// bench/published-spaces.md records the details; bench/published_spaces.py
// rebuilds the networks from that code's structure in PyTorch and
// bench/published-spaces.sh compares MACs and params with nasc's.

dataset imagenet {
  input = [3, 224, 224];
  classes = 1000;
  source = "ILSVRC2012";
}

// FBNet searched for a Samsung Galaxy S8 (Qualcomm Snapdragon 835). The
// paper's latency model is a per-operator lookup table measured on the
// phone; the properties below are the SoC's approximate datasheet values.
target galaxy_s8 : mobile {
  cores = 8;
  frequency = 2.45 GHz;
  memory = 4 GB;
  bandwidth = 29.8 GB/s;
}

// The candidate blocks of Table 2, as the FBNet reference code builds them
// (IRFBlock in maskrcnn-benchmark's modeling/backbone/fbnet_builder.py, the
// "layer search 2/3" primitives ir_k{3,5}_e{1,3,6} and ir_k{3,5}_s2):
//   1x1 conv to in*e channels (groups g) -> BN -> ReLU, ALSO at e = 1;
//   channel shuffle (g groups) after it, only in the g = 2 blocks;
//   depthwise kxk conv (stride) -> BN -> ReLU;
//   1x1 conv to out (groups g) -> BN, no activation;
//   the input is added when stride 1 and the channels are kept.
// No convolution has a bias. `skip` is the identity where the layer keeps
// the shape, else a 1x1 conv (stride) -> BN -> ReLU (fbnet_builder.py's
// Identity).
op ir(k, e, g = 1, stride = 1) {
  residual(shortcut = identity_or_none) {
    conv(out = in * e, kernel = 1, groups = g) -> bn -> relu;
    shuffle(groups = g);
    dwconv(kernel = k, stride = stride) -> bn -> relu;
    conv(out = out, kernel = 1, groups = g) -> bn;
  }
}

op skip_projection(stride = 1) {
  conv(out = out, kernel = 1, stride = stride) -> bn -> relu;
}

// One searchable layer: 9 candidate blocks. `skip` is the op passed as
// `skip`: `identity` where the layer keeps the shape (the default),
// `skip_projection` at the first layer of a stage that changes channels or
// stride. (The language has no alternative chosen by the shape, so the
// network says which layers change it; Table 1 fixes that per layer.)
op fbnet_layer(stride = 1, skip = identity) {
  choose {
    k3_e1:    ir(k = 3, e = 1, out = out, stride = stride);
    k3_e1_g2: ir(k = 3, e = 1, g = 2, out = out, stride = stride);
    k3_e3:    ir(k = 3, e = 3, out = out, stride = stride);
    k3_e6:    ir(k = 3, e = 6, out = out, stride = stride);
    k5_e1:    ir(k = 5, e = 1, out = out, stride = stride);
    k5_e1_g2: ir(k = 5, e = 1, g = 2, out = out, stride = stride);
    k5_e3:    ir(k = 5, e = 3, out = out, stride = stride);
    k5_e6:    ir(k = 5, e = 6, out = out, stride = stride);
    skip:     skip(out = out, stride = stride);
  }
}

// Table 1: output channels f, repeats n, stride s of each stage's first
// layer. Every layer is an independent decision: 1 + 4 * 5 + 1 = 22.
network fbnet on imagenet {
  stem: conv(out = 16, kernel = 3, stride = 2) -> bn -> relu;  // 224 -> 112

  stage tbs16 {                                   // f 16,  n 1, s 1
    l1: fbnet_layer(out = 16);
  }
  stage tbs24 {                                   // f 24,  n 4, s 2
    fbnet_layer(out = 24, stride = 2, skip = skip_projection);
    repeat 3 { fbnet_layer(out = 24); }
  }
  stage tbs32 {                                   // f 32,  n 4, s 2
    fbnet_layer(out = 32, stride = 2, skip = skip_projection);
    repeat 3 { fbnet_layer(out = 32); }
  }
  stage tbs64 {                                   // f 64,  n 4, s 2
    fbnet_layer(out = 64, stride = 2, skip = skip_projection);
    repeat 3 { fbnet_layer(out = 64); }
  }
  stage tbs112 {                                  // f 112, n 4, s 1
    fbnet_layer(out = 112, skip = skip_projection);
    repeat 3 { fbnet_layer(out = 112); }
  }
  stage tbs184 {                                  // f 184, n 4, s 2
    fbnet_layer(out = 184, stride = 2, skip = skip_projection);
    repeat 3 { fbnet_layer(out = 184); }
  }
  stage tbs352 {                                  // f 352, n 1, s 1
    l22: fbnet_layer(out = 352, skip = skip_projection);
  }

  // 1x1 conv to 1984 -> BN -> ReLU (the builder's add_last), average pool,
  // fully connected layer with bias.
  head: conv(out = 1984, kernel = 1) -> bn -> relu
        -> global_avg_pool -> fc(out = classes);
}

// FBNet's loss is CE(a, w_a) * alpha * log(LAT(a))^beta with alpha = 0.2 and
// beta = 0.6: a product of an accuracy term and a latency term raised to
// beta. Here: accuracy^1 * latency^-0.6 (the weights are the exponents);
// alpha is the search's `cost_weight`.
objectives weighted_product {
  maximize accuracy weight 1.0;
  minimize latency(galaxy_s8) weight 0.6;
}

// DNAS: a supernet holding every candidate of every layer, trained by
// gradient descent, with the per-layer choice relaxed by Gumbel softmax.
// The temperature starts at 5.0 (the paper anneals it exponentially).
search {
  strategy = gradient;
  seed = 0;
  epochs = 90;
  temperature = 5.0;
  arch_lr = 0.01;
  weight_lr = 0.1;
  cost_weight = 0.2;
}

// The supernet's weights are shared by all candidates. (FBNet searched on
// ImageNet-100, 100 randomly chosen classes; `proxy_fraction` would instead
// keep all 1000 classes and subsample each, so it is not used here.)
evaluate {
  method = weight_sharing;
  optimizer = sgd;
}
