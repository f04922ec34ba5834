//===- MPIExecutor.cpp - The ranks of an MPI job evaluate trials ----------===//
//
// libNASCSearchMPI.so, opened by nasc under mpirun (MPITrialCluster.cpp).
// Rank 0 sends a serialized TrialRequest to each free rank and takes back a
// TrialOutcome; a rank gets its next trial as soon as its last outcome is
// in. Every message is point to point with rank 0, so ranks never wait for
// one another. A rank that dies ends the job (OpenMPI's default); what rank
// 0 committed until then is in the store, and --resume continues.
//
//===----------------------------------------------------------------------===//

#include "nasc/Search/MPITrialCluster.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <thread>

using namespace nasc;
using namespace nasc::search;

using Clock = std::chrono::steady_clock;

namespace {

/// Rank 0 sends trials and, at the end, Finish; the others say Ready once
/// they have set up their evaluators, then send outcomes.
/// Before the first trial, rank 0 sends Prepare: every rank then prepares
/// together (a supernet trains data-parallel over MPI_COMM_WORLD). Trials
/// that all ranks evaluate together come as Together, to every rank.
enum Tag : int {
  TrialTag = 1,
  OutcomeTag = 2,
  FinishTag = 3,
  ReadyTag = 4,
  PrepareTag = 5,
  /// A trial every rank evaluates together (TrialWorker::evaluatesTogether).
  TogetherTag = 6
};

/// Polls `isDone` until it holds. MPI's blocking calls spin at full speed,
/// which on an oversubscribed node (more ranks than cores) takes the core
/// from the ranks that evaluate, and keeps an idle rank busy for the
/// length of a training run: this spins, yielding, for a millisecond (a
/// quick evaluation answers within it), then sleeps between polls for a
/// hundredth of the time waited so far (0.1 to 1 ms), so that waiting adds
/// at most 1% to the wait, and a rank waiting long wakes up only a
/// thousand times a second.
template <typename IsDone> void pollUntil(IsDone isDone) {
  using namespace std::chrono;
  Clock::time_point start = Clock::now();
  while (!isDone()) {
    auto waited = duration_cast<microseconds>(Clock::now() - start);
    if (waited < milliseconds(1))
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::clamp<microseconds>(
          waited / 100, microseconds(100), milliseconds(1)));
  }
}

/// Waits for a message from `source` with `tag`.
MPI_Status waitFor(int source, int tag) {
  MPI_Status status;
  pollUntil([&] {
    int arrived = 0;
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, &status);
    return arrived != 0;
  });
  return status;
}

/// Waits for `request`: a rank that is ahead in a collective must not take
/// the core from one still computing its shard.
void waitFor(MPI_Request &request) {
  pollUntil([&] {
    int done = 0;
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    return done != 0;
  });
}

/// Every rank of the job. A sum is reduced onto rank 0 and broadcast from
/// it, not all-reduced: MPI_Allreduce's algorithms may add in a different
/// order on different ranks, and the ranks' supernets must stay the same
/// bit for bit, or a trial's result would depend on the rank it ran on.
class WorldCollective : public Collective {
public:
  WorldCollective(int rank, int size) : rank(rank), size(size) {}
  unsigned getRank() const override { return unsigned(rank); }
  unsigned getSize() const override { return unsigned(size); }
  void allReduceSum(float *data, size_t count) override {
    constexpr size_t kChunk = size_t(1) << 30;
    for (size_t begin = 0; begin < count; begin += kChunk) {
      int n = int(std::min(kChunk, count - begin));
      float *part = data + begin;
      MPI_Request request;
      MPI_Ireduce(rank == 0 ? MPI_IN_PLACE : part, part, n, MPI_FLOAT,
                  MPI_SUM, 0, MPI_COMM_WORLD, &request);
      waitFor(request);
      MPI_Ibcast(part, n, MPI_FLOAT, 0, MPI_COMM_WORLD, &request);
      waitFor(request);
    }
  }

private:
  int rank, size;
};

/// Receives the message `status` announced.
std::string receive(const MPI_Status &status) {
  int size = 0;
  MPI_Get_count(&status, MPI_BYTE, &size);
  std::string bytes(size_t(size), '\0');
  MPI_Status received;
  MPI_Recv(bytes.data(), size, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG,
           MPI_COMM_WORLD, &received);
  return bytes;
}

