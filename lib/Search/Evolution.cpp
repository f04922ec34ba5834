//===- Evolution.cpp - Regularized (aging) evolution ----------------------===//
//
// Real et al., "Regularized Evolution for Image Classifier Architecture
// Search" (AAAI 2019): a population of the most recent `population`
// candidates; each child mutates the best of `sample_size` members drawn at
// random (crossed over first with the runner-up with probability
// `crossover_rate`), and the oldest member dies. A batch breeds `batch`
// children (population / 8 by default) from the same population before
// they join it. With several
// objectives the tournament is won by a member of the sample's first
// constrained non-dominated front.
//
// The search overlaps batches (Strategy::overlapsBatches): a batch is bred
// while the one before it is evaluated, from the population as the
// outcomes told so far left it, the asynchronous evolution of Real et al.
// made deterministic: the same children for any number of evaluators.
//
//===----------------------------------------------------------------------===//

#include "Strategies.h"

#include "llvm/ADT/StringSet.h"

#include <deque>

using namespace nasc;
using namespace nasc::search;

namespace {

class RegularizedEvolution : public Strategy {
public:
  RegularizedEvolution(const Space &space, const StrategyOptions &options)
      : space(space), options(options), random(options.seed) {}

  bool overlapsBatches() const override { return true; }

  size_t getBatchSize() const override {
    // The first generation at once (less what is proposed and not told),
    // then a few children per step, bred once some outcome is in.
    size_t filled = population.size() + untold;
    if (filled < size_t(options.population))
      return size_t(options.population) - filled;
    if (population.empty())
      return 0;
    return size_t(options.getBatch());
  }

  std::vector<Candidate> ask(size_t count) override {
    std::vector<Candidate> batch;
    parentOf.clear();
    size_t filled = population.size() + untold;
    untold += count;
    for (size_t i = 0; i < count; ++i) {
      // With no member to breed from, a child is drawn afresh.
      bool initial =
          filled + i < size_t(options.population) || population.empty();
      // A child already proposed is varied again (a few times at most): the
      // budget goes to new candidates.
      Candidate parent;
      auto sample = [&] { return space.sample(random); };
      auto breed = [&] {
        auto [first, second] = tournament();
        parent = population[first].candidate;
        Candidate child = population[first].candidate;
        if (random.next() < getThreshold(options.crossoverRate))
          child = space.crossover(child, population[second].candidate, random);
        return space.mutate(child, random, options.mutationRate);
      };
      auto mutate = [&](const Candidate &child) {
        return space.mutate(child, random, options.mutationRate);
      };
      Candidate child =
          initial ? novelty.propose(sample, [&](const Candidate &) {
            return sample();
          })
                  : novelty.propose(breed, mutate);
      batch.push_back(std::move(child));
      parentOf.push_back(std::move(parent));
    }
    return batch;
  }

  llvm::ArrayRef<Candidate> getParents() const override { return parentOf; }

  void tell(llvm::ArrayRef<Candidate> candidates,
            llvm::ArrayRef<Feedback> feedback) override {
    untold -= std::min(untold, candidates.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      population.push_back({candidates[i], feedback[i]});
      if (population.size() > size_t(options.population))
        population.pop_front(); // the oldest dies
    }
  }

private:
  /// The parent of each candidate of the last ask().
  std::vector<Candidate> parentOf;
  struct Member {
    Candidate candidate;
    Feedback feedback;
  };

  /// The best and second best of a random sample of the population.
  std::pair<size_t, size_t> tournament() {
    size_t n = population.size();
    size_t k = std::max<size_t>(
        1, std::min<size_t>(n, size_t(options.sampleSize)));
    std::vector<size_t> sample;
    for (size_t i = 0; i < k; ++i)
      sample.push_back(size_t(random.below(uint64_t(n))));
    std::vector<Feedback> feedback;
    for (size_t index : sample)
      feedback.push_back(population[index].feedback);
    std::vector<size_t> order = rankByFronts(feedback, options.multiObjective);
    size_t first = sample[order[0]];
    size_t second = sample[order.size() > 1 ? order[1] : order[0]];
    return {first, second};
  }

  const Space &space;
  StrategyOptions options;
  Random random;
  std::deque<Member> population;
  /// Candidates proposed whose outcomes are not told yet.
  size_t untold = 0;
  NoveltyFilter novelty{space};
};

} // namespace

std::unique_ptr<Strategy>
search::createRegularizedEvolution(const Space &space,
                                   const StrategyOptions &options) {
  return std::make_unique<RegularizedEvolution>(space, options);
}
