//===- Calibration.cpp - Cost models fitted to measurements ---------------===//
//
// `nasc calibrate`: from whole-network measurements (as few as 10-20
// candidates), one efficiency factor per quantity that scales the roofline
// (`analytical`), ridge regression on the candidate's features
// (`predictor`, getPredictorFeatures), a lookup table fitted to whole
// networks (`lookup_table`), or a graph network over the record graph
// (`graph`, GraphNetwork.h). All minimize the squared relative
// error (each row weighted by 1/measured²), because the quality that
// matters is relative (within ±10%). The ridge strength is chosen, and the
// quality reported, by cross-validation over candidates (the rows of one
// candidate share a fold): leave-one-out below 20 candidates, 5-fold above.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/CostModel.h"
#include "nasc/CostModel/GraphNetwork.h"

#include "nasc/Support/Numerics.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <cmath>
#include <numeric>

using namespace nasc;
using namespace nasc::cost;

//===----------------------------------------------------------------------===//
// Features
//===----------------------------------------------------------------------===//

namespace {
enum Group { Conv, Pointwise, Depthwise, Block, FC, Other, NumGroups };
const char *kGroupNames[NumGroups] = {"conv",  "pointwise", "depthwise",
                                      "block", "fc",        "other"};
Group groupOf(const LayerWork &layer) {
  if (layer.kind == "conv")
    return layer.kernel == 1 ? Pointwise : Conv;
  if (layer.kind == "dwconv")
    return Depthwise;
  if (layer.kind == "sep_conv" || layer.kind == "mbconv")
    return Block;
  if (layer.kind == "fc")
    return FC;
  return Other;
}
} // namespace

std::vector<std::string> cost::getPredictorFeatureNames(bool full,
                                                       bool counts) {
  std::vector<std::string> names = {"roofline"};
  if (full) {
    for (const char *group : kGroupNames) {
      names.push_back(std::string(group) + "_flops");
      names.push_back(std::string(group) + "_bytes");
      if (counts)
        names.push_back(std::string(group) + "_count");
    }
  } else {
    names.push_back("flops");
    names.push_back("bytes");
  }
  names.push_back("layers");
  return names;
}

std::vector<double> cost::getPredictorFeatures(const TargetDesc &target,
                                               Quantity quantity,
                                               llvm::ArrayRef<LayerWork> layers,
                                               bool full, bool counts) {
  size_t perGroup = full && counts ? 3 : 2;
  std::vector<double> x(full ? 2 + perGroup * NumGroups : 4, 0.0);
  for (const LayerWork &layer : layers) {
    x[0] += quantity == Quantity::Latency ? getRooflineLatency(target, layer)
                                          : getRooflineEnergy(target, layer);
    size_t group = full ? size_t(groupOf(layer)) : 0;
    x[1 + perGroup * group] += layer.flops;
    x[2 + perGroup * group] += layer.bytes;
    if (perGroup == 3)
      x[3 + perGroup * group] += 1;
    x.back() += 1;
  }
  return x;
}

//===----------------------------------------------------------------------===//
// The record graph
//===----------------------------------------------------------------------===//

/// makeRecordGraph's numeric features besides the priors'.
static constexpr size_t kRecordGraphFeatures = 9;

/// The graph network's view of a candidate's records: kind, sizes (as
/// logarithms), kernels and bit widths, the roofline and each prior's share
/// of every record as features; the roofline as the base its first head
/// scales. A target without figures gets a nominal one (1 TFLOP/s, 100
/// GB/s): a base of the right shape whose scale the network fits, which 42
/// measurements of a 2.5x roofline device need (test/CostModel).
static RecordGraph
makeRecordGraph(const TargetDesc &target, Quantity quantity,
                llvm::ArrayRef<LayerWork> layers,
                llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors) {
  TargetDesc device = target;
  if (quantity == Quantity::Latency && target.peakFlops <= 0 &&
      target.bandwidth <= 0) {
    device.peakFlops = 1e12;
    device.bandwidth = 1e11;
  }
  std::vector<std::vector<double>> priorValues;
  for (const auto &prior : priors)
    priorValues.push_back(prior->getRecordValues(quantity, layers));
  // Values in millionths of their unit (µs, µJ), on a log scale.
  auto logValue = [](double v) { return std::log1p(std::max(v, 0.0) * 1e6); };
  RecordGraph graph;
  for (auto [index, layer] : llvm::enumerate(layers)) {
    double roofline = quantity == Quantity::Latency
                          ? getRooflineLatency(device, layer)
                          : getRooflineEnergy(device, layer);
    std::vector<double> x = {
        std::log1p(layer.macs),
        std::log1p(layer.flops),
        std::log1p(layer.bytes),
        std::log1p(layer.fusedFlops),
        double(layer.kernels.size()),
        double(layer.kernel),
        std::log2(double(std::max(1u, layer.weightBits))),
        std::log2(double(std::max(1u, layer.activationBits))),
        logValue(roofline)};
    for (const std::vector<double> &values : priorValues)
      x.push_back(logValue(values[index]));
    graph.kinds.push_back(layer.kind);
    graph.numeric.push_back(std::move(x));
    graph.base.push_back(roofline);
    graph.inputs.push_back(layer.inputs);
  }
  return graph;
}

