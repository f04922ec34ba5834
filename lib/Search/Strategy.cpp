//===- Strategy.cpp - Shared ranking rules and the strategy factory -------===//

#include "nasc/Search/Strategy.h"

#include "Strategies.h"
#include "nasc/Search/Pareto.h"

using namespace nasc;
using namespace nasc::search;

Strategy::~Strategy() = default;

bool search::isBetter(const Feedback &a, const Feedback &b) {
  if (a.ok != b.ok)
    return a.ok;
  if (a.feasible != b.feasible)
    return a.feasible;
  if (!a.feasible)
    return a.violation < b.violation;
  return a.score > b.score;
}

bool search::constrainedDominates(const Feedback &a, const Feedback &b) {
  if (a.ok != b.ok)
    return a.ok;
  if (a.feasible != b.feasible)
    return a.feasible;
  if (!a.feasible)
    return a.violation < b.violation;
  return dominates(a.objectives, b.objectives);
}

std::unique_ptr<Strategy> search::createStrategy(const Space &space,
                                                 const StrategyOptions &options,
                                                 std::string &error) {
  switch (options.kind) {
  case nas::Strategy::random:
    return createRandomSearch(space, options);
  case nas::Strategy::grid:
    return createGridSearch(space);
  case nas::Strategy::evolution:
    return createRegularizedEvolution(space, options);
  case nas::Strategy::nsga2:
    return createNSGA2(space, options);
  case nas::Strategy::reinforce:
    return createReinforce(space, options);
  case nas::Strategy::gradient:
    return createGradient(space, options);
  }
  error = "unknown strategy";
  return nullptr;
}
