//===- Evaluators.cpp - The analytical and table evaluators ---------------===//

#include "nasc/Search/Evaluator.h"
#include "nasc/Support/CSV.h"

#include "nasc/Analysis/SpaceFolding.h"
#include "nasc/Dialect/NAS/IR/Units.h"
#include "nasc/Search/Problem.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"

#include <chrono>
#include <cmath>
#include <thread>
#include <cstdlib>

using namespace mlir;
using namespace nasc;
using namespace nasc::search;

Evaluator::~Evaluator() = default;

/// Where the diagnostics of the evaluation running on this thread go.
thread_local std::string *AnalyticalEvaluator::capturedMessage = nullptr;

AnalyticalEvaluator::AnalyticalEvaluator(SpaceCostModel model)
    : model(std::move(model)) {
  capture = std::make_unique<ScopedDiagnosticHandler>(
      this->model.getSpec().getContext(), [](Diagnostic &diag) {
        if (!capturedMessage)
          return failure(); // not ours: the next handler's
        if (capturedMessage->empty())
          *capturedMessage = diag.str();
        return success();
      });
}

AnalyticalEvaluator::~AnalyticalEvaluator() = default;

//===----------------------------------------------------------------------===//
// AnalyticalEvaluator
//===----------------------------------------------------------------------===//

namespace {
/// Metric keys of the analytical evaluator and the cost metric each reads.
struct AnalyticalMetric {
  llvm::StringLiteral key;
  size_t cost; // index into CostMetrics
};
constexpr AnalyticalMetric kAnalyticalMetrics[] = {
    {"macs", 0},
    {"flops", 1},
    {"params", 2},
    {"model_size", 3},
    {"model_bytes", 3},
    {"bops", 4},
    {"activation_bytes", 5},
    {"memory", kPeakMemoryMetric},
    {"peak_memory_bytes", kPeakMemoryMetric},
};
} // namespace

llvm::ArrayRef<llvm::StringLiteral> AnalyticalEvaluator::getMetricNames() {
  static const llvm::SmallVector<llvm::StringLiteral> names = [] {
    llvm::SmallVector<llvm::StringLiteral> result;
    for (const AnalyticalMetric &metric : kAnalyticalMetrics)
      result.push_back(metric.key);
    return result;
  }();
  return names;
}

FailureOr<std::unique_ptr<AnalyticalEvaluator>>
AnalyticalEvaluator::create(const Space &space) {
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(space);
  if (failed(model))
    return failure();
  return std::unique_ptr<AnalyticalEvaluator>(
      new AnalyticalEvaluator(std::move(*model)));
}

bool AnalyticalEvaluator::provides(llvm::StringRef metric) const {
  return llvm::any_of(kAnalyticalMetrics, [&](const AnalyticalMetric &m) {
    return m.key == metric;
  });
}

std::string AnalyticalEvaluator::getFingerprint() const {
  // The analysis's conventions define its results.
  return std::string("analytical: ") + kCostConvention;
}

void AnalyticalEvaluator::evaluate(const Candidate &candidate,
                                   llvm::StringRef encoding,
                                   llvm::ArrayRef<std::string> metrics,
                                   Evaluation &out) {
  bool wanted = false;
  for (size_t i = 0; i < metrics.size(); ++i)
    wanted |= std::isnan(out.values[i]) && provides(metrics[i]);
  if (!wanted)
    return;
  // An ill-shaped candidate's diagnostics become the trial's message
  // (caught on this thread only: see `capture`).
  std::string message;
  capturedMessage = &message;
  FailureOr<CostTotals> totals = model.evaluate(candidate);
  capturedMessage = nullptr;
  if (failed(totals)) {
    out.ok = false;
    out.message = "ill-shaped: " + message;
    return;
  }
  CostMetrics costs = getCostMetrics(*totals);
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!std::isnan(out.values[i]))
      continue;
    for (const AnalyticalMetric &metric : kAnalyticalMetrics)
      if (metric.key == metrics[i])
        out.values[i] = double(costs[metric.cost]);
  }
}

std::unique_ptr<Evaluator> AnalyticalEvaluator::clone() const {
  FailureOr<std::unique_ptr<AnalyticalEvaluator>> copy =
      create(model.getSpace());
  assert(succeeded(copy) && "the model was built once already");
  return std::move(*copy);
}

//===----------------------------------------------------------------------===//
// Table
//===----------------------------------------------------------------------===//

