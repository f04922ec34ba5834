// FBNet: the layer-wise search space of
//   B. Wu, X. Dai, P. Zhang, Y. Wang, F. Sun, Y. Wu, Y. Tian, P. Vajda,
//   Y. Jia and K. Keutzer, "FBNet: Hardware-Aware Efficient ConvNet Design
//   via Differentiable Neural Architecture Search", CVPR 2019.
//
// A fixed macro-architecture (Table 1 of the paper) with 22 searchable
// layers. Each layer independently picks one of 9 candidate blocks
// (Table 2), so the space holds 9^22 (about 1e21) architectures.

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

// The candidate blocks of Table 2: an inverted residual with kernel k,
// expansion e and (for the _g2 blocks) group convolution with 2 groups in
// the 1x1 convolutions; `skip` is an identity, or a 1x1 conv + BN
// projection where the layer changes channels or stride.
ops fbnet_blocks {
  k3_e1:    mbconv(kernel = 3, expand = 1);
  k3_e1_g2: mbconv(kernel = 3, expand = 1, groups = 2);
  k3_e3:    mbconv(kernel = 3, expand = 3);
  k3_e6:    mbconv(kernel = 3, expand = 6);
  k5_e1:    mbconv(kernel = 5, expand = 1);
  k5_e1_g2: mbconv(kernel = 5, expand = 1, groups = 2);
  k5_e3:    mbconv(kernel = 5, expand = 3);
  k5_e6:    mbconv(kernel = 5, expand = 6);
  skip:     identity;
}

// Table 1: output channels f, repeats n, stride s of each stage's first
// layer. Every `choose` is an independent decision: 1 + 4 * 5 + 1 = 22.
network fbnet on imagenet {
  stem: conv(out = 16, kernel = 3, stride = 2) -> bn -> relu;  // 224 -> 112

  stage tbs16 {                                   // f 16,  n 1, s 1
    l1: choose fbnet_blocks(out = 16);
  }
  stage tbs24 {                                   // f 24,  n 4, s 2
    choose fbnet_blocks(out = 24, stride = 2);
    repeat 3 { choose fbnet_blocks(out = 24); }
  }
  stage tbs32 {                                   // f 32,  n 4, s 2
    choose fbnet_blocks(out = 32, stride = 2);
    repeat 3 { choose fbnet_blocks(out = 32); }
  }
  stage tbs64 {                                   // f 64,  n 4, s 2
    choose fbnet_blocks(out = 64, stride = 2);
    repeat 3 { choose fbnet_blocks(out = 64); }
  }
  stage tbs112 {                                  // f 112, n 4, s 1
    choose fbnet_blocks(out = 112);
    repeat 3 { choose fbnet_blocks(out = 112); }
  }
  stage tbs184 {                                  // f 184, n 4, s 2
    choose fbnet_blocks(out = 184, stride = 2);
    repeat 3 { choose fbnet_blocks(out = 184); }
  }
  stage tbs352 {                                  // f 352, n 1, s 1
    l22: choose fbnet_blocks(out = 352);
  }

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
