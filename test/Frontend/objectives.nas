// RUN: nasc %s --split-input-file --emit=mlir | FileCheck %s
// RUN: nasc %s --split-input-file --emit=mlir | nasc-opt --split-input-file | FileCheck %s
// RUN: nasc %s --split-input-file | FileCheck %s --check-prefix=SUMMARY

// Objectives: the formulation defaults to `single` for one objective and
// `pareto` for several; a hardware metric without a target names the only
// target; weights and stages. One spec per chunk.

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives single {
// CHECK-NEXT:      nas.objective maximize accuracy{{$}}
// CHECK-NEXT:    }
// SUMMARY:       objectives (single)
// SUMMARY-NEXT:    maximize accuracy
objectives { maximize accuracy; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives pareto {
// CHECK-NEXT:      nas.objective maximize accuracy{{$}}
// CHECK-NEXT:      nas.objective minimize flops{{$}}
// CHECK-NEXT:      nas.objective minimize macs{{$}}
// CHECK-NEXT:      nas.objective minimize params{{$}}
// CHECK-NEXT:      nas.objective minimize bops{{$}}
// CHECK-NEXT:      nas.objective minimize model_size{{$}}
// CHECK-NEXT:      nas.objective minimize memory{{$}}
// CHECK-NEXT:    }
// SUMMARY:       objectives (pareto)
objectives {
  maximize accuracy;
  minimize flops;
  minimize macs;
  minimize params;
  minimize bops;
  minimize model_size;
  minimize memory;          // a target is optional for memory
}

// -----

// With exactly one target, a hardware metric without a target is on it;
// `memory` stays without one.
dataset d { input = [3, 8, 8]; classes = 10; }
target only : gpu { }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives pareto {
// CHECK-NEXT:      nas.objective maximize accuracy{{$}}
// CHECK-NEXT:      nas.objective minimize latency on @only{{$}}
// CHECK-NEXT:      nas.objective minimize energy on @only{{$}}
// CHECK-NEXT:      nas.objective minimize power on @only{{$}}
// CHECK-NEXT:      nas.objective minimize area on @only{{$}}
// CHECK-NEXT:      nas.objective minimize memory{{$}}
// CHECK-NEXT:    }
// SUMMARY:       objectives (pareto)
// SUMMARY-NEXT:    maximize accuracy
// SUMMARY-NEXT:    minimize latency(only)
objectives {
  maximize accuracy;
  minimize latency;
  minimize energy;
  minimize power;
  minimize area;
  minimize memory;
}

// -----

// Weighted formulations; a weight may be written as an integer.
dataset d { input = [3, 8, 8]; classes = 10; }
target phone : mobile { }
target fpga0 : fpga { }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives weighted_sum {
// CHECK-NEXT:      nas.objective maximize accuracy {weight = 1.000000e+00 : f64}
// CHECK-NEXT:      nas.objective minimize latency on @phone {weight = 5.000000e-01 : f64}
// CHECK-NEXT:      nas.objective minimize energy on @fpga0 {weight = 2.500000e-01 : f64}
// CHECK-NEXT:    }
// SUMMARY:       objectives (weighted_sum)
// SUMMARY-NEXT:    maximize accuracy weight 1
// SUMMARY-NEXT:    minimize latency(phone) weight 0.5
// SUMMARY-NEXT:    minimize energy(fpga0) weight 0.25
objectives weighted_sum {
  maximize accuracy weight 1;
  minimize latency(phone) weight 0.5;
  minimize energy(fpga0) weight 0.25;
}

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
target galaxy : mobile { }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives weighted_product {
// CHECK-NEXT:      nas.objective maximize accuracy {weight = 1.000000e+00 : f64}
// CHECK-NEXT:      nas.objective minimize latency on @galaxy {weight = 6.000000e-01 : f64}
// CHECK-NEXT:    }
objectives weighted_product {
  maximize accuracy weight 1.0;
  minimize latency(galaxy) weight 0.6;
}

// -----

// Two stages: stage 1 searches for accuracy, stage 2 specializes.
dataset d { input = [3, 8, 8]; classes = 10; }
target g : gpu { }
target c : cpu { }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives two_stage {
// CHECK-NEXT:      nas.objective maximize accuracy {stage = 1 : i64}
// CHECK-NEXT:      nas.objective minimize latency on @g {stage = 2 : i64}
// CHECK-NEXT:      nas.objective minimize power on @c {stage = 2 : i64}
// CHECK-NEXT:    }
// SUMMARY:       objectives (two_stage)
// SUMMARY-NEXT:    maximize accuracy stage 1
// SUMMARY-NEXT:    minimize latency(g) stage 2
// SUMMARY-NEXT:    minimize power(c) stage 2
objectives two_stage {
  maximize accuracy stage 1;
  minimize latency(g) stage 2;
  minimize power(c) stage 2;
}

// -----

// `constrained` with one objective and a constraint; `single` written out.
dataset d { input = [3, 8, 8]; classes = 10; }
target g : gpu { }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives constrained {
// CHECK-NEXT:      nas.objective minimize latency on @g{{$}}
// CHECK-NEXT:    }
// CHECK-NEXT:    nas.constraint accuracy ge <9.000000e+01 "%">
objectives constrained { minimize latency; }
constraints { accuracy >= 90 %; }

// -----

dataset d { input = [3, 8, 8]; classes = 10; }
network n { fc(out = 10); }
// CHECK-LABEL: nas.spec @objectives {
// CHECK:         nas.objectives single {
// CHECK-NEXT:      nas.objective minimize params{{$}}
objectives single { minimize params; }
