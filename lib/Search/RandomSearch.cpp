//===- RandomSearch.cpp - Random and grid search --------------------------===//

#include "Strategies.h"

using namespace nasc;
using namespace nasc::search;

namespace {

/// Candidates drawn uniformly from the whole space (Space::sample).
class RandomSearch : public Strategy {
public:
  RandomSearch(const Space &space, uint64_t seed)
      : space(space), random(seed) {}
  size_t getBatchSize() const override { return 64; }
  bool overlapsBatches() const override { return true; }
  bool readsOutcomes() const override { return false; }
  std::vector<Candidate> ask(size_t count) override {
    std::vector<Candidate> batch;
    for (size_t i = 0; i < count; ++i)
      batch.push_back(space.sample(random));
    return batch;
  }
  void tell(llvm::ArrayRef<Candidate>, llvm::ArrayRef<Feedback>) override {}

private:
  const Space &space;
  Random random;
};

/// Every candidate in enumeration order, then from the start again.
class GridSearch : public Strategy {
public:
  explicit GridSearch(const Space &space) : space(space) {}
  size_t getBatchSize() const override { return 64; }
  bool overlapsBatches() const override { return true; }
  bool readsOutcomes() const override { return false; }
  std::vector<Candidate> ask(size_t count) override {
    std::vector<Candidate> batch;
    for (size_t i = 0; i < count; ++i) {
      batch.push_back(space.unrank(next));
      next += 1;
      if (next >= space.size())
        next = llvm::DynamicAPInt(0);
    }
    return batch;
  }
  void tell(llvm::ArrayRef<Candidate>, llvm::ArrayRef<Feedback>) override {}

private:
  const Space &space;
  llvm::DynamicAPInt next{0};
};

} // namespace

std::unique_ptr<Strategy>
search::createRandomSearch(const Space &space, const StrategyOptions &options) {
  return std::make_unique<RandomSearch>(space, options.seed);
}

std::unique_ptr<Strategy> search::createGridSearch(const Space &space) {
  return std::make_unique<GridSearch>(space);
}
