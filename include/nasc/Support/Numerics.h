//===- Numerics.h - Small numerical routines ------------------------*- C++ -*-===//
//
// The linear algebra and statistics that the accuracy predictor and the
// cost-model calibration both fit with.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_NUMERICS_H
#define NASC_SUPPORT_NUMERICS_H

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace nasc {

/// Solves A w = b for a symmetric positive definite A (Cholesky; tiny
/// pivots are clamped, so a nearly singular A still gives an answer).
std::vector<double> solveSPD(std::vector<std::vector<double>> a,
                             std::vector<double> b);

/// Spearman's rank correlation (ties get their mean rank).
double spearman(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b);

/// Kendall's rank correlation τ-b (ties counted in neither pair class;
/// O(n²), for the few hundred rows of a calibration).
double kendall(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b);

} // namespace nasc

#endif // NASC_SUPPORT_NUMERICS_H
