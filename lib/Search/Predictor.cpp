//===- Predictor.cpp - An accuracy predictor fitted to evaluated trials ---===//

#include "nasc/Search/Predictor.h"

#include "nasc/Support/Numerics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace nasc;
using namespace nasc::search;

using Matrix = std::vector<std::vector<double>>;

/// A fitted ridge model on standardized features.
struct PredictorEvaluator::Model {
  /// Feature layout: each decision column's outcomes, then log-costs.
  llvm::StringMap<size_t> columnOffset;
  size_t numFeatures = 0;
  std::vector<double> mean, scale, weights;
  double intercept = 0;

  double predict(llvm::ArrayRef<double> x) const {
    double y = intercept;
    for (size_t f = 0; f < numFeatures; ++f)
      y += weights[f] * (x[f] - mean[f]) / scale[f];
    return y;
  }

  /// Fits on the rows `use` of `x`, `y` with ridge strength `lambda`.
  void fit(const Matrix &x, llvm::ArrayRef<double> y,
           llvm::ArrayRef<size_t> use, double lambda) {
    size_t d = numFeatures;
    double n = double(use.size());
    mean.assign(d, 0);
    scale.assign(d, 0);
    intercept = 0;
    for (size_t r : use) {
      intercept += y[r] / n;
      for (size_t f = 0; f < d; ++f)
        mean[f] += x[r][f] / n;
    }
    for (size_t r : use)
      for (size_t f = 0; f < d; ++f)
        scale[f] += (x[r][f] - mean[f]) * (x[r][f] - mean[f]) / n;
    for (double &s : scale)
      s = s > 1e-12 ? std::sqrt(s) : 1.0;
    Matrix a(d, std::vector<double>(d, 0));
    std::vector<double> b(d, 0);
    std::vector<double> z(d);
    for (size_t r : use) {
      for (size_t f = 0; f < d; ++f)
        z[f] = (x[r][f] - mean[f]) / scale[f];
      for (size_t i = 0; i < d; ++i) {
        b[i] += z[i] * (y[r] - intercept);
        for (size_t j = 0; j <= i; ++j)
          a[i][j] += z[i] * z[j];
      }
    }
    for (size_t i = 0; i < d; ++i) {
      for (size_t j = 0; j < i; ++j)
        a[j][i] = a[i][j];
      a[i][i] += lambda * n;
    }
    weights = solveSPD(std::move(a), std::move(b));
  }
};

/// The features of a candidate: one-hot outcomes and log-costs.
static std::vector<double>
getFeatures(const Space &space, const PredictorEvaluator::Model &model,
            AnalyticalEvaluator &costs, const Candidate &candidate) {
  std::vector<double> x(model.numFeatures, 0.0);
  space.forEachOutcome(candidate, [&](const Decision &decision,
                                      uint32_t outcome) {
    auto it = model.columnOffset.find(decision.column);
    if (it != model.columnOffset.end())
      x[it->second + outcome] = 1.0;
  });
  Evaluation evaluation;
  std::vector<std::string> metrics = {"macs", "params", "flops"};
  evaluation.values.assign(3, std::nan(""));
  costs.evaluate(candidate, "", metrics, evaluation);
  for (size_t m = 0; m < 3; ++m)
    x[model.numFeatures - 3 + m] =
        evaluation.ok ? std::log1p(evaluation.values[m]) : 0.0;
  return x;
}

PredictorEvaluator::PredictorEvaluator(const Space &space, std::string metric,
                                       std::shared_ptr<const Model> model,
                                       Quality quality,
                                       std::string fingerprint)
    : space(space), metric(std::move(metric)), model(std::move(model)),
      quality(quality), fingerprint(std::move(fingerprint)) {
  costs = std::move(*AnalyticalEvaluator::create(space));
}

PredictorEvaluator::~PredictorEvaluator() = default;

