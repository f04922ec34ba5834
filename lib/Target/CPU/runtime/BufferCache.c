/*===- BufferCache.c - The emitted code's buffers, kept per thread --------===//
 *
 * Linked into every emitted network (Runtime.cpp), with internal linkage:
 * the lowered code's malloc and free become nasc_rt_alloc and
 * nasc_rt_free. A network allocates the same buffers on every call; malloc
 * serves the large ones with fresh mmap'd pages that free unmaps, so each
 * call paid a page fault for every 4 KiB it touched (a quantized mobile
 * candidate took 186 ms a call instead of 23: bench/RESULTS.md). Freed
 * buffers are kept instead, per thread, and handed back for the same size;
 * a thread's buffers are freed when it exits. Compiled to LLVM IR at build
 * time, so it must stay free of anything but libc and pthreads.
 *
 *===----------------------------------------------------------------------===*/

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

/* The header keeps malloc's alignment. Buffers below kSmall come from
   malloc's heap, which keeps its pages: only larger ones are kept. */
enum { kSlots = 256, kHeader = 16, kSmall = 16384 };

typedef struct {
  size_t size[kSlots];
  char *block[kSlots];
} Cache;

static pthread_key_t cacheKey;
static pthread_once_t cacheOnce = PTHREAD_ONCE_INIT;
static int haveKey;

static void dropCache(void *opaque) {
  Cache *cache = opaque;
  for (int i = 0; i < kSlots; ++i)
    free(cache->block[i]);
  free(cache);
}

static void makeKey(void) { haveKey = pthread_key_create(&cacheKey, dropCache) == 0; }

/* This thread's cache, or null when none can be made (then malloc and
   free serve every buffer). */
static Cache *getCache(void) {
  pthread_once(&cacheOnce, makeKey);
  if (!haveKey)
    return NULL;
  Cache *cache = pthread_getspecific(cacheKey);
  if (!cache) {
    cache = calloc(1, sizeof(Cache));
    if (cache && pthread_setspecific(cacheKey, cache) != 0) {
      free(cache);
      cache = NULL;
    }
  }
  return cache;
}

void *nasc_rt_alloc(size_t size) {
  Cache *cache = size >= kSmall ? getCache() : NULL;
  if (cache)
    for (int i = 0; i < kSlots; ++i)
      if (cache->block[i] && cache->size[i] == size) {
        char *block = cache->block[i];
        cache->block[i] = NULL;
        return block + kHeader;
      }
  char *block = malloc(size + kHeader);
  if (!block)
    return NULL;
  *(size_t *)block = size;
  return block + kHeader;
}

void nasc_rt_free(void *pointer) {
  if (!pointer)
    return;
  char *block = (char *)pointer - kHeader;
  size_t size = *(size_t *)block;
  Cache *cache = size >= kSmall ? getCache() : NULL;
  if (cache)
    for (int i = 0; i < kSlots; ++i)
      if (!cache->block[i]) {
        cache->block[i] = block;
        cache->size[i] = size;
        return;
      }
  free(block);
}
