//===- Supernet.h - One set of weights for every candidate ------*- C++ -*-===//
//
// Private to lib/Eval. Weight sharing (one-shot NAS, Guo et al.'s single
// path one-shot): every candidate's parameters are looked up by name and
// shape in one shared store, so a layer that several candidates have in
// common is trained once for all of them. The supernet trains on uniformly
// sampled paths; a candidate is then scored with the inherited weights after
// recalibrating its batch-norm statistics, without training of its own
// (docs/evaluation.md, "Weight sharing").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_EVAL_SUPERNET_H
#define NASC_LIB_EVAL_SUPERNET_H

#include "TrainingCore.h"

#include "nasc/Space/Space.h"
#include "nasc/Support/Collective.h"

#include <map>
#include <mutex>

namespace nasc::eval {

class Supernet {
public:
  Supernet(const Space &space, const TrainSettings &settings,
           std::shared_ptr<const TorchEvaluator::Data> data);

  /// Trains the shared weights for `settings.epochs` epochs over the
  /// (proxy) training set, one uniformly sampled candidate per step, each
  /// batch in `settings.shards` shards. With a `group` (the processes of
  /// an MPI job, each calling this alike), each process computes every
  /// group-size-th shard and the gradients are summed across the group:
  /// data-parallel training whose result is the one process's with as many
  /// shards. Done once; later calls return at once. False when `cancel`
  /// stopped it (in a group: on any process, then on all at the same
  /// step).
  bool warmUp(const CancellationToken *cancel, Collective *group = nullptr);
  /// `steps` training steps on `candidate` alone (the gradient strategy's
  /// weight steps between two policy updates), in shards as warmUp();
  /// false when `cancel` stopped them (in a group, on every process).
  bool trainOn(const Candidate &candidate, llvm::StringRef encoding,
               int64_t steps, const CancellationToken *cancel,
               Collective *group = nullptr);
  /// The validation accuracy of `candidate` with the shared weights, its
  /// batch-norm statistics recalibrated on `settings.calibrationBatches`
  /// training batches; -1 with `error` when it cannot be built. With a
  /// `group`, each process counts its share of the validation images.
  double score(const Candidate &candidate, llvm::StringRef encoding,
               std::string &error, Collective *group = nullptr);
  /// How many distinct shared tensors the store holds.
  size_t size() const { return weights.size(); }

private:
  /// A candidate's network and the store key of each of its parameters.
  struct Path {
    std::shared_ptr<NetworkImpl> network;
    std::vector<std::string> keys;
  };
  /// The candidate's path, built once (at most `kMaxPaths` are kept).
  const Path *getPath(const Candidate &candidate, llvm::StringRef encoding,
                      std::string &error);
  /// Copies the shared weights into the path's network, adding those it is
  /// the first to have.
  void load(const Path &path);
  /// One SGD step (Nesterov momentum 0.9, weight decay 5e-4) on a batch
  /// in `settings.shards` shards, the gradients of this process's shards
  /// summed over `group` where there is one; `loss` is the batch's. False,
  /// with no update, when a process of the group asked to stop (`stop` is
  /// this one's request; alone, the caller stops before the step).
  bool step(const Path &path, const torch::Tensor &x, const torch::Tensor &y,
            double rate, Collective *group, bool stop, double &loss);
  /// The gradients of the batch's shards `first`, `first + stride`, ...
  /// of `shards` into the path's network (each shard's mean loss weighted
  /// by its share of the batch, so that all shards sum to the batch's
  /// mean); returns their loss.
  double accumulate(const Path &path, const torch::Tensor &x,
                    const torch::Tensor &y, int64_t shards, int64_t first,
                    int64_t stride);
  /// Sums the path's gradients, `loss` and whether to stop over `group`;
  /// returns whether any process stops.
  bool sumOver(Collective &group, const Path &path, double &loss, bool stop);
  /// The SGD update of the shared weights from the path's gradients.
  void update(const Path &path, double rate);
  static constexpr size_t kMaxPaths = 512;
  /// The next training batch (a fresh shuffle every epoch).
  std::pair<torch::Tensor, torch::Tensor> nextBatch();

  const Space &space;
  TrainSettings settings;
  std::shared_ptr<const TorchEvaluator::Data> data;
  torch::Tensor images, labels; // the (proxy) training set
  Random random;
  std::vector<int64_t> order;
  size_t cursor = 0;
  bool warm = false;
  std::map<std::string, Path> paths;
  /// Shared parameters and their momentum, by "name shape".
  std::map<std::string, torch::Tensor> weights, momentum;
  std::mutex mutex;
};

} // namespace nasc::eval

#endif // NASC_LIB_EVAL_SUPERNET_H
