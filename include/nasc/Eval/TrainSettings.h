//===- TrainSettings.h - How candidates are trained ---------------*- C++ -*-===//
//
// The settings of accuracy evaluation (docs/evaluation.md), from a spec's
// `evaluate` and the command line. Free of LibTorch: nasc reads them before
// it loads the LibTorch evaluator.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_EVAL_TRAINSETTINGS_H
#define NASC_EVAL_TRAINSETTINGS_H

#include "nasc/Dialect/NAS/IR/NASOps.h"

#include <cstdint>
#include <string>

namespace nasc::eval {

struct TrainSettings {
  /// train, or zero_cost (`proxy`).
  nas::EvalMethod method = nas::EvalMethod::train;
  int64_t epochs = 1;
  int64_t batchSize = 128;
  double learningRate = 0.05;
  /// sgd (momentum 0.9, nesterov, weight decay 5e-4) or adam.
  std::string optimizer = "sgd";
  /// cosine, multistep (x0.1 at 50% and 75%), constant.
  std::string schedule = "cosine";
  /// Early stopping: stop after this many epochs without a better
  /// validation accuracy (0: never).
  int64_t patience = 0;
  /// Train on a class-balanced subset of this fraction of the training set.
  double proxyFraction = 1.0;
  /// synflow or naswot (method zero_cost).
  std::string proxy = "synflow";
  int64_t threads = 1;
  uint64_t seed = 0;
  /// A directory with train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
  /// t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (gzipped or not).
  /// Empty: resolveData finds it from the spec's dataset.
  std::string dataDir;
  /// Train on Fashion-MNIST, adapted to the dataset's input shape, when the
  /// dataset's own data is not available (`--stand-in-data`): an explicit
  /// choice, recorded in `dataName` and `standInFor`.
  bool standInData = false;
  /// Set by resolveData: the name of the data read from `dataDir` (the
  /// dataset's source, else its name) and, with stand-in data, the dataset
  /// it stands in for.
  std::string dataName, standInFor;
  /// Validation: every `validationStride`-th training image (class
  /// balanced) is held out for early stopping and the reported accuracy.
  int64_t validationStride = 10;
  /// Start from a known-good model: a LibTorch archive (a search's
  /// best.pt); every parameter and buffer whose name and shape match the
  /// candidate's is loaded, the rest keeps its initialization.
  std::string checkpoint;
  /// Weight sharing: batch-norm statistics of a candidate are recomputed on
  /// this many training batches of 256 before it is scored.
  int64_t calibrationBatches = 8;
  /// Weight sharing: training steps on each evaluated candidate's path
  /// before it is scored (the gradient strategy's weight steps; 0: none).
  int64_t onlineSteps = 0;
  /// Weight sharing: each warm-up batch is split into this many shards,
  /// each with its own batch-norm statistics, whose gradients are summed
  /// (data parallelism: the processes of an MPI job take the shards in
  /// turn; in one process, they are micro-batches).
  int64_t shards = 1;
  /// Hot start: a candidate with a parent (evolution, NSGA-II) starts from
  /// the parent's trained weights where names and shapes match.
  bool hotStart = false;
  /// Where trained weights are kept, one LibTorch archive per candidate
  /// (`<weightsDir>/<hash of the encoding>.pt`); empty: not kept. Hot start
  /// reads parents from here.
  std::string weightsDir;
  /// Magnitude pruning: a candidate with prune ratios trains at full
  /// width, its filters of smallest L1 norm are removed at each layer's
  /// ratio, and it is fine-tuned this many epochs with the pruned filters
  /// held at zero (0: train at the pruned widths from the start).
  int64_t finetuneEpochs = 0;
  /// Successive halving after the search (> 1: the rate; see
  /// search::SearchOptions::halvingRate).
  double halving = 0;
  /// Print a line per epoch on stderr.
  bool verbose = false;
};

/// The spec's `evaluate` settings (missing keys keep their defaults).
TrainSettings getTrainSettings(nas::SpecOp spec);
/// Writes into `spec`'s `evaluate` (made when it has none) the method and
/// each setting of `used` that differs from what the spec says, so that
/// the spec records how its candidates were actually evaluated.
void recordTrainSettings(nas::SpecOp spec, const TrainSettings &used);

/// Where Debian's dataset-fashion-mnist installs Fashion-MNIST.
constexpr const char *kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

/// Settles where the network's dataset is read from, into `dataDir`,
/// `dataName` and `standInFor`: `dataDir` if already set (`--data`), else
/// the dataset's `path`, else the installed data of its `source` (only
/// "fashion-mnist"), else Fashion-MNIST as a stand-in when `standInData`.
/// Otherwise fails after an error at the dataset that says how to provide
/// the data. Never falls back silently.
mlir::LogicalResult resolveData(nas::SpecOp spec, TrainSettings &settings);

} // namespace nasc::eval

#endif // NASC_EVAL_TRAINSETTINGS_H
