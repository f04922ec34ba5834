// --emit=fpga's HLS C++: a function per layer with its folding's pragmas
// (PE output and SIMD input channels per cycle, the largest divisors of the
// channels per group up to 4), a dataflow top with a buffer per tensor, a
// fork per tensor that several layers read, a concatenation's parts (and a
// shuffle's strided copies) in one function; compiled with g++, it computes
// the integer reference's outputs bit for bit (hls_tb.cpp exits 1 on any
// difference). This file's spec has every layer kind (a grouped conv, a
// channel shuffle, zero, an unfolded BN with ReLU6, a concatenating cell,
// average pooling with padding counted, global max pooling, fc); then a
// candidate of examples/fpga.nas (mixed 2/4/8-bit weights, depthwise,
// residual).
// RUN: rm -rf %t && nasc %s --emit=fpga -o %t/spec
// RUN: FileCheck %s --check-prefix=HEADER < %t/spec/nasc_hls_hls.h
// RUN: FileCheck %s --check-prefix=SOURCE < %t/spec/nasc_hls_hls.cpp
// RUN: FileCheck %s --check-prefix=BUILD < %t/spec/build.sh
// RUN: %t/spec/build.sh hls | FileCheck %s --check-prefix=SPEC
// SPEC: hls: all 6 outputs equal the reference

// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga -o %t/example --candidate "abits=8 out=8 wbits=2 conv abits=4 wbits=4 dw abits=4 wbits=8 abits=4 kernel=1 wbits=2 abits=4 wbits=4 up5k.pe=1 up5k.stages=2 up5k.template=folded"
// RUN: FileCheck %s --check-prefix=EXAMPLE < %t/example/nasc_fpga_hls.cpp
// RUN: %t/example/build.sh hls | FileCheck %s --check-prefix=EXAMPLE-SIM
// EXAMPLE-SIM: hls: all 20 outputs equal the reference

// hswish and squeeze-and-excitation (MobileNetV3's layers): the channel
// scaling reads its gate buffer, [C][1][1].
// RUN: nasc %S/Inputs/mobile.nas --emit=fpga -o %t/mobile
// RUN: FileCheck %s --check-prefix=MOBILE < %t/mobile/nasc_mobile_hls.cpp
// MOBILE: static void layer{{[0-9]+}}_hswish(const int8_t in[8][6][6], int8_t out[8][6][6]) {
// MOBILE: t = v + {{[0-9]+}};
// MOBILE: static void layer{{[0-9]+}}_scale(const int8_t in0[16][6][6], const int8_t in1[16][1][1], int8_t out[16][6][6]) {
// RUN: %t/mobile/build.sh hls | FileCheck %s --check-prefix=MOBILE-SIM
// MOBILE-SIM: hls: all 10 outputs equal the reference

// The testbench catches a difference: one expected level changed.
// RUN: %python -c "import sys; p = sys.argv[1]; v = open(p).read().split(); v[0] = format(int(v[0], 16) ^ 1, '02x'); open(p, 'w').write(chr(10).join(v) + chr(10))" %t/example/expected.mem
// RUN: not %t/example/build.sh hls > %t/example/bad.txt 2>&1
// RUN: FileCheck %s --check-prefix=BAD < %t/example/bad.txt
// BAD: hls: image 0 output 0: {{-?[0-9]+}}, expected {{-?[0-9]+}}
// BAD: hls: 1 of 20 outputs differ from the reference

dataset d { input = [2, 7, 7]; classes = 3; }

cell mix(nodes = 4, output = concat) {
  edge 0 -> 1 : { c: relu -> conv(kernel = 3, groups = 2) -> bn; };
  edge 0 -> 2 : { p: avg_pool(kernel = 3); };
  edge 1 -> 2 : { s: identity; };
  edge 0 -> 3 : { z: zero; };
  edge 1 -> 3 : { m: max_pool(kernel = 3); };
  edge 2 -> 3 : { b: bn -> relu6; };
}

network hls on d {
  stem: conv(out = 8, kernel = 3) -> bn -> shuffle(groups = 2);
  mix;
  avg_pool(kernel = 2, stride = 2);
  global_max_pool -> fc(out = classes);
}

compress { wbits = {4}; abits = {8}; }

