//===- DesignEvaluator.cpp - Backends' design estimates as metrics --------===//
//
// `cycles(T)` of an fpga target T is known from the plan of the candidate's
// design, to the cycle, without simulating it (docs/fpga.md): each target
// whose kind has a backend contributes the metrics that backend estimates.
//
//===----------------------------------------------------------------------===//

#include "nasc/CostModel/MeasuredEvaluator.h"

#include "nasc/Support/MetricKey.h"
#include "nasc/Target/Common/TargetBackend.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"

#include <cmath>

using namespace mlir;
using namespace nasc;

namespace {

class DesignEvaluator : public search::Evaluator {
public:
  DesignEvaluator(const Space &space, std::string backendModel,
                  std::vector<std::string> leftToOthers)
      : space(space), backendModel(std::move(backendModel)),
        leftToOthers(std::move(leftToOthers)) {
    for (nas::TargetOp target :
         space.getSpec().getBodyBlock().getOps<nas::TargetOp>()) {
      llvm::Expected<target::TargetBackend &> backend =
          target::getTargetBackend(nas::stringifyTargetKind(target.getKind()));
      if (!backend) {
        llvm::consumeError(backend.takeError());
        continue;
      }
      for (llvm::StringRef name : backend->getEstimatedMetrics()) {
        std::string key =
            MetricKey{name.str(), target.getSymName().str()}.str();
        if (!llvm::is_contained(this->leftToOthers, key))
          metrics.push_back({key, &*backend, name.str()});
      }
    }
  }
  std::string getName() const override { return "design estimates"; }
  bool provides(llvm::StringRef name) const override {
    return llvm::any_of(metrics,
                        [&](const Provided &p) { return p.key == name; });
  }
  /// A model file by its contents, as the cost models' files: a model
  /// fitted again at the same path gives other estimates.
  std::string getFingerprint() const override {
    // Version 3: fmax and latency.
    if (backendModel.empty())
      return "design estimates 3";
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
        llvm::MemoryBuffer::getFile(backendModel, /*IsText=*/true);
    return "design estimates 3 " +
           (file ? llvm::toHex(llvm::SHA256::hash(
                       llvm::arrayRefFromStringRef((*file)->getBuffer())))
                 : backendModel);
  }
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> wanted,
                search::Evaluation &out) override {
    // One estimate per backend gives all of its metrics (every target of
    // its kind): the design is planned once, not once per metric.
    OwningOpRef<ModuleOp> concrete;
    llvm::DenseMap<target::TargetBackend *,
                   std::vector<std::pair<std::string, double>>>
        estimates;
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (!std::isnan(out.values[i]))
        continue;
      for (const Provided &p : metrics) {
        if (p.key != wanted[i])
          continue;
        auto found = estimates.find(p.backend);
        if (found == estimates.end()) {
          if (!concrete)
            concrete = space.materialize(candidate);
          nas::SpecOp spec = *concrete->getOps<nas::SpecOp>().begin();
          target::CodeOptions options;
          options.estimateModel = backendModel;
          llvm::Expected<std::vector<std::pair<std::string, double>>> values =
              p.backend->estimate(spec, options);
          if (!values) {
            out.ok = false;
            out.message = wanted[i] + ": " + llvm::toString(values.takeError());
            return;
          }
          found = estimates.try_emplace(p.backend, std::move(*values)).first;
        }
        for (const auto &[name, value] : found->second)
          if (name == p.name)
            out.values[i] = value;
      }
    }
  }
  std::unique_ptr<search::Evaluator> clone() const override {
    return std::make_unique<DesignEvaluator>(space, backendModel, leftToOthers);
  }

private:
  struct Provided {
    std::string key;
    target::TargetBackend *backend;
    std::string name;
  };
  const Space &space;
  std::string backendModel;
  std::vector<std::string> leftToOthers;
  std::vector<Provided> metrics;
};

} // namespace

std::unique_ptr<search::Evaluator>
cost::createDesignEvaluator(const Space &space, std::string backendModel,
                            std::vector<std::string> leftToOthers) {
  return std::make_unique<DesignEvaluator>(space, std::move(backendModel),
                                           std::move(leftToOthers));
}

bool cost::isBackendModelFile(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!file)
    return false;
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*file)->getBuffer());
  if (!json) {
    llvm::consumeError(json.takeError());
    return false;
  }
  const llvm::json::Object *object = json->getAsObject();
  return object && object->getString("kind") == "fpga_resources";
}
