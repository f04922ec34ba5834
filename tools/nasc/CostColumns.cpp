//===- CostColumns.cpp - Latency and energy columns of candidate tables ---===//

#include "CostColumns.h"
#include "CostCommands.h"

#include "nasc/CostModel/CostEvaluator.h"
#include "nasc/Search/Problem.h"
#include "nasc/Support/CSV.h"
#include "nasc/Support/MetricKey.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace nasc;

static cl::OptionCategory costCategory("nasc cost-model options");
cl::OptionCategory &nasc::tool::getCostColumnCategory() { return costCategory; }

static cl::list<std::string> costModels(
    "cost-model",
    cl::desc("--emit=candidates: add latency and energy columns from this "
             "model of `nasc calibrate` (repeatable)"),
    cl::value_desc("MODEL.json"), cl::cat(costCategory));

static cl::list<std::string> lookupTables(
    "lookup-table",
    cl::desc("--emit=candidates: add columns from this per-layer lookup "
             "table of target T (repeatable)"),
    cl::value_desc("T=CSV"), cl::cat(costCategory));

static cl::opt<bool> targetCosts(
    "target-costs",
    cl::desc("--emit=candidates: add the analytical latency and energy on "
             "every declared target"),
    cl::cat(costCategory));

bool tool::wantsCostColumns() {
  return targetCosts || !costModels.empty() || !lookupTables.empty();
}

static std::string number(double value) {
  std::string text;
  raw_string_ostream os(text);
  os << format("%.6g", value);
  return text;
}

std::optional<ExtraColumns> tool::makeCostColumns(const Space &space,
                                                  std::string &error) {
  std::vector<std::shared_ptr<const cost::CostModel>> models =
      cost::loadCostModels(space.getSpec(), costModels, lookupTables, error);
  if (!error.empty())
    return std::nullopt;
  auto evaluator =
      std::make_shared<cost::CostEvaluator>(space, std::move(models));
  ExtraColumns columns;
  for (const auto &model : evaluator->getModels()) {
    auto column = [&](llvm::StringRef name) {
      return MetricKey{name.str(), model->getTarget().name}.str();
    };
    // `latency(T) [ms]` and its error bar `latency_err(T) [ms]`, as a
    // search's trials.csv names the metric and its unit.
    for (cost::Quantity quantity :
         {cost::Quantity::Latency, cost::Quantity::Energy}) {
      if (!model->provides(quantity))
        continue;
      llvm::StringRef name = cost::stringifyQuantity(quantity);
      std::string unit = " [" + search::getMetricUnit(column(name)) + "]";
      columns.names.push_back(search::getMetricHeader(column(name)));
      columns.names.push_back(column((name + "_err").str()) + unit);
    }
    columns.names.push_back(column("method"));
  }
  columns.compute = [evaluator](const Candidate &candidate,
                                std::vector<std::string> &cells) {
    mlir::FailureOr<std::vector<cost::CostEvaluator::Row>> rows =
        evaluator->estimateAll(candidate);
    if (mlir::failed(rows))
      return mlir::failure();
    const cost::CostModel *last = nullptr;
    bool interpolated = false;
    auto closeModel = [&] {
      if (!last)
        return;
      std::string method = cost::stringifyMethod(last->getMethod()).str();
      cells.push_back(interpolated ? method + " (interpolated)" : method);
      interpolated = false;
    };
    for (const auto &row : *rows) {
      if (row.model != last) {
        closeModel();
        last = row.model;
      }
      // In the unit of the header; the error bar is the calibration's.
      double value = search::toMetricUnit(row.metric, row.estimate.value);
      cells.push_back(number(value));
      cells.push_back(number(value * row.estimate.relativeError));
      interpolated |= row.estimate.interpolated;
    }
    closeModel();
    return mlir::success();
  };
  return columns;
}

mlir::LogicalResult tool::writeLayerRecords(const Space &space,
                                            const CandidateSelection &selection,
                                            mlir::MLIRContext &context,
                                            raw_ostream &os) {
  os << "encoding,record,kind,key,macs,flops,bytes,kernels,inputs\n";
  return forEachSelectedCandidate(
      space, selection, context, [&](const Candidate &candidate) {
        mlir::FailureOr<std::vector<cost::LayerWork>> layers =
            cost::getCandidateLayers(space, candidate);
        if (mlir::failed(layers))
          return mlir::failure();
        std::string encoding = csvField(space.encode(candidate));
        for (auto [index, layer] : llvm::enumerate(*layers)) {
          os << encoding << "," << index << "," << layer.kind << ","
             << csvField(layer.key) << ","
             << format("%.0f,%.0f,%.0f", layer.macs, layer.flops, layer.bytes)
             << "," << layer.kernels.size() << ",";
          llvm::interleave(layer.inputs, os, " ");
          os << "\n";
        }
        return mlir::success();
      });
}
