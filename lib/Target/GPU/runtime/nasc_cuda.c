/*===- nasc_cuda.c - The emitted GPU code's runtime over the CUDA driver --===//
 *
 * See nasc_cuda.h. The driver's few types and constants are declared here
 * instead of including cuda.h, so that emitted code compiles without the
 * CUDA toolkit; the symbols looked up are the versioned ones cuda.h maps
 * the API names to (cuMemAlloc is cuMemAlloc_v2, ...), all present since
 * CUDA 11.4.
 *
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 200809L

#include "nasc_cuda.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef void *CUcontext, *CUmodule, *CUfunction, *CUstream, *CUevent;
typedef void *CUgraph, *CUgraphExec;

enum {
  kStreamNonBlocking = 1,     /* CU_STREAM_NON_BLOCKING */
  kEventDefault = 0,          /* CU_EVENT_DEFAULT, which keeps timing */
  kJitErrorLogBuffer = 5,     /* CU_JIT_ERROR_LOG_BUFFER */
  kJitErrorLogBufferSize = 6, /* CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES */
  /* Other threads' unrelated CUDA calls do not break our capture. */
  kCaptureThreadLocal = 1, /* CU_STREAM_CAPTURE_MODE_THREAD_LOCAL */
  kMessageSize = 4096,
  kMaxGridX = 0x7fffffff
};

/* The driver functions used, filled from kSymbols. */
struct driver {
  CUresult (*init)(unsigned);
  CUresult (*getErrorName)(CUresult, const char **);
  CUresult (*getErrorString)(CUresult, const char **);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*deviceGetName)(char *, int, CUdevice);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*primaryCtxRelease)(CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*moduleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                               void **);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*memcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*streamBeginCapture)(CUstream, int);
  CUresult (*streamEndCapture)(CUstream, CUgraph *);
  CUresult (*graphInstantiate)(CUgraphExec *, CUgraph, unsigned long long);
  CUresult (*graphLaunch)(CUgraphExec, CUstream);
  CUresult (*graphExecDestroy)(CUgraphExec);
  CUresult (*graphDestroy)(CUgraph);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*eventDestroy)(CUevent);
};

/* The older name serves drivers before the newer existed (cuda.h has used
   cuEventElapsedTime_v2 since CUDA 12.8). */
