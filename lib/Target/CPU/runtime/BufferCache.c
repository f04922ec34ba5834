/*===- BufferCache.c - The emitted code's buffers, kept between calls -----===//
 *
 * Linked into every emitted network (Runtime.cpp), with internal linkage:
 * the lowered code's malloc and free become nasc_rt_alloc and
 * nasc_rt_free. A network allocates the same buffers on every call; malloc
 * serves the large ones with fresh mmap'd pages that free unmaps, so each
 * call paid a page fault for every 4 KiB it touched (a quantized mobile
 * candidate took 186 ms a call instead of 28: bench/RESULTS.md). Freed
 * buffers of kSmall bytes and more are kept instead and handed back for
 * the same size. The cache is the process's, behind a mutex, not a
 * thread's: NAME_run's threads live for one call, and their buffers serve
 * the next call's. Compiled to LLVM IR at build time, so it must stay free
 * of anything but libc and pthreads.
 *
 *===----------------------------------------------------------------------===*/

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

/* The header keeps malloc's alignment. Buffers below kSmall come from
   malloc's heap, which keeps its pages: only larger ones are kept. The
   slots grow with what a call frees (a fixed 256 of them was too few for
   a network quantized in float, whose call then paid the page faults
   again: 36.8 ms instead of 16.8). */
enum { kHeader = 16, kSmall = 16384, kFirstSlots = 256 };

static size_t *cachedSize;
static char **cachedBlock;
static int slots;
static pthread_mutex_t cacheLock = PTHREAD_MUTEX_INITIALIZER;

/* Doubles the slots (the new ones empty); 0 when out of memory. Called
   with the lock held. */
static int growSlots(void) {
  int grown = slots ? 2 * slots : kFirstSlots;
  size_t *sizes = realloc(cachedSize, sizeof(size_t) * (size_t)grown);
  if (!sizes)
    return 0;
  cachedSize = sizes;
  char **blocks = realloc(cachedBlock, sizeof(char *) * (size_t)grown);
  if (!blocks)
    return 0;
  cachedBlock = blocks;
  for (int i = slots; i < grown; ++i)
    cachedBlock[i] = NULL;
  slots = grown;
  return 1;
}

void *nasc_rt_alloc(size_t size) {
  if (size >= kSmall) {
    char *block = NULL;
    pthread_mutex_lock(&cacheLock);
    for (int i = 0; i < slots; ++i)
      if (cachedBlock[i] && cachedSize[i] == size) {
        block = cachedBlock[i];
        cachedBlock[i] = NULL;
        break;
      }
    pthread_mutex_unlock(&cacheLock);
    if (block)
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
  if (size >= kSmall) {
    int kept = 0;
    pthread_mutex_lock(&cacheLock);
    int i = 0;
    while (i < slots && cachedBlock[i])
      ++i;
    if (i < slots || growSlots()) {
      cachedBlock[i] = block;
      cachedSize[i] = size;
      kept = 1;
    }
    pthread_mutex_unlock(&cacheLock);
    if (kept)
      return;
  }
  free(block);
}

/* Frees the kept buffers and the slots (NAME_release): a later call
   allocates afresh. */
void nasc_rt_cache_release(void) {
  pthread_mutex_lock(&cacheLock);
  for (int i = 0; i < slots; ++i)
    free(cachedBlock[i]);
  free(cachedBlock);
  free(cachedSize);
  cachedBlock = NULL;
  cachedSize = NULL;
  slots = 0;
  pthread_mutex_unlock(&cacheLock);
}