//===----------------------------------------------------------------------===//
// Fitting
//===----------------------------------------------------------------------===//

struct CalibratedModel::Fit {
  Quantity quantity = Quantity::Latency;
  /// analytical: value = scale × Σ base.
  double scale = 1;
  /// What `scale` multiplies in analytical and lookup_table: the roofline
  /// (-1) or the per-record estimate of the prior at this index.
  int base = -1;
  /// predictor: value = intercept + Σ weights · (x − mean) / sd, x the
  /// predictor's features and the priors' estimates.
  std::vector<double> mean, sd, weights;
  double intercept = 0, lambda = 0;
  /// Per-group features (enough rows) or totals only; with the number of
  /// records per group (models before them: without).
  bool full = false, counts = true;
  /// lookup_table: value = intercept + Σ over records of scale × base +
  /// table[key] + contextTable[context key] + overhead: the table holds
  /// corrections. (Models written before the corrections, `corrections`
  /// false: table[key], scale × base for keys not in it.)
  std::map<std::string, double> table;
  bool corrections = true;
  /// Corrections by context key (getContextKey); empty when
  /// cross-validation preferred the keys alone.
  std::map<std::string, double> contextTable;
  double contextLambda = 0;
  /// A constant per record: a per-op overhead the base does not have.
  double overhead = 0;
  /// graph: the network over the record graph.
  GraphNetwork graph;
  Quality quality;
  /// The model's priors (not owned).
  llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors;

  /// Each record's base: its roofline, or the prior's share of it.
  std::vector<double> baseValues(const TargetDesc &target,
                                 llvm::ArrayRef<LayerWork> layers) const {
    if (base >= 0)
      return priors[base]->getRecordValues(quantity, layers);
    std::vector<double> values;
    for (const LayerWork &layer : layers)
      values.push_back(quantity == Quantity::Latency
                           ? getRooflineLatency(target, layer)
                           : getRooflineEnergy(target, layer));
    return values;
  }
  /// The predictor's features: getPredictorFeatures, then each prior's
  /// estimate (the sum of its per-record values).
  std::vector<double> features(const TargetDesc &target,
                               llvm::ArrayRef<LayerWork> layers) const {
    std::vector<double> x =
        getPredictorFeatures(target, quantity, layers, full, counts);
    for (const auto &prior : priors) {
      double sum = 0;
      for (double value : prior->getRecordValues(quantity, layers))
        sum += value;
      x.push_back(sum);
    }
    return x;
  }
  /// The lookup table's value of one record whose base is `baseValue`,
  /// without the constant.
  double tableValue(const LayerWork &layer, double baseValue,
                    bool *interpolated) const {
    double y = overhead;
    auto it = table.find(layer.key);
    if (corrections || it == table.end())
      y += scale * baseValue;
    if (it != table.end())
      y += it->second;
    else if (interpolated)
      *interpolated = true;
    if (!contextTable.empty()) {
      auto c = contextTable.find(getContextKey(layer));
      if (c != contextTable.end())
        y += c->second;
    }
    // Not clamped: the keys, their corrections in context and the overhead
    // share what a record costs however ridge regression splits it, so a
    // record's part may be negative where the network's is not.
    return y;
  }
  /// The estimate's constant: what `predict` adds to the records' values.
  double constant(Method method) const {
    if (method == Method::Analytical)
      return base >= 0 ? scale * priors[base]->getConstant(quantity) : 0.0;
    if (method == Method::LookupTable)
      return intercept;
    if (method == Method::Graph)
      return 0.0;
    double y = intercept;
    for (size_t f = 0; f < weights.size(); ++f)
      y -= weights[f] * mean[f] / sd[f];
    return y;
  }
  /// Each record's share of the estimate, in the context of `layers`:
  /// every method's estimate is a constant plus their sum (before clamping
  /// at zero).
  std::vector<double> recordValues(const TargetDesc &target, Method method,
                                   llvm::ArrayRef<LayerWork> layers) const {
    if (method == Method::Graph)
      return graph.shares(makeRecordGraph(target, quantity, layers, priors));
    std::vector<double> values;
    if (method == Method::Analytical || method == Method::LookupTable) {
      values = baseValues(target, layers);
      for (auto [value, layer] : llvm::zip(values, layers))
        value = method == Method::Analytical
                    ? scale * value
                    : tableValue(layer, value, nullptr);
      return values;
    }
    // The predictor is linear: a record's share is its own features'.
    std::vector<std::vector<double>> priorValues;
    for (const auto &prior : priors)
      priorValues.push_back(prior->getRecordValues(quantity, layers));
    for (auto [index, layer] : llvm::enumerate(layers)) {
      std::vector<double> x =
          getPredictorFeatures(target, quantity, layer, full, counts);
      for (const std::vector<double> &prior : priorValues)
        x.push_back(prior[index]);
      double y = 0;
      for (size_t f = 0; f < weights.size(); ++f)
        y += weights[f] * x[f] / sd[f];
      values.push_back(y);
    }
    return values;
  }
  double predict(const TargetDesc &target, Method method,
                 llvm::ArrayRef<LayerWork> layers,
                 bool *interpolated = nullptr) const {
    if (method == Method::Graph)
      return graph.predict(makeRecordGraph(target, quantity, layers, priors));
    if (method == Method::Analytical) {
      double y = 0;
      for (double value : baseValues(target, layers))
        y += value;
      return constant(method) + scale * y;
    }
    if (method == Method::LookupTable) {
      double y = intercept;
      std::vector<double> bases = baseValues(target, layers);
      for (auto [layer, value] : llvm::zip(layers, bases))
        y += tableValue(layer, value, interpolated);
      return std::max(y, 1e-12);
    }
    std::vector<double> x = features(target, layers);
    double y = intercept;
    for (size_t f = 0; f < weights.size(); ++f)
      y += weights[f] * (x[f] - mean[f]) / sd[f];
    // A linear model extrapolating far may go below zero.
    return std::max(y, 1e-12);
  }
};

