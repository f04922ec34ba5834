//===- TrainingCore.h - Data and helpers shared by the trainers -*- C++ -*-===//
//
// Private to lib/Eval (includes torch/torch.h): the dataset in memory and
// the pieces that per-candidate training (Training.cpp) and the
// weight-sharing supernet (WeightSharing.cpp) both use.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_LIB_EVAL_TRAININGCORE_H
#define NASC_LIB_EVAL_TRAININGCORE_H

#include "Network.h"

#include "nasc/Eval/TorchEvaluator.h"

#include <torch/torch.h>

namespace nasc::eval {

/// The dataset, normalized and adapted to the spec's input shape.
struct TorchEvaluator::Data {
  torch::Tensor trainImages, trainLabels; // the training split
  torch::Tensor validImages, validLabels; // held out from training
  torch::Tensor testImages, testLabels;
  int64_t classes = 10;
  /// An image's shape in the files: [1, rows, columns].
  std::vector<int64_t> fileShape;
};

/// FNV-1a: a hash that is the same everywhere (per-candidate seeds).
uint64_t stableHash(llvm::StringRef text);

/// Images per forward pass when measuring accuracy. Small enough that a
/// batch's activations and convolution buffers stay under glibc's largest
/// mmap threshold (32 MiB), so they are reused rather than mapped, faulted
/// in and unmapped at every batch.
constexpr int64_t kInferenceBatch = 128;

/// Top-1 accuracy of `model` in inference mode.
double accuracyOn(NetworkImpl &model, const torch::Tensor &images,
                  const torch::Tensor &labels,
                  int64_t batch = kInferenceBatch);

/// Recomputes every batch norm's running statistics of `model` as the
/// plain average over the first `batches` batches of 256 `images`, in
/// training mode without gradients ("precise BN"). Running averages with
/// momentum lag weights that moved fast and, after a few steps, still
/// weigh their initial values; accuracy measured with them is not the
/// trained weights' accuracy.
void recomputeBatchNormStatistics(NetworkImpl &model,
                                  const torch::Tensor &images,
                                  int64_t batches);

/// Sets LibTorch's intra-op threads and, once per process, keeps freed
/// tensor memory in the heap: with glibc's defaults every tensor of more
/// than a few MiB is a fresh mmap whose pages fault in one by one, which
/// took 60% of a small candidate's training and evaluation time.
void setUpTorch(int64_t threads);

/// The first ⌈fraction × class size⌉ training images of every class (all of
/// them when `fraction` ≥ 1).
void selectProxySubset(const TorchEvaluator::Data &data, double fraction,
                       torch::Tensor &images, torch::Tensor &labels);

/// Loads from `archive` every parameter and buffer of `module` (and its
/// submodules) whose name and shape match; returns how many tensors.
int64_t loadMatching(torch::nn::Module &module,
                     torch::serialize::InputArchive &archive);

} // namespace nasc::eval

#endif // NASC_LIB_EVAL_TRAININGCORE_H
