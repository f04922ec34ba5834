//===- Predictor.h - An accuracy predictor fitted to evaluated trials -*- C++
//-*-//
//
// Ridge regression on the one-hot outcomes of every decision and the
// logarithms of the analytical costs, fitted to candidates whose metric is
// known (a table, a previous search's trials.csv), with its regularization
// chosen and its error reported by 5-fold cross-validation
// (docs/evaluation.md, "Predictor").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_PREDICTOR_H
#define NASC_SEARCH_PREDICTOR_H

#include "nasc/Search/Evaluator.h"

namespace nasc::search {

class PredictorEvaluator : public Evaluator {
public:
  /// Fits a predictor of `metric` to the rows of `table` that are
  /// candidates of `space` (rows with a `status` other than ok are left
  /// out). Fails, with `error`, with fewer than 10 such rows.
  static std::unique_ptr<PredictorEvaluator>
  create(const Space &space, std::shared_ptr<const Table> table,
         llvm::StringRef metric, std::string &error);

  std::string getName() const override;
  bool provides(llvm::StringRef metric) const override;
  std::string getFingerprint() const override;
  void evaluate(const Candidate &candidate, llvm::StringRef encoding,
                llvm::ArrayRef<std::string> metrics,
                Evaluation &out) override;
  std::unique_ptr<Evaluator> clone() const override;

  /// The prediction for one candidate.
  double predict(const Candidate &candidate);

  /// Cross-validated quality on the fitting rows (5 folds, each row
  /// predicted by a model that did not see it).
  struct Quality {
    size_t rows = 0;
    double spearman = 0, meanAbsoluteError = 0, lambda = 0;
  };
  const Quality &getQuality() const { return quality; }

  struct Model;
  ~PredictorEvaluator() override;

private:
  PredictorEvaluator(const Space &space, std::string metric,
                     std::shared_ptr<const Model> model, Quality quality,
                     std::string fingerprint);
  const Space &space;
  std::string metric;
  std::shared_ptr<const Model> model;
  Quality quality;
  std::string fingerprint;
  std::unique_ptr<AnalyticalEvaluator> costs;
};

} // namespace nasc::search

#endif // NASC_SEARCH_PREDICTOR_H
