//===- TorchPlugin.h - Loading the LibTorch evaluator -----------*- C++ -*-===//
//
// LibTorch takes about 0.4 s to load: nasc links it only through
// libNASCEval.so, opened the first time something needs training.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_EVALUATORS_TORCHPLUGIN_H
#define NASC_EVALUATORS_TORCHPLUGIN_H

#include "nasc/Eval/TrainSettings.h"
#include "nasc/Search/Evaluator.h"

#include <memory>
#include <string>

namespace nasc::evaluators {

/// Loads libNASCEval.so (next to nasc: ../lib; or $NASC_EVAL_LIBRARY) and
/// creates its LibTorch evaluator; null with `error` on failure.
std::unique_ptr<search::Evaluator>
createTorchEvaluator(const Space &space, const eval::TrainSettings &settings,
                     std::string &error);

/// Trains `candidate` again as the search did and writes `dir`/best.pt and
/// `dir`/best.onnx; false with `error`.
bool exportTrainedModel(const Space &space, const eval::TrainSettings &settings,
                        const Candidate &candidate, const std::string &encoding,
                        const std::string &dir, std::string &error,
                        const CancellationToken *cancel);

} // namespace nasc::evaluators

#endif // NASC_EVALUATORS_TORCHPLUGIN_H
