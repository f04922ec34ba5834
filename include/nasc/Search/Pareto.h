//===- Pareto.h - Non-dominated sorting, crowding, hypervolume ----*- C++ -*-===//
//
// Points are objective vectors to minimize (Problem::orient).
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_PARETO_H
#define NASC_SEARCH_PARETO_H

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace nasc::search {

using Point = std::vector<double>;

/// Whether `a` dominates `b`: no worse in every objective, better in one.
bool dominates(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b);

/// Fronts of non-dominated sorting (Deb et al., NSGA-II): front 0 holds
/// the indices of the points no other dominates, front 1 those dominated
/// only by front 0, and so on; indices ascend within a front.
std::vector<std::vector<size_t>> sortNonDominated(llvm::ArrayRef<Point> points);

/// The indices of the points no other point dominates, ascending: the
/// first front, in O(n log n + n f) for a front of f points.
std::vector<size_t> findNonDominated(llvm::ArrayRef<Point> points);

/// The crowding distance of each point of one front (`front` indexes
/// `points`), in the order of `front`: boundary points get infinity.
std::vector<double> crowdingDistances(llvm::ArrayRef<Point> points,
                                      llvm::ArrayRef<size_t> front);

/// The hypervolume dominated by `points` and bounded by `reference`
/// (points not strictly better than the reference in every objective add
/// nothing). Exact for any number of objectives; fast for 2 and 3.
double hypervolume(llvm::ArrayRef<Point> points,
                   llvm::ArrayRef<double> reference);

} // namespace nasc::search

#endif // NASC_SEARCH_PARETO_H
