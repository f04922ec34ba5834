//===- GraphNetwork.cpp - A graph network over a candidate's records ------===//
//
// Forward and backward passes by hand (GraphNetwork.h has the model). The
// first layer exploits the one-hot kinds: a record's product with a weight
// matrix is the kind's row plus its few numeric features' rows. Messages
// are means over a record's inputs and over its consumers, so both
// directions of the data flow reach a record's state.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/GraphNetwork.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

using namespace nasc;
using namespace nasc::cost;

namespace {
/// Exponents are clamped: a share past e^30 times its unit is no latency.
constexpr double kMaxExponent = 30, kMinExponent = -40;

double clampedExp(double s, bool &clamped) {
  clamped = s > kMaxExponent || s < kMinExponent;
  return std::exp(std::clamp(s, kMinExponent, kMaxExponent));
}

/// Offsets of the parameter blocks in GraphNetwork::params.
struct Layout {
  size_t f, h;
  size_t ws, wi, wo, b, vs, vi, vo, c, a, a0, o, o0, sa, so, total;
  Layout(size_t f, size_t h) : f(f), h(h) {
    ws = 0;
    wi = ws + f * h;
    wo = wi + f * h;
    b = wo + f * h;
    vs = b + h;
    vi = vs + h * h;
    vo = vi + h * h;
    c = vo + h * h;
    a = c + h;
    a0 = a + h;
    o = a0 + 1;
    o0 = o + h;
    sa = o0 + 1;
    so = sa + f;
    total = so + f;
  }
};

double uniform(std::mt19937_64 &rng) {
  return double(rng() >> 11) * 0x1.0p-53;
}
} // namespace

/// A graph standardized for the network: one-hot slot and numeric features
/// per record, the records' bases, inputs and consumers.
struct GraphNetwork::Prepared {
  size_t n = 0;
  /// The one-hot rows set: the record's kind, and the kind executed before
  /// it (a runtime fusing by execution order).
  std::vector<std::array<unsigned, 2>> hot;
  std::vector<double> z; // n × numeric
  std::vector<double> base;
  std::vector<llvm::SmallVector<unsigned, 2>> in, out;
};

/// The forward pass's intermediate values, for the backward pass.
struct GraphNetwork::Trace {
  std::vector<double> z1, h1, z2, h2, es, et;
  std::vector<char> clampedS, clampedT;
};

GraphNetwork::Prepared GraphNetwork::prepare(const RecordGraph &graph) const {
  Prepared p;
  p.n = graph.size();
  size_t k = mean.size();
  p.hot.resize(p.n);
  size_t slots = kinds.size() + 1;
  auto slotOf = [&](const std::string &kind) {
    auto it = std::lower_bound(kinds.begin(), kinds.end(), kind);
    return it != kinds.end() && *it == kind ? unsigned(it - kinds.begin())
                                            : unsigned(kinds.size());
  };
  p.z.resize(p.n * k);
  p.base = graph.base;
  p.base.resize(p.n, 0.0);
  p.in.resize(p.n);
  p.out.resize(p.n);
  for (size_t v = 0; v < p.n; ++v) {
    p.hot[v] = {slotOf(graph.kinds[v]),
                unsigned(slots + (v > 0 ? slotOf(graph.kinds[v - 1])
                                        : kinds.size()))};
    for (size_t j = 0; j < k; ++j) {
      double x = j < graph.numeric[v].size() ? graph.numeric[v][j] : 0.0;
      p.z[v * k + j] = (x - mean[j]) / sd[j];
    }
    for (unsigned u : graph.inputs[v])
      if (u < v) {
        p.in[v].push_back(u);
        p.out[u].push_back(unsigned(v));
      }
  }
  return p;
}

