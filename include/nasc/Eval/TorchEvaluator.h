//===- TorchEvaluator.h - Accuracy from LibTorch training ---------*- C++ -*-===//
//
// Builds each candidate as a LibTorch module, trains it on Fashion-MNIST
// (or any IDX dataset) and reports its accuracy; or scores it with a
// zero-cost proxy (docs/evaluation.md). No torch header is included here:
// the LibTorch code lives in two translation units of lib/Eval.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_EVAL_TORCHEVALUATOR_H
#define NASC_EVAL_TORCHEVALUATOR_H

#include "nasc/Eval/TrainSettings.h"
#include "nasc/Search/Evaluator.h"

#include <memory>
#include <optional>
#include <string>

namespace nasc::eval {

class Supernet;

/// Metrics: `accuracy` (validation), `test_accuracy`, `train_seconds`;
/// with method zero_cost: `synflow` or `naswot` (and `accuracy` is the
/// proxy's score, so objectives can use it directly); with method
/// weight_sharing, `accuracy` with a supernet's inherited weights.
class TorchEvaluator : public search::Evaluator {
public:
  /// Loads the dataset once (shared by clones); `error` names the file on
  /// failure.
  static std::unique_ptr<TorchEvaluator>
  create(const Space &space, const TrainSettings &settings, std::string &error);
  ~TorchEvaluator() override;

  std::string getName() const override;
  bool provides(llvm::StringRef metric) const override;
  /// With a zero-cost proxy: the proxy for `accuracy`.
  std::optional<std::string>
  getStandIn(llvm::StringRef metric) const override;
  std::string getFingerprint() const override;
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                search::Evaluation &out) override;
  std::unique_ptr<search::Evaluator> clone() const override;
  /// Method train: the proxy fraction of the training set.
  std::optional<double> getFidelity() const override;
  void recordSettings(nas::SpecOp spec) const override;
  std::unique_ptr<search::Evaluator> withFidelity(double share) const override;
  std::optional<search::DataInfo> getData() const override;
  /// Weight sharing: the supernet's warm-up, data-parallel over `group`.
  bool prepareTogether(Collective &group,
                       const CancellationToken *cancel) override;
  /// Weight sharing with online steps (the gradient strategy).
  bool evaluatesTogether() const override;

  /// Trains `candidate` as during the search (same seed) and writes
  /// `dir`/best.pt (a LibTorch archive of its parameters and buffers) and
  /// `dir`/best.onnx (checked by ONNX's checker); false with `error`.
  bool exportTrained(const Candidate &candidate, llvm::StringRef encoding,
                     llvm::StringRef dir, std::string &error,
                     const CancellationToken *cancel = nullptr);

  /// Where the trained weights of `encoding` are kept (with a
  /// `weightsDir`).
  std::string getWeightsPath(llvm::StringRef encoding) const;

  struct Data;

private:
  TorchEvaluator(const Space &space, TrainSettings settings,
                 std::shared_ptr<const Data> data,
                 std::shared_ptr<Supernet> supernet);
  const Space &space;
  TrainSettings settings;
  std::shared_ptr<const Data> data;
  /// Method weight_sharing: the supernet, shared by the clones.
  std::shared_ptr<Supernet> supernet;
};

/// The parameter count of the LibTorch module of a concrete spec, or -1
/// (with `error`) when it cannot be built.
int64_t countTorchParameters(nas::SpecOp spec, std::string &error);

/// The output shape of the module on a batch of 2 inputs, or empty.
std::vector<int64_t> getTorchOutputShape(nas::SpecOp spec,
                                         std::string &error);

/// Writes the concrete spec's module, as initialized, as ONNX to `path`
/// (checked by ONNX's checker); false with `error`.
bool exportOnnxOf(nas::SpecOp spec, const std::string &path,
                  std::string &error);

/// What trainConcrete saw besides the validation accuracy.
struct TrainReport {
  /// The mean training loss of the last epoch, as the progress line prints
  /// it.
  double lastLoss = 0;
  /// The trained module's accuracy on its own training subset, in
  /// inference mode (BN with its running statistics).
  double trainAccuracy = 0;
};

/// Trains the concrete spec's module and returns its validation accuracy
/// (or -1 with `error`); fills `report` if given.
double trainConcrete(nas::SpecOp spec, const TrainSettings &settings,
                     std::string &error, TrainReport *report = nullptr);

} // namespace nasc::eval

/// The entry point nasc looks up after loading libNASCEval.so on demand
/// (tools/nasc/TrainingPlugin.cpp): a new TorchEvaluator, or null with
/// `*error` set.
extern "C" nasc::search::Evaluator *
nascCreateTorchEvaluator(const nasc::Space *space,
                         const nasc::eval::TrainSettings *settings,
                         std::string *error);

/// Exports the trained candidate (TorchEvaluator::exportTrained) for nasc,
/// which holds the evaluator as a search::Evaluator.
extern "C" bool nascExportTrainedModel(nasc::search::Evaluator *evaluator,
                                       const nasc::Candidate *candidate,
                                       const char *encoding, const char *dir,
                                       const nasc::CancellationToken *cancel,
                                       std::string *error);

#endif // NASC_EVAL_TORCHEVALUATOR_H
