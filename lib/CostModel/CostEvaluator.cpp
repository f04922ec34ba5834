//===- CostEvaluator.cpp - Cost models as a search evaluator --------------===//

#include "nasc/CostModel/CostEvaluator.h"

#include "nasc/Support/MetricKey.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace nasc;
using namespace nasc::cost;

std::vector<std::shared_ptr<const CostModel>>
cost::loadCostModels(nas::SpecOp spec, llvm::ArrayRef<std::string> modelPaths,
                     llvm::ArrayRef<std::string> tables, std::string &error) {
  std::vector<std::shared_ptr<const CostModel>> models;
  std::vector<TargetDesc> targets = hw::getSpecTargets(spec);
  auto replace = [&](std::shared_ptr<const CostModel> model) {
    for (auto &existing : models)
      if (existing->getTarget().name == model->getTarget().name &&
          existing->getMethod() == Method::Analytical) {
        existing = std::move(model);
        return;
      }
    models.push_back(std::move(model));
  };
  for (const TargetDesc &target : targets)
    models.push_back(createAnalyticalModel(target));
  for (const std::string &path : modelPaths) {
    std::unique_ptr<CalibratedModel> model = CalibratedModel::load(path, error);
    if (!model)
      return {};
    replace(std::move(model));
  }
  for (const std::string &entry : tables) {
    auto [name, path] = llvm::StringRef(entry).split('=');
    if (path.empty()) {
      error = "--lookup-table '" + entry + "': expected TARGET=CSV";
      return {};
    }
    TargetDesc target;
    target.name = name.str();
    for (const TargetDesc &declared : targets)
      if (declared.name == name)
        target = declared;
    std::unique_ptr<CostModel> table = loadLookupTable(target, path, error);
    if (!table)
      return {};
    replace(std::move(table));
  }
  return models;
}

CostEvaluator::CostEvaluator(const Space &space,
                             std::vector<std::shared_ptr<const CostModel>> models)
    : space(space), models(std::move(models)) {}

const CostModel *CostEvaluator::lookup(llvm::StringRef metric,
                                       Quantity &quantity) const {
  std::optional<MetricKey> key = MetricKey::parse(metric);
  if (!key)
    return nullptr;
  llvm::StringRef base = key->name, target = key->target;
  if (base == "latency")
    quantity = Quantity::Latency;
  else if (base == "energy")
    quantity = Quantity::Energy;
  else
    return nullptr;
  if (target.empty())
    return models.size() == 1 && models[0]->provides(quantity)
               ? models[0].get()
               : nullptr;
  for (const auto &model : models)
    if (model->getTarget().name == target && model->provides(quantity))
      return model.get();
  return nullptr;
}

bool CostEvaluator::provides(llvm::StringRef metric) const {
  Quantity quantity;
  return lookup(metric, quantity) != nullptr;
}

std::string CostEvaluator::getFingerprint() const {
  std::string text = "cost models";
  for (const auto &model : models)
    text += "; " + model->getFingerprint();
  return text;
}

FailureOr<std::vector<LayerWork>>
cost::getCandidateLayers(const Space &space, const Candidate &candidate,
                         Records records) {
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  nas::SpecOp spec = *concrete->getOps<nas::SpecOp>().begin();
  CostAnalysis analysis(spec);
  if (analysis.failed())
    return failure();
  if (records == Records::Layers)
    return getLayerWork(analysis);
  std::string error;
  return getKernelWork(spec, error);
}

namespace {
/// A candidate's records of either kind, each made when first asked for.
class CandidateRecords {
public:
  CandidateRecords(const Space &space, const Candidate &candidate)
      : space(space), candidate(candidate) {}
  /// Null for an ill-shaped candidate.
  const std::vector<LayerWork> *get(Records records) {
    auto &slot = cache[size_t(records)];
    if (!slot) {
      FailureOr<std::vector<LayerWork>> work =
          getCandidateLayers(space, candidate, records);
      if (failed(work))
        return nullptr;
      slot = std::move(*work);
    }
    return &*slot;
  }

private:
  const Space &space;
  const Candidate &candidate;
  std::optional<std::vector<LayerWork>> cache[2];
};
} // namespace

void CostEvaluator::evaluate(const Candidate &candidate,
                             llvm::StringRef encoding,
                             llvm::ArrayRef<std::string> metrics,
                             search::Evaluation &out) {
  CandidateRecords records(space, candidate);
  for (size_t i = 0; i < metrics.size(); ++i) {
    Quantity quantity;
    const CostModel *model = lookup(metrics[i], quantity);
    if (!model || !std::isnan(out.values[i]))
      continue;
    const std::vector<LayerWork> *layers = records.get(model->getRecords());
    if (!layers) {
      out.ok = false;
      out.message = "the candidate is ill-shaped";
      return;
    }
    Estimate estimate = model->estimate(quantity, *layers);
    if (std::isnan(estimate.value)) {
      out.ok = false;
      out.message = "no " + metrics[i] + " estimate (a layer kind the " +
                    stringifyMethod(model->getMethod()).str() +
                    " model has no entry for)";
      return;
    }
    out.values[i] = estimate.value;
  }
}

FailureOr<std::vector<CostEvaluator::Row>>
CostEvaluator::estimateAll(const Candidate &candidate) {
  CandidateRecords records(space, candidate);
  std::vector<Row> rows;
  for (const auto &model : models) {
    const std::vector<LayerWork> *layers = records.get(model->getRecords());
    if (!layers)
      return failure();
    for (Quantity quantity : {Quantity::Latency, Quantity::Energy})
      if (model->provides(quantity))
        rows.push_back({MetricKey{stringifyQuantity(quantity).str(),
                                  model->getTarget().name}
                            .str(),
                        quantity, model.get(),
                        model->estimate(quantity, *layers)});
  }
  return rows;
}

std::unique_ptr<search::Evaluator> CostEvaluator::clone() const {
  return std::make_unique<CostEvaluator>(space, models);
}