void send(const std::string &bytes, int rank, int tag) {
  MPI_Send(bytes.data(), int(bytes.size()), MPI_BYTE, rank, tag,
           MPI_COMM_WORLD);
}

double secondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

/// A trial sent to a rank, and when.
struct Sent {
  RequestQueue::Job job;
  Clock::time_point at;
};

/// Rank 0's executor: ranks 1..size-1 are its workers.
class MPIExecutor : public TrialExecutor {
public:
  explicit MPIExecutor(int size)
      : size(size), created(Clock::now()), stats(size_t(size)),
        roundTrips(size_t(size)), ready(size_t(size)),
        lastAnswer(size_t(size)), sent(size_t(size)) {
    for (int rank = 1; rank < size; ++rank)
      stats[rank].name = "rank " + std::to_string(rank);
  }

  size_t submit(llvm::ArrayRef<TrialRequest> requests,
                llvm::MutableArrayRef<TrialOutcome> outcomes,
                const CancellationToken *cancel) override {
    size_t ticket = queue.add(requests, outcomes, cancel);
    // Free ranks start at once.
    if (!together)
      for (int rank = 1; rank < size; ++rank)
        if (ready[rank])
          dispatch(rank);
    return ticket;
  }

  void wait(size_t ticket) override {
    if (together)
      return waitTogether(ticket);
    // With trials left and none under way, no rank is ready yet: wait for
    // one (a rank still loading its data or LibTorch). Ranks free up for
    // later tickets too, which go on meanwhile.
    queue.dropCancelled();
    while (!queue.isDone(ticket)) {
      MPI_Status status = waitFor(MPI_ANY_SOURCE, MPI_ANY_TAG);
      std::string bytes = receive(status);
      Clock::time_point now = Clock::now();
      int rank = status.MPI_SOURCE;
      if (status.MPI_TAG == ReadyTag) {
        ready[rank] = true;
        lastAnswer[rank] = now;
        dispatch(rank);
        continue;
      }
      Sent trial = sent[rank].front();
      sent[rank].pop_front();
      TrialOutcome &outcome = *trial.job.outcome;
      if (llvm::Expected<TrialOutcome> read =
              TrialOutcome::deserialize(bytes)) {
        outcome = std::move(*read);
      } else {
        outcome.message =
            stats[rank].name + ": " + llvm::toString(read.takeError());
        outcome.finished = true;
      }
      queue.done(trial.job);
      WorkerStats &rankStats = stats[rank];
      ++rankStats.trials;
      rankStats.busySeconds += outcome.seconds;
      // The round trip from when the rank could start it: a trial that
      // waited at the rank behind another counts from that one's answer.
      roundTrips[rank] +=
          secondsBetween(std::max(trial.at, lastAnswer[rank]), now);
      lastAnswer[rank] = now;
      // The next trial at once: no rank waits for the batch's others.
      dispatch(rank);
      queue.dropCancelled();
    }
  }

  void prepareTogether(TrialWorker &local) override {
    for (int rank = 1; rank < size; ++rank)
      send("", rank, PrepareTag);
    WorldCollective world(0, size);
    local.prepareTogether(world);
    if (local.evaluatesTogether()) {
      together = true;
      this->local = &local;
    }
  }

  std::vector<WorkerStats> getStats() const override {
    double wall = secondsBetween(created, Clock::now());
    std::vector<WorkerStats> result;
    for (int rank = 1; rank < size; ++rank) {
      WorkerStats rankStats = stats[rank];
      rankStats.wallSeconds = wall;
      if (rankStats.trials)
        rankStats.dispatchSeconds =
            std::max(0.0, roundTrips[rank] - rankStats.busySeconds) /
            double(rankStats.trials);
      result.push_back(std::move(rankStats));
    }
    return result;
  }

private:
  /// Every rank evaluates each trial with rank 0, one at a time, in order;
  /// rank 0's outcome is the trial's (the others', equal, only say that
  /// they are done).
  void waitTogether(size_t ticket) {
    WorldCollective world(0, size);
    while (!queue.isDone(ticket)) {
      std::optional<RequestQueue::Job> job = queue.take();
      if (!job)
        return;
      queue.done(*job);
      std::string bytes = job->request->serialize();
      Clock::time_point at = Clock::now();
      for (int rank = 1; rank < size; ++rank)
        send(bytes, rank, TogetherTag);
      *job->outcome = local->evaluateTogether(*job->request, world);
      for (int rank = 1; rank < size; ++rank) {
        std::string answer = receive(waitFor(rank, OutcomeTag));
        Clock::time_point now = Clock::now();
        WorkerStats &rankStats = stats[rank];
        ++rankStats.trials;
        if (llvm::Expected<TrialOutcome> read =
                TrialOutcome::deserialize(answer))
          rankStats.busySeconds += read->seconds;
        else
          llvm::consumeError(read.takeError());
        roundTrips[rank] += secondsBetween(at, now);
      }
    }
  }

