//===- TrialStore.cpp - The SQLite trial store ----------------------------===//

#include "nasc/Search/TrialStore.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <sqlite3.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace nasc::search;

llvm::StringRef nasc::search::getStatusName(TrialStatus status) {
  switch (status) {
  case TrialStatus::Ok:
    return "ok";
  case TrialStatus::Infeasible:
    return "infeasible";
  case TrialStatus::Failed:
    return "failed";
  }
  return "failed";
}

TrialStatus nasc::search::parseTrialStatus(llvm::StringRef name) {
  if (name == "ok")
    return TrialStatus::Ok;
  if (name == "infeasible")
    return TrialStatus::Infeasible;
  return TrialStatus::Failed;
}

static constexpr const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS searches (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT UNIQUE NOT NULL,
  description TEXT NOT NULL,
  created TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS trials (
  search INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  metrics BLOB NOT NULL,
  seconds REAL NOT NULL,
  cached INTEGER NOT NULL,
  PRIMARY KEY (search, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS evaluations (
  settings TEXT NOT NULL,
  encoding TEXT NOT NULL,
  status TEXT NOT NULL,
  message TEXT NOT NULL,
  metrics BLOB NOT NULL,
  seconds REAL NOT NULL,
  PRIMARY KEY (settings, encoding)
) WITHOUT ROWID;
)sql";

std::unique_ptr<LockFile> LockFile::acquire(llvm::StringRef path,
                                           llvm::StringRef what,
                                           std::string &error) {
  std::unique_ptr<LockFile> lock(new LockFile());
  lock->fd = ::open(path.str().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock->fd < 0) {
    error = path.str() + ": " + std::strerror(errno);
    return nullptr;
  }
  if (::flock(lock->fd, LOCK_EX | LOCK_NB) != 0) {
    int why = errno;
    if (why != EWOULDBLOCK) {
      error = path.str() + ": " + std::strerror(why);
      return nullptr;
    }
    // The holder writes its id right after locking: it may not be there
    // yet.
    char buffer[32] = {};
    ssize_t n = ::pread(lock->fd, buffer, sizeof(buffer) - 1, 0);
    llvm::StringRef holder =
        llvm::StringRef(buffer, n > 0 ? size_t(n) : 0).trim();
    error = what.str() + " is in use by another nasc search (" +
            (holder.empty() ? std::string("a process that is starting")
                            : "process " + holder.str()) +
            ", lock " + path.str() + ")";
    return nullptr;
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock->fd, 0) != 0 ||
      ::pwrite(lock->fd, pid.data(), pid.size(), 0) != ssize_t(pid.size())) {
    error = path.str() + ": " + std::strerror(errno);
    return nullptr;
  }
  return lock;
}

LockFile::~LockFile() {
  if (fd >= 0)
    ::close(fd);
}

std::string TrialStore::lastError() const {
  return db ? sqlite3_errmsg(db) : "cannot open";
}

bool TrialStore::exec(const char *sql, std::string &error) {
  char *message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
    return true;
  error = message ? message : lastError();
  sqlite3_free(message);
  return false;
}

std::unique_ptr<TrialStore> TrialStore::open(llvm::StringRef path,
                                             std::string &error) {
  std::unique_ptr<TrialStore> store(new TrialStore());
  if (sqlite3_open_v2(path.str().c_str(), &store->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                          SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    error = path.str() + ": " + store->lastError();
    return nullptr;
  }
  sqlite3_busy_timeout(store->db, 5000);
  // WAL: a commit is one append; with synchronous=NORMAL a committed
  // transaction survives the process being killed (not a power loss).
  if (!store->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                   "PRAGMA foreign_keys=ON;",
                   error) ||
      !store->exec(kSchema, error)) {
    error = path.str() + ": " + error;
    return nullptr;
  }
  auto prepare = [&](const char *sql, sqlite3_stmt **stmt) {
    return sqlite3_prepare_v2(store->db, sql, -1, stmt, nullptr) == SQLITE_OK;
  };
  if (!prepare("INSERT OR REPLACE INTO trials VALUES (?,?,?,?,?,?,?,?)",
               &store->insertTrial) ||
      !prepare("SELECT status, message, metrics, seconds FROM evaluations "
               "WHERE settings = ? AND encoding = ?",
               &store->selectEvaluation) ||
      !prepare("INSERT OR REPLACE INTO evaluations VALUES (?,?,?,?,?,?)",
               &store->insertEvaluation)) {
    error = path.str() + ": " + store->lastError();
    return nullptr;
  }
  return store;
}

TrialStore::~TrialStore() {
  sqlite3_finalize(insertTrial);
  sqlite3_finalize(selectEvaluation);
  sqlite3_finalize(insertEvaluation);
  sqlite3_close(db);
}

/// Metric values as a BLOB of native doubles (exact, no formatting).
static std::vector<double> columnValues(sqlite3_stmt *stmt, int column) {
  const void *data = sqlite3_column_blob(stmt, column);
  int bytes = sqlite3_column_bytes(stmt, column);
  std::vector<double> values(size_t(bytes) / sizeof(double));
  if (data && !values.empty())
    std::memcpy(values.data(), data, values.size() * sizeof(double));
  return values;
}

static std::string columnText(sqlite3_stmt *stmt, int column) {
  const unsigned char *text = sqlite3_column_text(stmt, column);
  return text ? reinterpret_cast<const char *>(text) : "";
}

bool TrialStore::startSearch(llvm::StringRef fingerprint,
                             llvm::StringRef description, bool resume,
                             std::vector<StoredTrial> &trials,
                             std::string &error) {
  trials.clear();
  sqlite3_stmt *find = nullptr;
  sqlite3_prepare_v2(db, "SELECT id FROM searches WHERE fingerprint = ?", -1,
                     &find, nullptr);
  sqlite3_bind_text(find, 1, fingerprint.data(), int(fingerprint.size()),
                    SQLITE_TRANSIENT);
  int64_t existing = -1;
  if (sqlite3_step(find) == SQLITE_ROW)
    existing = sqlite3_column_int64(find, 0);
  sqlite3_finalize(find);

  if (existing >= 0 && !resume) {
    // A fresh start replaces the earlier search (its evaluations stay
    // cached).
    std::string sql =
        "DELETE FROM searches WHERE id = " + std::to_string(existing);
    if (!exec(sql.c_str(), error))
      return false;
    existing = -1;
  }
  if (existing < 0) {
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO searches (fingerprint, description) "
                       "VALUES (?, ?)",
                       -1, &insert, nullptr);
    sqlite3_bind_text(insert, 1, fingerprint.data(), int(fingerprint.size()),
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 2, description.data(), int(description.size()),
                      SQLITE_TRANSIENT);
    int rc = sqlite3_step(insert);
    sqlite3_finalize(insert);
    if (rc != SQLITE_DONE) {
      error = lastError();
      return false;
    }
    searchId = sqlite3_last_insert_rowid(db);
    return true;
  }
  searchId = existing;
  sqlite3_stmt *select = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT number, encoding, status, message, metrics, "
                     "seconds, cached FROM trials WHERE search = ? "
                     "ORDER BY number",
                     -1, &select, nullptr);
  sqlite3_bind_int64(select, 1, searchId);
  while (sqlite3_step(select) == SQLITE_ROW) {
    StoredTrial trial;
    trial.number = uint64_t(sqlite3_column_int64(select, 0));
    trial.encoding = columnText(select, 1);
    trial.status = parseTrialStatus(columnText(select, 2));
    trial.message = columnText(select, 3);
    trial.values = columnValues(select, 4);
    trial.seconds = sqlite3_column_double(select, 5);
    trial.cached = sqlite3_column_int(select, 6) != 0;
    trials.push_back(std::move(trial));
  }
  sqlite3_finalize(select);
  return true;
}

