// nasc measure --target fpga simulates, synthesizes and places the design:
// cycles, resources, Fmax, the latency and an image's energy at Fmax
// (docs/fpga.md, "Energy"), in nasc measure's CSV
// with the design's columns after the CPU's. A design too big for the part
// is reported as not fitting, naming the resource and by how much.
// REQUIRES: verilator, yosys
// RUN: split-file %s %t
// RUN: nasc measure %t/small.nas --target fpga --sample 1 --batch 1,4 --csv | FileCheck %s --check-prefix=CSV
// CSV: encoding,batch,median_ms,p25_ms,p75_ms,min_ms,repeats,macs,gflops,torch_median_ms,cycles,interval_cycles,lut,ff,dsp,bram,fmax_mhz,clock_mhz,energy_uj,fits
// CSV-NEXT: "",1,{{[0-9.]+}},{{[0-9.]+}},{{[0-9.]+}},{{[0-9.]+}},1,2592,{{[0-9.]+}},-1.0000,{{[1-9][0-9]+}},{{[1-9][0-9]+}},{{[1-9][0-9]+}},{{[1-9][0-9]+}},{{[1-9]}},{{[1-9][0-9]*}},{{[1-9][0-9.]+}},{{[1-9][0-9.]+}},{{[0-9]+\.[0-9][0-9]}},yes
// CSV-NEXT: "",4,

// RUN: nasc measure %t/big.nas --target fpga --sample 1 | FileCheck %s --check-prefix=BIG
// BIG: fmax_mhz - clock_mhz 12.00 energy_uj {{[0-9]+\.[0-9][0-9]}} fits no: BRAM {{[0-9]+}} of 30 (+{{[0-9]+}}%)

// Binary weights: 8 lanes fit the UP5K's 8 DSPs, as only lane 0 and the
// requantizer multiply.
// RUN: nasc measure %S/narrow-weights.nas --target fpga --pe 8 --sample 1 --csv | FileCheck %s --check-prefix=BINARY
// BINARY: ,3,{{[0-9]+}},{{[0-9.]+}},{{[0-9.]+}},{{[0-9]+\.[0-9][0-9]}},yes,up5k,folded,8,0

// Layers alone are not measured on the FPGA.
// RUN: not nasc measure %t/small.nas --target fpga --sample 1 --per-layer 2>&1 | FileCheck %s --check-prefix=LAYERS
// LAYERS: error: the fpga backend measures whole designs only

//--- small.nas
dataset d { input = [2, 6, 6]; classes = 4; }
network small on d { c: conv(out = 4, kernel = 3, wbits = 8, abits = 8) -> relu; }
//--- big.nas
dataset d { input = [3, 64, 64]; classes = 4; }
network big on d { c: conv(out = 8, kernel = 1, wbits = 8, abits = 8); }
