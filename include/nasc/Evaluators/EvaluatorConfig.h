//===- EvaluatorConfig.h - A search's evaluators from data ------*- C++ -*-===//
//
// What decides a search's evaluators besides the spec (what `nasc search`'s
// options say) as a plain, serializable configuration, and the factory that
// builds the evaluators from the spec and it. Another process given the
// same spec and the configuration's JSON builds the same evaluators (same
// names and fingerprints): the way a worker of a distributed search gets
// them (docs/search.md, "Evaluators").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_EVALUATORS_EVALUATORCONFIG_H
#define NASC_EVALUATORS_EVALUATORCONFIG_H

#include "nasc/Dialect/NAS/IR/NASOps.h"
#include "nasc/Eval/TrainSettings.h"
#include "nasc/Search/Evaluator.h"
#include "nasc/Search/Strategy.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::evaluators {

struct EvaluatorConfig {
  //===--- Hardware costs ---------------------------------------------===//
  /// `latency(measureTarget)` measured on this machine's CPU (empty: none),
  /// `measureRepeats` runs of `measureBatch` samples.
  std::string measureTarget;
  int64_t measureBatch = 1;
  unsigned measureRepeats = 10;
  /// Calibrated models (`nasc calibrate` JSON) and lookup tables (T=CSV).
  std::vector<std::string> costModels;
  std::vector<std::string> lookupTables;

  //===--- Accuracy: the spec's settings, overridden where set --------===//
  /// train, weight_sharing, zero_cost or predictor (empty: the spec's).
  std::string evalMethod;
  /// The predictor's training data (a CSV of encodings and accuracy).
  std::string predictorData;
  /// synflow or naswot (empty: the spec's).
  std::string zeroCostProxy;
  int64_t epochs = 0;       ///< 0: the spec's
  double proxyFraction = 0; ///< 0: the spec's
  std::string dataDir;      ///< empty: the spec's dataset
  bool standInData = false;
  unsigned trainThreads = 0; ///< 0: the spec's
  /// Weight sharing: the shards of each supernet batch (0: one per
  /// process of the job, `processes`).
  unsigned supernetShards = 0;
  unsigned processes = 1;
  std::string checkpoint;
  bool hotStart = false;
  int64_t finetuneEpochs = -1; ///< negative: the spec's
  /// Where trained weights are kept (a search's OUT/weights; empty: not).
  std::string weightsDir;
  uint64_t seed = 0;
  /// Progress and the predictor's fit on stderr.
  bool verbose = true;

  bool operator==(const EvaluatorConfig &other) const;
  /// One JSON object, every field.
  std::string toJSON() const;
  /// Parses toJSON()'s output; fails with `error` on anything else (an
  /// unknown key included).
  static std::optional<EvaluatorConfig> fromJSON(llvm::StringRef text,
                                                 std::string &error);
};

/// The evaluators of latency and energy: measured first (it wins over the
/// models), then the analytical, calibrated and table ones of every
/// target. Fails with `error`.
std::vector<std::unique_ptr<search::Evaluator>>
createCostEvaluators(nas::SpecOp spec, const Space &space,
                     const EvaluatorConfig &config, std::string &error);

/// The evaluator of accuracy (and train_seconds, test_accuracy, the
/// zero-cost proxies): a predictor fitted to `predictorData`, or LibTorch
/// (libNASCEval.so) with the spec's settings overridden by `config` and by
/// `strategy` (the gradient strategy trains a supernet). Null on failure,
/// with `error`, or with it empty after a diagnostic (a missing dataset,
/// at the dataset). `settings`, when given, receives the training
/// settings used.
std::unique_ptr<search::Evaluator>
createTrainingEvaluator(nas::SpecOp spec, const Space &space,
                        const search::StrategyOptions &strategy,
                        const EvaluatorConfig &config, std::string &error,
                        eval::TrainSettings *settings = nullptr);

} // namespace nasc::evaluators

#endif // NASC_EVALUATORS_EVALUATORCONFIG_H
