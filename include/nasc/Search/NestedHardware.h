//===- NestedHardware.h - Each architecture's best hardware -----*- C++ -*-===//
//
// Co-exploration with a nested hardware search (docs/search.md, "Nested
// hardware"), as in the hardware/software co-design NAS papers the survey
// reviews: the outer strategy proposes architectures (and compression),
// and each one's hardware configuration, the targets' tunables, is the
// best an inner search finds for it, judged by the problem's hardware
// metrics alone (those of a target: cycles(T), lut(T), latency(T), ...).
// The outer search then sees every architecture at its best design.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_NESTEDHARDWARE_H
#define NASC_SEARCH_NESTEDHARDWARE_H

#include "nasc/Search/Evaluator.h"
#include "nasc/Search/Problem.h"
#include "nasc/Space/Space.h"

#include <memory>
#include <vector>

namespace nasc::search {

/// `candidate` with the tunables that suit its architecture best: every
/// combination of them (at most `maxConfigs`, else that many drawn with
/// `seed`, the candidate's own among them) evaluated for the hardware
/// metrics by the evaluators that give them (never training); the one that
/// breaks the constraints on those metrics least, then the best under the
/// hardware objectives in order. Unchanged when the space has no tunables,
/// the problem no hardware metric, or no combination evaluates.
Candidate chooseHardware(const Space &space, const Problem &problem,
                         llvm::ArrayRef<std::unique_ptr<Evaluator>> evaluators,
                         const Candidate &candidate, uint64_t seed,
                         size_t maxConfigs = 256);

} // namespace nasc::search

#endif // NASC_SEARCH_NESTEDHARDWARE_H
