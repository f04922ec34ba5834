//===- Reinforce.cpp - A REINFORCE controller over every decision ---------===//
//
// Williams' REINFORCE as used by Zoph & Le and MnasNet: a policy with one
// softmax (logits) per decision of the space's tree; a candidate is drawn
// by walking the tree, so only the decisions it takes are drawn. After each
// batch of `batch` candidates, each taken decision's logits move along
// lr * (advantage * d log p + entropy * d H), where the advantage is the
// reward less a moving-average baseline (`baseline_decay`), scaled by a
// moving average of its magnitude. The reward is the scalarized objective;
// with several objectives, the mean of the objectives normalized by the
// ranges seen so far. A failed or infeasible candidate gets the worst
// reward seen so far, less its violation.
//
// The gradient strategy (ProxylessNAS's REINFORCE variant, Cai et al. 2019)
// is the same policy over a weight-sharing supernet: candidates are drawn
// by Gumbel-max at an annealed temperature, the policy's mode is proposed
// first in every batch, and a differentiable hardware-cost term moves the
// logits down the gradient of the policy's expected cost under an additive
// cost model (ridge regression of the standardized cost on the one-hot
// outcomes of sampled candidates), weighted by `cost_weight`.
//
//===----------------------------------------------------------------------===//

#include "Strategies.h"

#include "nasc/Support/Numerics.h"

#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <limits>

using namespace nasc;
using namespace nasc::search;

namespace {

class Reinforce : public Strategy {
public:
  Reinforce(const Space &space, const StrategyOptions &options)
      : space(space), options(options), random(options.seed) {
    for (const Decision *decision : allDecisions()) {
      index[decision] = logits.size();
      logits.emplace_back(decision->numOutcomes(), 0.0);
    }
  }

  size_t getBatchSize() const override {
    return size_t(options.getBatch());
  }

  std::vector<Candidate> ask(size_t count) override {
    std::vector<Candidate> batch;
    for (size_t i = 0; i < count; ++i) {
      Candidate candidate;
      for (size_t part = 0; part < numParts(); ++part)
        draw(getPart(part), candidate.outcomes);
      batch.push_back(std::move(candidate));
    }
    return batch;
  }

protected:

  void tell(llvm::ArrayRef<Candidate> candidates,
            llvm::ArrayRef<Feedback> feedback) override {
    std::vector<double> rewards = getRewards(feedback);
    // Gradients summed over the batch, then averaged.
    std::vector<std::vector<double>> gradient(logits.size());
    for (size_t i = 0; i < candidates.size(); ++i) {
      double advantage = (rewards[i] - baseline) / (scale + 1e-12);
      space.forEachOutcome(candidates[i], [&](const Decision &decision,
                                              uint32_t outcome) {
        size_t d = index.lookup(&decision);
        std::vector<double> p = softmax(logits[d], temperature);
        double entropy = 0;
        for (double pk : p)
          if (pk > 0)
            entropy -= pk * std::log(pk);
        std::vector<double> &g = gradient[d];
        if (g.empty())
          g.assign(p.size(), 0.0);
        for (size_t k = 0; k < p.size(); ++k) {
          double logProb = (k == outcome ? 1.0 : 0.0) - p[k];
          double entropyGrad =
              p[k] > 0 ? -p[k] * (std::log(p[k]) + entropy) : 0.0;
          g[k] += (advantage * logProb + options.entropy * entropyGrad) /
                  temperature;
        }
      });
    }
    double step = options.learningRate / double(candidates.size());
    for (size_t d = 0; d < logits.size(); ++d)
      for (size_t k = 0; k < gradient[d].size(); ++k)
        logits[d][k] += step * gradient[d][k];
    // The baseline and scale follow the rewards.
    for (double reward : rewards) {
      double decay = seen ? options.baselineDecay : 0.0;
      scale = seen ? options.baselineDecay * scale +
                         (1 - options.baselineDecay) *
                             std::fabs(reward - baseline)
                   : 1.0;
      baseline = decay * baseline + (1 - decay) * reward;
      seen = true;
    }
  }

