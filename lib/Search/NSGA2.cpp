//===- NSGA2.cpp - NSGA-II -------------------------------------------------===//
//
// Deb et al., "A Fast and Elitist Multiobjective Genetic Algorithm:
// NSGA-II" (2002), with Deb's constrained domination: a first generation of
// `population` random candidates; each next generation's offspring come
// from binary tournaments on (front, crowding distance), crossover with
// probability `crossover_rate` and mutation; parents and offspring together
// are cut back to `population` by fronts, the last front by crowding
// distance.
//
//===----------------------------------------------------------------------===//

#include "Strategies.h"

#include "nasc/Search/Pareto.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <numeric>

using namespace nasc;
using namespace nasc::search;

std::vector<size_t> search::rankByFronts(llvm::ArrayRef<Feedback> feedback,
                                         bool multiObjective,
                                         std::vector<size_t> *rank,
                                         std::vector<double> *crowding) {
  size_t n = feedback.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (rank)
    rank->assign(n, 0);
  if (crowding)
    crowding->assign(n, 0.0);
  if (!multiObjective) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return isBetter(feedback[a], feedback[b]);
    });
    if (rank)
      for (size_t i = 0; i < n; ++i)
        (*rank)[order[i]] = i;
    return order;
  }

  // Constrained non-dominated sorting.
  std::vector<std::vector<size_t>> dominated(n);
  std::vector<size_t> dominators(n, 0);
  for (size_t p = 0; p < n; ++p)
    for (size_t q = p + 1; q < n; ++q) {
      if (constrainedDominates(feedback[p], feedback[q])) {
        dominated[p].push_back(q);
        ++dominators[q];
      } else if (constrainedDominates(feedback[q], feedback[p])) {
        dominated[q].push_back(p);
        ++dominators[p];
      }
    }
  std::vector<size_t> front;
  for (size_t p = 0; p < n; ++p)
    if (dominators[p] == 0)
      front.push_back(p);
  std::vector<size_t> result;
  for (size_t level = 0; !front.empty(); ++level) {
    // Within the front: larger crowding distance first.
    std::vector<double> distance(front.size(), 0.0);
    if (feedback[front[0]].feasible) {
      std::vector<Point> points;
      for (size_t p : front)
        points.push_back(feedback[p].objectives);
      std::vector<size_t> all(front.size());
      std::iota(all.begin(), all.end(), 0);
      distance = crowdingDistances(points, all);
    }
    std::vector<size_t> within(front.size());
    std::iota(within.begin(), within.end(), 0);
    std::stable_sort(within.begin(), within.end(), [&](size_t a, size_t b) {
      return distance[a] > distance[b];
    });
    for (size_t i : within) {
      result.push_back(front[i]);
      if (rank)
        (*rank)[front[i]] = level;
      if (crowding)
        (*crowding)[front[i]] = distance[i];
    }
    std::vector<size_t> next;
    for (size_t p : front)
      for (size_t q : dominated[p])
        if (--dominators[q] == 0)
          next.push_back(q);
    llvm::sort(next);
    front = std::move(next);
  }
  return result;
}

namespace {

class NSGA2 : public Strategy {
public:
  NSGA2(const Space &space, const StrategyOptions &options)
      : space(space), options(options), random(options.seed) {}

  size_t getBatchSize() const override {
    return size_t(std::max<int64_t>(2, options.population));
  }

  std::vector<Candidate> ask(size_t count) override {
    std::vector<Candidate> batch;
    parentOf.clear();
    while (batch.size() < count) {
      // A child already proposed is varied again (a few times at most): the
      // budget goes to new candidates.
      Candidate parent;
      auto sample = [&] { return space.sample(random); };
      auto breed = [&] {
        const Candidate &a = parents[select()].candidate;
        parent = a;
        const Candidate &b = parents[select()].candidate;
        Candidate child = random.next() < getThreshold(options.crossoverRate)
                              ? space.crossover(a, b, random)
                              : a;
        return space.mutate(child, random, options.mutationRate);
      };
      auto mutate = [&](const Candidate &child) {
        return space.mutate(child, random, options.mutationRate);
      };
      Candidate child =
          parents.empty()
              ? novelty.propose(sample,
                                [&](const Candidate &) { return sample(); })
              : novelty.propose(breed, mutate);
      batch.push_back(std::move(child));
      parentOf.push_back(std::move(parent));
    }
    return batch;
  }

  llvm::ArrayRef<Candidate> getParents() const override { return parentOf; }

  void tell(llvm::ArrayRef<Candidate> candidates,
            llvm::ArrayRef<Feedback> feedback) override {
    for (size_t i = 0; i < candidates.size(); ++i)
      parents.push_back({candidates[i], feedback[i]});
    // Environmental selection: the best `population` by fronts and
    // crowding.
    std::vector<Feedback> all;
    for (const Member &member : parents)
      all.push_back(member.feedback);
    std::vector<size_t> order =
        rankByFronts(all, options.multiObjective, &rank, &crowding);
    size_t keep = std::min(order.size(), size_t(options.population));
    std::vector<Member> survivors;
    std::vector<size_t> survivorRank;
    std::vector<double> survivorCrowding;
    for (size_t i = 0; i < keep; ++i) {
      survivors.push_back(std::move(parents[order[i]]));
      survivorRank.push_back(rank[order[i]]);
      survivorCrowding.push_back(crowding[order[i]]);
    }
    parents = std::move(survivors);
    rank = std::move(survivorRank);
    crowding = std::move(survivorCrowding);
  }

private:
  struct Member {
    Candidate candidate;
    Feedback feedback;
  };

  /// Binary tournament on (front, crowding distance).
  size_t select() {
    size_t a = size_t(random.below(uint64_t(parents.size())));
    size_t b = size_t(random.below(uint64_t(parents.size())));
    if (rank[a] != rank[b])
      return rank[a] < rank[b] ? a : b;
    if (crowding[a] != crowding[b])
      return crowding[a] > crowding[b] ? a : b;
    return std::min(a, b);
  }

  const Space &space;
  StrategyOptions options;
  Random random;
  std::vector<Member> parents;
  /// The parent of each candidate of the last ask().
  std::vector<Candidate> parentOf;
  std::vector<size_t> rank;
  std::vector<double> crowding;
  NoveltyFilter novelty{space};
};

} // namespace

std::unique_ptr<Strategy> search::createNSGA2(const Space &space,
                                              const StrategyOptions &options) {
  return std::make_unique<NSGA2>(space, options);
}
