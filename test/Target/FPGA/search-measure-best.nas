// A joint architecture x hardware search whose figures come from the
// design's plan and the resource model, and whose chosen design is then
// built: --emit-best=fpga writes it, --measure-best simulates it (bit for
// bit against the reference: a difference is an error), synthesizes and
// places it, and summary.json records what was measured beside what was
// predicted. The cycles are predicted exactly.
// REQUIRES: verilator, yosys
// RUN: rm -rf %t
// RUN: nasc search %s --objective min:'cycles(ice)' --objective min:'lut(ice)' --strategy grid --budget 4 --out %t --quiet --emit-best=fpga --measure-best | FileCheck %s
// CHECK: best built ({{.*}}fpga), measured: cycles [[CYCLES:[0-9]+]] (predicted [[CYCLES]]) interval_cycles {{[0-9]+}} lut {{[0-9]+}} (predicted {{[0-9]+}}) ff {{[0-9]+}} (predicted {{[0-9]+}}) dsp [[DSP:[0-9]+]] (predicted [[DSP]])
// RUN: FileCheck %s --check-prefix=SUMMARY --input-file=%t/summary.json
// SUMMARY: "best_built": {
// SUMMARY-NEXT: "backend": "fpga",
// SUMMARY: "measured": {
// SUMMARY-NEXT: "cycles": [[MEASURED:[0-9]+]],
// SUMMARY: "fits": "yes",
// SUMMARY: "predicted": {
// SUMMARY-NEXT: "cycles": [[MEASURED]],
// RUN: ls %t/fpga/build.sh %t/fpga/design.txt
//
// RUN: not nasc search %s --objective min:'cycles(ice)' --strategy grid --budget 1 --out %t/bad --measure-best 2>&1 | FileCheck %s --check-prefix=NO-EMIT
// NO-EMIT: --measure-best needs --emit-best=cpu|fpga|gpu

dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; tunable pe = {1, 4}; tunable template = {"folded", "dataflow"}; }
network n on d {
  c: conv(out = 4, kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
