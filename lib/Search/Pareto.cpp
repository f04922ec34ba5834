//===- Pareto.cpp - Non-dominated sorting, crowding, hypervolume ----------===//

#include "nasc/Search/Pareto.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace nasc;
using namespace nasc::search;

bool search::dominates(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b) {
  bool better = false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] > b[i])
      return false;
    better |= a[i] < b[i];
  }
  return better;
}

std::vector<std::vector<size_t>>
search::sortNonDominated(llvm::ArrayRef<Point> points) {
  size_t n = points.size();
  std::vector<std::vector<size_t>> dominated(n);
  std::vector<size_t> dominators(n, 0);
  std::vector<std::vector<size_t>> fronts(1);
  for (size_t p = 0; p < n; ++p) {
    for (size_t q = p + 1; q < n; ++q) {
      if (dominates(points[p], points[q])) {
        dominated[p].push_back(q);
        ++dominators[q];
      } else if (dominates(points[q], points[p])) {
        dominated[q].push_back(p);
        ++dominators[p];
      }
    }
  }
  for (size_t p = 0; p < n; ++p)
    if (dominators[p] == 0)
      fronts[0].push_back(p);
  while (!fronts.back().empty()) {
    std::vector<size_t> next;
    for (size_t p : fronts.back())
      for (size_t q : dominated[p])
        if (--dominators[q] == 0)
          next.push_back(q);
    llvm::sort(next);
    fronts.push_back(std::move(next));
  }
  fronts.pop_back();
  return fronts;
}

std::vector<size_t> search::findNonDominated(llvm::ArrayRef<Point> points) {
  // A point can only be dominated by one before it in lexicographic order.
  std::vector<size_t> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return points[a] < points[b];
  });
  std::vector<size_t> front;
  for (size_t p : order)
    if (llvm::none_of(front,
                      [&](size_t q) { return dominates(points[q], points[p]); }))
      front.push_back(p);
  llvm::sort(front);
  return front;
}

std::vector<double> search::crowdingDistances(llvm::ArrayRef<Point> points,
                                              llvm::ArrayRef<size_t> front) {
  size_t n = front.size();
  std::vector<double> distance(n, 0.0);
  if (n == 0)
    return distance;
  constexpr double inf = std::numeric_limits<double>::infinity();
  size_t m = points[front[0]].size();
  std::vector<size_t> order(n);
  for (size_t obj = 0; obj < m; ++obj) {
    std::iota(order.begin(), order.end(), 0);
    // Ties broken by position: deterministic.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return points[front[a]][obj] < points[front[b]][obj];
    });
    double low = points[front[order.front()]][obj];
    double high = points[front[order.back()]][obj];
    distance[order.front()] = inf;
    distance[order.back()] = inf;
    if (!(high > low))
      continue;
    for (size_t i = 1; i + 1 < n; ++i)
      distance[order[i]] += (points[front[order[i + 1]]][obj] -
                             points[front[order[i - 1]]][obj]) /
                            (high - low);
  }
  return distance;
}

/// 2-D hypervolume of points already inside the reference box.
static double hypervolume2(std::vector<Point> points,
                           llvm::ArrayRef<double> reference) {
  llvm::sort(points, [](const Point &a, const Point &b) {
    return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
  });
  double volume = 0, bestY = reference[1];
  for (const Point &p : points) {
    if (p[1] >= bestY)
      continue;
    volume += (reference[0] - p[0]) * (bestY - p[1]);
    bestY = p[1];
  }
  return volume;
}

/// Slices along the last objective, recursively (exact; the classic
/// "hypervolume by slicing objectives").
static double hypervolumeRec(std::vector<Point> points,
                             llvm::ArrayRef<double> reference) {
  size_t m = reference.size();
  if (points.empty())
    return 0;
  if (m == 1) {
    double best = reference[0];
    for (const Point &p : points)
      best = std::min(best, p[0]);
    return reference[0] - best;
  }
  if (m == 2)
    return hypervolume2(std::move(points), reference);
  llvm::sort(points,
             [&](const Point &a, const Point &b) { return a[m - 1] < b[m - 1]; });
  double volume = 0;
  std::vector<Point> slice;
  for (size_t i = 0; i < points.size(); ++i) {
    Point projected(points[i].begin(), points[i].end() - 1);
    slice.push_back(std::move(projected));
    double top = i + 1 < points.size() ? points[i + 1][m - 1] : reference[m - 1];
    double depth = top - points[i][m - 1];
    if (depth > 0)
      volume += depth * hypervolumeRec(slice, reference.drop_back());
  }
  return volume;
}

double search::hypervolume(llvm::ArrayRef<Point> points,
                           llvm::ArrayRef<double> reference) {
  std::vector<Point> inside;
  for (const Point &p : points) {
    bool in = true;
    for (size_t i = 0; i < reference.size(); ++i)
      in &= p[i] < reference[i];
    if (in)
      inside.push_back(p);
  }
  // Only the non-dominated points matter.
  std::vector<Point> front;
  for (size_t p = 0; p < inside.size(); ++p) {
    bool dominated = false;
    for (size_t q = 0; q < inside.size() && !dominated; ++q)
      dominated = q != p && (dominates(inside[q], inside[p]) ||
                             (inside[q] == inside[p] && q < p));
    if (!dominated)
      front.push_back(inside[p]);
  }
  return hypervolumeRec(std::move(front), reference);
}
