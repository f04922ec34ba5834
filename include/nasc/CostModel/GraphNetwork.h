//===- GraphNetwork.h - A graph network over a candidate's records -*- C++ -*-===//
//
// The `graph` method of `nasc calibrate` (docs/costmodel.md): BRP-NAS's idea
// of a graph predictor, over the record graph of a candidate (each record a
// node, edges from the records whose outputs it reads). Two message-passing
// layers give every record a state from its kind, its sizes and its
// neighbours', and the network's value is the sum of the records' shares:
//
//   h¹_v = relu(W_s x_v + W_i mean_{u→v} x_u + W_o mean_{v→w} x_w + b)
//   h²_v = relu(V_s h¹_v + V_i mean_{u→v} h¹_u + V_o mean_{v→w} h¹_w + c)
//   share_v = base_v · exp(a · h²_v + s · x_v + a₀)
//             + unit · exp(o · h²_v + t · x_v + o₀)
//
// x_v being the record's features (its kind and the kind executed before it
// one-hot, for runtimes that fuse in execution order; its numeric features
// standardized) and base_v its roofline (0 without one): a correction of
// the roofline and an overhead, both in context. Trained with Adam on the
// squared relative error, in plain C++ (no LibTorch in the cost models, so
// that `nasc` starts as fast as before and calibrating needs no plugin).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_GRAPHNETWORK_H
#define NASC_COSTMODEL_GRAPHNETWORK_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nasc::cost {

/// A candidate's records as the network reads them, before
/// standardization: per record its kind, numeric features (the same
/// number for every record), base (seconds or joules; 0 without one) and
/// inputs (indices of earlier records).
struct RecordGraph {
  std::vector<std::string> kinds;
  std::vector<std::vector<double>> numeric;
  std::vector<double> base;
  std::vector<llvm::SmallVector<unsigned, 2>> inputs;
  size_t size() const { return kinds.size(); }
};

class GraphNetwork {
public:
  struct Options {
    unsigned hidden = 32;
    /// Passes over the training graphs, in mini-batches of `batch` graphs.
    unsigned epochs = 0; // 0: 1,200 to 4,000 Adam steps (GraphNetwork.cpp)
    unsigned batch = 8;
    double learningRate = 0.03;
    /// L2 penalty on the weight matrices, added to the loss (a mean squared
    /// relative error: 1e-2 at 10%). Off: on NB201's `fusion` device
    /// (bench/RESULTS.md) 1e-4 took cross-validated Spearman from 0.93 to
    /// 0.80; the data, not the penalty, must set the weights.
    double weightDecay = 0;
    uint64_t seed = 1;
  };

  GraphNetwork() = default;

  /// Trains on `graphs` with positive values `y`, minimizing Σ w (ŷ − y)² /
  /// Σ w (w = 1/y² for relative errors) plus the weight decay. The kinds
  /// seen become the one-hot vocabulary (others share one slot); the
  /// numeric features are standardized over the training records.
  void train(llvm::ArrayRef<const RecordGraph *> graphs,
             llvm::ArrayRef<double> y, llvm::ArrayRef<double> w,
             const Options &options);
  /// The network's value of `graph` (> 0).
  double predict(const RecordGraph &graph) const;
  /// Each record's share of predict(graph), in its context.
  std::vector<double> shares(const RecordGraph &graph) const;

  llvm::json::Value toJSON() const;
  /// The numeric features per record it was trained on.
  size_t getNumNumeric() const { return mean.size(); }
  /// Reads toJSON's object; false (with `error`) for a malformed one.
  bool fromJSON(const llvm::json::Object &object, std::string &error);

  //===--- For tests -------------------------------------------------------===//
  /// Sets up the vocabulary, standardization and a random initialization
  /// for `graphs` without training.
  void initialize(llvm::ArrayRef<const RecordGraph *> graphs,
                  llvm::ArrayRef<double> y, const Options &options);
  /// The training loss over `graphs` and, with `gradient`, its gradient
  /// with respect to parameters().
  double loss(llvm::ArrayRef<const RecordGraph *> graphs,
              llvm::ArrayRef<double> y, llvm::ArrayRef<double> w,
              std::vector<double> *gradient) const;
  std::vector<double> &parameters() { return params; }

  struct Prepared;
  struct Trace;

private:
  Prepared prepare(const RecordGraph &graph) const;
  double forward(const Prepared &graph, std::vector<double> *shares,
                 Trace *trace) const;
  void backward(const Prepared &graph, const Trace &trace,
                double dValue, std::vector<double> &gradient) const;
  /// The one-hot kind, the one-hot kind executed before, the numeric
  /// features.
  size_t numInputs() const { return 2 * (kinds.size() + 1) + mean.size(); }

  unsigned hidden = 32;
  /// The one-hot vocabulary (slot kinds.size() is every other kind).
  std::vector<std::string> kinds;
  /// Standardization of the numeric features.
  std::vector<double> mean, sd;
  /// What an overhead share is in (the training values' mean per record).
  double unit = 1;
  /// W_s, W_i, W_o, b, V_s, V_i, V_o, c, a, a₀, o, o₀, s, t, flattened.
  std::vector<double> params;
};

} // namespace nasc::cost

#endif // NASC_COSTMODEL_GRAPHNETWORK_H
