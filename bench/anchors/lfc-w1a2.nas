// FINN's LFC-W1A2 (Umuroglu et al., "FINN: A Framework for Fast, Scalable
// Binarized Neural Network Inference", FPGA 2017; the network of
// Xilinx/BNN-PYNQ bnn/src/network/lfcW1A2): four fully connected layers,
// 784-1024-1024-1024-10, 1-bit weights and 2-bit activations, on MNIST.
// Written here from the paper's description for bench/fpga-anchor.sh: the
// published resource figures are quoted in bench/RESULTS.md, no FINN code
// or weights are used.
dataset mnist { input = [1, 28, 28]; classes = 10; }
target pynq : fpga { preset = pynq_z2; }
network lfc_w1a2 on mnist {
  fc(out = 1024, wbits = 1, abits = 2) -> bn -> relu;
  fc(out = 1024, wbits = 1, abits = 2) -> bn -> relu;
  fc(out = 1024, wbits = 1, abits = 2) -> bn -> relu;
  fc(out = classes, wbits = 1, abits = 2);
}
