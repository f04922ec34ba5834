//===- CSV.h - Writing CSV fields ---------------------------------*- C++ -*-===//

#ifndef NASC_SUPPORT_CSV_H
#define NASC_SUPPORT_CSV_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace nasc {

/// A CSV field, quoted when it holds a comma, quote or newline (RFC 4180).
inline std::string csvField(llvm::StringRef text) {
  if (text.find_first_of(",\"\n") == llvm::StringRef::npos)
    return text.str();
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

} // namespace nasc

#endif // NASC_SUPPORT_CSV_H
