//===- SpaceOutput.h - Space statistics and candidate tables ----*- C++ -*-===//

#ifndef NASC_DRIVER_SPACEOUTPUT_H
#define NASC_DRIVER_SPACEOUTPUT_H

#include "nasc/Analysis/SpaceCostModel.h"
#include "nasc/Space/Space.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace nasc {

enum class OutputFormat { Text, CSV, JSON };

struct SpaceCosts;

/// Writes the exact size of the space and its decisions by kind, the number
/// of candidates unique up to cell isomorphism and the costs over the space
/// when given (else why they are not, when given).
void printSpaceStats(const Space &space, OutputFormat format,
                     llvm::raw_ostream &os,
                     std::optional<llvm::DynamicAPInt> unique = std::nullopt,
                     const SpaceCosts *costs = nullptr,
                     llvm::StringRef costsUnavailable = "");

/// Streams a table of candidates: one row each with its canonical encoding,
/// its costs (macs, flops, params, model_bytes, bops, activation_bytes,
/// peak_memory_bytes; docs/analysis.md) and the outcome of every decision
/// (empty where the candidate does not take it). CSV has a header row; JSON
/// is an array of objects.
/// Columns a table adds after the costs (e.g. latency on targets): their
/// names, and a function filling one row's cells (failing, after a
/// diagnostic, on a candidate it cannot handle).
struct ExtraColumns {
  std::vector<std::string> names;
  std::function<mlir::LogicalResult(const Candidate &,
                                    std::vector<std::string> &cells)>
      compute;
};

class CandidateWriter {
public:
  CandidateWriter(SpaceCostModel &model, OutputFormat format,
                  llvm::raw_ostream &os, const ExtraColumns *extra = nullptr);
  ~CandidateWriter();
  /// Fails, after a diagnostic, on a candidate that is ill-shaped.
  mlir::LogicalResult write(const Candidate &candidate);

private:
  SpaceCostModel &model;
  const Space &space;
  llvm::raw_ostream &os;
  std::vector<const Decision *> columns;
  /// Column by name, and by decision (filled as decisions are met).
  llvm::StringMap<size_t> columnIndex;
  llvm::DenseMap<const Decision *, size_t> columnOf;
  /// The current row's label in each column (null: not taken).
  std::vector<const std::string *> labels;
  std::unique_ptr<llvm::json::OStream> json;
  const ExtraColumns *extra;
};

/// Which candidates a table lists: the first `limit` in enumeration order,
/// `sample` drawn with `seed`, or those listed in `encodingsFile` (all of
/// them by default); with `unique`, one per class of isomorphic cells.
struct CandidateSelection {
  /// Exactly these candidates (nasc's --candidate), whatever the rest says.
  std::vector<Candidate> candidates;
  std::optional<int64_t> limit;
  uint64_t sample = 0;
  uint64_t seed = 0;
  std::string encodingsFile;
  bool unique = false;
};

/// Calls `visit` on each selected candidate, in the order a table lists
/// them; stops at the first failure. A bad line of the encodings file is an
/// error at its file, line and first bad token; spaces of more than 10
/// million candidates need a selection.
mlir::LogicalResult forEachSelectedCandidate(
    const Space &space, const CandidateSelection &selection,
    mlir::MLIRContext &context,
    llvm::function_ref<mlir::LogicalResult(const Candidate &)> visit);

/// Writes the selected candidates as a table. A bad line of the encodings
/// file is an error at its file, line and first bad token; spaces of more
/// than 10 million candidates need a selection.
mlir::LogicalResult writeCandidates(const Space &space,
                                    const CandidateSelection &selection,
                                    OutputFormat format,
                                    mlir::MLIRContext &context,
                                    llvm::raw_ostream &os,
                                    const ExtraColumns *extra = nullptr);

} // namespace nasc

#endif // NASC_DRIVER_SPACEOUTPUT_H
