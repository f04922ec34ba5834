//===- TrialExecutor.cpp - Where a batch of trials is evaluated -----------===//

#include "nasc/Search/TrialExecutor.h"

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <atomic>

using namespace nasc;
using namespace nasc::search;

TrialExecutor::~TrialExecutor() = default;

namespace {

/// Every task on the calling thread, in order.
class SerialExecutor : public TrialExecutor {
public:
  unsigned getNumWorkers() const override { return 1; }
  void run(size_t count,
           llvm::function_ref<void(size_t, unsigned)> task) override {
    for (size_t i = 0; i < count; ++i)
      task(i, 0);
  }
};

/// `jobs` threads taking the next task as they finish one.
class ThreadPoolExecutor : public TrialExecutor {
public:
  explicit ThreadPoolExecutor(unsigned jobs)
      : jobs(jobs), pool(llvm::hardware_concurrency(jobs)) {}
  unsigned getNumWorkers() const override { return jobs; }
  void run(size_t count,
           llvm::function_ref<void(size_t, unsigned)> task) override {
    // One task needs no thread.
    if (count <= 1) {
      for (size_t i = 0; i < count; ++i)
        task(i, 0);
      return;
    }
    std::atomic<size_t> next{0};
    for (unsigned w = 0; w < jobs; ++w)
      pool.async([&, w] {
        for (size_t k = next++; k < count; k = next++)
          task(k, w);
      });
    pool.wait();
  }

private:
  unsigned jobs;
  llvm::DefaultThreadPool pool;
};

} // namespace

std::unique_ptr<TrialExecutor> search::createTrialExecutor(unsigned jobs) {
  if (jobs <= 1)
    return std::make_unique<SerialExecutor>();
  return std::make_unique<ThreadPoolExecutor>(jobs);
}
