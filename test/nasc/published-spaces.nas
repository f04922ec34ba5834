// The published spaces of issue 15 (bench/published-spaces.md): exact
// sizes, and MACs and params of named candidates equal to what
// bench/published_spaces.py counts on PyTorch networks built from the
// reference code's structure (bench/published-spaces.sh compares 1,000
// sampled candidates per space).
// RUN: split-file %s %t
//
// FBNet-A, -B and -C (the block lists of mobile-vision's
// fbnet_modeldef_cls_fbnet.py, in the paper's Table 1 space), and an
// all-k3_e1 network: the 1x1 expansion exists also at e = 1.
// RUN: nasc %S/../../examples/fbnet.nas --emit=candidates --encodings=%t/fbnet.txt | cut -d, -f2,4 | FileCheck %s --check-prefix=FBNET
// FBNET:      macs,params
// FBNET-NEXT: 258681888,4971384
// FBNET-NEXT: 306211888,4863288
// FBNET-NEXT: 384961160,5572200
// FBNET-NEXT: 118372152,3175096
//
// ProxylessNAS: 6^6 * 7^15 (zero only where the shape is kept).
// RUN: nasc %S/../../examples/proxylessnas.nas --emit=stats | FileCheck %s --check-prefix=PL-STATS
// PL-STATS:      spec proxylessnas
// PL-STATS-NEXT: space size: 221502229807900608
// PL-STATS-NEXT: decisions: 21 (21 options,
// RUN: nasc %S/../../examples/proxylessnas.nas --emit=candidates --encodings=%t/proxyless.txt | cut -d, -f2,4 | FileCheck %s --check-prefix=PL
// PL:      macs,params
// PL-NEXT: 257423208,3191928
// PL-NEXT: 606591720,5103336
// PL-NEXT: 102529896,2154984
//
// Once-for-All: the smallest and the largest sub-network, and an odd
// resolution (132 -> 66 -> 33 -> 17 -> 9 -> 5, "same" padding rounds up).
// RUN: nasc %S/../../examples/ofa_mbv3.nas --emit=candidates --encodings=%t/ofa.txt | cut -d, -f2,4 | FileCheck %s --check-prefix=OFA
// OFA:      macs,params
// OFA-NEXT: 41479224,3410792
// OFA-NEXT: 566180312,7664760
// OFA-NEXT: 108454592,4911136

//--- fbnet.txt
skip k3_e3 k3_e1 skip skip k5_e6 k3_e3 k5_e1 k3_e3 k5_e6 k5_e3 k5_e1_g2 k5_e6 k3_e6 k5_e1_g2 k5_e3 k3_e1_g2 k5_e6 k5_e6 k5_e3 k5_e6 k5_e6
k3_e1 k3_e6 k5_e1 k3_e1 k3_e1 k5_e6 k5_e3 k3_e6 k5_e6 k5_e6 k5_e6 skip k5_e3 k5_e6 k3_e1 k5_e1 k5_e3 k5_e6 k5_e1 k5_e6 k5_e6 k3_e6
k3_e1 k3_e6 skip k3_e1 k3_e1 k5_e6 k5_e3 k5_e6 k3_e6 k5_e6 k5_e3 k5_e6 k5_e6 k5_e6 k5_e6 k5_e6 k5_e3 k5_e6 k5_e6 k5_e6 k5_e6 k3_e6
k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1 k3_e1
//--- proxyless.txt
k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3 k3_e3
k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6 k7_e6
k3_e3 zero zero zero k3_e3 zero zero zero k3_e3 zero zero zero k3_e3 zero zero zero k3_e3 zero zero zero k3_e3
//--- ofa.txt
k3_e3 repeat=1 k3_e3 k3_e3 repeat=1 k3_e3 k3_e3 repeat=1 k3_e3 k3_e3 repeat=1 k3_e3 k3_e3 repeat=1 k3_e3 resolution=128
k7_e6 repeat=3 k7_e6 k7_e6 k7_e6 k7_e6 repeat=3 k7_e6 k7_e6 k7_e6 k7_e6 repeat=3 k7_e6 k7_e6 k7_e6 k7_e6 repeat=3 k7_e6 k7_e6 k7_e6 k7_e6 repeat=3 k7_e6 k7_e6 k7_e6 resolution=224
k5_e4 repeat=2 k3_e6 k7_e3 k5_e4 repeat=2 k3_e6 k7_e3 k5_e4 repeat=2 k3_e6 k7_e3 k5_e4 repeat=2 k3_e6 k7_e3 k5_e4 repeat=2 k3_e6 k7_e3 resolution=132
