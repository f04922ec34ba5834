/*===- nasc_network.c - A network's launch plan, run on nasc_cuda ---------===*
 *
 * Device memory: the weights (uploaded once), a workspace sized for the
 * largest batch so far (intermediate buffers at plan offsets), and staging
 * buffers for host runs. A launch sequence is captured once per batch and
 * buffers as a CUDA graph and replayed, so that a batch-1 run costs the
 * host one graph launch instead of one launch per kernel.
 *
 *===----------------------------------------------------------------------===*/

#include "nasc_network.h"

#include "nasc_cuda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 4 KiB of parameters, what every CUDA driver takes. */
#define MAX_ARGS 512

struct nasc_network {
  const nasc_plan *plan;
  nasc_cuda *rt;
  unsigned long long weights, workspace, input, output;
  long long workspaceBatch, inputBatch, outputBatch;
  int graphs;
  char message[1024];
};

static int fail(nasc_network *net, const char *what) {
  snprintf(net->message, sizeof net->message, "%s: %s", what,
           nasc_cuda_error(net->rt));
  return -1;
}

const char *nasc_network_error(const nasc_network *net) {
  return net ? net->message : "no network";
}

int nasc_network_open(nasc_network **out, const nasc_plan *plan, char *error,
                      size_t errorSize) {
  nasc_network *net = calloc(1, sizeof *net);
  *out = NULL;
  if (!net) {
    snprintf(error, errorSize, "out of memory");
    return -1;
  }
  net->plan = plan;
  const char *graphs = getenv("NASC_CUDA_GRAPHS");
  net->graphs = !(graphs && strcmp(graphs, "0") == 0);
  if (nasc_cuda_open(&net->rt, -1, plan->ptx, plan->kernels, plan->numKernels,
                     error, errorSize)) {
    free(net);
    return -1;
  }
  if (plan->weightBytes &&
      (nasc_cuda_alloc(net->rt, &net->weights, plan->weightBytes) ||
       nasc_cuda_upload(net->rt, net->weights, plan->weights,
                        plan->weightBytes) ||
       nasc_cuda_sync(net->rt))) {
    snprintf(error, errorSize, "weights: %s", nasc_cuda_error(net->rt));
    nasc_network_close(net);
    return -1;
  }
  *out = net;
  return 0;
}

void nasc_network_close(nasc_network *net) {
  if (!net)
    return;
  nasc_cuda_close(net->rt); /* frees its allocations */
  free(net);
}

void nasc_network_set_graphs(nasc_network *net, int graphs) {
  net->graphs = graphs;
}

/* Grows the allocation *p, sized for *have samples, to `batch`. */
static int reserve(nasc_network *net, unsigned long long *p, long long *have,
                   long long batch, unsigned long long bytes) {
  if (batch <= *have)
    return 0;
  if (*p && nasc_cuda_free(net->rt, *p))
    return -1;
  *p = 0;
  *have = 0;
  if (nasc_cuda_alloc(net->rt, p, bytes))
    return -1;
  *have = batch;
  return 0;
}

static int enqueue(nasc_network *net, unsigned long long in,
                   unsigned long long out, long long batch) {
  const nasc_plan *plan = net->plan;
  unsigned long long values[MAX_ARGS];
  for (int l = 0; l < plan->numLaunches; ++l) {
    const nasc_plan_launch *launch = &plan->launches[l];
    if (launch->numArgs > MAX_ARGS) {
      snprintf(net->message, sizeof net->message,
               "kernel %d takes %d parameters, more than %d", launch->kernel,
               launch->numArgs, MAX_ARGS);
      return -1;
    }
    for (int a = 0; a < launch->numArgs; ++a) {
      const nasc_plan_arg *arg = &launch->args[a];
      unsigned long long base = 0;
      switch (arg->base) {
      case NASC_BASE_INPUT: base = in; break;
      case NASC_BASE_OUTPUT: base = out; break;
      case NASC_BASE_WEIGHTS: base = net->weights; break;
      case NASC_BASE_WORKSPACE: base = net->workspace; break;
      default: break;
      }
      values[a] = base + (unsigned long long)(arg->perSample * batch +
                                              arg->fixed);
    }
    unsigned long long threads =
        (unsigned long long)(launch->threadsPerSample * batch +
                             launch->threadsFixed);
    unsigned long long blocks =
        (threads + plan->blockSize - 1) / plan->blockSize;
    if (nasc_cuda_launch(net->rt, launch->kernel, blocks, plan->blockSize,
                         values, launch->numArgs))
      return fail(net, plan->kernels[launch->kernel]);
  }
  return 0;
}

