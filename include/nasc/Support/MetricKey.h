//===- MetricKey.h - A metric and the target it is measured on -*- C++ -*-===//
//
// The one spelling of a metric that the problem, the evaluators, the trial
// store, the tables and the outputs share: `name` or `name(target)`, such
// as `flops`, `latency(laptop)` or `latency_ms(host)`. Parse and print it
// here, nowhere else.
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SUPPORT_METRICKEY_H
#define NASC_SUPPORT_METRICKEY_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace nasc {

struct MetricKey {
  /// The metric: an identifier (letters, digits, `_`, `.`, `-`; not
  /// starting with a digit).
  std::string name;
  /// The target it is measured on, or empty.
  std::string target;

  /// `name`, or `name(target)` when it has a target.
  std::string str() const;

  /// Reads `name` or `name(target)`; nothing for any other text.
  static std::optional<MetricKey> parse(llvm::StringRef text);

  /// The name of a key, as written before any `(`, without checking it.
  static llvm::StringRef getName(llvm::StringRef text) {
    return text.take_until([](char c) { return c == '('; });
  }

  bool operator==(const MetricKey &other) const {
    return name == other.name && target == other.target;
  }
};

} // namespace nasc

#endif // NASC_SUPPORT_METRICKEY_H