namespace {
using Matrix = std::vector<std::vector<double>>;

/// Relative errors, but a row measured far below the others (a candidate
/// whose code the compiler mostly removed) must not dominate: weights are
/// 1/y² with y floored at a quarter of the median.
std::vector<double> relativeWeights(llvm::ArrayRef<double> y,
                                    llvm::ArrayRef<size_t> use) {
  std::vector<double> sorted;
  for (size_t r : use)
    sorted.push_back(y[r]);
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2,
                   sorted.end());
  double floor = 0.25 * sorted[sorted.size() / 2];
  std::vector<double> w(y.size());
  for (size_t r : use)
    w[r] = 1.0 / std::pow(std::max(y[r], floor), 2);
  return w;
}

/// The factor s minimizing Σ w (y − s·x)² over rows `use`: the scaled
/// roofline (or prior), x being each row's sum of it.
double fitScale(llvm::ArrayRef<double> w, llvm::ArrayRef<double> x,
                llvm::ArrayRef<double> y, llvm::ArrayRef<size_t> use) {
  double num = 0, den = 0;
  for (size_t r : use) {
    num += w[r] * x[r] * y[r];
    den += w[r] * x[r] * x[r];
  }
  return den > 0 ? num / den : 1.0;
}

/// The lookup table fitted to whole networks: y ≈ b + Σ_i s · r_i + Σ_k
/// n_k d_k + Σ_c n_c u_c + o·N over the N records i of a row, their keys k
/// and context keys c (n of each): s scales the records' base r_i (their
/// roofline, or a prior's estimate) to the rows (as `analytical`), and
/// ridge regression finds the corrections d_k = s · r̄_k · δ_k (r̄_k the
/// key's mean base), the per-record overhead o and the constant b, with δ
/// shrunk at strength `lambda` (times the total weight). Keys become exact
/// where the rows tell them apart and stay at the scaled base where not.
/// With `contextLambda` > 0, a key's correction after each kind (u_c = m ·
/// γ_c, m the mean scaled base of a record) is shrunk towards the key's
/// own at strength `contextLambda`.
void fitTable(CalibratedModel::Fit &fit, const TargetDesc &target,
              llvm::ArrayRef<Measurement> rows, llvm::ArrayRef<double> y,
              llvm::ArrayRef<size_t> use, double lambda,
              double contextLambda) {
  std::vector<double> w = relativeWeights(y, use);
  // Columns: keys, then context keys, then the per-record overhead; each
  // row's count of each.
  std::map<std::string, size_t> index, contextIndex;
  // A key's mean base (a prior's estimate of a record may depend on its
  // context).
  std::vector<double> base, occurrences;
  std::vector<std::map<size_t, double>> counts(rows.size());
  // A prior's estimate whole, its constant too, is what s scales.
  double baseConstant =
      fit.base >= 0 ? fit.priors[fit.base]->getConstant(fit.quantity) : 0.0;
  std::vector<double> total(rows.size(), baseConstant);
  double records = 0;
  for (size_t r : use)
    for (auto [layer, value] :
         llvm::zip(rows[r].layers, fit.baseValues(target, rows[r].layers))) {
      auto [it, inserted] = index.try_emplace(layer.key, base.size());
      if (inserted) {
        base.push_back(0);
        occurrences.push_back(0);
      }
      base[it->second] += value;
      occurrences[it->second] += 1;
      counts[r][it->second] += 1;
      total[r] += value;
    }
  size_t keys = base.size();
  for (size_t k = 0; k < keys; ++k)
    base[k] /= occurrences[k];
  if (contextLambda > 0)
    for (size_t r : use)
      for (const LayerWork &layer : rows[r].layers) {
        auto [it, inserted] =
            contextIndex.try_emplace(getContextKey(layer), keys +
                                                               contextIndex
                                                                   .size());
        counts[r][it->second] += 1;
      }
  size_t overheadColumn = keys + contextIndex.size();
  size_t d = overheadColumn + 1;
  double weight = 0;
  for (size_t r : use) {
    weight += w[r];
    records += double(rows[r].layers.size());
    counts[r][overheadColumn] = double(rows[r].layers.size());
  }
  fit.scale = fitScale(w, total, y, use);
  // The magnitude of a record's value: context corrections and the
  // overhead are penalized in its units.
  double magnitude = 0;
  for (size_t r : use)
    magnitude += std::fabs(fit.scale * total[r]);
  magnitude = records > 0 ? std::max(magnitude / records, 1e-300) : 1.0;
  auto unit = [&](size_t k) {
    return k < keys ? fit.scale * base[k] : magnitude;
  };
  // z_rk = n_rk · unit_k; target t = y − s · total. Weighted centering for
  // b, applied to the sparse products: Σ w (z − z̄)(z − z̄)ᵀ = Σ w z zᵀ −
  // W z̄ z̄ᵀ.
  std::vector<double> zMean(d, 0);
  double tMean = 0;
  for (size_t r : use) {
    tMean += w[r] * (y[r] - fit.scale * total[r]) / weight;
    for (auto [k, n] : counts[r])
      zMean[k] += w[r] * n * unit(k) / weight;
  }
  Matrix a(d, std::vector<double>(d, 0));
  std::vector<double> b(d, 0);
  for (size_t r : use) {
    double t = y[r] - fit.scale * total[r];
    for (auto [i, ni] : counts[r]) {
      double zi = ni * unit(i);
      b[i] += w[r] * zi * t;
      for (auto [j, nj] : counts[r])
        if (j <= i)
          a[i][j] += w[r] * zi * nj * unit(j);
    }
  }
  // The penalty is relative to each key's share of the rows, so that keys
  // of small kernels are not left free.
  for (size_t i = 0; i < d; ++i) {
    b[i] -= weight * zMean[i] * tMean;
    for (size_t j = 0; j <= i; ++j)
      a[i][j] -= weight * zMean[i] * zMean[j];
    for (size_t j = 0; j < i; ++j)
      a[j][i] = a[i][j];
    double strength = i >= keys && i < overheadColumn ? contextLambda : lambda;
    a[i][i] += strength * weight * unit(i) * unit(i) + 1e-300;
  }
  std::vector<double> delta = solveSPD(std::move(a), std::move(b));
  fit.intercept = tMean + fit.scale * baseConstant;
  for (size_t k = 0; k < d; ++k)
    fit.intercept -= zMean[k] * delta[k];
  fit.table.clear();
  fit.contextTable.clear();
  fit.corrections = true;
  for (const auto &[key, k] : index)
    fit.table[key] = fit.scale * base[k] * delta[k];
  for (const auto &[key, k] : contextIndex)
    fit.contextTable[key] = magnitude * delta[k];
  fit.overhead = magnitude * delta[overheadColumn];
  fit.lambda = lambda;
  fit.contextLambda = contextLambda;
}

