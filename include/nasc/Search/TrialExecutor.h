//===- TrialExecutor.h - Where a batch of trials is evaluated ---*- C++ -*-===//
//
// The search loop hands each batch's evaluations to an executor: the calling
// thread, a pool of threads (--jobs), or the other ranks of an MPI job
// (docs/distributed.md). What crosses that boundary is plain data, a
// TrialRequest in and a TrialOutcome out, so that a process that rebuilt the
// search's evaluators from the same command line evaluates a trial exactly
// as the calling process would: every executor runs the one TrialWorker of
// the search (lib/Search/Search.cpp). Outcomes land in the batch in proposal
// order whatever the executor, so results never depend on it.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_TRIALEXECUTOR_H
#define NASC_SEARCH_TRIALEXECUTOR_H

#include "nasc/Search/TrialStore.h"
#include "nasc/Space/Space.h"
#include "nasc/Support/Cancellation.h"
#include "nasc/Support/Collective.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::search {

/// One trial to evaluate: all a process holding the search's evaluators
/// needs to know.
struct TrialRequest {
  /// The candidate's canonical encoding (Space::encode).
  std::string encoding;
  /// The encoding of the evaluated candidate it was varied from, or empty
  /// (hot start).
  std::string parent;
  /// The candidate itself, where the request was made in this process: a
  /// worker here need not decode the encoding. Not serialized.
  const Candidate *candidate = nullptr;

  /// A byte string that deserialize() reads back.
  std::string serialize() const;
  /// Fails on bytes serialize() did not write.
  static llvm::Expected<TrialRequest> deserialize(llvm::StringRef bytes);
};

/// What evaluating a TrialRequest gave.
struct TrialOutcome {
  /// Failed (with `message`), or Ok; Infeasible only when `untrained`.
  TrialStatus status = TrialStatus::Failed;
  /// Why it failed, or which constraint kept it from training.
  std::string message;
  /// In Problem::getMetrics() order.
  std::vector<double> values;
  double seconds = 0;
  /// Not trained: its cheaper metrics broke a constraint.
  bool untrained = false;
  /// Ended before a stop was requested; one that ended after may have been
  /// cut short, and is not kept. False for a request never evaluated.
  bool finished = false;

  std::string serialize() const;
  static llvm::Expected<TrialOutcome> deserialize(llvm::StringRef bytes);
};

/// Evaluates trials with one set of the search's evaluators, one trial at a
/// time.
class TrialWorker {
public:
  virtual ~TrialWorker();
  virtual TrialOutcome evaluate(const TrialRequest &request) = 0;
  /// Evaluator::prepareTogether of each of its evaluators, with `group`.
  virtual void prepareTogether(Collective &group) {}
  /// Whether its trials are evaluated by every process together
  /// (Evaluator::evaluatesTogether), each with evaluateTogether().
  virtual bool evaluatesTogether() const { return false; }
  /// This process's share of evaluating `request` with `group`.
  virtual TrialOutcome evaluateTogether(const TrialRequest &request,
                                        Collective &group) {
    return evaluate(request);
  }
};

/// What one worker did over a search, for the final report.
struct WorkerStats {
  /// "rank 1", "thread 0", ...
  std::string name;
  uint64_t trials = 0;
  /// Evaluating (as the worker measured it); the rest of `wallSeconds` it
  /// was idle: waiting for the coordinator (the strategy, the store) or for
  /// the batch's other trials.
  double busySeconds = 0, wallSeconds = 0;
  /// The mean time a trial spent on the way to the worker and back, that
  /// is its round trip less its evaluation.
  double dispatchSeconds = 0;
};

/// The requests submitted and not yet started, first in first out, and how
/// many of each ticket are not done. Not thread-safe; every executor keeps
/// its requests in one (the MPI plugin too: it is header-only).
class RequestQueue {
public:
  struct Job {
    size_t ticket;
    const TrialRequest *request;
    TrialOutcome *outcome;
    const CancellationToken *cancel;
  };

