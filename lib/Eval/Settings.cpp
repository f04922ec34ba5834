//===- Settings.cpp - How candidates are trained --------------------------===//

#include "nasc/Eval/TrainSettings.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::eval;
using namespace nasc::nas;

TrainSettings eval::getTrainSettings(SpecOp spec) {
  TrainSettings settings;
  EvaluateOp evaluate;
  for (EvaluateOp op : spec.getBodyBlock().getOps<EvaluateOp>())
    evaluate = op;
  if (!evaluate)
    return settings;
  settings.method = evaluate.getMethod();
  DictionaryAttr params = evaluate.getParamsAttr();
  if (!params)
    return settings;
  auto integer = [&](StringRef name, int64_t &out) {
    if (auto value = params.getAs<IntegerAttr>(name))
      out = value.getInt();
  };
  auto number = [&](StringRef name, double &out) {
    if (auto value = params.getAs<FloatAttr>(name))
      out = value.getValueAsDouble();
    else if (auto value = params.getAs<IntegerAttr>(name))
      out = double(value.getInt());
  };
  auto text = [&](StringRef name, std::string &out) {
    if (auto value = params.getAs<StringAttr>(name))
      out = value.str();
  };
  integer("epochs", settings.epochs);
  integer("batch_size", settings.batchSize);
  number("lr", settings.learningRate);
  text("optimizer", settings.optimizer);
  text("schedule", settings.schedule);
  integer("patience", settings.patience);
  number("proxy_fraction", settings.proxyFraction);
  text("proxy", settings.proxy);
  text("checkpoint", settings.checkpoint);
  integer("threads", settings.threads);
  integer("calibration_batches", settings.calibrationBatches);
  integer("finetune_epochs", settings.finetuneEpochs);
  number("halving", settings.halving);
  if (auto value = params.getAs<BoolAttr>("hot_start"))
    settings.hotStart = value.getValue();
  return settings;
}

