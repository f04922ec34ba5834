//===- TrialExecutor.h - Where a batch of trials is evaluated ---*- C++ -*-===//
//
// The search loop hands each batch's evaluations to an executor: the calling
// thread, or a pool of threads each with evaluators of its own (--jobs).
// An executor over several processes (MPI ranks, issue 19) implements the
// same interface; the loop does not change. Results land in the batch in
// proposal order whatever the executor, so they never depend on it.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_TRIALEXECUTOR_H
#define NASC_SEARCH_TRIALEXECUTOR_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstddef>
#include <memory>

namespace nasc::search {

class TrialExecutor {
public:
  virtual ~TrialExecutor();
  /// How many evaluations may run at once; the loop keeps one set of
  /// evaluators per worker.
  virtual unsigned getNumWorkers() const = 0;
  /// Runs task(i, worker) for every i in [0, count), each once, with
  /// worker < getNumWorkers() and no worker running two tasks at once;
  /// returns when all have run.
  virtual void
  run(size_t count,
      llvm::function_ref<void(size_t index, unsigned worker)> task) = 0;
};

/// The calling thread for `jobs` <= 1, else a pool of `jobs` threads.
std::unique_ptr<TrialExecutor> createTrialExecutor(unsigned jobs);

} // namespace nasc::search

#endif // NASC_SEARCH_TRIALEXECUTOR_H
