//===- Settings.cpp - How candidates are trained --------------------------===//

#include "nasc/Eval/TrainSettings.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::eval;
using namespace nasc::nas;

/// Each `evaluate` parameter once, with its field, for the reader and the
/// writer.
template <typename Visit>
static void forEachParam(Visit &&visit) {
  visit("epochs", &TrainSettings::epochs);
  visit("batch_size", &TrainSettings::batchSize);
  visit("lr", &TrainSettings::learningRate);
  visit("optimizer", &TrainSettings::optimizer);
  visit("schedule", &TrainSettings::schedule);
  visit("patience", &TrainSettings::patience);
  visit("proxy_fraction", &TrainSettings::proxyFraction);
  visit("proxy", &TrainSettings::proxy);
  visit("checkpoint", &TrainSettings::checkpoint);
  visit("threads", &TrainSettings::threads);
  visit("calibration_batches", &TrainSettings::calibrationBatches);
  visit("finetune_epochs", &TrainSettings::finetuneEpochs);
  visit("halving", &TrainSettings::halving);
  visit("hot_start", &TrainSettings::hotStart);
}

static void read(DictionaryAttr params, StringRef name, int64_t &out) {
  if (auto value = params.getAs<IntegerAttr>(name))
    out = value.getInt();
}
static void read(DictionaryAttr params, StringRef name, double &out) {
  if (auto value = params.getAs<FloatAttr>(name))
    out = value.getValueAsDouble();
  else if (auto value = params.getAs<IntegerAttr>(name))
    out = double(value.getInt());
}
static void read(DictionaryAttr params, StringRef name, std::string &out) {
  if (auto value = params.getAs<StringAttr>(name))
    out = value.str();
}
static void read(DictionaryAttr params, StringRef name, bool &out) {
  if (auto value = params.getAs<BoolAttr>(name))
    out = value.getValue();
}

static Attribute toAttr(Builder &b, int64_t value) {
  return b.getI64IntegerAttr(value);
}
static Attribute toAttr(Builder &b, double value) {
  return b.getF64FloatAttr(value);
}
static Attribute toAttr(Builder &b, const std::string &value) {
  return b.getStringAttr(value);
}
static Attribute toAttr(Builder &b, bool value) { return b.getBoolAttr(value); }

/// The spec's last `evaluate`, or none.
static EvaluateOp findEvaluate(SpecOp spec) {
  EvaluateOp evaluate;
  for (EvaluateOp op : spec.getBodyBlock().getOps<EvaluateOp>())
    evaluate = op;
  return evaluate;
}

TrainSettings eval::getTrainSettings(SpecOp spec) {
  TrainSettings settings;
  EvaluateOp evaluate = findEvaluate(spec);
  if (!evaluate)
    return settings;
  settings.method = evaluate.getMethod();
  DictionaryAttr params = evaluate.getParamsAttr();
  if (!params)
    return settings;
  forEachParam([&](StringRef name, auto member) {
    read(params, name, settings.*member);
  });
  return settings;
}

void eval::recordTrainSettings(SpecOp spec, const TrainSettings &used) {
  TrainSettings declared = getTrainSettings(spec);
  EvaluateOp evaluate = findEvaluate(spec);
  OpBuilder builder = OpBuilder::atBlockEnd(&spec.getBodyBlock());
  if (!evaluate)
    evaluate = builder.create<EvaluateOp>(spec.getLoc(), used.method,
                                          DictionaryAttr());
  NamedAttrList params(evaluate.getParamsAttr() ? evaluate.getParamsAttr()
                                                : DictionaryAttr());
  forEachParam([&](StringRef name, auto member) {
    // What differs from the spec, and the proxy that zero_cost requires.
    if (used.*member != declared.*member ||
        (name == "proxy" && used.method == EvalMethod::zero_cost))
      params.set(name, toAttr(builder, used.*member));
  });
  evaluate.setMethod(used.method);
  evaluate.setParamsAttr(params.getDictionary(spec.getContext()));
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