// HEADER: #define NASC_HLS_INPUT_SIZE 98
// HEADER: #define NASC_HLS_OUTPUT_SIZE 3
// HEADER: void nasc_hls_top(const int8_t in[NASC_HLS_INPUT_SIZE], int8_t out[NASC_HLS_OUTPUT_SIZE]);

// The shuffled stem has three readers (the cell's ReLU, average pool and
// zero), the cell's nodes 1 and 2 three and two.
// SOURCE: static void fork_t2(const int8_t in[8][7][7], int8_t out0[8][7][7], int8_t out1[8][7][7], int8_t out2[8][7][7]) {
// SOURCE: static void fork_t6(const int8_t in[8][7][7], int8_t out0[8][7][7], int8_t out1[8][7][7]) {

// The stem: 8 output channels, 2 input channels: PE 4, SIMD 2.
// SOURCE:      // Layer 0: conv 3x3 (conv) at {{.*}}, [2][7][7] -> [8][7][7], PE 4, SIMD 2.
// SOURCE-NEXT: static const int8_t l0_w[8][2][3][3] = {
// SOURCE:      static const int{{16|32}}_t l0_m[8] = {
// SOURCE:      static void layer0_conv(const int8_t in[2][7][7], int8_t out[8][7][7]) {
// SOURCE-NEXT: #pragma HLS ARRAY_PARTITION variable=l0_w cyclic factor=4 dim=1
// SOURCE-NEXT: #pragma HLS ARRAY_PARTITION variable=l0_w cyclic factor=2 dim=2
// SOURCE-NEXT:   for (int oc0 = 0; oc0 < 8; oc0 += 4) {
// SOURCE:              for (int ic0 = 0; ic0 < 2; ic0 += 2)
// SOURCE-NEXT:           for (int ky = 0; ky < 3; ++ky)
// SOURCE-NEXT:             for (int kx = 0; kx < 3; ++kx) {
// SOURCE-NEXT: #pragma HLS PIPELINE II=1
// SOURCE-NEXT:               const int iy = oy + ky - 1, ix = ox + kx - 1;
// SOURCE-NEXT:               if (iy < 0 || iy >= 7 || ix < 0 || ix >= 7)
// SOURCE-NEXT:                 continue;
// SOURCE:                      for (int ic = ic0; ic < ic0 + 2; ++ic) {
// SOURCE-NEXT: #pragma HLS UNROLL factor=2
// SOURCE-NEXT:                   acc[p] += in[group0 + ic][iy][ix] * l0_w[oc0 + p][ic][ky][kx];
// SOURCE:                out[oc0 + p][oy][ox] = requantize(acc[p], l0_m[oc0 + p], l0_b[oc0 + p], l0_s[oc0 + p], l0_lo[oc0 + p], l0_hi[oc0 + p]);

// The shuffle: two strided copies of one input, one function.
// SOURCE:      static void layer1_copy(const int8_t in0[8][7][7], int8_t out[8][7][7]) {
// SOURCE-NEXT:   for (int c = 0; c < 4; ++c)
// SOURCE:        out[c * 2][y][x] = requantize(in0[c][y][x], l1_m[c], {{.*}});
// SOURCE:        out[1 + c * 2][y][x] = requantize(in0[4 + c][y][x], l2_m[c], {{.*}});

// Two groups of 4 channels: PE 4, SIMD 4, group0 the group's first channel.
// SOURCE:      // Layer 4: conv 3x3 g2 (conv) at {{.*}}, [8][7][7] -> [8][7][7], PE 4, SIMD 4.
// SOURCE:          const int group0 = oc0 / 4 * 4;

// Average pooling divides by the positions inside the input.
// SOURCE:      static void layer5_avg_pool(const int8_t in[8][7][7], int8_t out[8][7][7]) {
// SOURCE:      out[oc][oy][ox] = count ? requantize(sum, l5_m[count - 1], {{.*}}) : 0;
// SOURCE:      static void layer6_add(const int8_t in0[8][7][7], const int8_t in1[8][7][7], int8_t out[8][7][7]) {
// SOURCE:      out[c][y][x] = requantize(int64_t(in0[c][y][x]) * l6_m[1] + int64_t(in1[c][y][x]) * l6_m[2], l6_m[0], l6_b[0], l6_s[0], l6_lo[0], l6_hi[0]);
// SOURCE:      // Layer 7: zero (copy)
// SOURCE:      static void layer8_max_pool(

