/*===- mock_cuda.c - A CUDA driver that runs kernels on the CPU -----------===//
 *
 * Built as a shared library that tests of the GPU runtime
 * (lib/Target/GPU/runtime/nasc_cuda.c) load through NASC_CUDA_LIBRARY
 * instead of libcuda.so.1, so that the runtime is tested without a GPU. It
 * has exactly the driver functions the runtime uses. Device memory is host
 * memory; a kernel NAME is the test program's host function
 *
 *   void NAME_emu(void **params, long long blockIdx, long long blockDim,
 *                 long long threadIdx);
 *
 * (the program links with -rdynamic), called for every block and thread in
 * order. Kernel parameters are 8 bytes each, counted up to the NULL that
 * the runtime puts after them. Streams run their work at once, except
 * while capturing: then launches and copies are recorded into the graph,
 * and cuGraphLaunch runs the record.
 *
 * MOCK_CUDA_NO_DEVICE=1 makes cuInit fail as on a machine without a GPU.
 * MOCK_CUDA_TRACE=1 prints every launch, capture and replay to stderr, and
 * the objects still alive when the context is released. PTX text that
 * contains "mock-invalid" fails to load, with a JIT error log.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE /* RTLD_DEFAULT */

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef void (*Emulation)(void **, long long, long long, long long);

enum {
  kSuccess = 0,
  kInvalidValue = 1,
  kOutOfMemory = 2,
  kNotInitialized = 3,
  kNoDevice = 100,
  kInvalidDevice = 101,
  kInvalidContext = 201,
  kInvalidPtx = 218,
  kInvalidHandle = 400,
  kIllegalState = 401,
  kNotFound = 500,
  kCaptureUnsupported = 900,
  kCaptureInvalidated = 901,
  kJitErrorLogBuffer = 5,
  kJitErrorLogBufferSize = 6,
  kMaxParams = 128
};

struct Function {
  Emulation run;
  char name[128];
  struct Function *next;
};
struct Module {
  struct Function *functions;
};
/* A launch (function set) or a copy of `bytes` bytes. */
struct Op {
  struct Function *function;
  unsigned grid, block;
  size_t numParams;
  unsigned long long params[kMaxParams];
  void *dst;
  const void *src;
  size_t bytes;
};
struct Graph {
  struct Op *ops;
  size_t numOps, capacity;
};
struct Stream {
  struct Graph *capture;
  int invalidated;
};
struct Event {
  double ms;
};

static int initialized, contextRefs, traceOn = -1;
static int primaryContext; /* its address is the context handle */
static long liveAllocs, liveStreams, liveEvents, liveModules, liveGraphs,
    liveExecs;

static int tracing(void) {
  if (traceOn < 0) {
    const char *env = getenv("MOCK_CUDA_TRACE");
    traceOn = env && !strcmp(env, "1");
  }
  return traceOn;
}

CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
#define NAME(code, text)                                                       \
  case code:                                                                   \
    *name = text;                                                              \
    return kSuccess;
    NAME(kSuccess, "CUDA_SUCCESS")
    NAME(kInvalidValue, "CUDA_ERROR_INVALID_VALUE")
    NAME(kOutOfMemory, "CUDA_ERROR_OUT_OF_MEMORY")
    NAME(kNotInitialized, "CUDA_ERROR_NOT_INITIALIZED")
    NAME(kNoDevice, "CUDA_ERROR_NO_DEVICE")
    NAME(kInvalidDevice, "CUDA_ERROR_INVALID_DEVICE")
    NAME(kInvalidContext, "CUDA_ERROR_INVALID_CONTEXT")
    NAME(kInvalidPtx, "CUDA_ERROR_INVALID_PTX")
    NAME(kInvalidHandle, "CUDA_ERROR_INVALID_HANDLE")
    NAME(kIllegalState, "CUDA_ERROR_ILLEGAL_STATE")
    NAME(kNotFound, "CUDA_ERROR_NOT_FOUND")
    NAME(kCaptureUnsupported, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED")
    NAME(kCaptureInvalidated, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED")
#undef NAME
  }
  *name = NULL;
  return kInvalidValue;
}