std::unique_ptr<PredictorEvaluator>
PredictorEvaluator::create(const Space &space,
                           std::shared_ptr<const Table> table,
                           llvm::StringRef metric, std::string &error) {
  llvm::ArrayRef<std::string> columns = table->getColumns();
  auto column = llvm::find(columns, metric);
  if (column == columns.end()) {
    error = table->getPath().str() + " has no '" + metric.str() +
            "' column to fit a predictor to";
    return nullptr;
  }
  size_t metricColumn = size_t(column - columns.begin());

  auto model = std::make_shared<Model>();
  for (const Decision *decision : space.getAllDecisions()) {
    model->columnOffset[decision->column] = model->numFeatures;
    model->numFeatures += decision->numOutcomes();
  }
  model->numFeatures += 3; // log-costs
  mlir::FailureOr<std::unique_ptr<AnalyticalEvaluator>> analytical =
      AnalyticalEvaluator::create(space);
  if (mlir::failed(analytical)) {
    error = "the space has no cost model";
    return nullptr;
  }

  // The rows that are candidates of the space with a value (and, for a
  // trials.csv, status ok).
  Matrix x;
  std::vector<double> y;
  for (auto &[encoding, line] : table->getEncodings()) {
    const std::vector<double> *row = table->lookup(encoding);
    double value = (*row)[metricColumn];
    if (std::isnan(value))
      continue;
    std::string why;
    FailureOr<Candidate> candidate = space.decode(encoding, why);
    if (failed(candidate))
      continue;
    x.push_back(getFeatures(space, *model, **analytical, *candidate));
    y.push_back(value);
  }
  if (y.size() < 10) {
    error = table->getPath().str() + ": " + std::to_string(y.size()) +
            " rows are candidates of this space with a '" + metric.str() +
            "'; a predictor needs at least 10";
    return nullptr;
  }

  // 5-fold cross-validation picks the ridge strength.
  size_t n = y.size();
  std::vector<size_t> fold(n);
  {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    Random random(0);
    for (size_t i = n - 1; i > 0; --i)
      std::swap(order[i], order[random.below(uint64_t(i + 1))]);
    for (size_t i = 0; i < n; ++i)
      fold[order[i]] = i % 5;
  }
  Quality best;
  double bestError = INFINITY;
  std::vector<double> bestPredictions;
  for (double lambda : {1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0}) {
    std::vector<double> predictions(n);
    for (size_t k = 0; k < 5; ++k) {
      std::vector<size_t> train;
      for (size_t r = 0; r < n; ++r)
        if (fold[r] != k)
          train.push_back(r);
      Model fitted = *model;
      fitted.fit(x, y, train, lambda);
      for (size_t r = 0; r < n; ++r)
        if (fold[r] == k)
          predictions[r] = fitted.predict(x[r]);
    }
    double squared = 0, absolute = 0;
    for (size_t r = 0; r < n; ++r) {
      squared += (predictions[r] - y[r]) * (predictions[r] - y[r]);
      absolute += std::fabs(predictions[r] - y[r]);
    }
    if (squared < bestError) {
      bestError = squared;
      best.lambda = lambda;
      best.meanAbsoluteError = absolute / double(n);
      bestPredictions = predictions;
    }
  }
  best.rows = n;
  best.spearman = spearman(bestPredictions, y);
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  model->fit(x, y, all, best.lambda);

  std::string fingerprint = "predictor of " + metric.str() + " fitted to " +
                            table->getDigest().str();
  return std::unique_ptr<PredictorEvaluator>(new PredictorEvaluator(
      space, metric.str(), std::move(model), best, fingerprint));
}

std::string PredictorEvaluator::getName() const {
  return "predictor of " + metric;
}

bool PredictorEvaluator::provides(llvm::StringRef name) const {
  return name == metric;
}

std::string PredictorEvaluator::getFingerprint() const { return fingerprint; }

double PredictorEvaluator::predict(const Candidate &candidate) {
  return model->predict(getFeatures(space, *model, *costs, candidate));
}

void PredictorEvaluator::evaluate(const Candidate &candidate,
                                  llvm::StringRef, llvm::ArrayRef<std::string> metrics,
                                  Evaluation &out) {
  for (size_t i = 0; i < metrics.size(); ++i)
    if (metrics[i] == metric && std::isnan(out.values[i]))
      out.values[i] = predict(candidate);
}

std::unique_ptr<Evaluator> PredictorEvaluator::clone() const {
  return std::unique_ptr<PredictorEvaluator>(
      new PredictorEvaluator(space, metric, model, quality, fingerprint));
}
