//===- Transfer.h - A search's trials re-costed on another target -*- C++ -*-===//
//
// `nasc transfer` (docs/costmodel.md, "Transfer"): the trials a search
// evaluated are re-ranked with another target's calibrated model, with no
// training, and the most accurate member of the new front can have its
// bit widths and pruning ratios searched for that target's limits.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_TRANSFER_H
#define NASC_COSTMODEL_TRANSFER_H

#include "nasc/CostModel/CostModel.h"
#include "nasc/Search/Problem.h"
#include "nasc/Space/Space.h"

#include <optional>
#include <string>
#include <vector>

namespace nasc::cost {

/// One trial of a search, with its latency on the new target.
struct TransferredTrial {
  std::string encoding;
  Candidate candidate;
  /// NaN when the trials have no accuracy column.
  double accuracy = std::numeric_limits<double>::quiet_NaN();
  /// Seconds, by the new target's model.
  double latency = std::numeric_limits<double>::quiet_NaN();
};

struct TransferredTrials {
  std::vector<TransferredTrial> trials;
  bool withAccuracy = false;
};

/// Reads a search's trials.csv at `path`: each `ok` candidate once, in file
/// order, costed by `model`. Errors (in `error`) name the file and line.
std::optional<TransferredTrials>
loadTransferredTrials(const Space &space, const CalibratedModel &model,
                      llvm::StringRef path, std::string &error);

/// The non-dominated trials (accuracy, when known, against latency), by
/// increasing latency.
std::vector<size_t> getTransferFront(const TransferredTrials &trials);

/// The least-latency compression of a candidate that meets some limits.
struct Compression {
  TransferredTrial best;
  /// Combinations of bit widths and pruning ratios tried.
  size_t tries = 0;
  /// The compression decisions (positions in the candidate's outcomes).
  std::vector<size_t> positions;
  std::vector<const Decision *> decisions;
};

/// Searches the bit widths and pruning ratios of `chosen` (every
/// combination up to 4096, else 4096 random ones) for the least latency
/// on `model`'s target meeting every constraint, which may name that
/// latency or the analyses' metrics. Fails with `error`; `best` is unset
/// (NaN latency) when no combination meets the limits.
std::optional<Compression>
compressForTarget(const Space &space, const CalibratedModel &model,
                  const TransferredTrial &chosen,
                  llvm::ArrayRef<search::Constraint> constraints,
                  std::string &error);

} // namespace nasc::cost

#endif // NASC_COSTMODEL_TRANSFER_H
