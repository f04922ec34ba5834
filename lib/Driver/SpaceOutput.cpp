//===- SpaceOutput.cpp - Space statistics and candidate tables ------------===//

#include "nasc/Driver/SpaceOutput.h"

#include "nasc/Space/Sampling.h"

#include "nasc/Support/CSV.h"

#include "nasc/Analysis/Costs.h"
#include "nasc/Driver/SpaceCosts.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include <array>

using namespace nasc;
using namespace mlir;

/// A constraint as written in .nas: `latency(t) < 5 ms`.
static void printConstraint(nas::ConstraintOp constraint,
                            llvm::raw_ostream &os) {
  os << nas::stringifyMetric(constraint.getMetric());
  if (auto target = constraint.getTarget())
    os << "(" << *target << ")";
  os << " " << nas::getComparisonSymbol(constraint.getCmp()) << " ";
  nas::printSourceForm(constraint.getBound(), os);
}

/// The constraints no metric here evaluates (accuracy, latency on a target
/// without figures).
static size_t countUnevaluated(const SpaceCosts &costs) {
  return llvm::count_if(costs.constraints,
                        [](const SpaceCosts::ConstraintResult &constraint) {
                          return !constraint.metric;
                        });
}

void nasc::printSpaceStats(const Space &space, OutputFormat format,
                           llvm::raw_ostream &os,
                           std::optional<llvm::DynamicAPInt> unique,
                           const SpaceCosts *costs,
                           llvm::StringRef costsUnavailable) {
  unsigned byKind[5] = {0, 0, 0, 0, 0};
  std::vector<const Decision *> decisions = space.getAllDecisions();
  for (const Decision *decision : decisions)
    ++byKind[static_cast<int>(decision->kind)];
  std::string size = toString(space.size());
  if (format == OutputFormat::JSON) {
    llvm::json::OStream json(os, 2);
    json.object([&] {
      json.attribute("spec", space.getSpec().getSymName());
      json.attribute("size", size); // exact: may exceed any machine integer
      if (unique)
        json.attribute("unique", toString(*unique));
      json.attributeObject("decisions", [&] {
        json.attribute("total", int64_t(decisions.size()));
        json.attribute("options", byKind[0]);
        json.attribute("parameters", byKind[1]);
        json.attribute("repeat_counts", byKind[2]);
        json.attribute("resolutions", byKind[4]);
        json.attribute("tunables", byKind[3]);
      });
      if (!costs) {
        if (!costsUnavailable.empty())
          json.attribute("costs_unavailable", costsUnavailable);
        return;
      }
      json.attribute("method", costs->folded ? "folded" : "enumerated");
      json.attribute("convention", kCostConvention);
      if (!costs->folded)
        json.attribute("not_folded", costs->unfoldedReason);
      json.attributeObject("metrics", [&] {
        for (size_t m = 0; m < costs->min.size(); ++m)
          json.attributeObject(getMetricName(*costs, m), [&] {
            if (m < kNumCostMetrics) {
              json.attribute("min", int64_t(costs->min[m]));
              json.attribute("max", int64_t(costs->max[m]));
            } else {
              // In the unit candidate tables print it in.
              const RecordMetric &metric =
                  costs->recordMetrics[m - kNumCostMetrics];
              auto value = [&](uint64_t count) {
                return getRecordMetricValue(count, metric.unit) /
                       metric.printScale;
              };
              json.attribute("min", value(costs->min[m]));
              json.attribute("max", value(costs->max[m]));
              json.attribute("unit", metric.printUnit);
            }
            json.attribute("argmin", costs->argmin[m]);
            json.attribute("argmax", costs->argmax[m]);
          });
      });
      // Counts are strings, like the size: they may exceed any integer.
      auto count = [&](llvm::StringRef name, const CandidateCount &n) {
        if (n.isExact())
          return json.attribute(name, toString(n.low));
        json.attributeObject(name, [&] {
          json.attribute("at_least", toString(n.low));
          json.attribute("at_most", toString(n.high));
        });
      };
      json.attributeArray("constraints", [&] {
        for (const SpaceCosts::ConstraintResult &constraint :
             costs->constraints)
          json.object([&] {
            std::string text;
            llvm::raw_string_ostream textOs(text);
            printConstraint(constraint.op, textOs);
            json.attribute("constraint", text);
            if (constraint.metric) {
              count("met_by", constraint.satisfied);
            } else {
              json.attribute("met_by", nullptr);
              json.attribute("not_evaluated", constraint.unevaluated);
            }
          });
      });
      count("feasible", costs->feasible);
      // Then `feasible` counts candidates meeting the others: an upper
      // bound.
      if (size_t skipped = countUnevaluated(*costs))
        json.attribute("constraints_not_evaluated", int64_t(skipped));
    });
    os << "\n";
    return;
  }
  os << "spec " << space.getSpec().getSymName() << "\n"
     << "space size: " << size << "\n";
  if (unique)
    os << "unique up to isomorphism: " << *unique << "\n";
  os << "decisions: " << decisions.size() << " (" << byKind[0] << " options, "
     << byKind[1] << " hyper-parameters, " << byKind[2] << " repeat counts, "
     << byKind[3] << " tunables"
     << (byKind[4] ? ", 1 input resolution" : "") << ")\n";
  if (!costs) {
    if (!costsUnavailable.empty())
      os << "costs over the space: not computed: " << costsUnavailable
         << "\n";
    return;
  }
  os << "costs over the space, "
     << (costs->folded ? "folded"
                       : "every candidate evaluated (not folded: " +
                             costs->unfoldedReason + ")")
     << " (min .. max; docs/analysis.md):\n";
  for (size_t m = 0; m < costs->min.size(); ++m)
    os << "  " << getMetricName(*costs, m) << ": "
       << formatMetricValue(*costs, m, costs->min[m], /*unit=*/false) << " .. "
       << formatMetricValue(*costs, m, costs->max[m]) << "\n";
  auto count = [&](const CandidateCount &n) {
    if (n.isExact())
      os << n.low;
    else
      os << "between " << n.low << " and " << n.high;
  };
  for (const SpaceCosts::ConstraintResult &constraint : costs->constraints) {
    os << "constraint ";
    printConstraint(constraint.op, os);
    if (constraint.metric) {
      os << ": met by ";
      count(constraint.satisfied);
      os << "\n";
    } else {
      os << ": not evaluated here (" << constraint.unevaluated << ")\n";
    }
  }
  // A constraint not evaluated may exclude more: what meets the others is
  // an upper bound (0 is exact anyway).
  size_t skipped = countUnevaluated(*costs);
  os << "feasible: ";
  if (skipped && costs->feasible.high > 0)
    os << "at most ";
  count(costs->feasible);
  os << " of " << size;
  if (skipped)
    os << " (" << skipped << " constraint" << (skipped == 1 ? "" : "s")
       << " not evaluated here)";
  os << "\n";
  os << "convention: " << kCostConvention << "\n";
}

