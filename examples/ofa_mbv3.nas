// Once-for-All: the MobileNetV3 search space of
//   H. Cai, C. Gan, T. Wang, Z. Zhang and S. Han, "Once-for-All: Train One
//   Network and Specialize it for Efficient Deployment", ICLR 2020.
//
// Reference code: mit-han-lab/once-for-all,
//   ofa/imagenet_classification/elastic_nn/networks/ofa_mbv3.py
//       (OFAMobileNetV3: widths, strides, activations and SE per unit, the
//       first conv and block, the final expand and feature mix layers;
//       set_active_subnet / get_active_subnet: the first d blocks of a unit),
//   ofa/imagenet_classification/elastic_nn/modules/dynamic_layers.py
//       (DynamicMBConvLayer.active_middle_channel, get_active_subnet: the
//       SE's middle channels),
//   ofa/imagenet_classification/networks/mobilenet_v3.py (MobileNetV3.forward:
//       the pool comes before the feature mix layer),
//   ofa/utils/layers.py (ConvLayer, MBConvLayer, ResidualBlock, LinearLayer),
//   ofa/utils/pytorch_modules.py (make_divisible, SEModule, Hswish, Hsigmoid),
//   ofa/imagenet_classification/run_manager/run_config.py (image sizes).
// bench/published-spaces.md records the details; bench/published-spaces.sh
// compares nasc's MACs and params with a PyTorch rebuild of that structure.
//
// 5 units of depth {2, 3, 4}; every block picks kernel {3, 5, 7} and
// expansion {3, 4, 6}: ((3*3)^2 + (3*3)^3 + (3*3)^4)^5 (about 2e19)
// architectures, for each of 25 input resolutions.

dataset imagenet {
  input = [3, 224, 224];
  resolution = 128..224 step 4;   // the square input side is searched
  classes = 1000;
  source = "ILSVRC2012";
}

// OFA specializes the one network for many devices; one of its targets is
// a Samsung Note10 (Snapdragon 855); approximate datasheet values.
target note10 : mobile {
  cores = 8;
  frequency = 2.84 GHz;
  memory = 8 GB;
  bandwidth = 34.1 GB/s;
}

// SEModule: squeeze to make_divisible(C // 4, 8) channels (C = the block's
// middle channels), 1x1 convs with bias, ReLU, hard sigmoid.
op se4() { se(squeeze = make_divisible(floor(in / 4), 8)); }

// MBConvLayer as get_active_subnet builds it: 1x1 conv to
// make_divisible(round(in * e), 8) -> BN -> act, depthwise kxk (stride) ->
// BN -> act -> SE (where the unit has it), 1x1 conv to out -> BN; no conv
// biases. ResidualBlock adds the input when stride 1 and the channels are
// kept (IdentityLayer shortcut).
op mbv3(k, e, stride = 1, act = relu, attn = identity) {
  residual(shortcut = identity_or_none) {
    conv(out = make_divisible(in * e, 8), kernel = 1) -> bn -> act;
    dwconv(kernel = k, stride = stride) -> bn -> act -> attn;
    conv(out = out, kernel = 1) -> bn;
  }
}

// Units: width 24, 40, 80, 112, 160; stride 2, 2, 2, 1, 2; activation
// relu, relu, hswish, hswish, hswish; SE no, yes, no, yes, yes. A unit of
// depth d is its first block (the strided one) and d - 1 more: `repeat
// {1, 2, 3}` holds the d - 1 (its column's value is d - 1).
network ofa_mbv3 on imagenet {
  first_conv: conv(out = 16, kernel = 3, stride = 2) -> bn -> hswish;
  // MBConvLayer 16 -> 16, k 3, e 1 (no expansion conv), ReLU, no SE,
  // with the identity shortcut.
  first_block: residual {
    dwconv(kernel = 3) -> bn -> relu -> conv(out = 16, kernel = 1) -> bn;
  }

  stage unit1 {
    mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 24, stride = 2);
    repeat {1, 2, 3} { mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 24); }
  }
  stage unit2 {
    mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 40, stride = 2, attn = se4);
    repeat {1, 2, 3} { mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 40, attn = se4); }
  }
  stage unit3 {
    mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 80, stride = 2, act = hswish);
    repeat {1, 2, 3} { mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 80, act = hswish); }
  }
  stage unit4 {
    mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 112, act = hswish, attn = se4);
    repeat {1, 2, 3} {
      mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 112, act = hswish, attn = se4);
    }
  }
  stage unit5 {
    mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 160, stride = 2, act = hswish, attn = se4);
    repeat {1, 2, 3} {
      mbv3(k = {3, 5, 7}, e = {3, 4, 6}, out = 160, act = hswish, attn = se4);
    }
  }

  // final_expand_layer: 1x1 conv to 960 -> BN -> h-swish; global average
  // pool; feature_mix_layer: 1x1 conv to 1280, no bias, no BN -> h-swish;
  // classifier: fully connected with bias (dropout 0.1: no cost).
  head: conv(out = 960, kernel = 1) -> bn -> hswish -> global_avg_pool
        -> conv(out = 1280, kernel = 1) -> hswish -> fc(out = classes);
}

// OFA searches the trained network's sub-networks with an evolutionary
// search under a latency constraint, accuracy from a predictor.
objectives constrained {
  maximize accuracy;
}

// 25 ms is one of OFA's budgets for the Note10, measured on the phone. The
// roofline from the bandwidth alone estimates at most about 4 ms here, so
// the limit binds with a model calibrated on measurements (`nasc calibrate
// --target note10`, docs/costmodel.md), not with the datasheet figures.
constraints {
  latency(note10) < 25 ms;
}

search {
  strategy = evolution;
  budget = 5000;
  seed = 0;
  population = 100;
  sample_size = 2;
  mutation_rate = 0.1;
  crossover_rate = 0.5;
}

evaluate {
  method = predictor;
}
