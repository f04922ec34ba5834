//===- SearchSettings.cpp - A search's settings, resolved -----------------===//

#include "nasc/Search/SearchSettings.h"

#include "nasc/Dialect/NAS/IR/NASAttrs.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace nasc;
using namespace nasc::nas;
using namespace nasc::search;

/// A number from the spec's `search` parameters.
static std::optional<double> getNumber(DictionaryAttr params,
                                       llvm::StringRef name) {
  if (!params)
    return std::nullopt;
  Attribute value = params.get(name);
  if (auto integer = dyn_cast_or_null<IntegerAttr>(value))
    return double(integer.getInt());
  if (auto real = dyn_cast_or_null<FloatAttr>(value))
    return real.getValueAsDouble();
  if (auto quantity = dyn_cast_or_null<QuantityAttr>(value))
    return quantity.getBaseValue();
  return std::nullopt;
}

/// "FILE:LINE:COL: " of the spec's `search` block, where it has one.
static std::string locate(SearchOp searchOp) {
  if (!searchOp)
    return "";
  auto loc = dyn_cast<FileLineColLoc>(searchOp.getLoc());
  if (!loc)
    return "";
  return (loc.getFilename().str() + ":" + std::to_string(loc.getLine()) +
          ":" + std::to_string(loc.getColumn()) + ": ");
}

/// An integer from the spec's `search` parameters (the schema makes them
/// integers), read without a round trip through a double.
static std::optional<int64_t> getInteger(DictionaryAttr params,
                                         llvm::StringRef name) {
  if (!params)
    return std::nullopt;
  if (auto integer = dyn_cast_or_null<IntegerAttr>(params.get(name)))
    return integer.getInt();
  if (std::optional<double> number = getNumber(params, name);
      number && !std::isnan(*number))
    return int64_t(std::clamp(*number, -9.2e18, 9.2e18));
  return std::nullopt;
}

FailureOr<SearchSettings>
search::resolveSearchSettings(SpecOp spec, const SearchOptions &options,
                              std::string &error) {
  SearchOp searchOp;
  for (SearchOp op : spec.getBodyBlock().getOps<SearchOp>())
    searchOp = op;
  DictionaryAttr params =
      searchOp ? searchOp.getParamsAttr() : DictionaryAttr();
  StrategyOptions strategy;
  strategy.kind = options.strategy ? *options.strategy
                  : searchOp       ? searchOp.getStrategy()
                                   : nas::Strategy::random;
  strategy.seed = options.seed ? *options.seed
                  : searchOp && searchOp.getSeedAttr()
                      ? uint64_t(searchOp.getSeedAttr().getInt())
                      : 0;
  uint64_t budget = options.budget ? *options.budget
                    : searchOp && searchOp.getBudgetAttr()
                        ? uint64_t(searchOp.getBudgetAttr().getInt())
                        : 100;
  if (budget == 0) {
    error = "--budget must be at least 1";
    return failure();
  }
  strategy.population = getInteger(params, "population").value_or(50);
  strategy.sampleSize = getInteger(params, "sample_size").value_or(10);
  // NSGA-II's defaults come from a sweep on bench/search.sh's table
  // (bench/RESULTS.md); one decision always mutates besides these odds.
  strategy.mutationRate =
      getNumber(params, "mutation_rate")
          .value_or(strategy.kind == nas::Strategy::nsga2 ? 0.05 : 0.1);
  strategy.crossoverRate = getNumber(params, "crossover_rate").value_or(0.5);
  strategy.learningRate = getNumber(params, "lr").value_or(0.1);
  strategy.baselineDecay = getNumber(params, "baseline_decay").value_or(0.9);
  strategy.entropy = getNumber(params, "entropy").value_or(0.01);
  // 0: the strategy's default (StrategyOptions::batch).
  std::optional<int64_t> batch = getInteger(params, "batch");
  strategy.batch = batch.value_or(0);
  if (strategy.kind == nas::Strategy::gradient) {
    strategy.learningRate = getNumber(params, "arch_lr").value_or(0.1);
    strategy.temperature = getNumber(params, "temperature").value_or(1.0);
    strategy.costWeight = getNumber(params, "cost_weight").value_or(0.0);
    strategy.supernetEpochs = getInteger(params, "epochs").value_or(0);
    strategy.weightLearningRate = getNumber(params, "weight_lr").value_or(0);
    strategy.weightSteps =
        getInteger(params, "weight_steps").value_or(10);
  }
  if (strategy.population < 2) {
    error = locate(searchOp) + "population must be at least 2";
    return failure();
  }
  if (batch && strategy.batch < 1) {
    error = locate(searchOp) + "batch must be at least 1";
    return failure();
  }
  double timeLimit = options.timeLimit > 0
                         ? options.timeLimit
                         : getNumber(params, "time_limit").value_or(0);
  strategy.nestedHardware = options.nestedHardware;
  SearchSettings settings;
  settings.strategy = strategy;
  settings.budget = budget;
  settings.timeLimit = timeLimit;
  if (auto name =
          params ? params.getAs<StringAttr>("cost_metric") : StringAttr())
    settings.costMetric = name.str();
  return settings;
}