// The concatenation: three copies into one tensor, one function.
// SOURCE:      // Layer 12: concat (copy) at {{.*}}, [8][7][7] -> [24][7][7].
// SOURCE:      // Layer 14: concat (copy) at {{.*}}, [8][7][7] -> [24][7][7].
// SOURCE:      static void layer12_copy(const int8_t in0[8][7][7], const int8_t in1[8][7][7], const int8_t in2[8][7][7], int8_t out[24][7][7]) {
// SOURCE:      out[c][y][x] = requantize(in0[c][y][x], l12_m[c], {{.*}});
// SOURCE:      out[8 + c][y][x] = requantize(in1[c][y][x], l13_m[c], {{.*}});
// SOURCE:      out[16 + c][y][x] = requantize(in2[c][y][x], l14_m[c], {{.*}});

// The fc: 3 outputs, 24 inputs: PE 3, SIMD 4.
// SOURCE:      // Layer 17: fc (conv) at {{.*}}, [24][1][1] -> [3][1][1], PE 3, SIMD 4.

// The top: a buffer per tensor, partitioned for its writer's PE and its
// reader's SIMD, and a process per layer, fork, load and store.
// SOURCE:      void nasc_hls_top(const int8_t in[NASC_HLS_INPUT_SIZE], int8_t out[NASC_HLS_OUTPUT_SIZE]) {
// SOURCE-NEXT: #pragma HLS DATAFLOW
// SOURCE-NEXT:   int8_t t0[2][7][7];
// SOURCE-NEXT: #pragma HLS ARRAY_PARTITION variable=t0 cyclic factor=2 dim=1
// SOURCE-NEXT:   int8_t t1[8][7][7];
// SOURCE-NEXT: #pragma HLS ARRAY_PARTITION variable=t1 cyclic factor=4 dim=1
// SOURCE:        int8_t t15[3][1][1];
// SOURCE-NEXT: #pragma HLS ARRAY_PARTITION variable=t15 cyclic factor=3 dim=1
// SOURCE-NEXT:   load_input(in, t0);
// SOURCE-NEXT:   layer0_conv(t0, t1);
// SOURCE-NEXT:   layer1_copy(t1, t2);
// SOURCE-NEXT:   fork_t2(t2, t2_0, t2_1, t2_2);
// SOURCE:        layer12_copy(t4_2, t6_1, t11, t12);
// SOURCE-NEXT:   layer15_avg_pool(t12, t13);
// SOURCE-NEXT:   layer16_max_pool(t13, t14);
// SOURCE-NEXT:   layer17_conv(t14, t15);
// SOURCE-NEXT:   store_output(t15, out);
// SOURCE-NEXT: }

// BUILD:      hls() {
// BUILD-NEXT:   g++ -O2 -std=c++17 nasc_hls_hls.cpp hls_tb.cpp -o hls_sim
// BUILD:        all) hls; sim; synth; pnr ;;

// The example candidate: the fc of 10 classes from 8 channels, PE 2, SIMD 4;
// the residual's input read by the 1x1 conv and the add.
// EXAMPLE:      // Layer 7: fc (conv) at {{.*}}, [8][1][1] -> [10][1][1], PE 2, SIMD 4.
// EXAMPLE:      #pragma HLS ARRAY_PARTITION variable=l7_w cyclic factor=2 dim=1
// EXAMPLE-NEXT: #pragma HLS ARRAY_PARTITION variable=l7_w cyclic factor=4 dim=2
// EXAMPLE:      void nasc_fpga_top(const int8_t in[NASC_FPGA_INPUT_SIZE], int8_t out[NASC_FPGA_OUTPUT_SIZE]) {
// EXAMPLE-NEXT: #pragma HLS DATAFLOW
// EXAMPLE:        fork_t3(t3, t3_0, t3_1);
// EXAMPLE-NEXT:   layer3_conv(t3_0, t4);
// EXAMPLE-NEXT:   layer4_add(t4, t3_1, t5);
