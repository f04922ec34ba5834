//===- CostEvaluator.h - Cost models as a search evaluator ------*- C++ -*-===//
//
// Gives `latency(T)` (seconds) and `energy(T)` (joules) for every target T
// it has a model of, and the bare `latency` / `energy` when it has one
// target; each estimate from the candidate's materialized layers.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_COSTEVALUATOR_H
#define NASC_COSTMODEL_COSTEVALUATOR_H

#include "nasc/CostModel/CostModel.h"
#include "nasc/Search/Evaluator.h"

namespace nasc::cost {

/// The models of a search: an analytical one for every target the spec
/// declares, replaced by a calibrated model (`modelPaths`, MODEL.json of
/// `nasc calibrate`, which may name a target the spec does not declare)
/// or a lookup table (`tables`, "TARGET=CSV") for its target. Fails with
/// `error` naming the file.
std::vector<std::shared_ptr<const CostModel>>
loadCostModels(nas::SpecOp spec, llvm::ArrayRef<std::string> modelPaths,
               llvm::ArrayRef<std::string> tables, std::string &error);

class CostEvaluator : public search::Evaluator {
public:
  CostEvaluator(const Space &space,
                std::vector<std::shared_ptr<const CostModel>> models);
  std::string getName() const override { return "cost models"; }
  bool provides(llvm::StringRef metric) const override;
  std::string getFingerprint() const override;
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                search::Evaluation &out) override;
  std::unique_ptr<search::Evaluator> clone() const override;

  /// The model and quantity behind a metric key, or null.
  const CostModel *lookup(llvm::StringRef metric, Quantity &quantity) const;
  /// Every estimate for one candidate, by metric key (latency(T), ...).
  struct Row {
    std::string metric;
    Quantity quantity;
    const CostModel *model;
    Estimate estimate;
  };
  mlir::FailureOr<std::vector<Row>> estimateAll(const Candidate &candidate);
  llvm::ArrayRef<std::shared_ptr<const CostModel>> getModels() const {
    return models;
  }

private:
  const Space &space;
  std::vector<std::shared_ptr<const CostModel>> models;
};

} // namespace nasc::cost

#endif // NASC_COSTMODEL_COSTEVALUATOR_H
