//===- TorchPlugin.cpp - Loading the LibTorch evaluator -------------------===//
//
// LibTorch takes about 0.4 s to load: nasc links it only through
// libNASCEval.so, opened the first time a search needs training.
//
//===----------------------------------------------------------------------===//

#include "nasc/Evaluators/TorchPlugin.h"

#include "nasc/Support/EvalLibrary.h"

using namespace nasc;

using CreateFn = search::Evaluator *(*)(const Space *,
                                        const eval::TrainSettings *,
                                        std::string *);

using ExportFn = bool (*)(search::Evaluator *, const Candidate *, const char *,
                          const char *, const CancellationToken *,
                          std::string *);

std::unique_ptr<search::Evaluator>
evaluators::createTorchEvaluator(const Space &space,
                                 const eval::TrainSettings &settings,
                                 std::string &error) {
  auto create = reinterpret_cast<CreateFn>(
      findEvalSymbol("nascCreateTorchEvaluator", error));
  if (!create)
    return nullptr;
  return std::unique_ptr<search::Evaluator>(create(&space, &settings, &error));
}

bool evaluators::exportTrainedModel(const Space &space,
                                    const eval::TrainSettings &settings,
                                    const Candidate &candidate,
                                    const std::string &encoding,
                                    const std::string &dir, std::string &error,
                                    const CancellationToken *cancel) {
  std::unique_ptr<search::Evaluator> evaluator =
      createTorchEvaluator(space, settings, error);
  if (!evaluator)
    return false;
  auto exportModel = reinterpret_cast<ExportFn>(
      findEvalSymbol("nascExportTrainedModel", error));
  return exportModel &&
         exportModel(evaluator.get(), &candidate, encoding.c_str(), dir.c_str(),
                     cancel, &error);
}