  std::vector<const Decision *> allDecisions() const {
    std::vector<const Decision *> all;
    for (size_t part = 0; part < numParts(); ++part)
      collect(getPart(part), all);
    return all;
  }
  static void collect(const DecisionSeq &seq,
                      std::vector<const Decision *> &all) {
    for (const Decision &decision : seq) {
      all.push_back(&decision);
      for (const DecisionSeq &below : decision.below)
        collect(below, all);
    }
  }
  size_t numParts() const { return space.getCells().size() + 2; }
  const DecisionSeq &getPart(size_t part) const {
    size_t cells = space.getCells().size();
    if (part < cells)
      return space.getCellDecisions(part);
    return part == cells ? space.getNetworkDecisions()
                         : space.getTunableDecisions();
  }

  /// softmax(z / temperature).
  static std::vector<double> softmax(const std::vector<double> &z,
                                     double temperature = 1.0) {
    double top = -std::numeric_limits<double>::infinity();
    for (double v : z)
      top = std::max(top, v);
    std::vector<double> p(z.size());
    double sum = 0;
    for (size_t k = 0; k < z.size(); ++k)
      sum += p[k] = std::exp((z[k] - top) / temperature);
    for (double &v : p)
      v /= sum;
    return p;
  }

  /// An outcome drawn from softmax(z): the inverse CDF on a 53-bit
  /// uniform draw.
  virtual uint32_t pick(const std::vector<double> &z) {
    std::vector<double> p = softmax(z);
    double u = double(random.next() >> 11) * 0x1.0p-53;
    uint32_t outcome = 0;
    for (double cumulative = p[0]; u >= cumulative && outcome + 1 < p.size();)
      cumulative += p[++outcome];
    return outcome;
  }

  void draw(const DecisionSeq &seq, std::vector<uint32_t> &out) {
    for (const Decision &decision : seq) {
      uint32_t outcome = pick(logits[index.lookup(&decision)]);
      out.push_back(outcome);
      if (!decision.below.empty())
        draw(decision.below[outcome], out);
    }
  }

  std::vector<double> getRewards(llvm::ArrayRef<Feedback> feedback) {
    std::vector<double> rewards(feedback.size());
    // Ranges of the objectives seen, for normalizing several of them.
    for (const Feedback &f : feedback) {
      if (!f.feasible)
        continue;
      if (low.empty()) {
        low = f.objectives;
        high = f.objectives;
      }
      for (size_t j = 0; j < f.objectives.size(); ++j) {
        low[j] = std::min(low[j], f.objectives[j]);
        high[j] = std::max(high[j], f.objectives[j]);
      }
    }
    for (size_t i = 0; i < feedback.size(); ++i) {
      const Feedback &f = feedback[i];
      if (!f.feasible)
        continue;
      double reward = f.score;
      if (options.multiObjective) {
        reward = 0;
        for (size_t j = 0; j < f.objectives.size(); ++j)
          reward -= high[j] > low[j]
                        ? (f.objectives[j] - low[j]) / (high[j] - low[j])
                        : 0.0;
        reward /= double(f.objectives.size());
      }
      rewards[i] = reward;
      worst = std::min(worst, reward);
    }
    for (size_t i = 0; i < feedback.size(); ++i)
      if (!feedback[i].feasible) {
        double base = std::isfinite(worst) ? worst : 0.0;
        double violation = std::isfinite(feedback[i].violation)
                               ? feedback[i].violation
                               : 1.0;
        rewards[i] = base - std::fabs(base) * 0.1 - violation;
      }
    return rewards;
  }

  const Space &space;
  StrategyOptions options;
  Random random;
  llvm::DenseMap<const Decision *, size_t> index;
  std::vector<std::vector<double>> logits;
  double baseline = 0, scale = 1;
  bool seen = false;
  double worst = std::numeric_limits<double>::infinity();
  std::vector<double> low, high;
  /// Sampling temperature (1 for REINFORCE).
  double temperature = 1.0;
};

class Gradient : public Reinforce {
public:
  Gradient(const Space &space, const StrategyOptions &options)
      : Reinforce(space, options) {
    temperature = std::max(0.1, options.temperature);
    if (options.costWeight > 0 && options.cost)
      fitCostModel();
  }

  std::vector<Candidate> ask(size_t count) override {
    // The policy's mode first: what the search would derive now.
    std::vector<Candidate> batch;
    if (count > 0) {
      mode = true;
      batch.push_back(Reinforce::ask(1).front());
      mode = false;
    }
    if (count > 1)
      for (Candidate &c : Reinforce::ask(count - 1))
        batch.push_back(std::move(c));
    return batch;
  }

