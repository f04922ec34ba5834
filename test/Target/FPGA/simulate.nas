// The emitted design, simulated by Verilator, computes the integer
// reference's outputs bit for bit: the test spec of emit.nas (every layer
// kind) and two random candidates of examples/fpga.nas (mixed 2/4/8-bit
// weights, 4/8-bit activations). The testbench exits 1 on any difference.
// REQUIRES: verilator
// RUN: rm -rf %t && mkdir -p %t
// RUN: nasc %S/emit.nas --emit=fpga -o %t/every-op
// RUN: %t/every-op/build.sh sim | FileCheck %s --check-prefix=EVERY
// EVERY: image 0: latency 9288 cycles
// EVERY: interval: 9288 cycles
// EVERY: outputs: all 8 equal the reference
// With 4 lanes: fewer cycles, the same outputs.
// RUN: nasc %S/emit.nas --emit=fpga --fpga-pe 4 -o %t/every-op-pe4
// RUN: %t/every-op-pe4/build.sh sim | FileCheck %s --check-prefix=EVERY4
// EVERY4: image 0: latency {{[0-9]+}} cycles
// EVERY4: outputs: all 8 equal the reference

// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga -o %t/a --candidate "abits=4 out=4 wbits=2 conv abits=8 wbits=2 dw abits=8 wbits=2 abits=4 kernel=3 wbits=4 abits=8 wbits=2"
// RUN: %t/a/build.sh sim | FileCheck %s --check-prefix=SAMPLE
// RUN: nasc %nasc_src_root/examples/fpga.nas --emit=fpga --fpga-pe 8 -o %t/b --candidate "abits=8 out=8 wbits=8 avg k3 abits=8 wbits=4 abits=4 kernel=1 wbits=8 abits=4 wbits=4"
// RUN: %t/b/build.sh sim | FileCheck %s --check-prefix=SAMPLE
// SAMPLE: outputs: all 20 equal the reference
