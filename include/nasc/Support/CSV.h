//===- CSV.h - Writing and splitting CSV fields ---------------------*- C++ -*-===//

#ifndef NASC_SUPPORT_CSV_H
#define NASC_SUPPORT_CSV_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

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

/// Splits one CSV line into fields (RFC 4180 quoting; unquoted fields are
/// trimmed); false on an unterminated quote.
inline bool splitCSV(llvm::StringRef line, std::vector<std::string> &fields) {
  fields.clear();
  std::string field;
  bool quoted = false, wasQuoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !wasQuoted) {
      quoted = wasQuoted = true;
    } else if (c == ',') {
      fields.push_back(wasQuoted ? field : llvm::StringRef(field).trim().str());
      field.clear();
      wasQuoted = false;
    } else {
      field += c;
    }
  }
  if (quoted)
    return false;
  fields.push_back(wasQuoted ? field : llvm::StringRef(field).trim().str());
  return true;
}

} // namespace nasc

#endif // NASC_SUPPORT_CSV_H
