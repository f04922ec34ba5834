// The emitted code's buffers go through a cache of freed buffers linked into
// each object (lib/Target/CPU/runtime/BufferCache.c), private to it and,
// within it, to each thread (a pthread key's value): two networks link
// into one program, and each runs as it does alone, call after call, on
// several threads too.
// RUN: rm -rf %t && split-file %s %t
// RUN: nasc %t/first.nas --emit=cpu --seed 1 -o %t/first
// RUN: nasc %t/second.nas --emit=cpu --seed 2 -o %t/second
// RUN: nm %t/first/first.o | FileCheck %s --check-prefix=SYMBOLS
// SYMBOLS-DAG: U pthread_mutex_lock
// SYMBOLS-DAG: U pthread_getspecific
// SYMBOLS-DAG: T first_run
// RUN: nm %t/first/first.o | not grep " [TDB] nasc_rt"
// RUN: cc -O1 -I%t/first -I%t/second %t/both.c %t/first/first.o %t/second/second.o -lm -pthread -o %t/both
// RUN: %t/both | FileCheck %s
// CHECK: first: repeated 1, threaded 1
// CHECK-NEXT: second: repeated 1, threaded 1

//--- first.nas
dataset d { input = [4, 32, 32]; classes = 3; }
network first on d {
  conv(out = 32, kernel = 3) -> bn -> relu;
  dwconv(kernel = 3, stride = 2) -> relu;
  global_avg_pool -> fc(out = classes);
}

//--- second.nas
dataset d { input = [4, 32, 32]; classes = 5; }
network second on d {
  conv(out = 48, kernel = 1) -> relu;
  max_pool(kernel = 2, stride = 2);
  global_avg_pool -> fc(out = classes);
}

//--- both.c
#include "first.h"
#include "second.h"

#include <stdio.h>
#include <string.h>

#define BATCH 6

#define CHECK(name, NAME)                                                      \
  do {                                                                         \
    static float input[BATCH * NAME##_INPUT_SIZE];                             \
    static float once[BATCH * NAME##_OUTPUT_SIZE], again[sizeof once / 4];     \
    for (int i = 0; i < BATCH * NAME##_INPUT_SIZE; ++i)                        \
      input[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;                       \
    name##_run(input, once, BATCH, 1);                                         \
    int repeated = 1, threaded = 1;                                            \
    for (int k = 0; k < 5; ++k) {                                              \
      name##_run(input, again, BATCH, 1);                                      \
      repeated &= memcmp(once, again, sizeof once) == 0;                       \
      name##_run(input, again, BATCH, 3);                                      \
      threaded &= memcmp(once, again, sizeof once) == 0;                       \
    }                                                                          \
    printf(#name ": repeated %d, threaded %d\n", repeated, threaded);          \
  } while (0)

int main(void) {
  if (first_init() != 0 || second_init() != 0)
    return 1;
  CHECK(first, FIRST);
  CHECK(second, SECOND);
  return 0;
}