static const struct {
  const char *name, *older;
  size_t offset;
} kSymbols[] = {
#define SYM(field, name, older)                                                \
  { name, older, offsetof(struct driver, field) }
    SYM(init, "cuInit", NULL),
    SYM(getErrorName, "cuGetErrorName", NULL),
    SYM(getErrorString, "cuGetErrorString", NULL),
    SYM(deviceGetCount, "cuDeviceGetCount", NULL),
    SYM(deviceGet, "cuDeviceGet", NULL),
    SYM(deviceGetName, "cuDeviceGetName", NULL),
    SYM(primaryCtxRetain, "cuDevicePrimaryCtxRetain", NULL),
    SYM(primaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", NULL),
    SYM(ctxSetCurrent, "cuCtxSetCurrent", NULL),
    SYM(streamCreate, "cuStreamCreate", NULL),
    SYM(streamDestroy, "cuStreamDestroy_v2", NULL),
    SYM(streamSynchronize, "cuStreamSynchronize", NULL),
    SYM(moduleLoadDataEx, "cuModuleLoadDataEx", NULL),
    SYM(moduleUnload, "cuModuleUnload", NULL),
    SYM(moduleGetFunction, "cuModuleGetFunction", NULL),
    SYM(memAlloc, "cuMemAlloc_v2", NULL),
    SYM(memFree, "cuMemFree_v2", NULL),
    SYM(memcpyHtoDAsync, "cuMemcpyHtoDAsync_v2", NULL),
    SYM(memcpyDtoHAsync, "cuMemcpyDtoHAsync_v2", NULL),
    SYM(launchKernel, "cuLaunchKernel", NULL),
    SYM(streamBeginCapture, "cuStreamBeginCapture_v2", NULL),
    SYM(streamEndCapture, "cuStreamEndCapture", NULL),
    SYM(graphInstantiate, "cuGraphInstantiateWithFlags", NULL),
    SYM(graphLaunch, "cuGraphLaunch", NULL),
    SYM(graphExecDestroy, "cuGraphExecDestroy", NULL),
    SYM(graphDestroy, "cuGraphDestroy", NULL),
    SYM(eventCreate, "cuEventCreate", NULL),
    SYM(eventRecord, "cuEventRecord", NULL),
    SYM(eventSynchronize, "cuEventSynchronize", NULL),
    SYM(eventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime"),
    SYM(eventDestroy, "cuEventDestroy_v2", NULL),
#undef SYM
};

struct nasc_cuda {
  void *library;
  struct driver cu;
  CUdevice device;
  CUcontext context; /* the device's primary context, retained */
  CUstream stream;
  CUevent events[2];
  CUmodule module;
  CUfunction *kernels;
  char **kernelNames;
  int numKernels;
  /* cuLaunchKernel's kernelParams, kept to save a malloc a launch. */
  void **params;
  size_t paramCapacity;
  /* Every live allocation, so that close frees them and free can refuse
     an address twice. */
  CUdeviceptr *allocs;
  size_t numAllocs, allocCapacity;
  struct {
    unsigned long long key, lastUse;
    CUgraphExec exec; /* NULL: the slot is empty */
  } graphs[NASC_CUDA_GRAPH_SLOTS];
  unsigned long long useClock;
  int capturing;
  char deviceName[256];
  char error[kMessageSize];
};

static int fail(nasc_cuda *rt, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(rt->error, sizeof rt->error, format, args);
  va_end(args);
  return 1;
}

/* Fails with "<call> failed: CUDA_ERROR_X (description)" unless `result`
   is CUDA_SUCCESS; `call` is a printf format. */
static int check(nasc_cuda *rt, CUresult result, const char *call, ...) {
  if (result == 0)
    return 0;
  char what[256], code[32];
  va_list args;
  va_start(args, call);
  vsnprintf(what, sizeof what, call, args);
  va_end(args);
  const char *name = NULL, *text = NULL;
  if (rt->cu.getErrorName)
    rt->cu.getErrorName(result, &name);
  if (rt->cu.getErrorString)
    rt->cu.getErrorString(result, &text);
  if (!name) {
    snprintf(code, sizeof code, "CUDA error %d", result);
    name = code;
  }
  if (text)
    return fail(rt, "%s failed: %s (%s)", what, name, text);
  return fail(rt, "%s failed: %s", what, name);
}

/* A runtime may move between threads, and the context is current per
   thread. */
static int enter(nasc_cuda *rt) {
  return check(rt, rt->cu.ctxSetCurrent(rt->context), "cuCtxSetCurrent");
}

/* `array` grown to hold `need` elements, or NULL when out of memory. */
static void *reserve(nasc_cuda *rt, void *array, size_t *capacity, size_t need,
                     size_t elementSize) {
  if (need <= *capacity)
    return array;
  size_t grown = *capacity ? *capacity * 2 : 16;
  if (grown < need)
    grown = need;
  void *bigger = realloc(array, grown * elementSize);
  if (!bigger) {
    fail(rt, "out of host memory");
    return NULL;
  }
  *capacity = grown;
  return bigger;
}

static int loadDriver(nasc_cuda *rt) {
  const char *path = getenv("NASC_CUDA_LIBRARY");
  if (!path || !*path)
    path = "libcuda.so.1";
  rt->library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!rt->library)
    return fail(rt,
                "no CUDA driver: cannot load %s (%s); running GPU code "
                "needs an NVIDIA GPU and its driver",
                path, dlerror());
  for (size_t i = 0; i < sizeof kSymbols / sizeof kSymbols[0]; ++i) {
    void *symbol = dlsym(rt->library, kSymbols[i].name);
    if (!symbol && kSymbols[i].older)
      symbol = dlsym(rt->library, kSymbols[i].older);
    if (!symbol)
      return fail(rt,
                  "the CUDA driver %s lacks %s; it must be for CUDA 11.4 "
                  "or newer",
                  path, kSymbols[i].name);
    /* ISO C has no cast from an object to a function pointer; POSIX
       guarantees they have the same representation. */
    memcpy((char *)&rt->cu + kSymbols[i].offset, &symbol, sizeof symbol);
  }
  return 0;
}

static int selectDevice(nasc_cuda *rt, int device) {
  if (device < 0) {
    const char *env = getenv("NASC_CUDA_DEVICE");
    device = 0;
    if (env && *env) {
      char *end;
      long value = strtol(env, &end, 10);
      if (*end || value < 0 || value > INT_MAX)
        return fail(rt, "NASC_CUDA_DEVICE must be a device number, not '%s'",
                    env);
      device = (int)value;
    }
  }
  int count = 0;
  if (check(rt, rt->cu.deviceGetCount(&count), "cuDeviceGetCount"))
    return 1;
  if (device >= count)
    return fail(rt, "no CUDA device %d: this machine has %d", device, count);
  return check(rt, rt->cu.deviceGet(&rt->device, device), "cuDeviceGet(%d)",
               device) ||
         check(rt,
               rt->cu.deviceGetName(rt->deviceName, sizeof rt->deviceName,
                                    rt->device),
               "cuDeviceGetName");
}

static int loadModule(nasc_cuda *rt, const char *ptx) {
  char log[kMessageSize / 2] = "";
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
  void *values[] = {log, (void *)(uintptr_t)sizeof log};
  CUresult result =
      rt->cu.moduleLoadDataEx(&rt->module, ptx, 2, options, values);
  if (!check(rt, result, "cuModuleLoadDataEx (compiling the PTX)"))
    return 0;
  size_t length = strlen(log);
  while (length && (log[length - 1] == '\n' || log[length - 1] == ' '))
    log[--length] = '\0';
  if (length) {
    size_t used = strlen(rt->error);
    snprintf(rt->error + used, sizeof rt->error - used, "; JIT log: %s", log);
  }
  return 1;
}

static int findKernels(nasc_cuda *rt, const char *const *names, int count) {
  rt->kernels = calloc(count ? (size_t)count : 1, sizeof *rt->kernels);
  rt->kernelNames = calloc(count ? (size_t)count : 1, sizeof *rt->kernelNames);
  if (!rt->kernels || !rt->kernelNames)
    return fail(rt, "out of host memory");
  for (int i = 0; i < count; ++i) {
    if (!names[i])
      return fail(rt, "nasc_cuda_open: kernel name %d is NULL", i);
    size_t size = strlen(names[i]) + 1;
    if (!(rt->kernelNames[i] = malloc(size)))
      return fail(rt, "out of host memory");
    memcpy(rt->kernelNames[i], names[i], size);
    rt->numKernels = i + 1;
    if (check(
            rt, rt->cu.moduleGetFunction(&rt->kernels[i], rt->module, names[i]),
            "looking up kernel '%s' in the PTX: cuModuleGetFunction", names[i]))
      return 1;
  }
  return 0;
}

int nasc_cuda_open(nasc_cuda **out, int device, const char *ptx,
                   const char *const *kernelNames, int numKernels, char *error,
                   size_t errorSize) {
  nasc_cuda *rt = calloc(1, sizeof *rt);
  int failed = 1;
  if (!rt) {
    if (errorSize)
      snprintf(error, errorSize, "out of host memory");
  } else {
    if (!out || !ptx || numKernels < 0 || (numKernels && !kernelNames))
      fail(rt, "nasc_cuda_open: needs a result pointer, PTX and kernels");
    else
      failed = loadDriver(rt) ||
               check(rt, rt->cu.init(0), "no CUDA device: cuInit") ||
               selectDevice(rt, device) ||
               check(rt, rt->cu.primaryCtxRetain(&rt->context, rt->device),
                     "cuDevicePrimaryCtxRetain") ||
               enter(rt) ||
               check(rt, rt->cu.streamCreate(&rt->stream, kStreamNonBlocking),
                     "cuStreamCreate") ||
               check(rt, rt->cu.eventCreate(&rt->events[0], kEventDefault),
                     "cuEventCreate") ||
               check(rt, rt->cu.eventCreate(&rt->events[1], kEventDefault),
                     "cuEventCreate") ||
               loadModule(rt, ptx) || findKernels(rt, kernelNames, numKernels);
    if (errorSize)
      snprintf(error, errorSize, "%s", rt->error);
  }
  if (failed) {
    nasc_cuda_close(rt);
    rt = NULL;
  }
  if (out)
    *out = rt;
  return failed;
}

void nasc_cuda_close(nasc_cuda *rt) {
  if (!rt)
    return;
  /* Errors are ignored: there is nobody left to report them to. */
  if (rt->context && !enter(rt)) {
    if (rt->capturing) {
      CUgraph graph = NULL;
      rt->cu.streamEndCapture(rt->stream, &graph);
      if (graph)
        rt->cu.graphDestroy(graph);
    }
    if (rt->stream)
      rt->cu.streamSynchronize(rt->stream);
    for (int i = 0; i < NASC_CUDA_GRAPH_SLOTS; ++i)
      if (rt->graphs[i].exec)
        rt->cu.graphExecDestroy(rt->graphs[i].exec);
    for (size_t i = 0; i < rt->numAllocs; ++i)
      rt->cu.memFree(rt->allocs[i]);
    for (int i = 0; i < 2; ++i)
      if (rt->events[i])
        rt->cu.eventDestroy(rt->events[i]);
    if (rt->stream)
      rt->cu.streamDestroy(rt->stream);
    if (rt->module)
      rt->cu.moduleUnload(rt->module);
  }
  if (rt->context)
    rt->cu.primaryCtxRelease(rt->device);
  /* The driver stays loaded (dlopen counts references): it starts threads
     and exit handlers that must not outlive its code. */
  for (int i = 0; i < rt->numKernels; ++i)
    free(rt->kernelNames[i]);
  free(rt->kernelNames);
  free(rt->kernels);
  free(rt->params);
  free(rt->allocs);
  free(rt);
}

const char *nasc_cuda_error(const nasc_cuda *rt) { return rt ? rt->error : ""; }

const char *nasc_cuda_device_name(const nasc_cuda *rt) {
  return rt ? rt->deviceName : "";
}

int nasc_cuda_alloc(nasc_cuda *rt, unsigned long long *dptr, size_t bytes) {
  if (!rt || !dptr)
    return 1;
  *dptr = 0;
  if (!bytes)
    return 0;
  CUdeviceptr *allocs = reserve(rt, rt->allocs, &rt->allocCapacity,
                                rt->numAllocs + 1, sizeof *allocs);
  if (!allocs)
    return 1;
  rt->allocs = allocs;
  CUdeviceptr address;
  if (enter(rt) || check(rt, rt->cu.memAlloc(&address, bytes),
                         "cuMemAlloc(%zu bytes)", bytes))
    return 1;
  rt->allocs[rt->numAllocs++] = address;
  *dptr = address;
  return 0;
}

int nasc_cuda_free(nasc_cuda *rt, unsigned long long dptr) {
  if (!rt)
    return 1;
  if (!dptr)
    return 0;
  /* Buffers are mostly freed in reverse order of allocation. */
  size_t i = rt->numAllocs;
  while (i && rt->allocs[i - 1] != dptr)
    --i;
  if (!i)
    return fail(rt,
                "nasc_cuda_free: 0x%llx is not memory this runtime "
                "allocated (freed twice?)",
                dptr);
  rt->allocs[i - 1] = rt->allocs[--rt->numAllocs];
  return enter(rt) ||
         check(rt, rt->cu.memFree(dptr), "cuMemFree(0x%llx)", dptr);
}

int nasc_cuda_upload(nasc_cuda *rt, unsigned long long dst, const void *src,
                     size_t bytes) {
  if (!rt)
    return 1;
  return bytes &&
         (enter(rt) ||
          check(rt, rt->cu.memcpyHtoDAsync(dst, src, bytes, rt->stream),
                "cuMemcpyHtoDAsync(%zu bytes)", bytes));
}

int nasc_cuda_download(nasc_cuda *rt, void *dst, unsigned long long src,
                       size_t bytes) {
  if (!rt)
    return 1;
  return bytes &&
         (enter(rt) ||
          check(rt, rt->cu.memcpyDtoHAsync(dst, src, bytes, rt->stream),
                "cuMemcpyDtoHAsync(%zu bytes)", bytes));
}

int nasc_cuda_launch(nasc_cuda *rt, int kernel, unsigned long long blocks,
                     unsigned threads, const unsigned long long *args,
                     int numArgs) {
  if (!rt)
    return 1;
  if (kernel < 0 || kernel >= rt->numKernels)
    return fail(rt, "nasc_cuda_launch: no kernel %d, the module has %d", kernel,
                rt->numKernels);
  const char *name = rt->kernelNames[kernel];
  if (numArgs < 0 || (numArgs && !args))
    return fail(rt, "nasc_cuda_launch(%s): %d arguments", name, numArgs);
  if (!blocks)
    return 0;
  if (blocks > kMaxGridX)
    return fail(rt, "nasc_cuda_launch(%s): %llu blocks, more than a grid has",
                name, blocks);
  void **params = reserve(rt, rt->params, &rt->paramCapacity,
                          (size_t)numArgs + 1, sizeof *params);
  if (!params)
    return 1;
  rt->params = params;
  for (int i = 0; i < numArgs; ++i)
    rt->params[i] = (void *)&args[i];
  /* The driver reads as many as the kernel has; the end mark lets the mock
     driver of the tests, which cannot read the PTX, count them. */
  rt->params[numArgs] = NULL;
  return enter(rt) || check(rt,
                            rt->cu.launchKernel(
                                rt->kernels[kernel], (unsigned)blocks, 1, 1,
                                threads, 1, 1, 0, rt->stream, rt->params, NULL),
                            "cuLaunchKernel(%s)", name);
}

int nasc_cuda_sync(nasc_cuda *rt) {
  if (!rt)
    return 1;
  return enter(rt) ||
         check(rt, rt->cu.streamSynchronize(rt->stream), "cuStreamSynchronize");
}

static int findGraph(const nasc_cuda *rt, unsigned long long key) {
  for (int i = 0; i < NASC_CUDA_GRAPH_SLOTS; ++i)
    if (rt->graphs[i].exec && rt->graphs[i].key == key)
      return i;
  return -1;
}

int nasc_cuda_has_graph(const nasc_cuda *rt, unsigned long long key) {
  return rt && findGraph(rt, key) >= 0;
}

int nasc_cuda_begin_capture(nasc_cuda *rt) {
  if (!rt)
    return 1;
  if (rt->capturing)
    return fail(rt, "nasc_cuda_begin_capture: already capturing");
  if (enter(rt) ||
      check(rt, rt->cu.streamBeginCapture(rt->stream, kCaptureThreadLocal),
            "cuStreamBeginCapture"))
    return 1;
  rt->capturing = 1;
  return 0;
}

int nasc_cuda_end_capture(nasc_cuda *rt, unsigned long long key) {
  if (!rt)
    return 1;
  if (!rt->capturing)
    return fail(rt, "nasc_cuda_end_capture: no capture was begun");
  if (enter(rt))
    return 1;
  rt->capturing = 0;
  CUgraph graph = NULL;
  CUgraphExec exec = NULL;
  int failed = check(rt, rt->cu.streamEndCapture(rt->stream, &graph),
                     "cuStreamEndCapture") ||
               check(rt, rt->cu.graphInstantiate(&exec, graph, 0),
                     "cuGraphInstantiateWithFlags");
  /* The executable graph does not need the graph it was made from. */
  if (graph)
    rt->cu.graphDestroy(graph);
  if (failed)
    return 1;
  int slot = findGraph(rt, key);
  if (slot < 0) {
    slot = 0;
    for (int i = 0; i < NASC_CUDA_GRAPH_SLOTS; ++i)
      if (!rt->graphs[i].exec ||
          (rt->graphs[slot].exec &&
           rt->graphs[i].lastUse < rt->graphs[slot].lastUse))
        slot = i;
  }
  if (rt->graphs[slot].exec)
    rt->cu.graphExecDestroy(rt->graphs[slot].exec);
  rt->graphs[slot].key = key;
  rt->graphs[slot].exec = exec;
  rt->graphs[slot].lastUse = ++rt->useClock;
  return 0;
}

int nasc_cuda_replay(nasc_cuda *rt, unsigned long long key) {
  if (!rt)
    return 1;
  int slot = findGraph(rt, key);
  if (slot < 0)
    return fail(rt, "nasc_cuda_replay: no graph captured for key 0x%llx", key);
  rt->graphs[slot].lastUse = ++rt->useClock;
  return enter(rt) ||
         check(rt, rt->cu.graphLaunch(rt->graphs[slot].exec, rt->stream),
               "cuGraphLaunch");
}

int nasc_cuda_event_record(nasc_cuda *rt, int slot) {
  if (!rt)
    return 1;
  if (slot != 0 && slot != 1)
    return fail(rt, "nasc_cuda_event_record: slot %d is not 0 or 1", slot);
  return enter(rt) ||
         check(rt, rt->cu.eventRecord(rt->events[slot], rt->stream),
               "cuEventRecord");
}

int nasc_cuda_elapsed_ms(nasc_cuda *rt, float *ms) {
  if (!rt || !ms)
    return 1;
  return enter(rt) ||
         check(rt, rt->cu.eventSynchronize(rt->events[1]),
               "cuEventSynchronize") ||
         check(rt, rt->cu.eventElapsedTime(ms, rt->events[0], rt->events[1]),
               "cuEventElapsedTime");
}
