//===- NestedHardware.cpp - Each architecture's best hardware -------------===//

#include "nasc/Search/NestedHardware.h"

#include "nasc/Support/MetricKey.h"

#include <cmath>

using namespace nasc;
using namespace nasc::search;

Candidate
search::chooseHardware(const Space &space, const Problem &problem,
                       llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators,
                       const Candidate &candidate, uint64_t seed,
                       size_t maxConfigs) {
  // Where the tunables' outcomes are: leaves of the walk, so changing them
  // keeps the candidate's shape.
  std::vector<size_t> positions, counts;
  size_t index = 0;
  space.forEachOutcome(candidate, [&](const Decision &decision, uint32_t) {
    if (decision.kind == Decision::Kind::Tunable) {
      positions.push_back(index);
      counts.push_back(decision.numOutcomes());
    }
    ++index;
  });
  // The metrics of a target, and the evaluators that give them.
  std::vector<std::string> wanted;
  for (const std::string &metric : problem.getMetrics())
    if (std::optional<MetricKey> key = MetricKey::parse(metric);
        key && !key->target.empty())
      wanted.push_back(metric);
  std::vector<Evaluator *> giving;
  for (const std::unique_ptr<Evaluator> &evaluator : evaluators)
    if (llvm::any_of(wanted,
                     [&](const std::string &m) { return evaluator->provides(m); }))
      giving.push_back(evaluator.get());
  if (positions.empty() || wanted.empty() || giving.empty())
    return candidate;

  // The combinations: all, or `maxConfigs` drawn.
  double total = 1;
  for (size_t count : counts)
    total *= double(count);
  std::vector<Candidate> configs;
  if (total <= double(maxConfigs)) {
    for (size_t k = 0; k < size_t(total); ++k) {
      Candidate c = candidate;
      size_t rest = k;
      for (size_t p = 0; p < positions.size(); ++p) {
        c.outcomes[positions[p]] = uint32_t(rest % counts[p]);
        rest /= counts[p];
      }
      configs.push_back(std::move(c));
    }
  } else {
    // The space's random source, seeded by the search's seed and the
    // architecture (FNV-1a over its outcomes): the same draws on every
    // machine and in every run.
    uint64_t mixed = 14695981039346656037ull ^ seed;
    for (uint32_t outcome : candidate.outcomes)
      mixed = (mixed ^ outcome) * 1099511628211ull;
    Random random(mixed);
    configs.push_back(candidate);
    while (configs.size() < maxConfigs) {
      Candidate c = candidate;
      for (size_t p = 0; p < positions.size(); ++p)
        c.outcomes[positions[p]] = uint32_t(random.below(counts[p]));
      configs.push_back(std::move(c));
    }
  }

  // The constraints and objectives on those metrics.
  auto slot = [&](llvm::StringRef metric) {
    return size_t(llvm::find(wanted, metric) - wanted.begin());
  };
  std::optional<Candidate> best;
  double bestViolation = 0;
  std::vector<double> bestScore;
  for (const Candidate &config : configs) {
    Evaluation evaluation;
    evaluation.values.assign(wanted.size(), std::nan(""));
    std::string encoding = space.encode(config);
    for (Evaluator *evaluator : giving) {
      evaluator->evaluate(config, encoding, wanted, evaluation);
      if (!evaluation.ok)
        break;
    }
    if (!evaluation.ok)
      continue;
    double violation = 0;
    for (const Constraint &constraint : problem.constraints) {
      size_t s = slot(constraint.metric);
      if (s == wanted.size())
        continue;
      double v = evaluation.values[s];
      if (std::isnan(v))
        continue;
      if (!constraint.holds(v))
        violation += std::fabs(v - constraint.bound) /
                     std::max(std::fabs(constraint.bound), 1e-300);
    }
    std::vector<double> score;
    for (const Objective &objective : problem.objectives) {
      size_t s = slot(objective.metric);
      if (s == wanted.size())
        continue;
      double v = evaluation.values[s];
      score.push_back(std::isnan(v) ? INFINITY
                                    : (objective.maximize ? -v : v));
    }
    if (!best || violation < bestViolation ||
        (violation == bestViolation && score < bestScore)) {
      best = config;
      bestViolation = violation;
      bestScore = std::move(score);
    }
  }
  return best ? *best : candidate;
}
