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

CostEvaluator::CostEvaluator(
    const Space &space, std::vector<std::shared_ptr<const CostModel>> models)
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
    return models.size() == 1 && models[0]->provides(quantity) ? models[0].get()
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

/// A concrete spec's layer or kernel records.
static FailureOr<std::vector<LayerWork>> getSpecLayers(nas::SpecOp spec,
                                                       Records records) {
  CostAnalysis analysis(spec);
  if (analysis.failed())
    return failure();
  if (records == Records::Layers)
    return getLayerWork(analysis);
  std::string error;
  return getKernelWork(spec, error);
}

FailureOr<std::vector<LayerWork>>
cost::getCandidateLayers(const Space &space, const Candidate &candidate,
                         Records records) {
  OwningOpRef<ModuleOp> concrete = space.materialize(candidate);
  return getSpecLayers(*concrete->getOps<nas::SpecOp>().begin(), records);
}

namespace {
/// A candidate's records of either kind, each made when first asked for,
/// and its targets as its tunables decide them.
class CandidateRecords {
public:
  CandidateRecords(const Space &space, const Candidate &candidate)
      : space(space), candidate(candidate) {}
  /// Null for an ill-shaped candidate.
  const std::vector<LayerWork> *get(Records records) {
    auto &slot = cache[size_t(records)];
    if (!slot) {
      FailureOr<std::vector<LayerWork>> work =
          getSpecLayers(getSpec(), records);
      if (failed(work))
        return nullptr;
      slot = std::move(*work);
    }
    return &*slot;
  }
  /// The candidate's target `name` (host_cpu's peak follows its decided
  /// `vector`, a cpu target's schedule its tunables, a gpu target's float
  /// width its `precision`), or null.
  const TargetDesc *getTarget(llvm::StringRef name) {
    if (!targets)
      targets = hw::getSpecTargets(getSpec());
    for (const TargetDesc &target : *targets)
      if (target.name == name)
        return &target;
    return nullptr;
  }

private:
  nas::SpecOp getSpec() {
    if (!concrete)
      concrete = space.materialize(candidate);
    return *concrete->getOps<nas::SpecOp>().begin();
  }
  const Space &space;
  const Candidate &candidate;
  OwningOpRef<ModuleOp> concrete;
  std::optional<std::vector<LayerWork>> cache[2];
  std::optional<std::vector<TargetDesc>> targets;
};
} // namespace

/// `model`'s estimate for the candidate: an analytical model computes it
/// on the candidate's own target, whose figures its tunables may change
/// (the peak of host_cpu's `vector`, a cpu target's tiles, a gpu target's
/// `precision`).
static Estimate estimateFor(const CostModel &model, Quantity quantity,
                            const std::vector<LayerWork> &layers,
                            CandidateRecords &records) {
  if (model.getMethod() == Method::Analytical)
    if (const TargetDesc *decided = records.getTarget(model.getTarget().name))
      if (decided->peakFlops != model.getTarget().peakFlops ||
          decided->schedule != model.getTarget().schedule ||
          decided->floatStorageBits != model.getTarget().floatStorageBits)
        return createAnalyticalModel(*decided)->estimate(quantity, layers);
  return model.estimate(quantity, layers);
}

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
    Estimate estimate = estimateFor(*model, quantity, *layers, records);
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
                        estimateFor(*model, quantity, *layers, records)});
  }
  return rows;
}

std::unique_ptr<search::Evaluator> CostEvaluator::clone() const {
  return std::make_unique<CostEvaluator>(space, models);
}