/// Fits `fit` (its method's parameters) to rows `use` of x, y.
void fitRows(CalibratedModel::Fit &fit, Method method,
             const TargetDesc &target, llvm::ArrayRef<Measurement> rows,
             const Matrix &x, llvm::ArrayRef<double> y,
             llvm::ArrayRef<size_t> use, double lambda) {
  std::vector<double> w = relativeWeights(y, use);
  if (method == Method::Analytical) {
    // A prior's estimate whole: its constant and its records' values.
    std::vector<double> base(rows.size(), 0);
    for (size_t r : use) {
      if (fit.base >= 0)
        base[r] = fit.priors[fit.base]->getConstant(fit.quantity);
      for (double value : fit.baseValues(target, rows[r].layers))
        base[r] += value;
    }
    fit.scale = fitScale(w, base, y, use);
    return;
  }
  size_t d = x.front().size();
  // Weighted means and deviations.
  double total = 0;
  for (size_t r : use)
    total += w[r];
  fit.mean.assign(d, 0);
  fit.sd.assign(d, 0);
  fit.intercept = 0;
  for (size_t r : use) {
    fit.intercept += w[r] * y[r] / total;
    for (size_t f = 0; f < d; ++f)
      fit.mean[f] += w[r] * x[r][f] / total;
  }
  for (size_t r : use)
    for (size_t f = 0; f < d; ++f)
      fit.sd[f] += w[r] * (x[r][f] - fit.mean[f]) * (x[r][f] - fit.mean[f]) /
                   total;
  for (double &s : fit.sd)
    s = s > 1e-30 ? std::sqrt(s) : 1.0;
  Matrix a(d, std::vector<double>(d, 0));
  std::vector<double> b(d, 0), z(d);
  for (size_t r : use) {
    for (size_t f = 0; f < d; ++f)
      z[f] = (x[r][f] - fit.mean[f]) / fit.sd[f];
    for (size_t i = 0; i < d; ++i) {
      b[i] += w[r] * z[i] * (y[r] - fit.intercept);
      for (size_t j = 0; j <= i; ++j)
        a[i][j] += w[r] * z[i] * z[j];
    }
  }
  for (size_t i = 0; i < d; ++i) {
    for (size_t j = 0; j < i; ++j)
      a[j][i] = a[i][j];
    a[i][i] += lambda * total;
  }
  fit.weights = solveSPD(std::move(a), std::move(b));
  fit.lambda = lambda;
}