namespace {
/// out[v] = the one-hot rows of v + z_v · the numeric rows (from
/// `numericRow` on) of the f×h matrix at `m`.
void inputProduct(const double *m, const GraphNetwork::Prepared &p,
                  size_t numericRow, size_t k, size_t h,
                  std::vector<double> &out) {
  out.assign(p.n * h, 0.0);
  for (size_t v = 0; v < p.n; ++v) {
    double *row = &out[v * h];
    for (unsigned hot : p.hot[v]) {
      const double *w = m + hot * h;
      for (size_t j = 0; j < h; ++j)
        row[j] += w[j];
    }
    for (size_t q = 0; q < k; ++q) {
      double x = p.z[v * k + q];
      const double *wq = m + (numericRow + q) * h;
      for (size_t j = 0; j < h; ++j)
        row[j] += x * wq[j];
    }
  }
}

/// out = in (n×d) · m (d×h).
void denseProduct(const double *m, const std::vector<double> &in, size_t n,
                  size_t d, size_t h, std::vector<double> &out) {
  out.assign(n * h, 0.0);
  for (size_t v = 0; v < n; ++v)
    for (size_t q = 0; q < d; ++q) {
      double x = in[v * d + q];
      if (x == 0)
        continue;
      const double *wq = m + q * h;
      double *row = &out[v * h];
      for (size_t j = 0; j < h; ++j)
        row[j] += x * wq[j];
    }
}

/// z_v = s_v + mean over inputs of i_u + mean over consumers of o_w + bias.
void aggregate(const GraphNetwork::Prepared &p, size_t h,
               const std::vector<double> &s, const std::vector<double> &i,
               const std::vector<double> &o, const double *bias,
               std::vector<double> &z) {
  z.assign(p.n * h, 0.0);
  for (size_t v = 0; v < p.n; ++v) {
    double *row = &z[v * h];
    for (size_t j = 0; j < h; ++j)
      row[j] = s[v * h + j] + bias[j];
    if (!p.in[v].empty()) {
      double scale = 1.0 / double(p.in[v].size());
      for (unsigned u : p.in[v])
        for (size_t j = 0; j < h; ++j)
          row[j] += scale * i[u * h + j];
    }
    if (!p.out[v].empty()) {
      double scale = 1.0 / double(p.out[v].size());
      for (unsigned w : p.out[v])
        for (size_t j = 0; j < h; ++j)
          row[j] += scale * o[w * h + j];
    }
  }
}

/// The adjoint of aggregate: dS = dZ, dI[u] += dZ_v / |in v|, dO[w] += dZ_v
/// / |out v|.
void aggregateBack(const GraphNetwork::Prepared &p, size_t h,
                   const std::vector<double> &dz, std::vector<double> &ds,
                   std::vector<double> &di, std::vector<double> &dout) {
  ds = dz;
  di.assign(p.n * h, 0.0);
  dout.assign(p.n * h, 0.0);
  for (size_t v = 0; v < p.n; ++v) {
    const double *row = &dz[v * h];
    if (!p.in[v].empty()) {
      double scale = 1.0 / double(p.in[v].size());
      for (unsigned u : p.in[v])
        for (size_t j = 0; j < h; ++j)
          di[u * h + j] += scale * row[j];
    }
    if (!p.out[v].empty()) {
      double scale = 1.0 / double(p.out[v].size());
      for (unsigned w : p.out[v])
        for (size_t j = 0; j < h; ++j)
          dout[w * h + j] += scale * row[j];
    }
  }
}
} // namespace

