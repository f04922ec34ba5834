//===- MeasuredEvaluator.h - Measured latency as a search metric -*- C++ -*-===//
//
// The fourth cost method (docs/costmodel.md): `latency(T)` of a candidate
// is the median time of the native code the CPU backend emits for it, on
// this machine (`nasc measure`). For `nasc search --measure-target T`.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_TOOLS_NASC_MEASUREDEVALUATOR_H
#define NASC_TOOLS_NASC_MEASUREDEVALUATOR_H

#include "nasc/Search/Evaluator.h"

#include <memory>
#include <string>

namespace nasc::tool {

std::unique_ptr<search::Evaluator>
createMeasuredEvaluator(const Space &space, std::string target, int64_t batch,
                        unsigned repeats);

} // namespace nasc::tool

#endif // NASC_TOOLS_NASC_MEASUREDEVALUATOR_H
