//===- MeasuredEvaluator.h - Measured latency as a search metric -*- C++ -*-===//
//
// The fourth cost method (docs/costmodel.md): `latency(T)` of a candidate
// is the median time of the native code the CPU backend emits for it, on
// this machine (`nasc measure`). For `nasc search --measure-target T`.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_MEASUREDEVALUATOR_H
#define NASC_COSTMODEL_MEASUREDEVALUATOR_H

#include "nasc/Search/Evaluator.h"

#include <memory>
#include <string>

namespace nasc::cost {

/// Measures `latency(target)` of each candidate `repeats` times at `batch`
/// images (after 3 warm-up runs), one measurement at a time in the process.
std::unique_ptr<search::Evaluator>
createMeasuredEvaluator(const Space &space, std::string target, int64_t batch,
                        unsigned repeats);

} // namespace nasc::cost

#endif // NASC_COSTMODEL_MEASUREDEVALUATOR_H