double GraphNetwork::forward(const Prepared &p, std::vector<double> *shares,
                             Trace *trace) const {
  size_t k = mean.size(), numericRow = 2 * (kinds.size() + 1), h = hidden;
  Layout l(numInputs(), h);
  const double *w = params.data();
  Trace local;
  Trace &t = trace ? *trace : local;
  std::vector<double> s, i, o;
  inputProduct(w + l.ws, p, numericRow, k, h, s);
  inputProduct(w + l.wi, p, numericRow, k, h, i);
  inputProduct(w + l.wo, p, numericRow, k, h, o);
  aggregate(p, h, s, i, o, w + l.b, t.z1);
  t.h1 = t.z1;
  for (double &x : t.h1)
    x = std::max(x, 0.0);
  denseProduct(w + l.vs, t.h1, p.n, h, h, s);
  denseProduct(w + l.vi, t.h1, p.n, h, h, i);
  denseProduct(w + l.vo, t.h1, p.n, h, h, o);
  aggregate(p, h, s, i, o, w + l.c, t.z2);
  t.h2 = t.z2;
  for (double &x : t.h2)
    x = std::max(x, 0.0);
  t.es.resize(p.n);
  t.et.resize(p.n);
  t.clampedS.resize(p.n);
  t.clampedT.resize(p.n);
  if (shares)
    shares->resize(p.n);
  double value = 0;
  for (size_t v = 0; v < p.n; ++v) {
    // The heads: from the state, and straight from the record's features.
    double sv = w[l.a0], tv = w[l.o0];
    for (unsigned hot : p.hot[v]) {
      sv += w[l.sa + hot];
      tv += w[l.so + hot];
    }
    for (size_t j = 0; j < h; ++j) {
      sv += w[l.a + j] * t.h2[v * h + j];
      tv += w[l.o + j] * t.h2[v * h + j];
    }
    for (size_t q = 0; q < k; ++q) {
      sv += w[l.sa + numericRow + q] * p.z[v * k + q];
      tv += w[l.so + numericRow + q] * p.z[v * k + q];
    }
    bool cs, ct;
    t.es[v] = clampedExp(sv, cs);
    t.et[v] = clampedExp(tv, ct);
    t.clampedS[v] = cs;
    t.clampedT[v] = ct;
    double share = p.base[v] * t.es[v] + unit * t.et[v];
    if (shares)
      (*shares)[v] = share;
    value += share;
  }
  return value;
}

void GraphNetwork::backward(const Prepared &p, const Trace &t, double dValue,
                            std::vector<double> &g) const {
  size_t k = mean.size(), numericRow = 2 * (kinds.size() + 1), h = hidden;
  Layout l(numInputs(), h);
  const double *w = params.data();
  std::vector<double> dh2(p.n * h, 0.0);
  for (size_t v = 0; v < p.n; ++v) {
    double ds = t.clampedS[v] ? 0.0 : dValue * p.base[v] * t.es[v];
    double dt = t.clampedT[v] ? 0.0 : dValue * unit * t.et[v];
    g[l.a0] += ds;
    g[l.o0] += dt;
    for (unsigned hot : p.hot[v]) {
      g[l.sa + hot] += ds;
      g[l.so + hot] += dt;
    }
    for (size_t q = 0; q < k; ++q) {
      g[l.sa + numericRow + q] += ds * p.z[v * k + q];
      g[l.so + numericRow + q] += dt * p.z[v * k + q];
    }
    for (size_t j = 0; j < h; ++j) {
      double x = t.h2[v * h + j];
      g[l.a + j] += ds * x;
      g[l.o + j] += dt * x;
      dh2[v * h + j] = ds * w[l.a + j] + dt * w[l.o + j];
    }
  }
  // Second layer.
  std::vector<double> dz2 = dh2;
  for (size_t e = 0; e < dz2.size(); ++e)
    if (t.z2[e] <= 0)
      dz2[e] = 0;
  std::vector<double> ds, di, dout;
  aggregateBack(p, h, dz2, ds, di, dout);
  std::vector<double> dh1(p.n * h, 0.0);
  for (size_t v = 0; v < p.n; ++v)
    for (size_t j = 0; j < h; ++j)
      g[l.c + j] += dz2[v * h + j];
  auto backDense = [&](size_t at, const std::vector<double> &dy) {
    for (size_t v = 0; v < p.n; ++v)
      for (size_t q = 0; q < h; ++q) {
        double x = t.h1[v * h + q];
        const double *row = &dy[v * h];
        const double *wq = w + at + q * h;
        double *gq = &g[at + q * h];
        double back = 0;
        for (size_t j = 0; j < h; ++j) {
          gq[j] += x * row[j];
          back += wq[j] * row[j];
        }
        dh1[v * h + q] += back;
      }
  };
  backDense(l.vs, ds);
  backDense(l.vi, di);
  backDense(l.vo, dout);
  // First layer.
  std::vector<double> dz1 = dh1;
  for (size_t e = 0; e < dz1.size(); ++e)
    if (t.z1[e] <= 0)
      dz1[e] = 0;
  aggregateBack(p, h, dz1, ds, di, dout);
  for (size_t v = 0; v < p.n; ++v)
    for (size_t j = 0; j < h; ++j)
      g[l.b + j] += dz1[v * h + j];
  auto backInput = [&](size_t at, const std::vector<double> &dy) {
    for (size_t v = 0; v < p.n; ++v) {
      const double *row = &dy[v * h];
      for (unsigned hot : p.hot[v]) {
        double *gs = &g[at + hot * h];
        for (size_t j = 0; j < h; ++j)
          gs[j] += row[j];
      }
      for (size_t q = 0; q < k; ++q) {
        double x = p.z[v * k + q];
        double *gq = &g[at + (numericRow + q) * h];
        for (size_t j = 0; j < h; ++j)
          gq[j] += x * row[j];
      }
    }
  };
  backInput(l.ws, ds);
  backInput(l.wi, di);
  backInput(l.wo, dout);
}

