//===- Strategies.h - The built-in strategies (private) ---------*- C++ -*-===//

#ifndef NASC_LIB_SEARCH_STRATEGIES_H
#define NASC_LIB_SEARCH_STRATEGIES_H

#include "nasc/Search/Strategy.h"

namespace nasc::search {

std::unique_ptr<Strategy> createRandomSearch(const Space &space,
                                             const StrategyOptions &options);
std::unique_ptr<Strategy> createGridSearch(const Space &space);
std::unique_ptr<Strategy>
createRegularizedEvolution(const Space &space, const StrategyOptions &options);
std::unique_ptr<Strategy> createNSGA2(const Space &space,
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

} // namespace nasc::search

#endif // NASC_LIB_SEARCH_STRATEGIES_H
