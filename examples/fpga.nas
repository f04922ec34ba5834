// A small quantized CNN space for an FPGA: Fashion-MNIST images (1x28x28)
// on a Lattice iCE40 UP5K, the open-source toolchain's part (Yosys,
// nextpnr-ice40, icestorm). Every layer is quantized (2 to 8-bit weights,
// 4 or 8-bit activations), so `nasc --emit=fpga` turns any candidate into a
// design that computes only in integers (docs/fpga.md):
//
//   nasc examples/fpga.nas --candidate ENC --emit=fpga -o out
//   out/build.sh          # Verilator simulation, Yosys synthesis, nextpnr
//
// The part's resources are its data sheet's: 5280 LUT4s, 8 SB_MAC16 DSPs,
// 30 4-kbit EBRs. A joint search decides the architecture, the bit widths
// and the design (template, lanes, engines) under them:
//
//   nasc search examples/fpga.nas --objective min:'cycles(up5k)' \
//     --objective min:bops --emit-best=fpga --measure-best

dataset fashion {
  input = [1, 28, 28];
  classes = 10;
  source = "fashion-mnist";
}

target up5k : fpga {
  frequency = 12 MHz;
  lut = 5.28 K;
  dsp = 8;
  bram = 30;
  // The hardware search space (docs/language.md, "Tunables"): one engine
  // for every layer or a chain of engines, its lanes, the chain's length
  // (7: as many engines as the network has stages).
  tunable template = {"folded", "dataflow"};
  tunable pe = {1, 2, 4, 8};
  tunable stages = {2, 3, 7};
}

network fpga_net on fashion {
  stem: conv(out = {4, 8}, kernel = 3) -> bn -> relu;             // 28x28
  down1: choose {                                                  // 14x14
    pool: max_pool(kernel = 2, stride = 2);
    avg:  avg_pool(kernel = 3, stride = 2);
    conv: conv(kernel = 3, stride = 2) -> bn -> relu6;
  }
  body: choose {
    k3:   conv(kernel = 3) -> bn -> relu;
    dw:   dwconv(kernel = 3) -> bn -> relu;
    skip: identity;
  }
  residual { conv(kernel = {1, 3}) -> bn -> relu; }
  down2: max_pool(kernel = 2, stride = 2);                         // 7x7
  head: global_avg_pool -> fc(out = classes);
}

// Mixed precision: each layer with weights picks its widths.
compress {
  wbits = {2, 4, 8};
  abits = {4, 8};
}

// The part's resources: a design that does not fit is infeasible. Without
// a measurement, they come from the resource model (docs/fpga.md).
constraints {
  lut(up5k) <= 5.28 K;
  dsp(up5k) <= 8;
  bram(up5k) <= 30;
}

objectives pareto {
  maximize accuracy;
  minimize bops;
}