void GraphNetwork::initialize(llvm::ArrayRef<const RecordGraph *> graphs,
                              llvm::ArrayRef<double> y,
                              const Options &options) {
  hidden = options.hidden;
  // The vocabulary: the kinds the training records have.
  std::vector<std::string> seen;
  size_t numeric = 0;
  for (const RecordGraph *graph : graphs) {
    seen.insert(seen.end(), graph->kinds.begin(), graph->kinds.end());
    for (const auto &x : graph->numeric)
      numeric = std::max(numeric, x.size());
  }
  llvm::sort(seen);
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  kinds = seen;
  // Standardization over the training records.
  mean.assign(numeric, 0.0);
  sd.assign(numeric, 0.0);
  double records = 0, baseTotal = 0, yTotal = 0;
  for (const RecordGraph *graph : graphs)
    for (size_t v = 0; v < graph->size(); ++v) {
      records += 1;
      for (size_t j = 0; j < graph->numeric[v].size(); ++j)
        mean[j] += graph->numeric[v][j];
      baseTotal += v < graph->base.size() ? graph->base[v] : 0.0;
    }
  for (double &m : mean)
    m /= std::max(records, 1.0);
  for (const RecordGraph *graph : graphs)
    for (size_t v = 0; v < graph->size(); ++v)
      for (size_t j = 0; j < graph->numeric[v].size(); ++j)
        sd[j] += std::pow(graph->numeric[v][j] - mean[j], 2);
  for (double &s : sd) {
    s = std::sqrt(s / std::max(records, 1.0));
    if (!(s > 1e-12))
      s = 1;
  }
  for (double v : y)
    yTotal += v;
  unit = records > 0 && yTotal > 0 ? yTotal / records : 1.0;
  // Xavier-uniform weights; the heads start at half the values each (all
  // on the overhead without a base).
  mean.resize(numeric);
  Layout l(numInputs(), hidden);
  params.assign(l.total, 0.0);
  std::mt19937_64 rng(options.seed);
  auto fill = [&](size_t at, size_t rows, size_t cols) {
    double limit = std::sqrt(6.0 / double(rows + cols));
    for (size_t e = 0; e < rows * cols; ++e)
      params[at + e] = (2 * uniform(rng) - 1) * limit;
  };
  for (size_t at : {l.ws, l.wi, l.wo})
    fill(at, l.f, l.h);
  for (size_t at : {l.vs, l.vi, l.vo})
    fill(at, l.h, l.h);
  fill(l.a, l.h, 1);
  fill(l.o, l.h, 1);
  for (size_t j = 0; j < l.h; ++j) {
    params[l.a + j] *= 0.1;
    params[l.o + j] *= 0.1;
  }
  bool hasBase = baseTotal > 0;
  params[l.a0] = hasBase ? std::log(0.5 * yTotal / baseTotal) : 0.0;
  params[l.o0] = hasBase ? std::log(0.5) : 0.0;
}

