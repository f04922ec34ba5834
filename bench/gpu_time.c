/* bench/gpu.sh's harness over an emitted network's C API (NAME is
   substituted): `outputs B` prints every output of the fixed input at
   batch B; `time B R` prints the median of 5 trials of NAME_time (device
   buffers, R runs each, graphs replayed), in milliseconds a run. */
#include "NAME.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 3 || NAME_init()) {
    fprintf(stderr, "NAME: %s\n", argc < 3 ? "usage: outputs B | time B R"
                                             : NAME_error());
    return 1;
  }
  int batch = atoi(argv[2]);
  if (strcmp(argv[1], "outputs") == 0) {
    long n = (long)NAME_U_INPUT_SIZE * batch;
    long m = (long)NAME_U_OUTPUT_SIZE * batch;
    float *in = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * m);
    for (long i = 0; i < n; ++i)
      in[i] = (float)((i * 7919) % 2001) / 1000.0f - 1.0f;
    if (NAME_run(in, out, batch)) {
      fprintf(stderr, "NAME: %s\n", NAME_error());
      return 1;
    }
    for (long i = 0; i < m; ++i)
      printf("%.9g\n", out[i]);
    return 0;
  }
  int repeats = argc > 3 ? atoi(argv[3]) : 50;
  float trials[5];
  for (int t = 0; t < 5; ++t)
    if (NAME_time(batch, repeats, &trials[t])) {
      fprintf(stderr, "NAME: %s\n", NAME_error());
      return 1;
    }
  qsort(trials, 5, sizeof *trials, compare);
  printf("%.4f\n", trials[2]);
  return 0;
}
