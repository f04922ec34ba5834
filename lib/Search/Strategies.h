//===- Strategies.h - The built-in strategies (private) ---------*- C++ -*-===//

#ifndef NASC_LIB_SEARCH_STRATEGIES_H
#define NASC_LIB_SEARCH_STRATEGIES_H

#include "nasc/Search/Strategy.h"

#include "llvm/ADT/StringSet.h"

namespace nasc::search {

std::unique_ptr<Strategy> createRandomSearch(const Space &space,
                                             const StrategyOptions &options);
std::unique_ptr<Strategy> createGridSearch(const Space &space);
std::unique_ptr<Strategy>
createRegularizedEvolution(const Space &space, const StrategyOptions &options);
std::unique_ptr<Strategy> createNSGA2(const Space &space,
                                      const StrategyOptions &options);
/// REINFORCE over a weight-sharing supernet with a differentiable cost
/// term (Reinforce.cpp).
std::unique_ptr<Strategy> createGradient(const Space &space,
                                         const StrategyOptions &options);
std::unique_ptr<Strategy> createReinforce(const Space &space,
                                          const StrategyOptions &options);

/// Indices of `feedback` ranked for selection: by constrained
/// non-dominated fronts, and within a front by decreasing crowding
/// distance (ties by index); single-objective, by isBetter. `rank` and
/// `crowding` receive each one's front and crowding distance.
std::vector<size_t> rankByFronts(llvm::ArrayRef<Feedback> feedback,
                                 bool multiObjective,
                                 std::vector<size_t> *rank = nullptr,
                                 std::vector<double> *crowding = nullptr);

/// The Random::next() threshold of an event of `probability`.
inline uint64_t getThreshold(double probability) {
  if (probability >= 1)
    return UINT64_MAX;
  if (probability <= 0)
    return 0;
  return uint64_t(probability * 18446744073709551616.0);
}

/// Remembers the candidates a strategy proposed, so that a child equal to
/// one of them can be varied again (a few times at most).
class NoveltyFilter {
public:
  explicit NoveltyFilter(const Space &space) : space(space) {}
  /// How many variations to try for one child: once nine tenths of the
  /// space have been proposed, insisting costs more than it brings.
  int getAttempts() const {
    return llvm::DynamicAPInt(int64_t(seen.size()) * 10) >=
                   space.size() * llvm::DynamicAPInt(9)
               ? 1
               : kAttempts;
  }
  /// A new candidate: `first()`, then while it was proposed before (a few
  /// times at most) `again(child)`; remembered.
  Candidate propose(llvm::function_ref<Candidate()> first,
                    llvm::function_ref<Candidate(const Candidate &)> again) {
    Candidate child = first();
    for (int attempt = 1, attempts = getAttempts();
         attempt < attempts && seen.contains(space.encode(child)); ++attempt)
      child = again(child);
    seen.insert(space.encode(child));
    return child;
  }

private:
  static constexpr int kAttempts = 16;
  const Space &space;
  llvm::StringSet<> seen;
};

} // namespace nasc::search

#endif // NASC_LIB_SEARCH_STRATEGIES_H