double GraphNetwork::loss(llvm::ArrayRef<const RecordGraph *> graphs,
                          llvm::ArrayRef<double> y, llvm::ArrayRef<double> w,
                          std::vector<double> *gradient) const {
  // Options::weightDecay is not known here: the tests check the data term.
  double weight = 0, total = 0;
  for (double x : w)
    weight += x;
  if (gradient)
    gradient->assign(params.size(), 0.0);
  for (size_t g = 0; g < graphs.size(); ++g) {
    Prepared p = prepare(*graphs[g]);
    Trace trace;
    double value = forward(p, nullptr, &trace);
    double error = value - y[g];
    total += w[g] * error * error / weight;
    if (gradient)
      backward(p, trace, 2 * w[g] * error / weight, *gradient);
  }
  return total;
}

void GraphNetwork::train(llvm::ArrayRef<const RecordGraph *> graphs,
                         llvm::ArrayRef<double> y, llvm::ArrayRef<double> w,
                         const Options &options) {
  initialize(graphs, y, options);
  size_t count = graphs.size();
  if (count == 0)
    return;
  std::vector<Prepared> prepared;
  prepared.reserve(count);
  for (const RecordGraph *graph : graphs)
    prepared.push_back(prepare(*graph));
  Layout l(numInputs(), hidden);
  // The weight matrices (not biases or heads) are decayed.
  std::vector<char> decayed(params.size(), 0);
  for (size_t at : {l.ws, l.wi, l.wo})
    std::fill(decayed.begin() + at, decayed.begin() + at + l.f * l.h, 1);
  for (size_t at : {l.vs, l.vi, l.vo})
    std::fill(decayed.begin() + at, decayed.begin() + at + l.h * l.h, 1);
  for (size_t at : {l.a, l.o})
    std::fill(decayed.begin() + at, decayed.begin() + at + l.h, 1);
  for (size_t at : {l.sa, l.so})
    std::fill(decayed.begin() + at, decayed.begin() + at + l.f, 1);

  size_t batch = std::max<size_t>(1, std::min<size_t>(options.batch, count));
  size_t batches = (count + batch - 1) / batch;
  // The step budget: 1,200 Adam steps on graphs of hundreds of records
  // (NB201's 214) fit them; small graphs need more steps to fit as
  // precisely, and cost less each: about 2 M record-steps, 1,200 to 4,000
  // steps.
  size_t records = 0;
  for (const Prepared &p : prepared)
    records += p.n;
  double perStep = double(records) / double(batches);
  size_t budget = std::clamp<size_t>(size_t(2e6 / std::max(perStep, 1.0)),
                                     1200, 4000);
  size_t epochs = options.epochs
                      ? options.epochs
                      : std::max<size_t>(1, (budget + batches - 1) / batches);
  size_t steps = epochs * batches, step = 0;
  std::vector<double> m(params.size(), 0.0), v(params.size(), 0.0), g;
  std::vector<size_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(options.seed ^ 0x9e3779b97f4a7c15ull);
  const double beta1 = 0.9, beta2 = 0.999;
  for (size_t epoch = 0; epoch < epochs; ++epoch) {
    for (size_t i = count; i > 1; --i)
      std::swap(order[i - 1], order[rng() % i]);
    for (size_t start = 0; start < count; start += batch) {
      size_t end = std::min(count, start + batch);
      double weight = 0;
      for (size_t r = start; r < end; ++r)
        weight += w[order[r]];
      g.assign(params.size(), 0.0);
      for (size_t r = start; r < end; ++r) {
        size_t index = order[r];
        Trace trace;
        double value = forward(prepared[index], nullptr, &trace);
        double dValue = 2 * w[index] * (value - y[index]) / weight;
        backward(prepared[index], trace, dValue, g);
      }
      ++step;
      // Cosine decay to 5% of the rate.
      double rate =
          options.learningRate *
          (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * double(step) /
                                             double(steps))));
      double c1 = 1 - std::pow(beta1, double(step)),
             c2 = 1 - std::pow(beta2, double(step));
      for (size_t e = 0; e < params.size(); ++e) {
        double ge = g[e];
        if (decayed[e])
          ge += 2 * options.weightDecay * params[e];
        if (!std::isfinite(ge))
          continue;
        m[e] = beta1 * m[e] + (1 - beta1) * ge;
        v[e] = beta2 * v[e] + (1 - beta2) * ge * ge;
        params[e] -= rate * (m[e] / c1) / (std::sqrt(v[e] / c2) + 1e-8);
      }
    }
  }
}

