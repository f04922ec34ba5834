//===- EvaluatorConfig.cpp - A search's evaluators from data --------------===//

#include "nasc/Evaluators/EvaluatorConfig.h"

#include "nasc/CostModel/CostEvaluator.h"
#include "nasc/CostModel/MeasuredEvaluator.h"
#include "nasc/Evaluators/TorchPlugin.h"
#include "nasc/Search/Predictor.h"
#include "nasc/Support/MetricKey.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace nasc;
using namespace nasc::evaluators;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// Serialization
//===----------------------------------------------------------------------===//

/// Each field once, for the printer, the parser and the comparison.
template <typename Config, typename Visit>
static void forEachField(Config &config, Visit &&visit) {
  visit("measure_target", config.measureTarget);
  visit("measure_batch", config.measureBatch);
  visit("measure_repeats", config.measureRepeats);
  visit("cost_models", config.costModels);
  visit("lookup_tables", config.lookupTables);
  visit("eval_method", config.evalMethod);
  visit("predictor_data", config.predictorData);
  visit("zero_cost_proxy", config.zeroCostProxy);
  visit("epochs", config.epochs);
  visit("proxy_fraction", config.proxyFraction);
  visit("data_dir", config.dataDir);
  visit("stand_in_data", config.standInData);
  visit("train_threads", config.trainThreads);
  visit("supernet_shards", config.supernetShards);
  visit("processes", config.processes);
  visit("checkpoint", config.checkpoint);
  visit("hot_start", config.hotStart);
  visit("finetune_epochs", config.finetuneEpochs);
  visit("weights_dir", config.weightsDir);
  visit("seed", config.seed);
  visit("verbose", config.verbose);
}

bool EvaluatorConfig::operator==(const EvaluatorConfig &other) const {
  return toJSON() == other.toJSON();
}

std::string EvaluatorConfig::toJSON() const {
  json::Object object;
  forEachField(*this, [&](const char *key, const auto &value) {
    using T = std::decay_t<decltype(value)>;
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      json::Array array;
      for (const std::string &item : value)
        array.push_back(item);
      object[key] = std::move(array);
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      // JSON numbers are doubles: a 64-bit seed travels as a string.
      object[key] = std::to_string(value);
    } else {
      object[key] = value;
    }
  });
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(std::move(object));
  return text;
}

