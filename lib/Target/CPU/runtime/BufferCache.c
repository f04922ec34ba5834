/*===- BufferCache.c - The emitted code's buffers, kept between calls -----===//
 *
 * Linked into every emitted network (Runtime.cpp), with internal linkage:
 * the lowered code's malloc and free become nasc_rt_alloc and
 * nasc_rt_free. A network allocates the same buffers on every call; malloc
 * serves the large ones with fresh mmap'd pages that free unmaps, so each
 * call paid a page fault for every 4 KiB it touched (a quantized mobile
 * candidate took 186 ms a call instead of 28: bench/RESULTS.md). Freed
 * buffers of kSmall bytes and more are kept instead and handed back for
 * the same size.
 *
 * Each thread keeps its own (a pthread key's value), without a lock: the
 * thread pool's workers live from call to call, and a buffer handed back
 * on the core that last wrote it is still in that core's caches. One
 * cache for the process, behind a mutex, handed one thread's buffers to
 * the other: an NB201 candidate at batch 64 ran 1.63x faster on 2 threads
 * than on 1 with it, where two processes on the two cores each run at
 * 0.92x. A thread's cache is freed when the thread exits, and every
 * thread's by nasc_rt_cache_release (NAME_release, after the pool's
 * workers are joined), which also deletes the key, so that no destructor
 * is left pointing into code a program unloads. Compiled to LLVM IR at
 * build time, so it must stay free of anything but libc and pthreads.
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

/* One thread's kept buffers, in the list of every thread's. */
struct Cache {
  size_t *sizes;
  char **blocks;
  int slots;
  struct Cache *next, *previous;
};

/* Guards the list, and the key's creation and deletion. */
static pthread_mutex_t listLock = PTHREAD_MUTEX_INITIALIZER;
static struct Cache *caches;
static pthread_key_t cacheKey;
static int keyCreated;

static void freeCache(struct Cache *cache) {
  for (int i = 0; i < cache->slots; ++i)
    free(cache->blocks[i]);
  free(cache->blocks);
  free(cache->sizes);
  free(cache);
}

/* The key's destructor: a thread's cache when it exits. */
static void threadExits(void *value) {
  struct Cache *cache = value;
  pthread_mutex_lock(&listLock);
  if (cache->previous)
    cache->previous->next = cache->next;
  else
    caches = cache->next;
  if (cache->next)
    cache->next->previous = cache->previous;
  pthread_mutex_unlock(&listLock);
  freeCache(cache);
}

/* The calling thread's cache, made on its first use; NULL when out of
   memory (buffers then come from malloc and go back to free). */
static struct Cache *threadCache(void) {
  if (!__atomic_load_n(&keyCreated, __ATOMIC_ACQUIRE)) {
    pthread_mutex_lock(&listLock);
    if (!keyCreated && pthread_key_create(&cacheKey, threadExits) == 0)
      __atomic_store_n(&keyCreated, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&listLock);
    if (!__atomic_load_n(&keyCreated, __ATOMIC_ACQUIRE))
      return NULL;
  }
  struct Cache *cache = pthread_getspecific(cacheKey);
  if (cache)
    return cache;
  cache = calloc(1, sizeof(struct Cache));
  if (!cache)
    return NULL;
  if (pthread_setspecific(cacheKey, cache) != 0) {
    free(cache);
    return NULL;
  }
  pthread_mutex_lock(&listLock);
  cache->next = caches;
  if (caches)
    caches->previous = cache;
  caches = cache;
  pthread_mutex_unlock(&listLock);
  return cache;
}

/* Doubles a cache's slots (the new ones empty); 0 when out of memory. */
static int growSlots(struct Cache *cache) {
  int grown = cache->slots ? 2 * cache->slots : kFirstSlots;
  size_t *sizes = realloc(cache->sizes, sizeof(size_t) * (size_t)grown);
  if (!sizes)
    return 0;
  cache->sizes = sizes;
  char **blocks = realloc(cache->blocks, sizeof(char *) * (size_t)grown);
  if (!blocks)
    return 0;
  cache->blocks = blocks;
  for (int i = cache->slots; i < grown; ++i)
    cache->blocks[i] = NULL;
  cache->slots = grown;
  return 1;
}

void *nasc_rt_alloc(size_t size) {
  if (size >= kSmall) {
    struct Cache *cache = threadCache();
    for (int i = 0; cache && i < cache->slots; ++i)
      if (cache->blocks[i] && cache->sizes[i] == size) {
        char *block = cache->blocks[i];
        cache->blocks[i] = NULL;
        return block + kHeader;
      }
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
    struct Cache *cache = threadCache();
    if (cache) {
      int i = 0;
      while (i < cache->slots && cache->blocks[i])
        ++i;
      if (i < cache->slots || growSlots(cache)) {
        cache->blocks[i] = block;
        cache->sizes[i] = size;
        return;
      }
    }
  }
  free(block);
}

/* Frees every thread's kept buffers and deletes the key (NAME_release,
   with no call running): a later call allocates afresh. */
void nasc_rt_cache_release(void) {
  pthread_mutex_lock(&listLock);
  while (caches) {
    struct Cache *cache = caches;
    caches = cache->next;
    freeCache(cache);
  }
  if (keyCreated) {
    pthread_key_delete(cacheKey);
    __atomic_store_n(&keyCreated, 0, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&listLock);
}
