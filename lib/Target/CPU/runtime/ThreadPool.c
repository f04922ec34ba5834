/*===- ThreadPool.c - The threads NAME_run shares a batch among -----------===//
 *
 * Linked into every emitted network that uses threads (Runtime.cpp), with
 * internal linkage, so each network has a pool of its own. NAME_run used
 * to start a POSIX thread per share on every call and join it; at about
 * 1 ms a sample (NB201) that made 2 threads only 1.22x faster than one at
 * batch 64. The pool's workers start on the first call that needs them
 * and then wait for the next call's shares. One call runs on the pool at a
 * time: a call made while another one holds it runs all its shares on its
 * own thread. nasc_rt_pool_stop (NAME_release) stops and joins the
 * workers, as a program must before it unloads the network's code (the
 * JIT of `nasc measure` does). Compiled to LLVM IR at build time, so it
 * must stay free of anything but libc and pthreads.
 *
 *===----------------------------------------------------------------------===*/

#include <pthread.h>
#include <stddef.h>

typedef void *(*nasc_task)(void *);

enum { kMaxWorkers = 63 };

/* Held by the call running on the pool. */
static pthread_mutex_t poolLock = PTHREAD_MUTEX_INITIALIZER;
/* Guards everything below. */
static pthread_mutex_t stateLock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER;
static pthread_t threads[kMaxWorkers];
static int workers;
/* Each call is a new generation; worker w (1-based) computes share w of
   it when w < active. */
static unsigned long generation;
static nasc_task task;
static char *arguments;
static long argumentSize;
static int active;
static int pending;
static int stopping;

static void *worker(void *indexPointer) {
  int index = (int)(size_t)indexPointer;
  unsigned long seen = 0;
  pthread_mutex_lock(&stateLock);
  for (;;) {
    while (generation == seen && !stopping)
      pthread_cond_wait(&wake, &stateLock);
    if (stopping)
      break;
    seen = generation;
    if (index >= active)
      continue;
    nasc_task run = task;
    void *argument = arguments + (size_t)index * (size_t)argumentSize;
    pthread_mutex_unlock(&stateLock);
    run(argument);
    pthread_mutex_lock(&stateLock);
    if (--pending == 0)
      pthread_cond_signal(&finished);
  }
  pthread_mutex_unlock(&stateLock);
  return NULL;
}

/* Runs task(arguments + k * size) for k in [0, shares): share 0 on the
   caller, the others on the pool's workers (or on the caller where there
   is none), and returns when all are done. */
void nasc_rt_parallel(nasc_task run, void *argumentsPointer, long size,
                      long shares) {
  char *base = argumentsPointer;
  if (shares <= 1 || pthread_mutex_trylock(&poolLock) != 0) {
    for (long k = 0; k < shares; ++k)
      run(base + (size_t)k * (size_t)size);
    return;
  }
  pthread_mutex_lock(&stateLock);
  while (workers < shares - 1 && workers < kMaxWorkers &&
         pthread_create(&threads[workers], NULL, worker,
                        (void *)(size_t)(workers + 1)) == 0)
    ++workers;
  int pooled = shares - 1 < workers ? (int)(shares - 1) : workers;
  task = run;
  arguments = base;
  argumentSize = size;
  active = pooled + 1;
  pending = pooled;
  ++generation;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&stateLock);
  run(base);
  for (long k = pooled + 1; k < shares; ++k)
    run(base + (size_t)k * (size_t)size);
  pthread_mutex_lock(&stateLock);
  while (pending)
    pthread_cond_wait(&finished, &stateLock);
  pthread_mutex_unlock(&stateLock);
  pthread_mutex_unlock(&poolLock);
}

/* Stops and joins the workers; a later call starts new ones. */
void nasc_rt_pool_stop(void) {
  pthread_mutex_lock(&poolLock);
  pthread_mutex_lock(&stateLock);
  stopping = 1;
  pthread_cond_broadcast(&wake);
  int count = workers;
  pthread_mutex_unlock(&stateLock);
  for (int w = 0; w < count; ++w)
    pthread_join(threads[w], NULL);
  pthread_mutex_lock(&stateLock);
  workers = 0;
  stopping = 0;
  pthread_mutex_unlock(&stateLock);
  pthread_mutex_unlock(&poolLock);
}