  void tell(llvm::ArrayRef<Candidate> candidates,
            llvm::ArrayRef<Feedback> feedback) override {
    Reinforce::tell(candidates, feedback);
    // Down the gradient of the expected (standardized) cost:
    // E = sum_d sum_k p_dk w_dk, dE/dz_dk = p_dk (w_dk - E_d) / T.
    if (!costWeights.empty())
      for (size_t d = 0; d < logits.size(); ++d) {
        std::vector<double> p = softmax(logits[d], temperature);
        double expected = 0;
        for (size_t k = 0; k < p.size(); ++k)
          expected += p[k] * costWeights[d][k];
        for (size_t k = 0; k < p.size(); ++k)
          logits[d][k] -= options.learningRate * options.costWeight * p[k] *
                          (costWeights[d][k] - expected) / temperature;
      }
    temperature = std::max(0.1, temperature * options.temperatureDecay);
  }

  /// The policy's expected standardized cost (tests).
  double getExpectedCost() const {
    double total = 0;
    for (size_t d = 0; d < logits.size() && !costWeights.empty(); ++d) {
      std::vector<double> p = softmax(logits[d], temperature);
      for (size_t k = 0; k < p.size(); ++k)
        total += p[k] * costWeights[d][k];
    }
    return total;
  }

private:
  /// Gumbel-max: argmax_k z_k / T + g_k with g_k ~ Gumbel(0, 1) samples
  /// softmax(z / T); the mode is argmax_k z_k.
  uint32_t pick(const std::vector<double> &z) override {
    uint32_t best = 0;
    double top = -std::numeric_limits<double>::infinity();
    for (size_t k = 0; k < z.size(); ++k) {
      double value = z[k];
      if (!mode) {
        double u = (double(random.next() >> 11) + 0.5) * 0x1.0p-53;
        value = z[k] / temperature - std::log(-std::log(u));
      }
      if (value > top) {
        top = value;
        best = uint32_t(k);
      }
    }
    return best;
  }

  /// Ridge regression of the standardized cost on one-hot outcomes over
  /// 256 uniformly sampled candidates.
  void fitCostModel() {
    std::vector<size_t> offset(logits.size() + 1, 0);
    for (size_t d = 0; d < logits.size(); ++d)
      offset[d + 1] = offset[d] + logits[d].size();
    size_t features = offset.back();
    Random sampler(options.seed ^ 0xc057c057ull);
    std::vector<std::vector<size_t>> rows;
    std::vector<double> costs;
    for (int i = 0; i < 256; ++i) {
      Candidate c = space.sample(sampler);
      double cost = options.cost(c);
      if (!std::isfinite(cost))
        continue;
      std::vector<size_t> active;
      space.forEachOutcome(c, [&](const Decision &decision, uint32_t k) {
        active.push_back(offset[index.lookup(&decision)] + k);
      });
      rows.push_back(std::move(active));
      costs.push_back(cost);
    }
    if (rows.size() < 2)
      return;
    double mean = 0, var = 0;
    for (double c : costs)
      mean += c / double(costs.size());
    for (double c : costs)
      var += (c - mean) * (c - mean) / double(costs.size());
    double sd = var > 0 ? std::sqrt(var) : 1.0;
    std::vector<std::vector<double>> a(features,
                                       std::vector<double>(features, 0.0));
    std::vector<double> b(features, 0.0);
    for (size_t r = 0; r < rows.size(); ++r) {
      double y = (costs[r] - mean) / sd;
      for (size_t i : rows[r]) {
        b[i] += y;
        for (size_t j : rows[r])
          a[i][j] += 1.0;
      }
    }
    for (size_t i = 0; i < features; ++i)
      a[i][i] += 1e-3 * double(rows.size());
    std::vector<double> w = solveSPD(std::move(a), std::move(b));
    costWeights.resize(logits.size());
    for (size_t d = 0; d < logits.size(); ++d)
      costWeights[d].assign(w.begin() + offset[d], w.begin() + offset[d + 1]);
  }

  bool mode = false;
  std::vector<std::vector<double>> costWeights;
};

} // namespace

std::unique_ptr<Strategy>
search::createGradient(const Space &space, const StrategyOptions &options) {
  return std::make_unique<Gradient>(space, options);
}

std::unique_ptr<Strategy>
search::createReinforce(const Space &space, const StrategyOptions &options) {
  return std::make_unique<Reinforce>(space, options);
}