/// The settings a fit is cross-validated over.
struct Setting {
  int base = -1;
  double lambda = 0, contextLambda = 0;
};

/// Fits `fit` with `setting` to rows `use` (their record graphs `graphs`
/// for the graph method).
void fitWith(CalibratedModel::Fit &fit, Method method, const Setting &setting,
             const TargetDesc &target, llvm::ArrayRef<Measurement> rows,
             const Matrix &x, llvm::ArrayRef<double> y,
             llvm::ArrayRef<size_t> use, llvm::ArrayRef<RecordGraph> graphs) {
  fit.base = setting.base;
  if (method == Method::Graph) {
    std::vector<double> w = relativeWeights(y, use);
    std::vector<const RecordGraph *> train;
    std::vector<double> trainY, trainW;
    for (size_t r : use) {
      train.push_back(&graphs[r]);
      trainY.push_back(y[r]);
      trainW.push_back(w[r]);
    }
    fit.graph.train(train, trainY, trainW, GraphNetwork::Options());
  } else if (method == Method::LookupTable)
    fitTable(fit, target, rows, y, use, setting.lambda, setting.contextLambda);
  else
    fitRows(fit, method, target, rows, x, y, use, setting.lambda);
}

/// Cross-validated predictions of every row.
std::vector<double> crossValidate(const CalibratedModel::Fit &shape,
                                  const TargetDesc &target, Method method,
                                  llvm::ArrayRef<Measurement> rows,
                                  const Matrix &x, llvm::ArrayRef<double> y,
                                  llvm::ArrayRef<RecordGraph> graphs,
                                  const Setting &setting) {
  size_t n = y.size();
  // Rows of one candidate (measured twice) share a fold: a model must not
  // be validated on a candidate it was fitted to. Candidates take folds in
  // order of first appearance.
  std::vector<size_t> group(n);
  llvm::StringMap<size_t> groupOf;
  for (size_t r = 0; r < n; ++r)
    group[r] = groupOf.try_emplace(rows[r].encoding, groupOf.size())
                   .first->second;
  size_t candidates = groupOf.size();
  size_t folds = candidates < 20 ? candidates : 5;
  std::vector<double> predicted(n);
  for (size_t k = 0; k < folds; ++k) {
    std::vector<size_t> train;
    for (size_t r = 0; r < n; ++r)
      if (group[r] % folds != k)
        train.push_back(r);
    CalibratedModel::Fit fit;
    fit.quantity = shape.quantity;
    fit.full = shape.full;
    fit.priors = shape.priors;
    fitWith(fit, method, setting, target, rows, x, y, train, graphs);
    for (size_t r = 0; r < n; ++r)
      if (group[r] % folds == k)
        predicted[r] = method == Method::Graph
                           ? fit.graph.predict(graphs[r])
                           : fit.predict(target, method, rows[r].layers);
  }
  return predicted;
}

Quality assess(llvm::ArrayRef<double> predicted, llvm::ArrayRef<double> y,
               llvm::ArrayRef<Measurement> rows) {
  Quality quality;
  quality.rows = y.size();
  llvm::StringSet<> distinct;
  for (const Measurement &row : rows)
    distinct.insert(row.encoding);
  quality.candidates = distinct.size();
  size_t within = 0;
  for (size_t r = 0; r < y.size(); ++r) {
    double error = std::fabs(predicted[r] - y[r]) / y[r];
    quality.meanAbsolutePercentageError += 100 * error / double(y.size());
    within += error <= 0.10;
  }
  quality.within10 = double(within) / double(y.size());
  quality.spearman = spearman(predicted, y);
  quality.kendall = kendall(predicted, y);
  return quality;
}
} // namespace

CalibratedModel::CalibratedModel(TargetDesc target, Method method,
                                 Records records)
    : CostModel(std::move(target)), method(method), records(records) {
  fits.resize(2);
}
CalibratedModel::~CalibratedModel() = default;