double GraphNetwork::predict(const RecordGraph &graph) const {
  if (params.empty())
    return 0;
  return std::max(forward(prepare(graph), nullptr, nullptr), 1e-300);
}

std::vector<double> GraphNetwork::shares(const RecordGraph &graph) const {
  std::vector<double> result(graph.size(), 0.0);
  if (!params.empty())
    forward(prepare(graph), &result, nullptr);
  return result;
}

llvm::json::Value GraphNetwork::toJSON() const {
  llvm::json::Array kindArray, meanArray, sdArray, paramArray;
  for (const std::string &kind : kinds)
    kindArray.push_back(kind);
  for (double x : mean)
    meanArray.push_back(x);
  for (double x : sd)
    sdArray.push_back(x);
  for (double x : params)
    paramArray.push_back(x);
  return llvm::json::Object{{"hidden", int64_t(hidden)},
                            {"kinds", std::move(kindArray)},
                            {"mean", std::move(meanArray)},
                            {"sd", std::move(sdArray)},
                            {"unit", unit},
                            {"parameters", std::move(paramArray)}};
}

bool GraphNetwork::fromJSON(const llvm::json::Object &object,
                            std::string &error) {
  auto numbers = [&](llvm::StringRef key, std::vector<double> &out) {
    out.clear();
    const llvm::json::Array *array = object.getArray(key);
    if (!array)
      return false;
    for (const llvm::json::Value &x : *array) {
      std::optional<double> number = x.getAsNumber();
      if (!number)
        return false;
      out.push_back(*number);
    }
    return true;
  };
  std::optional<int64_t> h = object.getInteger("hidden");
  const llvm::json::Array *kindArray = object.getArray("kinds");
  if (!h || *h < 1 || *h > 1024 || !kindArray ||
      !numbers("mean", mean) || !numbers("sd", sd) ||
      !numbers("parameters", params) || mean.size() != sd.size()) {
    error = "a graph network needs hidden, kinds, mean, sd and parameters";
    return false;
  }
  hidden = unsigned(*h);
  kinds.clear();
  for (const llvm::json::Value &kind : *kindArray) {
    std::optional<llvm::StringRef> name = kind.getAsString();
    if (!name) {
      error = "a graph network's kinds are strings";
      return false;
    }
    kinds.push_back(name->str());
  }
  if (!std::is_sorted(kinds.begin(), kinds.end())) {
    error = "a graph network's kinds are not sorted";
    return false;
  }
  unit = object.getNumber("unit").value_or(1.0);
  Layout l(numInputs(), hidden);
  if (params.size() != l.total) {
    error = "a graph network of " + std::to_string(kinds.size()) +
            " kinds, " + std::to_string(mean.size()) +
            " numeric features and " + std::to_string(hidden) +
            " hidden units needs " + std::to_string(l.total) +
            " parameters, not " + std::to_string(params.size());
    return false;
  }
  return true;
}
