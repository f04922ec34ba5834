/*===- nasc_cuda.h - The emitted GPU code's runtime over the CUDA driver --===//
 *
 * A small C99 layer over the CUDA driver API that the GPU backend's host
 * code calls (GPUTarget.h). The driver is loaded at run time with dlopen,
 * so emitted code builds and links on machines without CUDA and says why
 * it cannot run there: libcuda.so.1, or the full path in the environment
 * variable NASC_CUDA_LIBRARY (tests point it at a mock driver).
 *
 * Every function that returns int returns 0 on success and nonzero on
 * failure, never aborts, and leaves a message for nasc_cuda_error.
 *
 * Thread safety: a nasc_cuda belongs to one thread at a time; different
 * runtimes may be used by different threads at once. Each call makes the
 * runtime's context current on the calling thread.
 *
 *===----------------------------------------------------------------------===*/

#ifndef NASC_CUDA_H
#define NASC_CUDA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nasc_cuda nasc_cuda;

/* Loads the driver, initializes GPU `device` (when negative: the
   environment variable NASC_CUDA_DEVICE, else 0), retains its primary
   context, creates a non-blocking stream, loads the PTX module (the driver
   compiles it for the GPU) and looks up the kernels `kernelNames`, whose
   indices nasc_cuda_launch takes. On failure *rt is NULL and the message
   is in `error` (errorSize bytes, may be 0). */
int nasc_cuda_open(nasc_cuda **rt, int device, const char *ptx,
                   const char *const *kernelNames, int numKernels, char *error,
                   size_t errorSize);
/* Frees everything the runtime made: memory, graphs, stream, module. NULL
   is fine. */
void nasc_cuda_close(nasc_cuda *rt);
/* The last failure's message, "" if none. */
const char *nasc_cuda_error(const nasc_cuda *rt);
const char *nasc_cuda_device_name(const nasc_cuda *rt);

/* Device memory. 0 bytes gives the address 0; freeing 0 does nothing. */
int nasc_cuda_alloc(nasc_cuda *rt, unsigned long long *dptr, size_t bytes);
int nasc_cuda_free(nasc_cuda *rt, unsigned long long dptr);
/* Asynchronous copies on the stream: `src` must stay unchanged, and `dst`
   is only valid, after nasc_cuda_sync. */
int nasc_cuda_upload(nasc_cuda *rt, unsigned long long dst, const void *src,
                     size_t bytes);
int nasc_cuda_download(nasc_cuda *rt, void *dst, unsigned long long src,
                       size_t bytes);

/* Launches kernel `kernel` on `blocks` x `threads` threads (1-D; 0 blocks
   do nothing). Its parameters are `numArgs` 8-byte values: device
   addresses and 64-bit integers. */
int nasc_cuda_launch(nasc_cuda *rt, int kernel, unsigned long long blocks,
                     unsigned threads, const unsigned long long *args,
                     int numArgs);
/* Waits for all work on the stream. */
int nasc_cuda_sync(nasc_cuda *rt);

/* CUDA graphs replay a captured sequence of launches and copies with one
   call. Between begin and end capture the stream's work is recorded, not
   run; only launches, uploads and downloads may come in between (no
   sync, alloc or free). end_capture always ends the capture; when it
   fails nothing was run and the caller should issue the work again
   without a graph. The graph is stored under `key` (the caller's choice,
   e.g. batch size mixed with buffer addresses) in one of
   NASC_CUDA_GRAPH_SLOTS slots, evicting the least recently used.
   has_graph returns 1 when `key` has a graph, else 0. */
enum { NASC_CUDA_GRAPH_SLOTS = 8 };
int nasc_cuda_has_graph(const nasc_cuda *rt, unsigned long long key);
int nasc_cuda_begin_capture(nasc_cuda *rt);
int nasc_cuda_end_capture(nasc_cuda *rt, unsigned long long key);
int nasc_cuda_replay(nasc_cuda *rt, unsigned long long key);

/* Timing on the stream: record slot 0, later slot 1; elapsed_ms waits for
   slot 1 and gives the milliseconds between them. */
int nasc_cuda_event_record(nasc_cuda *rt, int slot);
int nasc_cuda_elapsed_ms(nasc_cuda *rt, float *ms);

#ifdef __cplusplus
}
#endif

#endif /* NASC_CUDA_H */