int nasc_network_run_device(nasc_network *net, unsigned long long in,
                            unsigned long long out, int batch) {
  if (batch < 1) {
    snprintf(net->message, sizeof net->message, "batch %d", batch);
    return -1;
  }
  const nasc_plan *plan = net->plan;
  if (reserve(net, &net->workspace, &net->workspaceBatch, batch,
              (unsigned long long)(plan->workspacePerSample * batch +
                                   plan->workspaceFixed)))
    return fail(net, "workspace");
  if (!net->graphs)
    return enqueue(net, in, out, batch);
  unsigned long long key = (unsigned long long)batch;
  key = key * 1000003ULL ^ in;
  key = key * 1000003ULL ^ out;
  key = key * 1000003ULL ^ net->workspace;
  if (!nasc_cuda_has_graph(net->rt, key)) {
    if (nasc_cuda_begin_capture(net->rt)) {
      net->graphs = 0; /* the driver cannot capture: launch directly */
      return enqueue(net, in, out, batch);
    }
    int failed = enqueue(net, in, out, batch);
    int uncaptured = nasc_cuda_end_capture(net->rt, key);
    if (failed)
      return -1;
    if (uncaptured) {
      net->graphs = 0;
      return enqueue(net, in, out, batch);
    }
  }
  return nasc_cuda_replay(net->rt, key) ? fail(net, "graph") : 0;
}

int nasc_network_sync(nasc_network *net) {
  return nasc_cuda_sync(net->rt) ? fail(net, "sync") : 0;
}

int nasc_network_run(nasc_network *net, const float *input, float *output,
                     int batch) {
  if (batch < 1) {
    snprintf(net->message, sizeof net->message, "batch %d", batch);
    return -1;
  }
  const nasc_plan *plan = net->plan;
  unsigned long long inBytes = sizeof(float) * plan->inputElements * batch;
  unsigned long long outBytes = sizeof(float) * plan->outputElements * batch;
  if (reserve(net, &net->input, &net->inputBatch, batch, inBytes) ||
      reserve(net, &net->output, &net->outputBatch, batch, outBytes))
    return fail(net, "staging buffers");
  if (nasc_cuda_upload(net->rt, net->input, input, inBytes))
    return fail(net, "input");
  if (nasc_network_run_device(net, net->input, net->output, batch))
    return -1;
  if (nasc_cuda_download(net->rt, output, net->output, outBytes) ||
      nasc_cuda_sync(net->rt))
    return fail(net, "output");
  return 0;
}

int nasc_network_time(nasc_network *net, int batch, int repeats, float *ms) {
  const nasc_plan *plan = net->plan;
  unsigned long long inBytes = sizeof(float) * plan->inputElements * batch;
  unsigned long long outBytes = sizeof(float) * plan->outputElements * batch;
  if (batch < 1 || repeats < 1) {
    snprintf(net->message, sizeof net->message, "batch %d, repeats %d", batch,
             repeats);
    return -1;
  }
  if (reserve(net, &net->input, &net->inputBatch, batch, inBytes) ||
      reserve(net, &net->output, &net->outputBatch, batch, outBytes))
    return fail(net, "staging buffers");
  if (nasc_network_run_device(net, net->input, net->output, batch) ||
      nasc_network_sync(net))
    return -1;
  if (nasc_cuda_event_record(net->rt, 0))
    return fail(net, "event");
  for (int r = 0; r < repeats; ++r)
    if (nasc_network_run_device(net, net->input, net->output, batch))
      return -1;
  if (nasc_cuda_event_record(net->rt, 1) || nasc_cuda_elapsed_ms(net->rt, ms))
    return fail(net, "event");
  return 0;
}