CandidateWriter::CandidateWriter(SpaceCostModel &model, OutputFormat format,
                                 llvm::raw_ostream &os,
                                 const ExtraColumns *extra)
    : model(model), space(model.getSpace()), os(os),
      columns(space.getAllDecisions()), extra(extra) {
  for (size_t c = 0; c < columns.size(); ++c)
    columnIndex[columns[c]->column] = c;
  if (format == OutputFormat::JSON) {
    json = std::make_unique<llvm::json::OStream>(os, 2);
    json->arrayBegin();
    return;
  }
  os << "encoding";
  for (llvm::StringRef metric : kCostMetricNames)
    os << "," << metric;
  if (extra)
    for (const std::string &name : extra->names)
      os << "," << csvField(name);
  for (const Decision *decision : columns)
    os << "," << csvField(decision->column);
  os << "\n";
}

CandidateWriter::~CandidateWriter() {
  if (json) {
    json->arrayEnd();
    os << "\n";
  }
}

LogicalResult CandidateWriter::write(const Candidate &candidate) {
  // Decisions a candidate takes share their column with every other
  // decision of that name (e.g. under different repeat counts).
  labels.assign(columns.size(), nullptr);
  space.forEachOutcome(candidate,
                       [&](const Decision &decision, uint32_t outcome) {
                         auto it = columnOf.find(&decision);
                         if (it == columnOf.end())
                           it = columnOf
                                    .try_emplace(&decision,
                                                 columnIndex.lookup(
                                                     decision.column))
                                    .first;
                         labels[it->second] = &decision.labels[outcome];
                       });
  std::string encoding = space.encode(candidate);
  // An ill-shaped candidate is reported at its layer and stops the table.
  mlir::FailureOr<CostTotals> totals = model.evaluate(candidate);
  if (mlir::failed(totals))
    return mlir::failure();
  CostMetrics metrics = getCostMetrics(*totals);
  std::vector<std::string> cells;
  if (extra && mlir::failed(extra->compute(candidate, cells)))
    return mlir::failure();
  if (json) {
    json->object([&] {
      json->attribute("encoding", encoding);
      for (auto [name, value] : llvm::zip(kCostMetricNames, metrics))
        json->attribute(name, int64_t(value));
      for (size_t c = 0; c < cells.size(); ++c)
        json->attribute(extra->names[c], cells[c]);
      json->attributeObject("decisions", [&] {
        for (size_t c = 0; c < columns.size(); ++c)
          if (labels[c])
            json->attribute(columns[c]->column, *labels[c]);
      });
    });
    return mlir::success();
  }
  os << csvField(encoding);
  for (uint64_t value : metrics)
    os << "," << value;
  for (const std::string &cell : cells)
    os << "," << csvField(cell);
  for (const std::string *label : labels) {
    os << ",";
    if (label)
      os << csvField(*label);
  }
  os << "\n";
  return mlir::success();
}

