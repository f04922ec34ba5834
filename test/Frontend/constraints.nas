// RUN: nasc %s --split-input-file --emit=mlir | FileCheck %s
// RUN: nasc %s --split-input-file --emit=mlir | nasc-opt --split-input-file | FileCheck %s
// RUN: nasc %s --split-input-file | FileCheck %s --check-prefix=SUMMARY

// Constraints: every comparison, every metric, bounds with their units kept
// as written (not normalized: 30 ms stays 30 "ms", 1M stays 1 "M"), plain
// numbers with an empty unit, and targets named or defaulted.

dataset d { input = [3, 8, 8]; classes = 10; }
target phone : mobile { }
target pynq : fpga { }
network n { fc(out = classes); }

// CHECK-LABEL: nas.spec @constraints {
// CHECK:         nas.constraint latency on @phone lt <3.000000e+01 "ms">
// CHECK-NEXT:    nas.constraint latency on @pynq le <5.000000e-03 "s">
// CHECK-NEXT:    nas.constraint model_size lt <4.000000e+00 "MiB">
// CHECK-NEXT:    nas.constraint params le <3.500000e+00 "M">
// CHECK-NEXT:    nas.constraint params lt <1.000000e+00 "M">
// CHECK-NEXT:    nas.constraint flops lt <3.000000e+02 "M">
// CHECK-NEXT:    nas.constraint macs le <1.500000e+08 "">
// CHECK-NEXT:    nas.constraint bops lt <2.000000e+00 "G">
// CHECK-NEXT:    nas.constraint area on @pynq lt <5.000000e+01 "K">
// CHECK-NEXT:    nas.constraint area on @phone lt <2.500000e+01 "mm2">
// CHECK-NEXT:    nas.constraint energy on @pynq lt <2.000000e+00 "mJ">
// CHECK-NEXT:    nas.constraint power on @phone le <3.000000e+00 "W">
// CHECK-NEXT:    nas.constraint memory lt <5.120000e+02 "KB">
// CHECK-NEXT:    nas.constraint memory on @phone lt <1.000000e+00 "GiB">
// CHECK-NEXT:    nas.constraint accuracy ge <7.000000e+01 "%">
// CHECK-NEXT:    nas.constraint accuracy gt <5.000000e-01 "">
// CHECK-NEXT:  }
constraints {
  latency(phone) < 30 ms;
  latency(pynq) <= 0.005 s;
  model_size < 4 MiB;
  params <= 3.5 M;
  params < 1M;                // no space before the unit
  flops < 300 M;
  macs <= 150000000;          // a plain number
  bops < 2 G;
  area(pynq) < 50 K;          // FPGA resources: a plain count
  area(phone) < 25 mm2;       // or an area
  energy(pynq) < 2 mJ;
  power(phone) <= 3 W;
  memory < 512 KB;            // a target is optional for memory
  memory(phone) < 1 GiB;
}

// A second constraints declaration adds to the first.
constraints {
  accuracy >= 70 %;
  accuracy > 0.5;
}

// SUMMARY:      constraint latency(phone) < 30 ms
// SUMMARY-NEXT: constraint latency(pynq) <= 0.005 s
// SUMMARY-NEXT: constraint model_size < 4 MiB
// SUMMARY-NEXT: constraint params <= 3.5 M
// SUMMARY-NEXT: constraint params < 1 M
// SUMMARY-NEXT: constraint flops < 300 M
// SUMMARY-NEXT: constraint macs <= 1.5e+08
// SUMMARY-NEXT: constraint bops < 2 G
// SUMMARY-NEXT: constraint area(pynq) < 50 K
// SUMMARY-NEXT: constraint area(phone) < 25 mm2
// SUMMARY-NEXT: constraint energy(pynq) < 2 mJ
// SUMMARY-NEXT: constraint power(phone) <= 3 W
// SUMMARY-NEXT: constraint memory < 512 KB
// SUMMARY-NEXT: constraint memory(phone) < 1 GiB
// SUMMARY-NEXT: constraint accuracy >= 70 %
// SUMMARY-NEXT: constraint accuracy > 0.5

// -----

// With exactly one target, hardware metrics default to it.
dataset d { input = [3, 8, 8]; classes = 10; }
target only : gpu { }
network n { fc(out = classes); }
// CHECK-LABEL: nas.spec @constraints {
// CHECK:         nas.constraint latency on @only lt <5.000000e+00 "ms">
// CHECK-NEXT:    nas.constraint energy on @only le <1.000000e+00 "J">
// CHECK-NEXT:    nas.constraint params lt <1.000000e+00 "M">
// CHECK-NEXT:  }
// SUMMARY:      constraint latency(only) < 5 ms
constraints { latency < 5 ms; energy <= 1 J; params < 1 M; }
