/* Times an emitted network's NAME_run on main.c's deterministic input.
   Build: cc -O2 -DNAME=nb201 -DUNAME=NB201 -include DIR/nb201.h
          bench/cpu_time.c DIR/nb201.o -lm -pthread
   Usage: PROG BATCH THREADS REPEATS WARMUP
   Prints "median_ms min_ms maxrss_kb" (the process's peak resident set). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#define RUN XCAT(NAME, _run)
#define INIT XCAT(NAME, _init)
#define INPUT_SIZE XCAT(UNAME, _INPUT_SIZE)
#define OUTPUT_SIZE XCAT(UNAME, _OUTPUT_SIZE)

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 5)
    return 2;
  int batch = atoi(argv[1]), threads = atoi(argv[2]);
  int repeats = atoi(argv[3]), warmup = atoi(argv[4]);
  float *input = malloc(sizeof(float) * (size_t)INPUT_SIZE * batch);
  float *output = malloc(sizeof(float) * (size_t)OUTPUT_SIZE * batch);
  double *times = malloc(sizeof(double) * repeats);
  if (!input || !output || !times || repeats < 1 || INIT() != 0)
    return 1;
  for (long i = 0; i < (long)INPUT_SIZE * batch; ++i)
    input[i] = (float)((i * 7919) % 2001) / 1000.0f - 1.0f;
  for (int i = 0; i < warmup; ++i)
    RUN(input, output, batch, threads);
  for (int i = 0; i < repeats; ++i) {
    double start = now_ms();
    if (RUN(input, output, batch, threads) != 0)
      return 1;
    times[i] = now_ms() - start;
  }
  qsort(times, repeats, sizeof(double), compare);
  double median = repeats % 2 ? times[repeats / 2]
                              : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("%.4f %.4f %ld\n", median, times[0], usage.ru_maxrss);
  return 0;
}
