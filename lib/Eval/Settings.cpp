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


LogicalResult eval::resolveData(SpecOp spec, TrainSettings &settings) {
  DatasetOp dataset;
  for (DatasetOp op : spec.getBodyBlock().getOps<DatasetOp>())
    if (op.getSymName() == spec.getNetwork().getDataset())
      dataset = op;
  if (!dataset)
    return spec.emitError("the network's dataset is not declared");
  StringRef source =
      dataset.getSourceAttr() ? dataset.getSourceAttr().getValue() : "";
  std::string name = (source.empty() ? dataset.getSymName() : source).str();
  settings.standInFor.clear();
  settings.dataName = name;
  if (!settings.dataDir.empty())
    return success(); // --data
  if (auto path = dataset.getPathAttr()) {
    settings.dataDir = path.str();
    return success();
  }
  if (source == "fashion-mnist") {
    settings.dataDir = kFashionMnistDir;
    return success();
  }
  if (settings.standInData) {
    settings.dataDir = kFashionMnistDir;
    settings.dataName = "fashion-mnist";
    settings.standInFor = name;
    return success();
  }
  InFlightDiagnostic diag = dataset.emitError();
  diag << "dataset '" << dataset.getSymName() << "' has no training data: ";
  if (source.empty())
    diag << "it names no source";
  else
    diag << "source \"" << source
         << "\" is not installed (nasc knows only \"fashion-mnist\", Debian's "
            "dataset-fashion-mnist)";
  diag << "; put its IDX files (train-images-idx3-ubyte, "
          "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
          "t10k-labels-idx1-ubyte, optionally .gz) in a directory and give it "
          "as `path = \"DIR\";` in the dataset or as `nasc search --data DIR`, "
          "or train on Fashion-MNIST in its place with --stand-in-data";
  return failure();
}
