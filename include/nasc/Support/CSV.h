//===- CSV.h - Writing and splitting CSV fields ---------------------*- C++ -*-===//

#ifndef NASC_SUPPORT_CSV_H
#define NASC_SUPPORT_CSV_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

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

/// CSV text read whole: the header (the first non-blank line) and the
/// rows, each with its 1-based line number.
struct CSVTable {
  std::vector<std::string> header;
  size_t headerLine = 0;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> lines;
  /// The index of the column `name`, or -1.
  int column(llvm::StringRef name) const {
    for (size_t c = 0; c < header.size(); ++c)
      if (header[c] == name)
        return int(c);
    return -1;
  }
};

/// Parses `text` (from `path`, for errors) into `table`: blank lines are
/// skipped, line ends may be CRLF, and every row must have the header's
/// number of fields. On failure `error` is "PATH:LINE: why". Text without
/// a non-blank line gives an empty header (the caller says what it
/// expected).
inline bool parseCSV(llvm::StringRef text, llvm::StringRef path,
                     CSVTable &table, std::string &error) {
  table = CSVTable();
  std::vector<std::string> fields;
  size_t number = 0;
  while (!text.empty()) {
    auto [raw, rest] = text.split('\n');
    text = rest;
    ++number;
    llvm::StringRef line = raw.rtrim("\r");
    if (line.trim().empty())
      continue;
    std::string where = path.str() + ":" + std::to_string(number) + ": ";
    if (!splitCSV(line, fields)) {
      error = where + "unterminated quoted field";
      return false;
    }
    if (table.header.empty()) {
      table.header = fields;
      table.headerLine = number;
      continue;
    }
    if (fields.size() != table.header.size()) {
      error = where + "expected " + std::to_string(table.header.size()) +
              " fields, found " + std::to_string(fields.size());
      return false;
    }
    table.rows.push_back(fields);
    table.lines.push_back(number);
  }
  return true;
}

/// Reads and parses the CSV file `path` (`-`: standard input) into
/// `table`; a file that cannot be read or has no header is an error
/// naming it ("PATH: why").
inline bool loadCSVFile(llvm::StringRef path, CSVTable &table,
                        std::string &error) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!file) {
    error = path.str() + ": " + file.getError().message();
    return false;
  }
  if (!parseCSV((*file)->getBuffer(), path, table, error))
    return false;
  if (table.header.empty()) {
    error = path.str() + ": empty";
    return false;
  }
  return true;
}

} // namespace nasc

#endif // NASC_SUPPORT_CSV_H