std::shared_ptr<const Table> Table::load(llvm::StringRef path,
                                         std::string &error) {
  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &message);
  if (!file) {
    error = path.str() + ": " + message;
    return nullptr;
  }
  auto table = std::make_shared<Table>();
  table->path = path.str();
  llvm::StringRef text = file->getBuffer();
  table->digest = llvm::toHex(llvm::SHA256::hash(llvm::arrayRefFromStringRef(text)));

  auto fail = [&](size_t line, const llvm::Twine &why) {
    error = (path + ":" + llvm::Twine(line) + ": " + why).str();
    return nullptr;
  };
  CSVTable csv;
  if (!parseCSV(text, path, csv, error))
    return nullptr;
  if (csv.header.empty())
    return fail(1, "empty file: expected a header with an 'encoding' column");
  size_t encodingColumn = 0;
  std::vector<double> scales;
  std::optional<size_t> statusColumn, rungColumn;
  std::vector<size_t> textColumns;
  {
    const std::vector<std::string> &fields = csv.header;
    size_t lineNo = csv.headerLine;
    auto it = llvm::find(fields, "encoding");
    if (it == fields.end())
      return fail(lineNo, "the header has no 'encoding' column");
    encodingColumn = size_t(it - fields.begin());
    // nasc's own trials.csv: its text columns are no metrics, and only
    // its ok rows count.
    for (size_t c = 0; c < fields.size(); ++c) {
      if (fields[c] == "status")
        statusColumn = c;
      if (fields[c] == "rung")
        rungColumn = c;
      if (fields[c] == "message" || fields[c] == "status")
        textColumns.push_back(c);
    }
    for (size_t c = 0; c < fields.size(); ++c) {
      llvm::StringRef name = fields[c];
      double scale = 1;
      // `name [unit]`: values in that unit.
      if (name.ends_with("]")) {
        size_t open = name.rfind('[');
        if (open == llvm::StringRef::npos)
          return fail(lineNo, "column '" + name + "': unbalanced ']'");
        llvm::StringRef unit = name.slice(open + 1, name.size() - 1).trim();
        std::optional<double> unitScale = getUnitScale(unit);
        if (!unitScale)
          return fail(lineNo,
                      "column '" + name + "': unknown unit '" + unit + "'");
        scale = *unitScale;
        name = name.take_front(open).trim();
      }
      if (name.empty())
        return fail(lineNo, "column " + llvm::Twine(c + 1) + " has no name");
      if (llvm::is_contained(table->columns, name.str()))
        return fail(lineNo, "column '" + name + "' appears twice");
      table->columns.push_back(name.str());
      scales.push_back(scale);
    }
  }
  for (size_t r = 0; r < csv.rows.size(); ++r) {
    const std::vector<std::string> &fields = csv.rows[r];
    size_t lineNo = csv.lines[r];
    if (statusColumn && fields[*statusColumn] != "ok")
      continue;
    std::vector<double> row(fields.size(), std::nan(""));
    for (size_t c = 0; c < fields.size(); ++c) {
      if (c == encodingColumn || fields[c].empty() ||
          llvm::is_contained(textColumns, c))
        continue; // an empty cell: the metric is unknown for this row
      // strtod: the whole field must be a number.
      char *end = nullptr;
      double value = std::strtod(fields[c].c_str(), &end);
      if (end != fields[c].c_str() + fields[c].size() || std::isnan(value))
        return fail(lineNo, "column '" + table->columns[c] + "': '" +
                                fields[c] + "' is not a number");
      row[c] = rescale(value, scales[c]);
    }
    const std::string &encoding = fields[encodingColumn];
    if (encoding.empty())
      return fail(lineNo, "empty encoding");
    if (auto [it, fresh] = table->index.try_emplace(encoding, table->rows.size());
        !fresh) {
      // nasc's trials.csv repeats a candidate proposed again (the same
      // values) and each rung of successive halving it reached: the
      // highest rung's values, measured on the most data, count.
      if (!statusColumn)
        return fail(lineNo, "encoding '" + encoding + "' appears twice");
      if (rungColumn && row[*rungColumn] > table->rows[it->second][*rungColumn])
        table->rows[it->second] = std::move(row);
      continue;
    }
    table->rows.push_back(std::move(row));
    table->encodings.push_back({encoding, lineNo});
  }
  return table;
}

const std::vector<double> *Table::lookup(llvm::StringRef encoding) const {
  auto it = index.find(encoding);
  return it == index.end() ? nullptr : &rows[it->second];
}

//===----------------------------------------------------------------------===//
// TableEvaluator
//===----------------------------------------------------------------------===//

TableEvaluator::TableEvaluator(std::shared_ptr<const Table> table, bool replay)
    : table(std::move(table)), replay(replay) {
  llvm::ArrayRef<std::string> columns = this->table->getColumns();
  const auto *seconds = llvm::find(columns, "seconds");
  if (replay && seconds != columns.end())
    replayColumn = size_t(seconds - columns.begin());
}

std::string TableEvaluator::getName() const {
  return "table " + table->getPath().str();
}

bool TableEvaluator::provides(llvm::StringRef metric) const {
  return metric != "encoding" && llvm::is_contained(table->getColumns(), metric);
}

std::string TableEvaluator::getFingerprint() const {
  return "table " + table->getDigest().str();
}

void TableEvaluator::evaluate(const Candidate &, llvm::StringRef encoding,
                              llvm::ArrayRef<std::string> metrics,
                              Evaluation &out) {
  const std::vector<double> *row = table->lookup(encoding);
  llvm::ArrayRef<std::string> columns = table->getColumns();
  if (replayColumn && row) {
    double wait = (*row)[*replayColumn];
    if (std::isfinite(wait) && wait > 0)
      std::this_thread::sleep_for(
          std::chrono::duration<double>(std::min(wait, 3600.0)));
  }
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (!std::isnan(out.values[i]) || !provides(metrics[i]))
      continue;
    if (!row) {
      out.ok = false;
      out.message = "not in table " + table->getPath().str();
      return;
    }
    size_t column = size_t(llvm::find(columns, metrics[i]) - columns.begin());
    double value = (*row)[column];
    if (std::isnan(value)) {
      out.ok = false;
      out.message = "no '" + metrics[i] + "' in table " +
                    table->getPath().str() + " for this candidate";
      return;
    }
    out.values[i] = value;
  }
}

std::unique_ptr<Evaluator> TableEvaluator::clone() const {
  return std::make_unique<TableEvaluator>(table, replay);
}
