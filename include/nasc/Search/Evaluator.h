//===- Evaluator.h - Where a candidate's metrics come from --------*- C++ -*-===//
//
// Evaluation back-ends behind one interface (docs/search.md, "Evaluators"):
// the analytical evaluator (the cost analyses) and the table evaluator (a
// CSV joined by encoding) here; LibTorch training and hardware cost models
// plug in the same way.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_EVALUATOR_H
#define NASC_SEARCH_EVALUATOR_H

#include "nasc/Analysis/SpaceCostModel.h"
#include "nasc/Space/Space.h"
#include "nasc/Support/Cancellation.h"
#include "nasc/Support/Collective.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nasc::search {

/// One candidate's metric values, in the order the search asked for them
/// (NaN: not computed).
struct Evaluation {
  /// Input: the encoding of the evaluated candidate this one was varied
  /// from, if any (hot start).
  std::string parent;
  /// Input: polled between training steps; once cancelled, the evaluation
  /// stops with `ok` false ("interrupted"). None: it runs to the end.
  const CancellationToken *cancel = nullptr;
  /// Input: the processes that evaluate this candidate together, each its
  /// share (Evaluator::evaluatesTogether, under MPI); none: this one alone.
  Collective *group = nullptr;
  bool ok = true;
  /// Why it failed.
  std::string message;
  std::vector<double> values;
};

/// The data a trained evaluator reads, for summary.json's "data".
struct DataInfo {
  /// What the data is (a dataset's source) and its directory; with stand-in
  /// data, the dataset it stands in for (empty otherwise).
  std::string name, path, standInFor;
  /// An image's shape in the files, and as the network reads it.
  std::vector<int64_t> fileShape, inputShape;
  /// Images: the training split, the part of it candidates train on (the
  /// proxy share), the validation split (selection) and the test set.
  int64_t train = 0, trainedOn = 0, validation = 0, test = 0;
};

class Evaluator {
public:
  virtual ~Evaluator();
  /// A name for messages: "analytical", "table nb201.csv".
  virtual std::string getName() const = 0;
  /// Whether it computes `metric`.
  virtual bool provides(llvm::StringRef metric) const = 0;
  /// The metric it gives in place of `metric`, which it does not compute
  /// but whose ranking that one's values stand in for (a zero-cost proxy's
  /// score for accuracy); none by default.
  virtual std::optional<std::string> getStandIn(llvm::StringRef metric) const {
    return std::nullopt;
  }
  /// What makes its results what they are (for the evaluation cache).
  virtual std::string getFingerprint() const = 0;
  /// Computes, into `out.values[i]`, each `metrics[i]` it provides whose
  /// value is still NaN; on failure sets `out.ok` and `out.message`.
  virtual void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                        llvm::ArrayRef<std::string> metrics,
                        Evaluation &out) = 0;
  /// An independent copy for another thread.
  virtual std::unique_ptr<Evaluator> clone() const = 0;
  /// Multi-fidelity evaluators (training on a share of the data): the
  /// share this one uses, and a copy using another; none by default.
  virtual std::optional<double> getFidelity() const { return std::nullopt; }
  virtual std::unique_ptr<Evaluator> withFidelity(double share) const {
    return nullptr;
  }
  /// The data it trains on, if it trains.
  virtual std::optional<DataInfo> getData() const { return std::nullopt; }
  /// Records in `spec` (a copy of the searched spec: best.mlir) the
  /// settings it evaluates with where the command line overrode the spec's;
  /// nothing by default.
  virtual void recordSettings(nas::SpecOp spec) const {}
  /// What every process of a search does together before its first trial
  /// (a weight-sharing supernet's training, data-parallel over `group`):
  /// each process's evaluator is called alike. Nothing by default; false
  /// when `cancel` stopped it.
  virtual bool prepareTogether(Collective &group,
                               const CancellationToken *cancel) {
    return true;
  }
  /// Whether evaluating a candidate changes what later evaluations read
  /// (the gradient strategy's supernet trains on each candidate it
  /// scores): its trials then run one at a time, in order, on every
  /// process of an MPI job together (Evaluation::group), rather than one
  /// per process. False by default.
  virtual bool evaluatesTogether() const { return false; }
};

/// The cost analyses: macs, flops, params, model_size (= model_bytes),
/// bops, memory (= peak_memory_bytes), activation_bytes.
class AnalyticalEvaluator : public Evaluator {
public:
  /// Fails after a diagnostic when the space has no cost model.
  static mlir::FailureOr<std::unique_ptr<AnalyticalEvaluator>>
  create(const Space &space);

  std::string getName() const override { return "analytical"; }
  bool provides(llvm::StringRef metric) const override;
  std::string getFingerprint() const override;
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                Evaluation &out) override;
  std::unique_ptr<Evaluator> clone() const override;

  /// The metrics it provides.
  static llvm::ArrayRef<llvm::StringLiteral> getMetricNames();

  ~AnalyticalEvaluator() override;

private:
  explicit AnalyticalEvaluator(SpaceCostModel model);
  SpaceCostModel model;
  /// Catches the diagnostics of evaluations on the thread that set
  /// `capturedMessage`; others pass through.
  std::unique_ptr<mlir::ScopedDiagnosticHandler> capture;
  static thread_local std::string *capturedMessage;
};

/// A table of candidates (a CSV with an `encoding` column) shared by its
/// copies.
class Table {
public:
  /// Reads `path`; a malformed file is an error naming the file and line
  /// (in `error`). A header `name [unit]` scales the column's values to
  /// the unit's base (e.g. `latency(gpu) [ms]`). A `status` column (nasc's
  /// trials.csv) keeps only the rows that are `ok`; it and `message` are
  /// text, not metrics; there a repeated encoding is the same candidate
  /// again, whose row of the highest `rung` counts.
  static std::shared_ptr<const Table> load(llvm::StringRef path,
                                           std::string &error);

  llvm::StringRef getPath() const { return path; }
  llvm::ArrayRef<std::string> getColumns() const { return columns; }
  /// The row of `encoding`, or null.
  const std::vector<double> *lookup(llvm::StringRef encoding) const;
  size_t size() const { return rows.size(); }
  /// A digest of the file's contents.
  llvm::StringRef getDigest() const { return digest; }
  /// Row encodings, in file order, with their line numbers.
  llvm::ArrayRef<std::pair<std::string, size_t>> getEncodings() const {
    return encodings;
  }

private:
  std::string path, digest;
  std::vector<std::string> columns;
  llvm::StringMap<size_t> index;
  std::vector<std::vector<double>> rows;
  std::vector<std::pair<std::string, size_t>> encodings;
};

/// Reads metrics from a table by the candidate's encoding; a candidate
/// missing from the table fails. With `replay`, a lookup takes as long as
/// the row's `seconds` column says (the evaluation time an earlier search
/// recorded), so that a search of table lookups dispatches like the search
/// it replays.
class TableEvaluator : public Evaluator {
public:
  explicit TableEvaluator(std::shared_ptr<const Table> table,
                          bool replay = false);

  std::string getName() const override;
  bool provides(llvm::StringRef metric) const override;
  std::string getFingerprint() const override;
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                Evaluation &out) override;
  std::unique_ptr<Evaluator> clone() const override;

private:
  std::shared_ptr<const Table> table;
  bool replay;
  /// The `seconds` column a replay sleeps for (none: no replay).
  std::optional<size_t> replayColumn;
};

} // namespace nasc::search

#endif // NASC_SEARCH_EVALUATOR_H