  /// Fills `rank`'s queue. Quick trials (under a millisecond on average)
  /// keep a second one waiting at the rank, so that it never idles for a
  /// round trip; slower ones go one at a time, so that no trial waits
  /// behind another while some rank is free.
  void dispatch(int rank) {
    const WorkerStats &rankStats = stats[rank];
    bool quick = rankStats.trials &&
                 rankStats.busySeconds < 1e-3 * double(rankStats.trials);
    size_t depth = quick ? 2 : 1;
    while (sent[rank].size() < depth) {
      std::optional<RequestQueue::Job> job = queue.take();
      if (!job)
        return;
      sent[rank].push_back({*job, Clock::now()});
      send(job->request->serialize(), rank, TrialTag);
    }
  }

  int size;
  Clock::time_point created;
  std::vector<WorkerStats> stats;
  /// Per rank: the sum of its trials' round trips.
  std::vector<double> roundTrips;
  /// Per rank: whether it said it is ready, and when it last answered.
  std::vector<char> ready;
  std::vector<Clock::time_point> lastAnswer;
  /// Per rank, the trials sent to it, oldest first: a rank answers in
  /// order.
  std::vector<std::deque<Sent>> sent;
  /// The requests not sent yet, and which tickets are done.
  RequestQueue queue;
  /// Trials are evaluated by every rank together, with `local`.
  bool together = false;
  TrialWorker *local = nullptr;
};

class MPITrialCluster : public TrialCluster {
public:
  MPITrialCluster(int rank, int size) : rank(rank), size(size) {}

  ~MPITrialCluster() override {
    // The other ranks wait in serve() until told.
    if (isCoordinator())
      for (int other = 1; other < size; ++other)
        send("", other, FinishTag);
    MPI_Finalize();
  }

  unsigned getRank() const override { return unsigned(rank); }
  unsigned getSize() const override { return unsigned(size); }

  std::unique_ptr<TrialExecutor> createExecutor() override {
    return std::make_unique<MPIExecutor>(size);
  }

  llvm::Error serve(TrialWorker *worker, llvm::StringRef setupError) override {
    // Also without evaluators: the first trial then ends the job with the
    // reason, unless rank 0 (most likely failing alike) finishes first.
    send("", 0, ReadyTag);
    for (;;) {
      MPI_Status status = waitFor(0, MPI_ANY_TAG);
      std::string bytes = receive(status);
      int tag = status.MPI_TAG;
      if (tag == FinishTag)
        return llvm::Error::success();
      // Rank 0 would wait for this rank for ever: end the job.
      auto abort = [&](const std::string &why) {
        llvm::errs() << "nasc search: rank " << rank << ": error: " << why
                     << "\n";
        llvm::errs().flush();
        MPI_Abort(MPI_COMM_WORLD, 1);
      };
      if (!worker) {
        abort("cannot evaluate trials: " + setupError.str());
        continue;
      }
      WorldCollective world(rank, size);
      if (tag == PrepareTag) {
        worker->prepareTogether(world);
        continue;
      }
      llvm::Expected<TrialRequest> request = TrialRequest::deserialize(bytes);
      if (!request) {
        abort(llvm::toString(request.takeError()));
        continue;
      }
      TrialOutcome outcome = tag == TogetherTag
                                 ? worker->evaluateTogether(*request, world)
                                 : worker->evaluate(*request);
      send(outcome.serialize(), 0, OutcomeTag);
    }
  }

private:
  int rank, size;
};

} // namespace

/// The plugin's entry point (MPITrialCluster.cpp): joins the job, or null
/// with `error`.
extern "C" TrialCluster *nascCreateMPITrialCluster(std::string *error) {
  int provided = 0;
  // Evaluators may run threads of their own (LibTorch); only this one
  // calls MPI.
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) !=
      MPI_SUCCESS) {
    *error = "MPI_Init failed";
    return nullptr;
  }
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return new MPITrialCluster(rank, size);
}
