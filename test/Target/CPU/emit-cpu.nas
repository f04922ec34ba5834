// nasc --emit=cpu: the C library builds with cc, links from the object or
// the archive, and runs; NAME_run is per sample (batch-independent) and
// rejects a batch below 1. The inputs are the sections of this file.
//
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/tiny.nas --emit=cpu --seed 3 -o %t/out
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/out/tiny.h
// RUN: cc -O1 %t/out/main.c %t/out/tiny.o -lm -o %t/main-object
// RUN: cc -O1 %t/out/main.c %t/out/libtiny.a -lm -o %t/main-archive
// RUN: %t/main-object 2 > %t/object.txt
// RUN: %t/main-archive 2 > %t/archive.txt
// RUN: FileCheck %s --check-prefix=MAIN --input-file=%t/object.txt
// RUN: diff %t/object.txt %t/archive.txt
// RUN: cc -O1 -I%t/out %t/check.c %t/out/libtiny.a -lm -o %t/check
// RUN: %t/check | FileCheck %s --check-prefix=CHECK-C
//
// The same seed gives the same code and numbers; another seed other ones.
// RUN: nasc %t/tiny.nas --emit=cpu --seed 3 -o %t/again
// RUN: cmp %t/out/tiny.o %t/again/tiny.o
// RUN: nasc %t/tiny.nas --emit=cpu --seed 4 -o %t/other
// RUN: not cmp -s %t/out/tiny.o %t/other/tiny.o
//
// Errors: no -o, a missing checkpoint (nothing written), no candidate.
// RUN: not nasc %t/tiny.nas --emit=cpu 2>&1 | FileCheck %s --check-prefix=NO-DIR
// RUN: not nasc %t/tiny.nas --emit=cpu --weights %t/missing.pt -o %t/none 2>&1 | FileCheck %s --check-prefix=NO-WEIGHTS
// RUN: not test -e %t/none/tiny.o
// RUN: not nasc %t/choice.nas --emit=cpu -o %t/none 2>&1 | FileCheck %s --check-prefix=NO-CANDIDATE

// HEADER: #define TINY_INPUT_SIZE 72
// HEADER: #define TINY_OUTPUT_SIZE 3
// HEADER: int tiny_init(void);
// HEADER: int tiny_run(const float *input, float *output, int batch, int threads);

// MAIN: 0 {{-?[0-9]}}
// MAIN-NEXT: 1 {{-?[0-9]}}
// MAIN-NEXT: 2 {{-?[0-9]}}
// MAIN-NOT: {{^3 }}

// CHECK-C: batch 0: -1
// CHECK-C-NEXT: batch 4: 0
// CHECK-C-NEXT: finite: 1
// CHECK-C-NEXT: sample 2 alone equals sample 2 of the batch: 1
// CHECK-C-NEXT: samples differ: 1

// NO-DIR: nasc: error: --emit=cpu needs -o DIR
// NO-WEIGHTS: nasc: error: {{.*}}missing.pt: no such file
// NO-CANDIDATE: nasc: error: --emit=cpu needs --candidate ENCODING: the space has 2 candidates

//--- tiny.nas
dataset d { input = [2, 6, 6]; classes = 3; }
network tiny on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  sep_conv(out = 8, kernel = 3, stride = 2) -> hswish;
  global_avg_pool;
  fc(out = classes);
}

//--- choice.nas
dataset d { input = [2, 6, 6]; classes = 3; }
network choice on d {
  conv(out = {4, 8}, kernel = 3);
  global_avg_pool;
  fc(out = classes);
}

//--- check.c
#include "tiny.h"

#include <math.h>
#include <stdio.h>

int main(void) {
  float input[4 * TINY_INPUT_SIZE], output[4 * TINY_OUTPUT_SIZE];
  float alone[TINY_OUTPUT_SIZE];
  for (int i = 0; i < 4 * TINY_INPUT_SIZE; ++i)
    input[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
  tiny_init();
  printf("batch 0: %d\n", tiny_run(input, output, 0, 1));
  printf("batch 4: %d\n", tiny_run(input, output, 4, 1));
  int finite = 1, same = 1, differ = 0;
  for (int i = 0; i < 4 * TINY_OUTPUT_SIZE; ++i)
    finite &= isfinite(output[i]);
  tiny_run(input + 2 * TINY_INPUT_SIZE, alone, 1, 1);
  for (int i = 0; i < TINY_OUTPUT_SIZE; ++i) {
    same &= alone[i] == output[2 * TINY_OUTPUT_SIZE + i];
    differ |= output[i] != output[2 * TINY_OUTPUT_SIZE + i];
  }
  printf("finite: %d\n", finite);
  printf("sample 2 alone equals sample 2 of the batch: %d\n", same);
  printf("samples differ: %d\n", differ);
  return 0;
}
