/*===- nasc_network.h - A network's launch plan, run on nasc_cuda ---------===*
 *
 * A network compiled by nasc's GPU backend is a table: kernels, and
 * launches whose 8-byte parameters are each base + perSample * batch + fixed
 * (base: none, the input, the output, the weights or the workspace). This
 * executor runs such a table; the emitted NAME.c defines one, and nasc
 * measure builds one in memory, so both run the same code.
 *
 * One nasc_network is used by one thread at a time.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NASC_NETWORK_H
#define NASC_NETWORK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum nasc_plan_base {
  NASC_BASE_NONE = 0,
  NASC_BASE_INPUT = 1,
  NASC_BASE_OUTPUT = 2,
  NASC_BASE_WEIGHTS = 3,
  NASC_BASE_WORKSPACE = 4
};

/* One kernel parameter: base + perSample * batch + fixed. */
typedef struct {
  int base;
  long long perSample, fixed;
} nasc_plan_arg;

typedef struct {
  int kernel;
  int numArgs;
  const nasc_plan_arg *args;
  /* Threads: one an element of the kernel's output. */
  long long threadsPerSample, threadsFixed;
} nasc_plan_launch;

typedef struct {
  const char *ptx;
  const char *const *kernels;
  int numKernels;
  const nasc_plan_launch *launches;
  int numLaunches;
  unsigned blockSize;
  const void *weights;
  unsigned long long weightBytes;
  long long workspacePerSample, workspaceFixed;
  /* Floats a sample. */
  long long inputElements, outputElements;
} nasc_plan;

typedef struct nasc_network nasc_network;

/* Loads the driver and the plan's kernels, uploads the weights; on failure
   *net is NULL and `error` says why. */
int nasc_network_open(nasc_network **net, const nasc_plan *plan, char *error,
                      size_t errorSize);
void nasc_network_close(nasc_network *net);
const char *nasc_network_error(const nasc_network *net);
/* Host memory to host memory, synchronously. */
int nasc_network_run(nasc_network *net, const float *input, float *output,
                     int batch);
/* Device memory to device memory, queued on the network's stream. CUDA
   graphs replay the launches unless `graphs` is 0 (set_graphs) or the
   environment has NASC_CUDA_GRAPHS=0. */
int nasc_network_run_device(nasc_network *net, unsigned long long input,
                            unsigned long long output, int batch);
int nasc_network_sync(nasc_network *net);
void nasc_network_set_graphs(nasc_network *net, int graphs);
/* Milliseconds of `repeats` device runs of `batch` samples (after one run
   to capture), between events on the stream. */
int nasc_network_time(nasc_network *net, int batch, int repeats, float *ms);

#ifdef __cplusplus
}
#endif

#endif