CUresult cuGetErrorString(CUresult error, const char **text) {
  switch (error) {
#define TEXT(code, string)                                                     \
  case code:                                                                   \
    *text = string;                                                            \
    return kSuccess;
    TEXT(kSuccess, "no error")
    TEXT(kInvalidValue, "mock: an argument is out of range")
    TEXT(kOutOfMemory, "mock: out of memory")
    TEXT(kNotInitialized, "mock: cuInit was not called")
    TEXT(kNoDevice, "mock: no CUDA device (MOCK_CUDA_NO_DEVICE=1)")
    TEXT(kInvalidDevice, "mock: no such device")
    TEXT(kInvalidContext, "mock: not the primary context")
    TEXT(kInvalidPtx, "mock: the PTX does not compile")
    TEXT(kInvalidHandle, "mock: bad handle")
    TEXT(kIllegalState, "mock: not allowed in this state")
    TEXT(kNotFound, "mock: no such symbol")
    TEXT(kCaptureUnsupported, "mock: not allowed while capturing")
    TEXT(kCaptureInvalidated, "mock: the capture was invalidated")
#undef TEXT
  }
  *text = NULL;
  return kInvalidValue;
}

CUresult cuInit(unsigned flags) {
  const char *env = getenv("MOCK_CUDA_NO_DEVICE");
  if (flags)
    return kInvalidValue;
  if (env && !strcmp(env, "1"))
    return kNoDevice;
  initialized = 1;
  return kSuccess;
}

CUresult cuDeviceGetCount(int *count) {
  if (!initialized)
    return kNotInitialized;
  *count = 1;
  return kSuccess;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
  if (!initialized)
    return kNotInitialized;
  if (ordinal != 0)
    return kInvalidDevice;
  *device = 0;
  return kSuccess;
}

CUresult cuDeviceGetName(char *name, int length, CUdevice device) {
  if (device != 0)
    return kInvalidDevice;
  snprintf(name, (size_t)length, "Mock CUDA device (CPU)");
  return kSuccess;
}

CUresult cuDevicePrimaryCtxRetain(void **context, CUdevice device) {
  if (device != 0)
    return kInvalidDevice;
  ++contextRefs;
  *context = &primaryContext;
  return kSuccess;
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
  if (device != 0 || !contextRefs)
    return kInvalidDevice;
  if (--contextRefs == 0 && tracing())
    fprintf(stderr,
            "mock-cuda: context released, live: %ld allocations, %ld "
            "streams, %ld events, %ld modules, %ld graphs, %ld graph execs\n",
            liveAllocs, liveStreams, liveEvents, liveModules, liveGraphs,
            liveExecs);
  return kSuccess;
}

CUresult cuCtxSetCurrent(void *context) {
  return !context || (context == &primaryContext && contextRefs)
             ? kSuccess
             : kInvalidContext;
}

CUresult cuStreamCreate(struct Stream **stream, unsigned flags) {
  (void)flags;
  if (!(*stream = calloc(1, sizeof **stream)))
    return kOutOfMemory;
  ++liveStreams;
  return kSuccess;
}

CUresult cuStreamDestroy_v2(struct Stream *stream) {
  if (!stream || stream->capture)
    return kInvalidHandle;
  free(stream);
  --liveStreams;
  return kSuccess;
}

/* Like the driver: waiting inside a capture breaks it. */
CUresult cuStreamSynchronize(struct Stream *stream) {
  if (stream && stream->capture) {
    stream->invalidated = 1;
    return kCaptureUnsupported;
  }
  return kSuccess;
}

CUresult cuModuleLoadDataEx(struct Module **module, const void *image,
                            unsigned numOptions, int *options, void **values) {
  if (!image)
    return kInvalidValue;
  if (strstr(image, "mock-invalid")) {
    char *log = NULL;
    size_t size = 0;
    for (unsigned i = 0; i < numOptions; ++i) {
      if (options[i] == kJitErrorLogBuffer)
        log = values[i];
      else if (options[i] == kJitErrorLogBufferSize)
        size = (uintptr_t)values[i];
    }
    if (log && size)
      snprintf(log, size, "ptxas: line 1: 'mock-invalid' is not PTX\n");
    return kInvalidPtx;
  }
  if (!(*module = calloc(1, sizeof **module)))
    return kOutOfMemory;
  ++liveModules;
  return kSuccess;
}

