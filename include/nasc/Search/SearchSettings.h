//===- SearchSettings.h - A search's settings, resolved ---------*- C++ -*-===//
//
// The first part of a search (docs/search.md): each setting from the
// command line (SearchOptions), else the spec's `search`, else its default,
// checked. The loop (runSearch) reads only the result.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_SEARCHSETTINGS_H
#define NASC_SEARCH_SEARCHSETTINGS_H

#include "nasc/Search/Search.h"
#include "nasc/Search/Strategy.h"

#include <cstdint>
#include <string>

namespace nasc::search {

struct SearchSettings {
  StrategyOptions strategy;
  uint64_t budget = 100;
  /// Wall-clock limit in seconds (0: none).
  double timeLimit = 0;
  /// The gradient strategy's cost term, as the spec names it (empty: the
  /// first minimized objective the analyses give, else flops).
  std::string costMetric;
};

/// The settings of a search of `spec` with `options`; fails with `error`
/// on a budget of 0 or a population below 2.
mlir::FailureOr<SearchSettings>
resolveSearchSettings(nas::SpecOp spec, const SearchOptions &options,
                      std::string &error);

} // namespace nasc::search

#endif // NASC_SEARCH_SEARCHSETTINGS_H