std::optional<EvaluatorConfig> EvaluatorConfig::fromJSON(llvm::StringRef text,
                                                         std::string &error) {
  llvm::Expected<json::Value> parsed = json::parse(text);
  if (!parsed) {
    error = "evaluator configuration: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const json::Object *object = parsed->getAsObject();
  if (!object) {
    error = "evaluator configuration: not a JSON object";
    return std::nullopt;
  }
  EvaluatorConfig config;
  size_t known = 0;
  forEachField(config, [&](const char *key, auto &value) {
    using T = std::decay_t<decltype(value)>;
    const json::Value *field = object->get(key);
    if (!error.empty() || !field)
      return;
    ++known;
    bool ok = false;
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      if (const json::Array *array = field->getAsArray()) {
        ok = true;
        for (const json::Value &item : *array) {
          std::optional<llvm::StringRef> string = item.getAsString();
          ok = ok && string;
          if (string)
            value.push_back(string->str());
        }
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (std::optional<llvm::StringRef> string = field->getAsString()) {
        value = string->str();
        ok = true;
      }
    } else if constexpr (std::is_same_v<T, bool>) {
      if (std::optional<bool> flag = field->getAsBoolean()) {
        value = *flag;
        ok = true;
      }
    } else if constexpr (std::is_same_v<T, double>) {
      if (std::optional<double> number = field->getAsNumber()) {
        value = *number;
        ok = true;
      }
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      if (std::optional<llvm::StringRef> string = field->getAsString())
        ok = !string->getAsInteger(10, value);
    } else {
      if (std::optional<int64_t> number = field->getAsInteger()) {
        ok = *number >= 0 || std::is_signed_v<T>;
        value = T(*number);
      }
    }
    if (!ok)
      error = std::string("evaluator configuration: '") + key +
              "' has the wrong type";
  });
  if (!error.empty())
    return std::nullopt;
  if (known != object->size()) {
    for (const auto &entry : *object) {
      bool isKnown = false;
      forEachField(config, [&](const char *key, const auto &) {
        isKnown = isKnown || entry.first == key;
      });
      if (!isKnown) {
        error =
            "evaluator configuration: unknown key '" + entry.first.str() + "'";
        return std::nullopt;
      }
    }
  }
  return config;
}

//===----------------------------------------------------------------------===//
// The factory
//===----------------------------------------------------------------------===//

std::vector<std::unique_ptr<search::Evaluator>>
evaluators::createCostEvaluators(nas::SpecOp spec, const Space &space,
                                 const EvaluatorConfig &config,
                                 std::string &error) {
  std::vector<std::unique_ptr<search::Evaluator>> evaluators;
  if (!config.measureTarget.empty()) {
    if (config.measureBatch < 1) {
      error = "--measure-batch must be at least 1";
      return evaluators;
    }
    // An FPGA target's latency is its design's, a GPU target's its code's
    // on this machine's GPU; any other runs on this machine's CPU.
    std::string backendKind = "cpu";
    for (nas::TargetOp target : spec.getBodyBlock().getOps<nas::TargetOp>())
      if (target.getSymName() == config.measureTarget &&
          (target.getKind() == nas::TargetKind::fpga ||
           target.getKind() == nas::TargetKind::gpu))
        backendKind = nas::stringifyTargetKind(target.getKind()).str();
    evaluators.push_back(cost::createMeasuredEvaluator(
        space, config.measureTarget, config.measureBatch, config.measureRepeats,
        backendKind));
  }
  // What the targets' designs give without building them (an fpga
  // target's cycles); a measurement above wins where both give a metric.
  // --cost-model files: a backend's design model (an fpga resource model,
  // at most one) or cost models.
  std::string backendModel;
  std::vector<std::string> costModels;
  for (const std::string &path : config.costModels) {
    if (!cost::isBackendModelFile(path)) {
      costModels.push_back(path);
      continue;
    }
    if (!backendModel.empty()) {
      error = "--cost-model: two fpga resource models (" + backendModel + ", " +
              path + "); give one";
      return evaluators;
    }
    backendModel = path;
  }
  std::vector<std::shared_ptr<const cost::CostModel>> models =
      cost::loadCostModels(spec, costModels, config.lookupTables, error);
  // A cost model the user gave (calibrated, a table) computes its target's
  // latency and energy, not the design (an fpga target's latency).
  std::vector<std::string> leftToOthers;
  for (const auto &model : models)
    if (model->getMethod() != cost::Method::Analytical)
      for (const char *metric : {"latency", "energy"})
        leftToOthers.push_back(
            MetricKey{metric, model->getTarget().name}.str());
  evaluators.push_back(cost::createDesignEvaluator(space, backendModel,
                                                   std::move(leftToOthers)));
  if (error.empty())
    evaluators.push_back(
        std::make_unique<cost::CostEvaluator>(space, std::move(models)));
  return evaluators;
}

/// The predictor of accuracy fitted to `config.predictorData`.
static std::unique_ptr<search::Evaluator>
createPredictor(const Space &space, const EvaluatorConfig &config,
                std::string &error) {
  if (config.predictorData.empty()) {
    error = "--eval-method predictor needs --predictor-data CSV";
    return nullptr;
  }
  std::shared_ptr<const search::Table> table =
      search::Table::load(config.predictorData, error);
  if (!table)
    return nullptr;
  std::unique_ptr<search::PredictorEvaluator> predictor =
      search::PredictorEvaluator::create(space, table, "accuracy", error);
  if (!predictor)
    return nullptr;
  const auto &quality = predictor->getQuality();
  if (config.verbose)
    llvm::errs() << "predictor of accuracy: fitted to " << quality.rows
                 << " candidates of " << config.predictorData
                 << "; 5-fold cross-validated Spearman "
                 << llvm::format("%.3f", quality.spearman) << ", MAE "
                 << llvm::format("%.4g", quality.meanAbsoluteError)
                 << " (ridge " << quality.lambda << ")\n";
  return predictor;
}

std::unique_ptr<search::Evaluator> evaluators::createTrainingEvaluator(
    nas::SpecOp spec, const Space &space,
    const search::StrategyOptions &strategy, const EvaluatorConfig &config,
    std::string &error, eval::TrainSettings *settingsOut) {
  eval::TrainSettings settings = eval::getTrainSettings(spec);
  // The gradient strategy scores candidates on a weight-sharing supernet
  // that it keeps training on the paths it samples.
  bool gradient = strategy.kind == nas::Strategy::gradient;
  if (gradient) {
    settings.method = nas::EvalMethod::weight_sharing;
    settings.onlineSteps = strategy.weightSteps;
    if (strategy.supernetEpochs > 0)
      settings.epochs = strategy.supernetEpochs;
    if (strategy.weightLearningRate > 0)
      settings.learningRate = strategy.weightLearningRate;
  }
  if (!config.evalMethod.empty()) {
    std::optional<nas::EvalMethod> method =
        nas::symbolizeEvalMethod(config.evalMethod);
    if (!method) {
      error = "unknown --eval-method '" + config.evalMethod +
              "' (train, weight_sharing, zero_cost, predictor)";
      return nullptr;
    }
    if (gradient && *method != nas::EvalMethod::weight_sharing) {
      error = "strategy 'gradient' scores candidates on its supernet: "
              "--eval-method must be weight_sharing";
      return nullptr;
    }
    settings.method = *method;
  }
  if (settings.method == nas::EvalMethod::predictor) {
    std::unique_ptr<search::Evaluator> predictor =
        createPredictor(space, config, error);
    if (predictor && settingsOut)
      *settingsOut = settings;
    return predictor;
  }
  if (settings.method != nas::EvalMethod::train &&
      settings.method != nas::EvalMethod::zero_cost &&
      settings.method != nas::EvalMethod::weight_sharing) {
    error = "evaluate method '" +
            nas::stringifyEvalMethod(settings.method).str() +
            "' gives no accuracy here: use a --table, or train, "
            "weight_sharing, zero_cost or predictor";
    return nullptr;
  }
  if (config.epochs > 0)
    settings.epochs = config.epochs;
  if (config.proxyFraction > 0)
    settings.proxyFraction = std::min(1.0, config.proxyFraction);
  if (!config.zeroCostProxy.empty())
    settings.proxy = config.zeroCostProxy;
  if (settings.proxy != "synflow" && settings.proxy != "naswot") {
    error =
        "unknown zero-cost proxy '" + settings.proxy + "' (synflow, naswot)";
    return nullptr;
  }
  if (!config.dataDir.empty())
    settings.dataDir = config.dataDir;
  settings.standInData = config.standInData;
  // A missing dataset is an error at the dataset, before anything is
  // written; stand-in data only when asked for.
  if (failed(eval::resolveData(spec, settings)))
    return nullptr;
  if (!settings.standInFor.empty())
    llvm::errs() << "nasc search: warning: training on " << settings.dataName
                 << " (" << settings.dataDir << ") in place of '"
                 << settings.standInFor << "' (--stand-in-data)\n";
  if (config.trainThreads > 0)
    settings.threads = config.trainThreads;
  if (config.supernetShards > 0 &&
      settings.method != nas::EvalMethod::weight_sharing) {
    error = "--supernet-shards splits a weight-sharing supernet's batches: "
            "use it with --eval-method weight_sharing or strategy gradient";
    return nullptr;
  }
  if (settings.method == nas::EvalMethod::weight_sharing)
    settings.shards = config.supernetShards > 0
                          ? config.supernetShards
                          : std::max(1u, config.processes);
  if (!config.checkpoint.empty())
    settings.checkpoint = config.checkpoint;
  if (config.hotStart)
    settings.hotStart = true;
  if (config.finetuneEpochs >= 0)
    settings.finetuneEpochs = config.finetuneEpochs;
  // Trained weights are kept: hot start reads parents from there, and the
  // export reads the chosen candidate's.
  if (settings.method == nas::EvalMethod::train && !config.weightsDir.empty()) {
    if (std::error_code ec =
            llvm::sys::fs::create_directories(config.weightsDir)) {
      error = config.weightsDir + ": " + ec.message();
      return nullptr;
    }
    settings.weightsDir = config.weightsDir;
  }
  if (!settings.checkpoint.empty() &&
      !llvm::sys::fs::exists(settings.checkpoint)) {
    error = "checkpoint " + settings.checkpoint + ": no such file";
    return nullptr;
  }
  settings.seed = config.seed;
  settings.verbose = config.verbose;
  std::unique_ptr<search::Evaluator> evaluator =
      createTorchEvaluator(space, settings, error);
  if (evaluator && settingsOut)
    *settingsOut = settings;
  return evaluator;
}
