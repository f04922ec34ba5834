//===- MeasuredEvaluator.cpp - Measured latency as a search metric --------===//

#include "nasc/CostModel/MeasuredEvaluator.h"

#include "nasc/Support/MetricKey.h"
#include "nasc/Target/Common/TargetBackend.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>
#include <mutex>

using namespace mlir;
using namespace nasc;

namespace {
/// One timing at a time, whatever --jobs says: two would disturb each
/// other, and the backend compiles in one context.
std::mutex timingMutex;

class MeasuredEvaluator : public search::Evaluator {
public:
  MeasuredEvaluator(const Space &space, std::string target, int64_t batch,
                    unsigned repeats, std::string backendKind)
      : space(space), metric(MetricKey{"latency", target}.str()),
        target(std::move(target)), batch(batch), repeats(repeats),
        backendKind(std::move(backendKind)) {
    // The backend's report columns that are metrics (an FPGA design's
    // cycles and resources) come with the same measurement.
    if (llvm::Expected<target::TargetBackend &> backend =
            target::getTargetBackend(this->backendKind)) {
      for (llvm::StringRef name : backend->getReportedMetrics())
        reported.push_back(MetricKey{name.str(), this->target}.str());
    } else {
      llvm::consumeError(backend.takeError());
    }
  }
  std::string getName() const override { return "measured " + target; }
  bool provides(llvm::StringRef name) const override {
    return name == metric || llvm::is_contained(reported, name);
  }
  std::string getFingerprint() const override {
    // Measurements depend on the machine: the cache holds them for this
    // target name, batch and repeats.
    return "measured " + target + " on " + backendKind + " batch " +
           std::to_string(batch) + " repeats " + std::to_string(repeats);
  }
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                search::Evaluation &out) override {
    bool wanted = false;
    for (size_t i = 0; i < metrics.size(); ++i)
      wanted = wanted || (provides(metrics[i]) && std::isnan(out.values[i]));
    if (!wanted)
      return;
    OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
    std::lock_guard<std::mutex> lock(timingMutex);
    llvm::Expected<target::TargetBackend &> backend =
        target::getTargetBackend(backendKind);
    if (!backend) {
      out.ok = false;
      out.message = "measuring: " + llvm::toString(backend.takeError());
      return;
    }
    std::vector<std::pair<std::string, std::string>> report;
    llvm::Expected<target::LatencyStats> stats = target::measureCandidate(
        *backend, *concrete, batch, /*warmup=*/3, repeats, /*seed=*/0, &report);
    if (!stats) {
      out.ok = false;
      out.message = "measuring: " + llvm::toString(stats.takeError());
      return;
    }
    for (size_t i = 0; i < metrics.size(); ++i) {
      if (!std::isnan(out.values[i]))
        continue;
      if (metrics[i] == metric) {
        out.values[i] = stats->median;
        continue;
      }
      for (const auto &[column, value] : report)
        if (MetricKey{column, target}.str() == metrics[i])
          (void)llvm::StringRef(value).getAsDouble(out.values[i]);
    }
  }
  std::unique_ptr<search::Evaluator> clone() const override {
    return std::make_unique<MeasuredEvaluator>(space, target, batch, repeats,
                                               backendKind);
  }

private:
  const Space &space;
  std::string metric, target;
  std::vector<std::string> reported;
  int64_t batch;
  unsigned repeats;
  /// The backend whose code is measured (TargetBackend.h).
  std::string backendKind;
};
} // namespace

std::unique_ptr<search::Evaluator>
cost::createMeasuredEvaluator(const Space &space, std::string target,
                              int64_t batch, unsigned repeats,
                              std::string backendKind) {
  return std::make_unique<MeasuredEvaluator>(space, std::move(target), batch,
                                             repeats, std::move(backendKind));
}
