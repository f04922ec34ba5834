//===- Numerics.cpp - Small numerical routines ----------------------------===//

#include "nasc/Support/Numerics.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace nasc;

double nasc::spearman(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b) {
  auto ranks = [](llvm::ArrayRef<double> values) {
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    llvm::stable_sort(order,
                      [&](size_t x, size_t y) { return values[x] < values[y]; });
    std::vector<double> rank(values.size());
    for (size_t i = 0; i < order.size();) {
      size_t j = i;
      while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]])
        ++j;
      for (size_t k = i; k <= j; ++k)
        rank[order[k]] = double(i + j) / 2 + 1;
      i = j + 1;
    }
    return rank;
  };
  std::vector<double> ra = ranks(a), rb = ranks(b);
  double n = double(a.size());
  if (n < 2)
    return 0;
  double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
  double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < ra.size(); ++i) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) * (ra[i] - ma);
    vb += (rb[i] - mb) * (rb[i] - mb);
  }
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0;
}

std::vector<double> nasc::solveSPD(std::vector<std::vector<double>> a, std::vector<double> b) {
  size_t n = b.size();
  for (size_t j = 0; j < n; ++j) {
    double d = a[j][j];
    for (size_t k = 0; k < j; ++k)
      d -= a[j][k] * a[j][k];
    d = std::sqrt(std::max(d, 1e-12));
    a[j][j] = d;
    for (size_t i = j + 1; i < n; ++i) {
      double s = a[i][j];
      for (size_t k = 0; k < j; ++k)
        s -= a[i][k] * a[j][k];
      a[i][j] = s / d;
    }
  }
  for (size_t i = 0; i < n; ++i) { // L y = b
    for (size_t k = 0; k < i; ++k)
      b[i] -= a[i][k] * b[k];
    b[i] /= a[i][i];
  }
  for (size_t i = n; i-- > 0;) { // L^T w = y
    for (size_t k = i + 1; k < n; ++k)
      b[i] -= a[k][i] * b[k];
    b[i] /= a[i][i];
  }
  return b;
}

double nasc::kendall(llvm::ArrayRef<double> a, llvm::ArrayRef<double> b) {
  double concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = i + 1; j < a.size(); ++j) {
      double da = a[i] - a[j], db = b[i] - b[j];
      if (da == 0 && db == 0)
        continue;
      if (da == 0)
        tiesA += 1;
      else if (db == 0)
        tiesB += 1;
      else if ((da > 0) == (db > 0))
        concordant += 1;
      else
        discordant += 1;
    }
  double pairsA = concordant + discordant + tiesB; // pairs untied in a
  double pairsB = concordant + discordant + tiesA; // pairs untied in b
  return pairsA > 0 && pairsB > 0
             ? (concordant - discordant) / std::sqrt(pairsA * pairsB)
             : 0;
}
