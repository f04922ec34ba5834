//===- TrialStore.h - The SQLite trial store ----------------------*- C++ -*-===//
//
// Every trial of every search, and a cache of evaluations by content, in
// one SQLite database in WAL mode (docs/search.md, "The trial store").
//
//===----------------------------------------------------------------------===//

#ifndef NASC_SEARCH_TRIALSTORE_H
#define NASC_SEARCH_TRIALSTORE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace nasc::search {

/// What became of a trial: evaluated and within the constraints, evaluated
/// (or skipped) and breaking one, or its evaluation failed.
enum class TrialStatus { Ok, Infeasible, Failed };

/// "ok", "infeasible" or "failed": the store's and trials.csv's spelling.
llvm::StringRef getStatusName(TrialStatus status);

/// The status spelled `name`; Failed for any other text (a row nasc did
/// not write).
TrialStatus parseTrialStatus(llvm::StringRef name);

/// One trial as stored.
struct StoredTrial {
  uint64_t number = 0;
  std::string encoding;
  TrialStatus status = TrialStatus::Ok;
  std::string message;
  std::vector<double> values;
  double seconds = 0;
  bool cached = false;
};

/// An exclusive lock on a file (flock), created if need be, with the
/// holder's process id written in it. The kernel releases it when the
/// process ends, however it ends, so a killed search leaves no stale lock.
class LockFile {
public:
  /// Locks `path`; null when another process holds it, with `error`
  /// naming `what` and that process.
  static std::unique_ptr<LockFile> acquire(llvm::StringRef path,
                                           llvm::StringRef what,
                                           std::string &error);
  ~LockFile();

private:
  LockFile() = default;
  int fd = -1;
};

/// One search in a store, as listed for a person.
struct StoredSearch {
  std::string description;
  uint64_t trials = 0;
  /// When it was started (UTC, "YYYY-MM-DD HH:MM:SS").
  std::string created;
};

class TrialStore {
public:
  /// Opens (creating) the database; on failure `error` says why.
  static std::unique_ptr<TrialStore> open(llvm::StringRef path,
                                          std::string &error);
  ~TrialStore();

  /// The search identified by `fingerprint` (spec, problem, strategy and
  /// its settings, seed, evaluators): with `resume`, the existing one and
  /// its trials (in `trials`, by number); without, a fresh one replacing
  /// any earlier search of that fingerprint. Returns false on error.
  bool startSearch(llvm::StringRef fingerprint, llvm::StringRef description,
                   bool resume, std::vector<StoredTrial> &trials,
                   std::string &error);

  /// Whether the store holds the search identified by `fingerprint`.
  bool hasSearch(llvm::StringRef fingerprint);
  /// Every search in the store, oldest first.
  std::vector<StoredSearch> listSearches();

  /// Commits one finished trial of the current search.
  bool addTrial(const StoredTrial &trial, std::string &error);

  /// The evaluation cache: results by (settings, encoding), where
  /// `settings` identifies the spec, evaluators and metrics (status Ok or
  /// Failed).
  std::optional<StoredTrial> lookupEvaluation(llvm::StringRef settings,
                                              llvm::StringRef encoding);
  /// Every cached evaluation for `settings` (their encodings filled in).
  std::vector<StoredTrial> loadEvaluations(llvm::StringRef settings);
  /// Caches `evaluation` (by its encoding).
  bool addEvaluation(llvm::StringRef settings, const StoredTrial &evaluation,
                     std::string &error);

  /// Groups the next writes into one transaction (commit()).
  bool begin(std::string &error);
  bool commit(std::string &error);

private:
  TrialStore() = default;
  bool exec(const char *sql, std::string &error);
  std::string lastError() const;

  sqlite3 *db = nullptr;
  int64_t searchId = -1;
  sqlite3_stmt *insertTrial = nullptr, *selectEvaluation = nullptr,
               *insertEvaluation = nullptr;
};

} // namespace nasc::search

#endif // NASC_SEARCH_TRIALSTORE_H
