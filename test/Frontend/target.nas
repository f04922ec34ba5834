// RUN: nasc %s --emit=mlir | FileCheck %s
// RUN: nasc %s --emit=mlir | nasc-opt | FileCheck %s
// RUN: nasc %s | FileCheck %s --check-prefix=SUMMARY

// Targets: every kind, properties with their units kept as written (with or
// without a space before the unit), plain counts, FPGA-only resources, and
// tunables (the hardware search space: choices of integers, numbers,
// strings and quantities, and ranges).

dataset d { input = [3, 8, 8]; classes = 10; }

// Properties are printed sorted by name.
// CHECK-LABEL: nas.spec @target {
// CHECK:       nas.target @gpu0 gpu {props = {
// CHECK-SAME:    area = #nas.quantity<1.200000e+01 "mm2">,
// CHECK-SAME:    bandwidth = #nas.quantity<5.970000e+01 "GB/s">,
// CHECK-SAME:    cache = #nas.quantity<2.000000e+00 "MiB">,
// CHECK-SAME:    cores = #nas.quantity<8.000000e+00 "">,
// CHECK-SAME:    energy_per_mac = #nas.quantity<4.600000e+00 "pJ">,
// CHECK-SAME:    frequency = #nas.quantity<1.500000e+00 "GHz">,
// CHECK-SAME:    memory = #nas.quantity<4.000000e+00 "GiB">,
// CHECK-SAME:    overhead = #nas.quantity<5.000000e+00 "us">,
// CHECK-SAME:    peak_compute = #nas.quantity<1.300000e+00 "TFLOPS">,
// CHECK-SAME:    power = #nas.quantity<1.000000e+01 "W">}}
target gpu0 : gpu {
  peak_compute = 1.3 TFLOPS;
  bandwidth = 59.7 GB/s;
  memory = 4 GiB;
  frequency = 1.5GHz;          // no space before the unit
  cores = 8;                   // a plain number
  power = 10 W;
  overhead = 5 us;
  energy_per_mac = 4.6 pJ;
  area = 12 mm2;
  cache = 2 MiB;
}

// FPGA resources are plain counts, with an SI prefix (K) where written.
// CHECK:       nas.target @pynq fpga {props = {
// CHECK-SAME:    bram = #nas.quantity<1.400000e+02 "">,
// CHECK-SAME:    dsp = #nas.quantity<2.200000e+02 "">,
// CHECK-SAME:    energy_per_byte = #nas.quantity<8.000000e+01 "pJ">,
// CHECK-SAME:    ff = #nas.quantity<1.064000e+02 "K">,
// CHECK-SAME:    flash = #nas.quantity<1.000000e+00 "MB">,
// CHECK-SAME:    lut = #nas.quantity<5.320000e+01 "K">,
// CHECK-SAME:    sram = #nas.quantity<6.300000e+02 "KB">},
// CHECK-SAME:  tunables = {
// CHECK-SAME:    pe = #nas.choice<[8, 16, 32]>,
// CHECK-SAME:    stages = #nas.range<1, 4, 1>,
// CHECK-SAME:    template = #nas.choice<["folded", "dataflow"]>}}
target pynq : fpga {
  dsp = 220; bram = 140; lut = 53.2 K; ff = 106.4K;
  sram = 630 KB; flash = 1 MB; energy_per_byte = 80 pJ;
  tunable pe = {8, 16, 32};                      // parameter-based
  tunable stages = 1..4;                         // step defaults to 1
  tunable template = {"folded", "dataflow"};     // template-based
}

// Tunables without properties; no props attribute then. nasc reads no
// tunable of an asic target: any name, any value (docs/language.md).
// CHECK:       nas.target @tpu asic {tunables = {
// CHECK-SAME:    buffer = #nas.range<64, 256, 64>,
// CHECK-SAME:    clock = #nas.choice<[#nas.quantity<1.000000e+02 "MHz">, #nas.quantity<2.000000e+02 "MHz">]>,
// CHECK-SAME:    pe = #nas.choice<[64, 128]>,
// CHECK-SAME:    ratio = #nas.choice<[5.000000e-01, 1.000000e+00]>,
// CHECK-SAME:    template = #nas.choice<["systolic", "dataflow"]>}}
target tpu : asic {
  tunable pe = {64, 128};
  tunable buffer = 64..256 step 64;
  tunable template = {"systolic", "dataflow"};
  tunable clock = {100 MHz, 200 MHz};
  tunable ratio = {0.5, 1.0};
}

// The remaining kinds; an empty target has no attribute dictionary.
// CHECK:       nas.target @mcu tiny {props = {flash = #nas.quantity<1.000000e+00 "MB">, sram = #nas.quantity<2.560000e+02 "KiB">}}
// CHECK:       nas.target @server cpu {props = {cores = #nas.quantity<6.400000e+01 "">}}
// CHECK:       nas.target @phone mobile{{$}}
target mcu : tiny { sram = 256 KiB; flash = 1 MB; }
target server : cpu { cores = 64; }
target phone : mobile { }

network n on d { fc(out = classes); }

// SUMMARY:      target gpu0 (gpu): area 12 mm2, bandwidth 59.7 GB/s, cache 2 MiB, cores 8, energy_per_mac 4.6 pJ, frequency 1.5 GHz, memory 4 GiB, overhead 5 us, peak_compute 1.3 TFLOPS, power 10 W
// SUMMARY-NEXT: target pynq (fpga): bram 140, dsp 220, energy_per_byte 80 pJ, ff 106.4 K, flash 1 MB, lut 53.2 K, sram 630 KB
// SUMMARY-NEXT:   tunable pe = {8, 16, 32}
// SUMMARY-NEXT:   tunable stages = 1..4
// SUMMARY-NEXT:   tunable template = {folded, dataflow}
// SUMMARY-NEXT: target tpu (asic)
// SUMMARY-NEXT:   tunable buffer = 64..256 step 64
// SUMMARY-NEXT:   tunable clock = {100 MHz, 200 MHz}
// SUMMARY-NEXT:   tunable pe = {64, 128}
// SUMMARY-NEXT:   tunable ratio = {0.5, 1}
// SUMMARY-NEXT:   tunable template = {systolic, dataflow}
// SUMMARY-NEXT: target mcu (tiny): flash 1 MB, sram 256 KiB
// SUMMARY-NEXT: target server (cpu): cores 64
// SUMMARY-NEXT: target phone (mobile)