  size_t add(llvm::ArrayRef<TrialRequest> requests,
             llvm::MutableArrayRef<TrialOutcome> outcomes,
             const CancellationToken *cancel) {
    size_t ticket = tickets.size();
    tickets.push_back(requests.size());
    for (size_t i = 0; i < requests.size(); ++i)
      jobs.push_back({ticket, &requests[i], &outcomes[i], cancel});
    return ticket;
  }
  /// The next job to start, or none; jobs submitted with a cancelled token
  /// are done without starting.
  std::optional<Job> take() {
    while (!jobs.empty()) {
      Job job = jobs.front();
      jobs.pop_front();
      if (!isCancelled(job.cancel))
        return job;
      done(job);
    }
    return std::nullopt;
  }
  void done(const Job &job) { --tickets[job.ticket]; }
  /// Every waiting job submitted with a cancelled token is done.
  void dropCancelled() {
    llvm::erase_if(jobs, [&](const Job &job) {
      if (!isCancelled(job.cancel))
        return false;
      done(job);
      return true;
    });
  }
  bool isDone(size_t ticket) const { return tickets[ticket] == 0; }

private:
  std::deque<Job> jobs;
  /// Per ticket, its jobs not done.
  std::vector<size_t> tickets;
};

class TrialExecutor {
public:
  virtual ~TrialExecutor();
  /// Queues every request for evaluation, outcomes[i] for requests[i],
  /// after those submitted before (first in, first started), and returns
  /// a ticket for wait(). Both arrays must live until then. Once `cancel`
  /// is cancelled no further request is started (their outcomes stay
  /// unfinished).
  virtual size_t submit(llvm::ArrayRef<TrialRequest> requests,
                        llvm::MutableArrayRef<TrialOutcome> outcomes,
                        const CancellationToken *cancel) = 0;
  /// Returns when every request of `ticket` is done or will never start.
  /// Requests submitted after it may be evaluating meanwhile (and are
  /// evaluated only within wait() where the executor has no threads).
  virtual void wait(size_t ticket) = 0;
  /// Evaluates every request and returns when all are done.
  void run(llvm::ArrayRef<TrialRequest> requests,
           llvm::MutableArrayRef<TrialOutcome> outcomes,
           const CancellationToken *cancel) {
    wait(submit(requests, outcomes, cancel));
  }
  /// Per-worker figures since the executor was made; empty where they say
  /// nothing (in-process executors).
  virtual std::vector<WorkerStats> getStats() const { return {}; }
  /// Before the first trial: every process's worker prepares together
  /// (TrialWorker::prepareTogether), `local` being this process's; where
  /// `local` evaluates together, every trial from then on is evaluated by
  /// all processes, one at a time. Nothing in one process, where
  /// evaluators prepare on their first trial.
  virtual void prepareTogether(TrialWorker &local) {}
};

/// The calling thread for one worker, else a pool of one thread per worker,
/// each taking the next request as it finishes one.
std::unique_ptr<TrialExecutor>
createTrialExecutor(std::vector<std::unique_ptr<TrialWorker>> workers);

/// The processes of one search (the ranks of an MPI job): the coordinator
/// (rank 0) runs the search and sends trials to the others, which only
/// evaluate them.
class TrialCluster {
public:
  virtual ~TrialCluster();
  virtual unsigned getRank() const = 0;
  virtual unsigned getSize() const = 0;
  bool isCoordinator() const { return getRank() == 0; }
  /// The coordinator's executor over the other processes.
  virtual std::unique_ptr<TrialExecutor> createExecutor() = 0;
  /// The other processes: evaluates what the coordinator sends with
  /// `worker` until it finishes. A process that could not set up its
  /// evaluators passes none and `setupError`: it waits all the same, and
  /// ends the job with that error only if a trial comes (the coordinator,
  /// set up alike, most likely failed too and just finishes).
  virtual llvm::Error serve(TrialWorker *worker,
                            llvm::StringRef setupError) = 0;
};

} // namespace nasc::search

#endif // NASC_SEARCH_TRIALEXECUTOR_H