CUresult cuModuleUnload(struct Module *module) {
  if (!module)
    return kInvalidHandle;
  while (module->functions) {
    struct Function *next = module->functions->next;
    free(module->functions);
    module->functions = next;
  }
  free(module);
  --liveModules;
  return kSuccess;
}

CUresult cuModuleGetFunction(struct Function **function, struct Module *module,
                             const char *name) {
  char symbol[160];
  if (!module)
    return kInvalidHandle;
  if (strlen(name) >= sizeof((struct Function *)0)->name)
    return kNotFound;
  snprintf(symbol, sizeof symbol, "%s_emu", name);
  void *address = dlsym(RTLD_DEFAULT, symbol);
  if (!address)
    return kNotFound;
  struct Function *made = calloc(1, sizeof *made);
  if (!made)
    return kOutOfMemory;
  memcpy(&made->run, &address, sizeof address);
  strcpy(made->name, name);
  made->next = module->functions;
  module->functions = made;
  *function = made;
  return kSuccess;
}

CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytes) {
  if (!bytes)
    return kInvalidValue;
  void *memory = malloc(bytes);
  if (!memory)
    return kOutOfMemory;
  *dptr = (uintptr_t)memory;
  ++liveAllocs;
  return kSuccess;
}

CUresult cuMemFree_v2(CUdeviceptr dptr) {
  free((void *)(uintptr_t)dptr);
  if (dptr)
    --liveAllocs;
  return kSuccess;
}

/* Records `op` into the stream's capture, or runs it. */
static CUresult submit(struct Stream *stream, const struct Op *op);

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes,
                              struct Stream *stream) {
  struct Op op = {0};
  op.dst = (void *)(uintptr_t)dst;
  op.src = src;
  op.bytes = bytes;
  return submit(stream, &op);
}

CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes,
                              struct Stream *stream) {
  struct Op op = {0};
  op.dst = dst;
  op.src = (const void *)(uintptr_t)src;
  op.bytes = bytes;
  return submit(stream, &op);
}

static void run(const struct Op *op, void **params) {
  if (!op->function) {
    memcpy(op->dst, op->src, op->bytes);
    return;
  }
  for (long long block = 0; block < op->grid; ++block)
    for (long long thread = 0; thread < op->block; ++thread)
      op->function->run(params, block, op->block, thread);
}

static void runRecorded(const struct Op *op) {
  void *params[kMaxParams];
  for (size_t i = 0; i < op->numParams; ++i)
    params[i] = (void *)&op->params[i];
  run(op, params);
}

static CUresult submit(struct Stream *stream, const struct Op *op) {
  if (!stream || !stream->capture) {
    runRecorded(op);
    return kSuccess;
  }
  struct Graph *graph = stream->capture;
  if (graph->numOps == graph->capacity) {
    size_t capacity = graph->capacity ? 2 * graph->capacity : 8;
    struct Op *ops = realloc(graph->ops, capacity * sizeof *ops);
    if (!ops) {
      stream->invalidated = 1;
      return kOutOfMemory;
    }
    graph->ops = ops;
    graph->capacity = capacity;
  }
  graph->ops[graph->numOps++] = *op;
  return kSuccess;
}

CUresult cuLaunchKernel(struct Function *function, unsigned gridX,
                        unsigned gridY, unsigned gridZ, unsigned blockX,
                        unsigned blockY, unsigned blockZ, unsigned sharedBytes,
                        struct Stream *stream, void **params, void **extra) {
  (void)sharedBytes;
  struct Op op = {0};
  if (!function)
    return kInvalidHandle;
  if (!gridX || !blockX || gridY != 1 || gridZ != 1 || blockY != 1 ||
      blockZ != 1 || extra || !params)
    return kInvalidValue;
  op.function = function;
  op.grid = gridX;
  op.block = blockX;
  if (tracing())
    fprintf(stderr, "mock-cuda: launch %s grid %u block %u%s\n", function->name,
            gridX, blockX, stream && stream->capture ? " (captured)" : "");
  if (!stream || !stream->capture) {
    run(&op, params);
    return kSuccess;
  }
  while (params[op.numParams]) {
    if (op.numParams == kMaxParams) {
      stream->invalidated = 1;
      return kInvalidValue;
    }
    memcpy(&op.params[op.numParams], params[op.numParams], 8);
    ++op.numParams;
  }
  return submit(stream, &op);
}

