//===- TrialExecutor.cpp - Where a batch of trials is evaluated -----------===//

#include "nasc/Search/TrialExecutor.h"

#include "llvm/Support/Endian.h"

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

using namespace nasc;
using namespace nasc::search;

TrialWorker::~TrialWorker() = default;
TrialExecutor::~TrialExecutor() = default;
TrialCluster::~TrialCluster() = default;

//===----------------------------------------------------------------------===//
// The wire format: fixed-size fields little-endian, strings and arrays after
// their 64-bit length. Both ends are the same nasc build.
//===----------------------------------------------------------------------===//

namespace {
class Writer {
public:
  explicit Writer(std::string &out) : out(out) {}
  void u64(uint64_t value) {
    char bytes[8];
    llvm::support::endian::write64le(bytes, value);
    out.append(bytes, 8);
  }
  void f64(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, 8);
    u64(bits);
  }
  void str(llvm::StringRef text) {
    u64(text.size());
    out.append(text.data(), text.size());
  }

private:
  std::string &out;
};

/// Reads what Writer wrote; once a read runs past the end, every later one
/// gives zeros and ok() is false.
class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : bytes(bytes) {}
  uint64_t u64() {
    if (bytes.size() < 8) {
      good = false;
      return 0;
    }
    uint64_t value = llvm::support::endian::read64le(bytes.data());
    bytes = bytes.drop_front(8);
    return value;
  }
  double f64() {
    uint64_t bits = u64();
    double value;
    std::memcpy(&value, &bits, 8);
    return value;
  }
  std::string str() {
    uint64_t size = u64();
    if (size > bytes.size()) {
      good = false;
      return {};
    }
    std::string text = bytes.take_front(size).str();
    bytes = bytes.drop_front(size);
    return text;
  }
  /// Everything read, and nothing left over.
  bool ok() const { return good && bytes.empty(); }

private:
  llvm::StringRef bytes;
  bool good = true;
};

llvm::Error malformed(llvm::StringRef what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "malformed " + what + " message");
}
} // namespace

std::string TrialRequest::serialize() const {
  std::string bytes;
  Writer out(bytes);
  out.str(encoding);
  out.str(parent);
  return bytes;
}

llvm::Expected<TrialRequest> TrialRequest::deserialize(llvm::StringRef bytes) {
  Reader in(bytes);
  TrialRequest request;
  request.encoding = in.str();
  request.parent = in.str();
  if (!in.ok())
    return malformed("trial request");
  return request;
}

std::string TrialOutcome::serialize() const {
  std::string bytes;
  Writer out(bytes);
  out.u64(uint64_t(status));
  out.u64(untrained);
  out.u64(finished);
  out.f64(seconds);
  out.str(message);
  out.u64(values.size());
  for (double value : values)
    out.f64(value);
  return bytes;
}

llvm::Expected<TrialOutcome> TrialOutcome::deserialize(llvm::StringRef bytes) {
  Reader in(bytes);
  TrialOutcome outcome;
  uint64_t status = in.u64();
  outcome.untrained = in.u64();
  outcome.finished = in.u64();
  outcome.seconds = in.f64();
  outcome.message = in.str();
  uint64_t count = in.u64();
  // Each value takes 8 bytes: a count beyond what is left is corrupt.
  if (count > bytes.size() / 8)
    return malformed("trial outcome");
  for (uint64_t i = 0; i < count; ++i)
    outcome.values.push_back(in.f64());
  if (!in.ok() || status > uint64_t(TrialStatus::Failed))
    return malformed("trial outcome");
  outcome.status = TrialStatus(status);
  return outcome;
}

//===----------------------------------------------------------------------===//
// In-process executors
//===----------------------------------------------------------------------===//

namespace {

/// Every request on the calling thread, in order, within wait().
class SerialExecutor : public TrialExecutor {
public:
  explicit SerialExecutor(std::unique_ptr<TrialWorker> worker)
      : worker(std::move(worker)) {}
  size_t submit(llvm::ArrayRef<TrialRequest> requests,
                llvm::MutableArrayRef<TrialOutcome> outcomes,
                const CancellationToken *cancel) override {
    return queue.add(requests, outcomes, cancel);
  }
  void wait(size_t ticket) override {
    while (!queue.isDone(ticket)) {
      std::optional<RequestQueue::Job> job = queue.take();
      if (!job)
        return;
      *job->outcome = worker->evaluate(*job->request);
      queue.done(*job);
    }
  }

private:
  std::unique_ptr<TrialWorker> worker;
  RequestQueue queue;
};

/// A thread per worker, each taking the next request as it finishes one,
/// across tickets: a worker never waits for another ticket's last trial.
class ThreadPoolExecutor : public TrialExecutor {
public:
  explicit ThreadPoolExecutor(std::vector<std::unique_ptr<TrialWorker>> workers)
      : workers(std::move(workers)) {
    for (std::unique_ptr<TrialWorker> &worker : this->workers)
      threads.emplace_back([this, w = worker.get()] { serve(*w); });
  }
  ~ThreadPoolExecutor() override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      closing = true;
    }
    wake.notify_all();
    for (std::thread &thread : threads)
      thread.join();
  }
  size_t submit(llvm::ArrayRef<TrialRequest> requests,
                llvm::MutableArrayRef<TrialOutcome> outcomes,
                const CancellationToken *cancel) override {
    size_t ticket;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ticket = queue.add(requests, outcomes, cancel);
    }
    wake.notify_all();
    return ticket;
  }
  void wait(size_t ticket) override {
    std::unique_lock<std::mutex> lock(mutex);
    // Each finished job wakes the waiter; cancelled ones waiting are done.
    finished.wait(lock, [&] {
      queue.dropCancelled();
      return queue.isDone(ticket);
    });
  }

private:
  void serve(TrialWorker &worker) {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      std::optional<RequestQueue::Job> job;
      // Closing, no further job starts (the search waits for those it
      // submitted before it lets the executor go).
      wake.wait(lock, [&] { return closing || (job = queue.take()); });
      // take() may have dropped cancelled jobs.
      finished.notify_all();
      if (closing)
        return;
      lock.unlock();
      *job->outcome = worker.evaluate(*job->request);
      lock.lock();
      queue.done(*job);
      finished.notify_all();
    }
  }

  std::vector<std::unique_ptr<TrialWorker>> workers;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable wake, finished;
  RequestQueue queue;
  bool closing = false;
};

} // namespace

std::unique_ptr<TrialExecutor>
search::createTrialExecutor(std::vector<std::unique_ptr<TrialWorker>> workers) {
  if (workers.size() == 1)
    return std::make_unique<SerialExecutor>(std::move(workers[0]));
  return std::make_unique<ThreadPoolExecutor>(std::move(workers));
}
