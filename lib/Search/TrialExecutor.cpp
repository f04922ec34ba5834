//===- TrialExecutor.cpp - Where a batch of trials is evaluated -----------===//

#include "nasc/Search/TrialExecutor.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <atomic>
#include <cstring>

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

/// Every request on the calling thread, in order.
class SerialExecutor : public TrialExecutor {
public:
  explicit SerialExecutor(std::unique_ptr<TrialWorker> worker)
      : worker(std::move(worker)) {}
  void run(llvm::ArrayRef<TrialRequest> requests,
           llvm::MutableArrayRef<TrialOutcome> outcomes,
           const CancellationToken *cancel) override {
    for (size_t i = 0; i < requests.size() && !isCancelled(cancel); ++i)
      outcomes[i] = worker->evaluate(requests[i]);
  }

private:
  std::unique_ptr<TrialWorker> worker;
};

/// A thread per worker, each taking the next request as it finishes one.
class ThreadPoolExecutor : public TrialExecutor {
public:
  explicit ThreadPoolExecutor(std::vector<std::unique_ptr<TrialWorker>> workers)
      : workers(std::move(workers)),
        pool(llvm::hardware_concurrency(this->workers.size())) {}
  void run(llvm::ArrayRef<TrialRequest> requests,
           llvm::MutableArrayRef<TrialOutcome> outcomes,
           const CancellationToken *cancel) override {
    size_t count = requests.size();
    // One request needs no thread.
    if (count <= 1) {
      for (size_t i = 0; i < count && !isCancelled(cancel); ++i)
        outcomes[i] = workers[0]->evaluate(requests[i]);
      return;
    }
    std::atomic<size_t> next{0};
    for (std::unique_ptr<TrialWorker> &worker : workers)
      pool.async([&, w = worker.get()] {
        for (size_t k = next++; k < count && !isCancelled(cancel); k = next++)
          outcomes[k] = w->evaluate(requests[k]);
      });
    pool.wait();
  }

private:
  std::vector<std::unique_ptr<TrialWorker>> workers;
  llvm::DefaultThreadPool pool;
};

} // namespace

std::unique_ptr<TrialExecutor>
search::createTrialExecutor(std::vector<std::unique_ptr<TrialWorker>> workers) {
  if (workers.size() == 1)
    return std::make_unique<SerialExecutor>(std::move(workers[0]));
  return std::make_unique<ThreadPoolExecutor>(std::move(workers));
}