//===----------------------------------------------------------------------===//
// Selecting candidates
//===----------------------------------------------------------------------===//

/// Spaces larger than this are not enumerated without --limit or --sample.
static constexpr int64_t kMaxUnlimitedCandidates = 10'000'000;

/// Reads an encodings file: each line decoded against the space; a bad line
/// is an error naming the file, line and first bad token.
static LogicalResult readEncodings(const Space &space, StringRef encodingsFile,
                                   MLIRContext &context,
                                   std::vector<Candidate> &candidates) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(encodingsFile, &errorMessage);
  if (!file) {
    llvm::errs() << "nasc: error: " << errorMessage << "\n";
    return failure();
  }
  SmallVector<StringRef> lines;
  file->getBuffer().split(lines, '\n');
  for (auto [index, line] : llvm::enumerate(lines)) {
    StringRef text = line.rtrim("\r");
    if (text.trim().empty())
      continue;
    std::string error;
    size_t badToken = 0;
    FailureOr<Candidate> candidate = space.decode(text, error, &badToken);
    if (succeeded(candidate)) {
      candidates.push_back(*candidate);
      continue;
    }
    // The column of the bad token (or the end of the line if one is missing).
    size_t column = text.size();
    size_t at = text.find_first_not_of(" \t");
    for (size_t token = 0; at != StringRef::npos; ++token) {
      if (token == badToken) {
        column = at;
        break;
      }
      at = text.find_first_not_of(" \t", text.find_first_of(" \t", at));
    }
    emitError(
        FileLineColLoc::get(&context, encodingsFile, index + 1, column + 1))
        << error;
    return failure();
  }
  return success();
}

LogicalResult nasc::forEachSelectedCandidate(
    const Space &space, const CandidateSelection &selection,
    MLIRContext &context,
    llvm::function_ref<LogicalResult(const Candidate &)> visit) {
  if (!selection.candidates.empty()) {
    for (const Candidate &candidate : selection.candidates)
      if (failed(visit(candidate)))
        return failure();
    return success();
  }
  std::vector<Candidate> listed;
  if (!selection.encodingsFile.empty() &&
      failed(readEncodings(space, selection.encodingsFile, context, listed)))
    return failure();
  llvm::DynamicAPInt count = space.size();
  if (selection.limit) {
    count = std::min(count, llvm::DynamicAPInt(*selection.limit));
  } else if (selection.encodingsFile.empty() && selection.sample == 0 &&
             count > llvm::DynamicAPInt(kMaxUnlimitedCandidates)) {
    llvm::errs() << "nasc: error: the space has " << toString(space.size())
                 << " candidates; choose some with --limit, --sample or "
                    "--encodings\n";
    return failure();
  }
  // With `unique`, a candidate isomorphic to one already written is skipped.
  llvm::StringSet<> seen;
  auto visitNew = [&](const Candidate &candidate) {
    if (selection.unique &&
        !seen.insert(space.getIsomorphismKey(candidate)).second)
      return success();
    return visit(candidate);
  };
  if (!selection.encodingsFile.empty()) {
    for (const Candidate &candidate : listed)
      if (failed(visitNew(candidate)))
        return failure();
  } else if (selection.sample > 0) {
    Random random(selection.seed);
    for (const Candidate &candidate :
         sampleDistinct(space, random, selection.sample))
      if (failed(visitNew(candidate)))
        return failure();
  } else {
    for (llvm::DynamicAPInt i(0); i < count; ++i)
      if (failed(visitNew(space.unrank(i))))
        return failure();
  }
  return success();
}

LogicalResult nasc::writeCandidates(const Space &space,
                                    const CandidateSelection &selection,
                                    OutputFormat format, MLIRContext &context,
                                    llvm::raw_ostream &os,
                                    const ExtraColumns *extra) {
  FailureOr<SpaceCostModel> model = SpaceCostModel::build(space);
  if (failed(model))
    return failure();
  CandidateWriter writer(*model, format, os, extra);
  return forEachSelectedCandidate(
      space, selection, context,
      [&](const Candidate &candidate) { return writer.write(candidate); });
}