bool TrialStore::hasSearch(llvm::StringRef fingerprint) {
  sqlite3_stmt *find = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM searches WHERE fingerprint = ?", -1,
                     &find, nullptr);
  sqlite3_bind_text(find, 1, fingerprint.data(), int(fingerprint.size()),
                    SQLITE_TRANSIENT);
  bool found = sqlite3_step(find) == SQLITE_ROW;
  sqlite3_finalize(find);
  return found;
}

std::vector<StoredSearch> TrialStore::listSearches() {
  std::vector<StoredSearch> all;
  sqlite3_stmt *select = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT description, created, (SELECT count(*) FROM "
                     "trials WHERE search = searches.id) FROM searches "
                     "ORDER BY id",
                     -1, &select, nullptr);
  while (sqlite3_step(select) == SQLITE_ROW) {
    StoredSearch search;
    search.description = columnText(select, 0);
    search.created = columnText(select, 1);
    search.trials = uint64_t(sqlite3_column_int64(select, 2));
    all.push_back(std::move(search));
  }
  sqlite3_finalize(select);
  return all;
}

bool TrialStore::addTrial(const StoredTrial &trial, std::string &error) {
  sqlite3_reset(insertTrial);
  sqlite3_bind_int64(insertTrial, 1, searchId);
  sqlite3_bind_int64(insertTrial, 2, int64_t(trial.number));
  // The values outlive the step: SQLite need not copy them.
  sqlite3_bind_text(insertTrial, 3, trial.encoding.data(),
                    int(trial.encoding.size()), SQLITE_STATIC);
  llvm::StringRef status = getStatusName(trial.status);
  sqlite3_bind_text(insertTrial, 4, status.data(), int(status.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(insertTrial, 5, trial.message.data(),
                    int(trial.message.size()), SQLITE_STATIC);
  sqlite3_bind_blob(insertTrial, 6, trial.values.data(),
                    int(trial.values.size() * sizeof(double)), SQLITE_STATIC);
  sqlite3_bind_double(insertTrial, 7, trial.seconds);
  sqlite3_bind_int(insertTrial, 8, trial.cached ? 1 : 0);
  if (sqlite3_step(insertTrial) != SQLITE_DONE) {
    error = lastError();
    return false;
  }
  return true;
}

std::optional<StoredTrial>
TrialStore::lookupEvaluation(llvm::StringRef settings,
                             llvm::StringRef encoding) {
  sqlite3_reset(selectEvaluation);
  sqlite3_bind_text(selectEvaluation, 1, settings.data(), int(settings.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(selectEvaluation, 2, encoding.data(), int(encoding.size()),
                    SQLITE_STATIC);
  if (sqlite3_step(selectEvaluation) != SQLITE_ROW)
    return std::nullopt;
  StoredTrial evaluation;
  evaluation.encoding = encoding.str();
  evaluation.status = parseTrialStatus(columnText(selectEvaluation, 0));
  evaluation.message = columnText(selectEvaluation, 1);
  evaluation.values = columnValues(selectEvaluation, 2);
  evaluation.seconds = sqlite3_column_double(selectEvaluation, 3);
  return evaluation;
}

std::vector<StoredTrial> TrialStore::loadEvaluations(llvm::StringRef settings) {
  std::vector<StoredTrial> all;
  sqlite3_stmt *select = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT encoding, status, message, metrics, seconds "
                     "FROM evaluations WHERE settings = ?",
                     -1, &select, nullptr);
  sqlite3_bind_text(select, 1, settings.data(), int(settings.size()),
                    SQLITE_STATIC);
  while (sqlite3_step(select) == SQLITE_ROW) {
    StoredTrial evaluation;
    evaluation.encoding = columnText(select, 0);
    evaluation.status = parseTrialStatus(columnText(select, 1));
    evaluation.message = columnText(select, 2);
    evaluation.values = columnValues(select, 3);
    evaluation.seconds = sqlite3_column_double(select, 4);
    all.push_back(std::move(evaluation));
  }
  sqlite3_finalize(select);
  return all;
}

bool TrialStore::addEvaluation(llvm::StringRef settings,
                               const StoredTrial &evaluation,
                               std::string &error) {
  sqlite3_reset(insertEvaluation);
  sqlite3_bind_text(insertEvaluation, 1, settings.data(), int(settings.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(insertEvaluation, 2, evaluation.encoding.data(),
                    int(evaluation.encoding.size()), SQLITE_STATIC);
  llvm::StringRef status = getStatusName(evaluation.status);
  sqlite3_bind_text(insertEvaluation, 3, status.data(), int(status.size()),
                    SQLITE_STATIC);
  sqlite3_bind_text(insertEvaluation, 4, evaluation.message.data(),
                    int(evaluation.message.size()), SQLITE_STATIC);
  sqlite3_bind_blob(insertEvaluation, 5, evaluation.values.data(),
                    int(evaluation.values.size() * sizeof(double)),
                    SQLITE_STATIC);
  sqlite3_bind_double(insertEvaluation, 6, evaluation.seconds);
  if (sqlite3_step(insertEvaluation) != SQLITE_DONE) {
    error = lastError();
    return false;
  }
  return true;
}

bool TrialStore::begin(std::string &error) {
  // The write lock now, not at the first write: a transaction that reads
  // first could not take it once another connection has written.
  return exec("BEGIN IMMEDIATE", error);
}
bool TrialStore::commit(std::string &error) { return exec("COMMIT", error); }
