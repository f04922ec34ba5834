// --cpu and --mattr choose the CPU the emitted object is for (LLVM's
// names), for cross-compiling; without them, this machine's. NAME_init and
// NAME_run first check with CPUID and XGETBV that the CPU running them has
// every vector feature the code was built for, and otherwise print the
// missing ones and return -2, instead of stopping on an illegal instruction.
// RUN: rm -rf %t && split-file %s %t
//
// This machine's CPU: it runs.
// RUN: nasc %t/tiny.nas --emit=cpu -o %t/host
// RUN: cc %t/host/main.c %t/host/tiny.o -lm -o %t/host/run
// RUN: %t/host/run 1 | FileCheck %s --check-prefix=RUNS
// RUNS: 0 {{-?[0-9]}}
//
// The baseline x86-64 needs none of the checked features: it runs anywhere.
// RUN: nasc %t/tiny.nas --emit=cpu --cpu x86-64 -o %t/base
// RUN: cc %t/base/main.c %t/base/tiny.o -lm -o %t/base/run
// RUN: %t/base/run 1 | FileCheck %s --check-prefix=RUNS
//
// Built for a CPU with AVX-512 FP16 (a Sapphire Rapids), on one without.
// RUN: nasc %t/tiny.nas --emit=cpu --cpu x86-64-v3 --mattr=+avx512f,+avx512fp16 -o %t/fp16
// RUN: cc %t/fp16/main.c %t/fp16/tiny.o -lm -o %t/fp16/run
// RUN: not %t/fp16/run 1 2>&1 | FileCheck %s --check-prefix=REFUSES
// REFUSES: tiny: this CPU lacks avx512fp16 (the code was compiled for --cpu x86-64-v3); emit it again with --cpu for this machine
// REFUSES: tiny: run failed
//
// Unknown names are errors, and nothing is written.
// RUN: not nasc %t/tiny.nas --emit=cpu --cpu pentium9 -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD-CPU
// BAD-CPU: unknown CPU 'pentium9'
// RUN: not nasc %t/tiny.nas --emit=cpu --mattr=+avx1024 -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD-FEATURE
// BAD-FEATURE: unknown CPU feature '+avx1024'
// RUN: not nasc %t/tiny.nas --emit=cpu --mattr=avx2 -o %t/bad 2>&1 | FileCheck %s --check-prefix=BAD-SIGN
// BAD-SIGN: unknown CPU feature 'avx2' (write +NAME or -NAME
// RUN: not ls %t/bad
// UNSUPPORTED: host-avx512fp16

//--- tiny.nas
dataset d { input = [3, 8, 8]; classes = 4; }
network tiny on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}
