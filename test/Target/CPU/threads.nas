// NAME_run(input, output, batch, threads): `threads` threads share the
// batch's samples, each computing its share one sample at a time; 0 is the
// default that --threads (or the cpu target's tunable `threads`) sets. Every
// thread count gives the same bits as one, including more threads than
// samples; a negative count is an error (-1).
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/tiny.nas --emit=cpu --seed 3 --threads 3 -o %t/out
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/out/tiny.h
// HEADER: #define TINY_THREADS 3
// HEADER: int tiny_run(const float *input, float *output, int batch, int threads);
// HEADER: void tiny_release(void);
// RUN: cc -O1 -I%t/out %t/check.c %t/out/tiny.o -lm -pthread -o %t/check
// RUN: %t/check | FileCheck %s
// CHECK: threads 1: 0
// CHECK-NEXT: threads 2: 0 same 1
// CHECK-NEXT: threads 3: 0 same 1
// CHECK-NEXT: threads 0: 0 same 1
// CHECK-NEXT: threads 16: 0 same 1
// CHECK-NEXT: threads -1: -1
// CHECK-NEXT: batch 1, threads 4: 0 same 1
// The pool's workers stop and start again; two callers at once (one of
// them computing its shares itself while the other holds the pool).
// CHECK-NEXT: released, threads 3: 0 same 1
// CHECK-NEXT: concurrent: 0 0 same 1 1
//
// main.c takes the threads after the batch.
// RUN: cc -O1 %t/out/main.c %t/out/tiny.o -lm -pthread -o %t/main
// RUN: %t/main 5 2 > %t/two.txt
// RUN: %t/main 5 1 > %t/one.txt
// RUN: diff %t/one.txt %t/two.txt
//
// The tunable sets the default; --threads wins over it.
// RUN: nasc %t/tuned.nas --emit=cpu --candidate "host.threads=2" -o %t/tuned
// RUN: grep -q "define TUNED_THREADS 2" %t/tuned/tuned.h
// RUN: nasc %t/tuned.nas --emit=cpu --candidate "host.threads=2" --threads 4 -o %t/forced
// RUN: grep -q "define TUNED_THREADS 4" %t/forced/tuned.h
//
// nasc measure times the code with the threads asked for.
// RUN: nasc measure %t/tiny.nas --sample 1 --batch 4 --repeats 1 --warmup 0 --threads 2 --csv | FileCheck %s --check-prefix=MEASURE
// MEASURE: encoding,batch,
//
// Errors.
// RUN: not nasc %t/tiny.nas --emit=cpu --threads 0 -o %t/none 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: nasc: error: --threads must be 1 to 64, not 0
// RUN: not nasc measure %t/tiny.nas --sample 1 --batch 4 --threads 65 2>&1 | FileCheck %s --check-prefix=MEASURE-BAD
// MEASURE-BAD: --threads must be 1 to 64
// RUN: not nasc %t/bad.nas 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: bad.nas:2:39: error: tunable 'threads': alternative 0 must be an integer in 1..64

//--- tiny.nas
dataset d { input = [2, 6, 6]; classes = 3; }
network tiny on d {
  conv(out = 8, kernel = 3) -> bn -> relu;
  sep_conv(out = 8, kernel = 3, stride = 2) -> hswish;
  global_avg_pool;
  fc(out = classes);
}

//--- tuned.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target host : cpu { tunable threads = {1, 2}; }
network tuned on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- bad.nas
dataset d { input = [2, 6, 6]; classes = 3; }
target host : cpu { tunable threads = {0, 2}; }
network bad on d {
  conv(out = 8, kernel = 3) -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- check.c
#include "tiny.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define BATCH 7

static float input[BATCH * TINY_INPUT_SIZE];

struct call {
  float output[BATCH * TINY_OUTPUT_SIZE];
  int rc;
};

static void *caller(void *argument) {
  struct call *c = argument;
  for (int i = 0; i < 50 && c->rc == 0; ++i)
    c->rc = tiny_run(input, c->output, BATCH, 2);
  return NULL;
}

int main(void) {
  static float one[BATCH * TINY_OUTPUT_SIZE], many[BATCH * TINY_OUTPUT_SIZE];
  for (int i = 0; i < BATCH * TINY_INPUT_SIZE; ++i)
    input[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
  if (tiny_init() != 0)
    return 1;
  printf("threads 1: %d\n", tiny_run(input, one, BATCH, 1));
  int counts[] = {2, 3, 0, 16};
  for (int k = 0; k < 4; ++k) {
    memset(many, 0, sizeof many);
    int rc = tiny_run(input, many, BATCH, counts[k]);
    printf("threads %d: %d same %d\n", counts[k], rc,
           memcmp(one, many, sizeof one) == 0);
  }
  printf("threads -1: %d\n", tiny_run(input, many, BATCH, -1));
  int rc = tiny_run(input + 3 * TINY_INPUT_SIZE, many, 1, 4);
  printf("batch 1, threads 4: %d same %d\n", rc,
         memcmp(one + 3 * TINY_OUTPUT_SIZE, many,
                TINY_OUTPUT_SIZE * sizeof(float)) == 0);
  tiny_release();
  memset(many, 0, sizeof many);
  rc = tiny_run(input, many, BATCH, 3);
  printf("released, threads 3: %d same %d\n", rc,
         memcmp(one, many, sizeof one) == 0);
  static struct call a, b;
  pthread_t ta, tb;
  pthread_create(&ta, NULL, caller, &a);
  pthread_create(&tb, NULL, caller, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  printf("concurrent: %d %d same %d %d\n", a.rc, b.rc,
         memcmp(one, a.output, sizeof one) == 0,
         memcmp(one, b.output, sizeof one) == 0);
  tiny_release();
  return 0;
}
