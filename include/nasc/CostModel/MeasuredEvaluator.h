//===- MeasuredEvaluator.h - Measured latency as a search metric -*- C++
//-*-===//
//
// The fourth cost method (docs/costmodel.md): `latency(T)` of a candidate
// is measured as `nasc measure` measures it: the median time of the native
// code the CPU backend emits for it, on this machine, or, for a target of
// kind fpga, its design's simulated cycles at the placed Fmax
// (docs/fpga.md). For `nasc search --measure-target T`.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_COSTMODEL_MEASUREDEVALUATOR_H
#define NASC_COSTMODEL_MEASUREDEVALUATOR_H

#include "nasc/Search/Evaluator.h"

#include <memory>
#include <string>

namespace nasc::cost {

/// Measures `latency(target)` of each candidate with the backend of
/// `backendKind` (`cpu`: `repeats` times at `batch` images after 3 warm-up
/// runs), one measurement at a time in the process; also the metrics the
/// backend reports with it (fpga: `cycles`, `lut`, `ff`, `dsp`, `bram` of
/// the target).
std::unique_ptr<search::Evaluator>
createMeasuredEvaluator(const Space &space, std::string target, int64_t batch,
                        unsigned repeats, std::string backendKind = "cpu");

/// The metrics the backends of the spec's targets estimate from a
/// candidate's design without building it (TargetBackend::estimate: an
/// fpga target's `cycles`, resources, `fmax` and `latency`), for every
/// target whose kind has a backend, but `leftToOthers` (metric keys such
/// as `latency(T)` a cost model the user gave computes instead).
/// `backendModel`: a model of `nasc calibrate` the backend estimates with
/// (an fpga resource model), else its default.
std::unique_ptr<search::Evaluator>
createDesignEvaluator(const Space &space, std::string backendModel = "",
                      std::vector<std::string> leftToOthers = {});

/// Whether the file `path` is a model `nasc calibrate` fitted to a
/// backend's designs (an fpga resource model) rather than a cost model.
bool isBackendModelFile(llvm::StringRef path);

} // namespace nasc::cost

#endif // NASC_COSTMODEL_MEASUREDEVALUATOR_H
