// cycles(T) of an fpga target without measuring: the design's plan gives
// an image's cycles, the numbers the Verilator simulation gives (lit
// simulate.nas checks the plan against the simulation), for a joint search
// over the architecture (out) and the hardware (the tunables pe and
// template). Resources come from the resource model (docs/fpga.md): a
// multiplier per lane and two per engine's requantizer give the DSPs the
// measured designs had (folded 3 and 6, dataflow 12 and 15:
// bench/RESULTS.md).
// RUN: rm -rf %t
// RUN: nasc search %s --objective min:'cycles(ice)' --objective min:params --strategy grid --budget 8 --out %t --quiet
// RUN: FileCheck %s --input-file=%t/trials.csv
// CHECK: number,encoding,status,cycles(ice) [cycles],params [count]
// CHECK-NEXT: 0,out=4 ice.pe=1 ice.template=folded,ok,21364,
// CHECK-NEXT: 1,out=4 ice.pe=1 ice.template=dataflow,ok,22916,
// CHECK-NEXT: 2,out=4 ice.pe=4 ice.template=folded,ok,5824,
// CHECK-NEXT: 3,out=4 ice.pe=4 ice.template=dataflow,ok,9095,
// CHECK-NEXT: 4,out=8 ice.pe=1 ice.template=folded,ok,42100,
//
// The same numbers as the emitted designs' design.txt.
// RUN: nasc %s --emit=fpga --candidate "out=4 ice.pe=4 ice.template=dataflow" -o %t/design
// RUN: FileCheck %s --check-prefix=DESIGN --input-file=%t/design/design.txt
// DESIGN: latency: 9095 cycles per image
// DESIGN: energy: 0.3947 uJ per image at 12 MHz (20752 multiply-accumulates, {{[0-9]+}} bytes of memory read or written, {{[0-9]+}} requantizations)
//
// RUN: nasc search %s --objective min:'dsp(ice)' --strategy grid --budget 4 --out %t/dsp --quiet
// RUN: FileCheck %s --check-prefix=DSP --input-file=%t/dsp/trials.csv
// DSP: number,encoding,status,dsp(ice) [DSPs]
// DSP-NEXT: 0,out=4 ice.pe=1 ice.template=folded,ok,3,
// DSP-NEXT: 1,out=4 ice.pe=1 ice.template=dataflow,ok,12,
// DSP-NEXT: 2,out=4 ice.pe=4 ice.template=folded,ok,6,
// DSP-NEXT: 3,out=4 ice.pe=4 ice.template=dataflow,ok,15,
//
// The design's energy per image (docs/fpga.md, "Energy": its plan's
// events and the part's static power over its latency) and its area (the
// LUTs it takes): more lanes finish sooner on the same multiply-
// accumulates (20752 in every design: design.txt).
// RUN: nasc search %s --objective min:'energy(ice)' --objective min:'area(ice)' --strategy grid --budget 4 --out %t/energy --quiet
// RUN: FileCheck %s --check-prefix=ENERGY --input-file=%t/energy/trials.csv
// ENERGY: number,encoding,status,energy(ice) [mJ],area(ice),seconds
// ENERGY-NEXT: 0,out=4 ice.pe=1 ice.template=folded,ok,0.000602{{[0-9]+}},1783,
// ENERGY-NEXT: 1,out=4 ice.pe=1 ice.template=dataflow,ok,0.000620{{[0-9]+}},3298,
// ENERGY-NEXT: 2,out=4 ice.pe=4 ice.template=folded,ok,0.000347{{[0-9]+}},2035,
// ENERGY-NEXT: 3,out=4 ice.pe=4 ice.template=dataflow,ok,0.000394{{[0-9]+}},3550,
//
// A metric no evaluator gives is an error that lists those it can.
// RUN: not nasc search %s --objective min:'power(ice)' --strategy grid --budget 1 --out %t/bad 2>&1 | FileCheck %s --check-prefix=NO-POWER
// NO-POWER: nasc search: error: no evaluator gives 'power(ice)'; this search can give latency(ice), energy(ice), area(ice), cycles(ice), lut(ice), ff(ice), dsp(ice), bram(ice), fmax(ice) (targets)

dataset d { input = [1, 8, 8]; classes = 2; }
target ice : fpga { frequency = 12 MHz; tunable pe = {1, 4}; tunable template = {"folded", "dataflow"}; }
network n on d {
  c: conv(out = {4, 8}, kernel = 3, wbits = 8, abits = 8) -> relu;
  conv(out = 8, kernel = 3, wbits = 8, abits = 8) -> relu;
  global_avg_pool -> fc(out = classes, wbits = 8, abits = 8);
}