CUresult cuStreamBeginCapture_v2(struct Stream *stream, int mode) {
  if (!stream || mode < 0 || mode > 2)
    return kInvalidValue;
  if (stream->capture)
    return kIllegalState;
  if (!(stream->capture = calloc(1, sizeof *stream->capture)))
    return kOutOfMemory;
  stream->invalidated = 0;
  ++liveGraphs;
  return kSuccess;
}

CUresult cuGraphDestroy(struct Graph *graph) {
  if (!graph)
    return kInvalidValue;
  free(graph->ops);
  free(graph);
  --liveGraphs;
  return kSuccess;
}

CUresult cuStreamEndCapture(struct Stream *stream, struct Graph **graph) {
  if (!stream || !stream->capture)
    return kIllegalState;
  struct Graph *captured = stream->capture;
  stream->capture = NULL;
  *graph = NULL;
  if (stream->invalidated) {
    cuGraphDestroy(captured);
    return kCaptureInvalidated;
  }
  if (tracing()) {
    size_t launches = 0;
    for (size_t i = 0; i < captured->numOps; ++i)
      launches += captured->ops[i].function != NULL;
    fprintf(stderr, "mock-cuda: graph captured %zu launches, %zu copies\n",
            launches, captured->numOps - launches);
  }
  *graph = captured;
  return kSuccess;
}

/* An executable graph is a copy of the graph. */
CUresult cuGraphInstantiateWithFlags(struct Graph **exec, struct Graph *graph,
                                     unsigned long long flags) {
  if (!graph || flags)
    return kInvalidValue;
  struct Graph *copy = calloc(1, sizeof *copy);
  if (!copy)
    return kOutOfMemory;
  if (graph->numOps &&
      !(copy->ops = malloc(graph->numOps * sizeof *copy->ops))) {
    free(copy);
    return kOutOfMemory;
  }
  if (graph->numOps)
    memcpy(copy->ops, graph->ops, graph->numOps * sizeof *copy->ops);
  copy->numOps = copy->capacity = graph->numOps;
  *exec = copy;
  ++liveExecs;
  return kSuccess;
}

CUresult cuGraphLaunch(struct Graph *exec, struct Stream *stream) {
  if (!exec)
    return kInvalidValue;
  if (stream && stream->capture)
    return kCaptureUnsupported;
  if (tracing())
    fprintf(stderr, "mock-cuda: graph replay\n");
  for (size_t i = 0; i < exec->numOps; ++i)
    runRecorded(&exec->ops[i]);
  return kSuccess;
}

CUresult cuGraphExecDestroy(struct Graph *exec) {
  if (!exec)
    return kInvalidValue;
  free(exec->ops);
  free(exec);
  --liveExecs;
  return kSuccess;
}

CUresult cuEventCreate(struct Event **event, unsigned flags) {
  (void)flags;
  if (!(*event = calloc(1, sizeof **event)))
    return kOutOfMemory;
  ++liveEvents;
  return kSuccess;
}

CUresult cuEventRecord(struct Event *event, struct Stream *stream) {
  struct timespec now;
  if (!event)
    return kInvalidHandle;
  (void)stream;
  clock_gettime(CLOCK_MONOTONIC, &now);
  event->ms = now.tv_sec * 1e3 + now.tv_nsec / 1e6;
  return kSuccess;
}

CUresult cuEventSynchronize(struct Event *event) {
  return event ? kSuccess : kInvalidHandle;
}

CUresult cuEventElapsedTime_v2(float *ms, struct Event *start,
                               struct Event *end) {
  if (!start || !end)
    return kInvalidHandle;
  *ms = (float)(end->ms - start->ms);
  return kSuccess;
}

CUresult cuEventDestroy_v2(struct Event *event) {
  if (!event)
    return kInvalidHandle;
  free(event);
  --liveEvents;
  return kSuccess;
}
