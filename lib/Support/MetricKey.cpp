//===- MetricKey.cpp - A metric and the target it is measured on ----------===//

#include "nasc/Support/MetricKey.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace nasc;

std::string MetricKey::str() const {
  return target.empty() ? name : name + "(" + target + ")";
}

std::optional<MetricKey> MetricKey::parse(llvm::StringRef text) {
  llvm::StringRef name = getName(text);
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return std::nullopt;
  if (!llvm::all_of(name, [](char c) {
        return llvm::isAlnum(c) || c == '_' || c == '.' || c == '-';
      }))
    return std::nullopt;
  llvm::StringRef rest = text.drop_front(name.size());
  if (rest.empty())
    return MetricKey{name.str(), ""};
  if (!rest.starts_with("(") || !rest.ends_with(")") || rest.size() <= 2)
    return std::nullopt;
  llvm::StringRef target = rest.drop_front().drop_back();
  if (target.contains('(') || target.contains(')'))
    return std::nullopt;
  return MetricKey{name.str(), target.str()};
}
