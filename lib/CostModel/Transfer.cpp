//===- Transfer.cpp - A search's trials re-costed on another target -------===//

#include "nasc/CostModel/Transfer.h"

#include "nasc/Analysis/SpaceCostModel.h"
#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/Search/Pareto.h"
#include "nasc/Search/TrialStore.h"
#include "nasc/Support/CSV.h"
#include "nasc/Support/MetricKey.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

std::optional<TransferredTrials>
cost::loadTransferredTrials(const Space &space, const CalibratedModel &model,
                            llvm::StringRef path, std::string &error) {
  CSVTable csv;
  if (!loadCSVFile(path, csv, error))
    return std::nullopt;
  int encodingColumn = csv.column("encoding");
  int statusColumn = csv.column("status");
  // A search writes `accuracy [fraction]`; a table may say `accuracy`.
  int accuracyColumn = csv.column(search::getMetricHeader("accuracy"));
  if (accuracyColumn < 0)
    accuracyColumn = csv.column("accuracy");
  if (encodingColumn < 0) {
    error = path.str() + ":1: no 'encoding' column (a search's trials.csv)";
    return std::nullopt;
  }
  TransferredTrials result;
  result.withAccuracy = accuracyColumn >= 0;
  llvm::StringSet<> seen;
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const std::vector<std::string> &fields = csv.rows[r];
    if (statusColumn >= 0 &&
        search::parseTrialStatus(fields[statusColumn]) !=
            search::TrialStatus::Ok)
      continue;
    if (!seen.insert(fields[encodingColumn]).second)
      continue;
    std::string where = path.str() + ":" + std::to_string(csv.lines[r]);
    TransferredTrial trial;
    trial.encoding = fields[encodingColumn];
    std::string why;
    FailureOr<Candidate> candidate = space.decode(trial.encoding, why);
    if (failed(candidate)) {
      error = where + ": '" + trial.encoding + "': " + why;
      return std::nullopt;
    }
    trial.candidate = *candidate;
    if (accuracyColumn >= 0 &&
        llvm::StringRef(fields[accuracyColumn]).getAsDouble(trial.accuracy)) {
      error = where + ": accuracy '" + fields[accuracyColumn] +
              "' is not a number";
      return std::nullopt;
    }
    FailureOr<std::vector<LayerWork>> layers =
        getCandidateLayers(space, trial.candidate, model.getRecords());
    if (failed(layers)) {
      error = where + ": the candidate is ill-shaped";
      return std::nullopt;
    }
    trial.latency = model.estimate(Quantity::Latency, *layers).value;
    result.trials.push_back(std::move(trial));
  }
  if (result.trials.empty()) {
    error = path.str() + ": no trial with status ok";
    return std::nullopt;
  }
  return result;
}

std::vector<size_t> cost::getTransferFront(const TransferredTrials &trials) {
  std::vector<search::Point> points;
  for (const TransferredTrial &trial : trials.trials)
    points.push_back(trials.withAccuracy
                         ? search::Point{-trial.accuracy, trial.latency}
                         : search::Point{trial.latency});
  std::vector<size_t> front = search::findNonDominated(points);
  llvm::sort(front, [&](size_t a, size_t b) {
    return trials.trials[a].latency < trials.trials[b].latency;
  });
  return front;
}

std::optional<Compression>
cost::compressForTarget(const Space &space, const CalibratedModel &model,
                        const TransferredTrial &chosen,
                        llvm::ArrayRef<search::Constraint> constraints,
                        std::string &error) {
  Compression result;
  size_t index = 0;
  space.forEachOutcome(chosen.candidate, [&](const Decision &d, uint32_t) {
    if (d.kind == Decision::Kind::Param && d.below.empty() &&
        (d.attrName == "wbits" || d.attrName == "abits" ||
         d.attrName == "prune")) {
      result.positions.push_back(index);
      result.decisions.push_back(&d);
    }
    ++index;
  });
  if (result.positions.empty()) {
    error = "the chosen candidate has no compression choices to search";
    return std::nullopt;
  }
  double combinations = 1;
  for (const Decision *d : result.decisions)
    combinations *= d->labels.size();
  result.tries = combinations <= 4096 ? size_t(combinations) : 4096;
  Random random(1);
  FailureOr<SpaceCostModel> costs = SpaceCostModel::build(space);
  if (failed(costs)) {
    error = "the space has no cost model";
    return std::nullopt;
  }
  std::string latencyKey =
      MetricKey{"latency", model.getTarget().name}.str();
  for (size_t t = 0; t < result.tries; ++t) {
    Candidate variant = chosen.candidate;
    size_t code = t;
    for (size_t p = 0; p < result.positions.size(); ++p) {
      uint32_t n = uint32_t(result.decisions[p]->labels.size());
      variant.outcomes[result.positions[p]] =
          combinations <= 4096 ? uint32_t(code % n)
                               : uint32_t(random.below(n));
      code /= n;
    }
    FailureOr<std::vector<LayerWork>> layers =
        getCandidateLayers(space, variant, model.getRecords());
    FailureOr<CostTotals> totals = costs->evaluate(variant);
    if (failed(layers) || failed(totals))
      continue;
    double latency = model.estimate(Quantity::Latency, *layers).value;
    CostMetrics metrics = getCostMetrics(*totals);
    bool ok = true;
    for (const search::Constraint &c : constraints) {
      double value = std::nan("");
      if (c.metric == latencyKey || c.metric == "latency")
        value = latency;
      for (size_t m = 0; m < kCostMetricNames.size(); ++m)
        if (c.metric == kCostMetricNames[m])
          value = double(metrics[m]);
      if (std::isnan(value)) {
        error = "constraint '" + c.text + "': transfer knows " + latencyKey +
                " and the analyses' metrics";
        return std::nullopt;
      }
      ok &= c.holds(value);
    }
    if (ok && (std::isnan(result.best.latency) ||
               latency < result.best.latency))
      result.best = TransferredTrial{space.encode(variant), variant,
                                     std::nan(""), latency};
  }
  return result;
}