std::unique_ptr<CalibratedModel> CalibratedModel::fit(
    TargetDesc target, Method method, llvm::ArrayRef<Measurement> rows,
    std::string &error, Records records,
    llvm::ArrayRef<std::shared_ptr<const CalibratedModel>> priors) {
  std::unique_ptr<CalibratedModel> model(
      new CalibratedModel(std::move(target), method, records));
  for (const auto &prior : priors)
    if (prior->getRecords() != records) {
      error = "a prior model reads " +
              stringifyRecords(prior->getRecords()).str() +
              ", this calibration " + stringifyRecords(records).str() +
              " (pass --records " +
              stringifyRecords(prior->getRecords()).str() + ")";
      return nullptr;
    }
  model->priors.assign(priors.begin(), priors.end());
  bool hasRoofline =
      model->target.peakFlops > 0 || model->target.bandwidth > 0;
  for (Quantity quantity : {Quantity::Latency, Quantity::Energy}) {
    std::vector<Measurement> usable;
    for (const Measurement &row : rows) {
      double v = quantity == Quantity::Latency ? row.latency : row.energy;
      if (std::isfinite(v) && v > 0)
        usable.push_back(row);
    }
    if (usable.empty())
      continue;
    if (usable.size() < 5) {
      error = "calibrating " + stringifyQuantity(quantity).str() +
              " needs at least 5 measured candidates, got " +
              std::to_string(usable.size());
      return nullptr;
    }
    auto fit = std::make_unique<Fit>();
    fit->quantity = quantity;
    // Per-group features need about three rows per feature.
    fit->full = usable.size() >= 3 * getPredictorFeatureNames(true).size();
    fit->priors = model->priors;
    Matrix x;
    std::vector<double> y;
    std::vector<RecordGraph> graphs;
    for (const Measurement &row : usable) {
      if (method == Method::Predictor)
        x.push_back(fit->features(model->target, row.layers));
      if (method == Method::Graph)
        graphs.push_back(makeRecordGraph(model->target, quantity, row.layers,
                                         model->priors));
      y.push_back(quantity == Quantity::Latency ? row.latency : row.energy);
    }
    // The settings cross-validation chooses among: for the analytical and
    // lookup-table methods, the base they scale (the roofline, or a prior
    // that has the quantity); for the lookup table, whether keys in context
    // add to the keys; the ridge strengths.
    std::vector<int> bases;
    if (hasRoofline)
      bases.push_back(-1);
    for (size_t p = 0; p < priors.size(); ++p)
      if (priors[p]->provides(quantity))
        bases.push_back(int(p));
    // The predictor and the graph network have the roofline and the priors
    // as features instead.
    if (method == Method::Predictor || method == Method::Graph)
      bases = {-1};
    if (bases.empty()) {
      error = "the " + stringifyMethod(method).str() +
              " method needs a roofline (peak_compute or bandwidth) or a "
              "prior with " + stringifyQuantity(quantity).str();
      return nullptr;
    }
    std::vector<double> lambdas = {0}, contextLambdas = {0};
    if (method == Method::Predictor)
      lambdas = {1e-4, 1e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3};
    if (method == Method::LookupTable) {
      lambdas = {1e-7, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1};
      contextLambdas = {0, 1e-4, 1e-2, 1};
    }
    Setting bestSetting;
    std::vector<double> best;
    double bestError = INFINITY;
    for (int base : bases)
      for (double lambda : lambdas)
        for (double contextLambda : contextLambdas) {
          Setting setting{base, lambda, contextLambda};
          std::vector<double> predicted = crossValidate(
              *fit, model->target, method, usable, x, y, graphs, setting);
          double e = assess(predicted, y, usable).meanAbsolutePercentageError;
          if (e < bestError) {
            bestError = e;
            bestSetting = setting;
            best = predicted;
          }
        }
    std::vector<size_t> all(y.size());
    std::iota(all.begin(), all.end(), 0);
    fitWith(*fit, method, bestSetting, model->target, usable, x, y, all,
            graphs);
    fit->quality = assess(best, y, usable);
    model->fits[size_t(quantity)] = std::move(fit);
  }
  if (!model->fits[0] && !model->fits[1]) {
    error = "no candidate has a positive measured latency or energy";
    return nullptr;
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(model->toJSON());
  model->fingerprint = text;
  return model;
}

std::vector<double>
CalibratedModel::getRecordValues(Quantity quantity,
                                 llvm::ArrayRef<LayerWork> layers) const {
  const auto &fit = fits[size_t(quantity)];
  if (!fit)
    return std::vector<double>(layers.size(), 0.0);
  return fit->recordValues(target, method, layers);
}

double CalibratedModel::getConstant(Quantity quantity) const {
  const auto &fit = fits[size_t(quantity)];
  return fit ? fit->constant(method) : 0.0;
}

std::string CalibratedModel::describeFit(Quantity quantity) const {
  const auto &fit = fits[size_t(quantity)];
  if (!fit)
    return "";
  std::string text;
  if (method == Method::Graph)
    text = std::string(target.peakFlops > 0 || target.bandwidth > 0 ||
                               quantity == Quantity::Energy
                           ? "roofline in context"
                           : "nominal roofline in context");
  else if (method != Method::Predictor)
    text = fit->base < 0 ? "scaled roofline"
                         : "scaled prior " + std::to_string(fit->base + 1) +
                               " (" + priors[fit->base]->getTarget().name +
                               ")";
  if ((method == Method::Predictor || method == Method::Graph) &&
      !priors.empty())
    text += std::string(text.empty() ? "" : ", ") +
            (priors.size() == 1
                 ? "1 prior as a feature"
                 : std::to_string(priors.size()) + " priors as features");
  if (method == Method::LookupTable)
    text += fit->contextTable.empty() ? ", keys" : ", keys in context";
  return text;
}

bool CalibratedModel::provides(Quantity quantity) const {
  return bool(fits[size_t(quantity)]);
}

const Quality *CalibratedModel::getQuality(Quantity quantity) const {
  const auto &fit = fits[size_t(quantity)];
  return fit ? &fit->quality : nullptr;
}

Estimate CalibratedModel::estimate(Quantity quantity,
                                   llvm::ArrayRef<LayerWork> layers) const {
  Estimate estimate;
  const auto &fit = fits[size_t(quantity)];
  if (!fit)
    return estimate;
  estimate.value =
      fit->predict(target, method, layers, &estimate.interpolated);
  estimate.relativeError = fit->quality.meanAbsolutePercentageError / 100;
  return estimate;
}

std::string CalibratedModel::getFingerprint() const {
  return "calibrated " + fingerprint;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static llvm::json::Object tableJSON(const std::map<std::string, double> &table) {
  llvm::json::Object object;
  for (const auto &[key, value] : table)
    object[key] = value;
  return object;
}

static llvm::json::Array toArray(llvm::ArrayRef<double> values) {
  llvm::json::Array array;
  for (double v : values)
    array.push_back(v);
  return array;
}

llvm::json::Value CalibratedModel::toJSON() const {
  llvm::json::Array fitArray;
  for (const auto &fit : fits) {
    if (!fit)
      continue;
    llvm::json::Array names;
    for (const std::string &name :
         getPredictorFeatureNames(fit->full, fit->counts))
      names.push_back(name);
    for (size_t p = 0; p < priors.size(); ++p)
      names.push_back("prior" + std::to_string(p + 1));
    llvm::json::Object fitObject{
        {"quantity", stringifyQuantity(fit->quantity)},
        {"unit", fit->quantity == Quantity::Latency ? "s" : "J"},
        {"scale", fit->scale},
        {"features", std::move(names)},
        {"mean", toArray(fit->mean)},
        {"sd", toArray(fit->sd)},
        {"weights", toArray(fit->weights)},
        {"intercept", fit->intercept},
        {"lambda", fit->lambda},
        {"base", int64_t(fit->base)},
        {"table_holds", fit->corrections ? "corrections" : "values"},
        {"table", tableJSON(fit->table)},
        {"context_table", tableJSON(fit->contextTable)},
        {"context_lambda", fit->contextLambda},
        {"overhead", fit->overhead},
        {"quality",
         llvm::json::Object{
             {"rows", int64_t(fit->quality.rows)},
             {"candidates", int64_t(fit->quality.candidates)},
             {"spearman", fit->quality.spearman},
             {"kendall", fit->quality.kendall},
             {"mape_percent", fit->quality.meanAbsolutePercentageError},
             {"within_10_percent", fit->quality.within10}}}};
    if (method == Method::Graph)
      fitObject["graph"] = fit->graph.toJSON();
    fitArray.push_back(std::move(fitObject));
  }
  llvm::json::Array priorArray;
  for (const auto &prior : priors)
    priorArray.push_back(prior->toJSON());
  return llvm::json::Object{
      {"nasc_cost_model", 1},
      {"priors", std::move(priorArray)},
      {"method", stringifyMethod(method)},
      {"records", stringifyRecords(records)},
      {"target",
       llvm::json::Object{{"name", target.name},
                          {"kind", nas::stringifyTargetKind(target.kind)},
                          {"preset", target.preset},
                          {"peak_flops", target.peakFlops},
                          {"peak_int8", target.peakInt8},
                          {"bandwidth", target.bandwidth},
                          {"overhead", target.overhead},
                          {"energy_per_mac", target.energyPerMac},
                          {"energy_per_byte", target.energyPerByte},
                          {"power", target.power},
                          {"sram", target.sram},
                          {"flash", target.flash}}},
      {"fits", std::move(fitArray)}};
}

std::unique_ptr<CalibratedModel> CalibratedModel::load(llvm::StringRef path,
                                                       std::string &error) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(path, &message);
  if (!file) {
    error = path.str() + ": " + message;
    return nullptr;
  }
  llvm::Expected<llvm::json::Value> value =
      llvm::json::parse(file->getBuffer());
  if (!value) {
    error = path.str() + ": " + llvm::toString(value.takeError());
    return nullptr;
  }
  std::unique_ptr<CalibratedModel> model = fromJSON(*value, path, error);
  if (model)
    model->fingerprint = file->getBuffer().str();
  return model;
}

std::unique_ptr<CalibratedModel>
CalibratedModel::fromJSON(const llvm::json::Value &value, llvm::StringRef path,
                          std::string &error) {
  auto fail = [&](const std::string &why) -> std::unique_ptr<CalibratedModel> {
    error = path.str() + ": " + why;
    return nullptr;
  };
  const llvm::json::Object *root = value.getAsObject();
  if (!root || !root->getInteger("nasc_cost_model"))
    return fail("not a cost model written by nasc calibrate");
  std::optional<llvm::StringRef> methodName = root->getString("method");
  Method method;
  if (methodName == "analytical")
    method = Method::Analytical;
  else if (methodName == "predictor")
    method = Method::Predictor;
  else if (methodName == "lookup_table")
    method = Method::LookupTable;
  else if (methodName == "graph")
    method = Method::Graph;
  else
    return fail("unknown method");
  std::optional<Records> records =
      parseRecords(root->getString("records").value_or("layers"));
  if (!records)
    return fail("unknown records (expected layers or kernels)");
  const llvm::json::Object *t = root->getObject("target");
  if (!t || !t->getString("name"))
    return fail("no target");
  TargetDesc target;
  target.name = t->getString("name")->str();
  if (auto kind = nas::symbolizeTargetKind(t->getString("kind").value_or("")))
    target.kind = *kind;
  target.preset = t->getString("preset").value_or("").str();
  auto number = [&](const llvm::json::Object &o, llvm::StringRef key) {
    return o.getNumber(key).value_or(0.0);
  };
  target.peakFlops = number(*t, "peak_flops");
  target.peakInt8 = number(*t, "peak_int8");
  target.bandwidth = number(*t, "bandwidth");
  target.overhead = number(*t, "overhead");
  target.energyPerMac = number(*t, "energy_per_mac");
  target.energyPerByte = number(*t, "energy_per_byte");
  target.power = number(*t, "power");
  target.sram = number(*t, "sram");
  target.flash = number(*t, "flash");
  target.source = "calibrated model " + path.str();
  std::unique_ptr<CalibratedModel> model(
      new CalibratedModel(std::move(target), method, *records));
  if (const llvm::json::Array *priorArray = root->getArray("priors"))
    for (const llvm::json::Value &entry : *priorArray) {
      std::unique_ptr<CalibratedModel> prior =
          fromJSON(entry, (path + " (a prior)").str(), error);
      if (!prior)
        return nullptr;
      prior->fingerprint = path.str();
      model->priors.push_back(std::move(prior));
    }
  const llvm::json::Array *fitArray = root->getArray("fits");
  if (!fitArray)
    return fail("no fits");
  for (const llvm::json::Value &entry : *fitArray) {
    const llvm::json::Object *o = entry.getAsObject();
    if (!o)
      return fail("a fit is not an object");
    auto fit = std::make_unique<Fit>();
    std::optional<llvm::StringRef> quantity = o->getString("quantity");
    if (quantity == "latency")
      fit->quantity = Quantity::Latency;
    else if (quantity == "energy")
      fit->quantity = Quantity::Energy;
    else
      return fail("a fit has an unknown quantity");
    auto vector = [&](llvm::StringRef key, std::vector<double> &out) {
      out.clear();
      if (const llvm::json::Array *a = o->getArray(key))
        for (const llvm::json::Value &v : *a)
          out.push_back(v.getAsNumber().value_or(0.0));
    };
    fit->scale = number(*o, "scale");
    vector("mean", fit->mean);
    vector("sd", fit->sd);
    vector("weights", fit->weights);
    fit->intercept = number(*o, "intercept");
    fit->lambda = number(*o, "lambda");
    const llvm::json::Array *names = o->getArray("features");
    fit->priors = model->priors;
    // The per-group features with or without the counts (models written
    // before them), or the totals.
    size_t named = names ? names->size() : 0;
    fit->full = named == getPredictorFeatureNames(true, true).size() +
                             model->priors.size() ||
                named == getPredictorFeatureNames(true, false).size() +
                             model->priors.size();
    fit->counts = named == getPredictorFeatureNames(true, true).size() +
                               model->priors.size();
    size_t features = getPredictorFeatureNames(fit->full, fit->counts).size() +
                      model->priors.size();
    if (method == Method::Predictor &&
        (fit->mean.size() != features || fit->sd.size() != features ||
         fit->weights.size() != features))
      return fail("a predictor fit needs " + std::to_string(features) +
                  " means, deviations and weights");
    if (const llvm::json::Object *t = o->getObject("table"))
      for (const auto &[key, value] : *t)
        fit->table[key.str()] = value.getAsNumber().value_or(0.0);
    if (const llvm::json::Object *t = o->getObject("context_table"))
      for (const auto &[key, value] : *t)
        fit->contextTable[key.str()] = value.getAsNumber().value_or(0.0);
    fit->corrections = o->getString("table_holds") == "corrections";
    fit->contextLambda = number(*o, "context_lambda");
    fit->overhead = number(*o, "overhead");
    fit->base = int(o->getInteger("base").value_or(-1));
    if (fit->base < -1 || fit->base >= int(model->priors.size()))
      return fail("a fit's base names no prior");
    if (method == Method::LookupTable && fit->table.empty())
      return fail("a lookup_table fit needs a table");
    if (method == Method::Graph) {
      const llvm::json::Object *graph = o->getObject("graph");
      std::string why = "a graph fit needs its network";
      if (!graph || !fit->graph.fromJSON(*graph, why))
        return fail(why);
      if (fit->graph.getNumNumeric() !=
          kRecordGraphFeatures + model->priors.size())
        return fail("a graph fit with " +
                    std::to_string(model->priors.size()) +
                    " priors needs " +
                    std::to_string(kRecordGraphFeatures +
                                   model->priors.size()) +
                    " numeric features");
    }
    if (const llvm::json::Object *q = o->getObject("quality")) {
      fit->quality.rows = size_t(q->getInteger("rows").value_or(0));
      fit->quality.candidates = size_t(
          q->getInteger("candidates").value_or(int64_t(fit->quality.rows)));
      fit->quality.spearman = number(*q, "spearman");
      fit->quality.kendall = number(*q, "kendall");
      fit->quality.meanAbsolutePercentageError = number(*q, "mape_percent");
      fit->quality.within10 = number(*q, "within_10_percent");
    }
    size_t index = size_t(fit->quantity);
    model->fits[index] = std::move(fit);
  }
  return model;
}
