// nasc search --measure-target T, T an fpga target: latency(T) is each
// candidate's design simulated, synthesized and placed (its cycles at the
// Fmax nextpnr finds), as nasc measure --target fpga gives it. The grid's
// two candidates: 4 or 8 output channels.
// REQUIRES: verilator, yosys
// RUN: rm -rf %t
// The same measurement gives the design's resources and cycles: the
// constraint on DSPs reads them.
// RUN: nasc search %s --measure-target ice --objective min:'latency(ice)' --objective min:'lut(ice)' --strategy grid --budget 2 --out %t --quiet | FileCheck %s
// CHECK: search grid: 2 trials (2 evaluated
// CHECK: latency(ice) = {{[0-9.]+}} ms
// CHECK: lut(ice) = {{[0-9]+}} LUTs
// CHECK: dsp(ice) = 3 DSPs
// RUN: FileCheck %s --check-prefix=TRIALS --input-file=%t/trials.csv
// TRIALS: latency(ice) [ms],lut(ice) [LUTs],dsp(ice) [DSPs]
// TRIALS: ok,

dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; }
network n on d {
  c: conv(out = {4, 8}, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
constraints { dsp(ice) <= 8; }
