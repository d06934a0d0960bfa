// scanner/history/history_db.h
//
// HistoryDb is the sweep history (`--history FILE`): an SQLite database that
// records, per sweep, its manifest and counts, every merchant's verdict and
// every flagged listing. The verdict stage reads it for repeat offences (how
// many of the last N sweeps a merchant had violations in); `catscan history`
// and report.html read it for trends and for what changed between sweeps.
//
// Schema: versioned with PRAGMA user_version and migrated step by step on
// open (kSchemaVersion is the newest; a database from a newer catscan is
// refused). Version 1 held sweeps and merchant results; version 2 added
// listing results and the policy hash.
//
// Concurrency: the database runs in WAL mode with a busy timeout. A sweep
// takes the write lock (BeginWrite, BEGIN IMMEDIATE) before it reads the
// history and holds it until Commit, so sweeps are serialized: a second one
// waits up to the timeout, then fails with a clear error and records nothing.
// Readers (`catscan history`) never block writers. Destroying a HistoryDb with
// a write open rolls it back, so a failed sweep leaves no half-recorded sweep.
//
// One HistoryDb per thread; not thread-safe.

#ifndef CATSCAN_HISTORY_HISTORY_DB_H_
#define CATSCAN_HISTORY_HISTORY_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/verdict/verdicts.h"

struct sqlite3;
struct sqlite3_stmt;

namespace catscan {

// One row of the sweeps table.
struct SweepRow {
  int64_t id = 0;
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;
  std::string out_dir;
  std::string rule_pack;    // name@version
  std::string policy_sha256;
  uint64_t records_read = 0;
  uint64_t records_scanned = 0;
  uint64_t records_quarantined = 0;
  uint64_t records_violating = 0;
  uint64_t violations = 0;
  uint64_t merchants_scanned = 0;
  uint64_t merchants_violating = 0;
  uint64_t listings_flagged = 0;
};

// A flagged listing as the history keeps it.
struct ListingRow {
  std::string merchant_id;
  std::string item_id;
  std::string severity;
  std::string action;
  std::string rule_ids;  // ';'-separated
};

// Listings flagged in sweep b but not a (new), in a but not b (resolved), and
// in both (persisting), each sorted by merchant id then item id.
struct SweepDiff {
  int64_t a = 0;
  int64_t b = 0;
  std::vector<ListingRow> added;
  std::vector<ListingRow> resolved;
  uint64_t persisting = 0;
};

// One merchant in one sweep; flagged is false for a sweep in which it had no
// recorded violation.
struct MerchantSweepRow {
  int64_t sweep_id = 0;
  std::string finished_at;
  bool flagged = false;
  uint64_t items_scanned = 0;
  uint64_t listings_violating = 0;
  uint64_t violations = 0;
  std::string severity;
  std::string action;
  std::string reasons;  // newline-separated
};

class HistoryDb {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens "path". With "create", a missing database is created; every open
  // migrates an older schema to kSchemaVersion. "busy_timeout_ms" bounds how
  // long any statement waits for another process's lock.
  static StatusOr<std::unique_ptr<HistoryDb>> Open(const std::string& path, bool create,
                                                   int busy_timeout_ms);
  // For tests: opens and migrates only up to "version".
  static StatusOr<std::unique_ptr<HistoryDb>> OpenAtVersion(const std::string& path, int version,
                                                            int busy_timeout_ms);
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  int schema_version() const { return version_; }
  const std::string& path() const { return path_; }

  // Takes the write lock (BEGIN IMMEDIATE); fails with kOutput, naming the
  // database and the wait, if another sweep holds it past the timeout.
  Status BeginWrite();
  Status Commit();
  void Rollback();

  // The newest "limit" sweeps (0: all), newest first.
  StatusOr<std::vector<SweepRow>> Sweeps(int limit) const;
  StatusOr<SweepRow> Sweep(int64_t id) const;  // kInput if there is none
  // The earlier sweeps that count for a window of "window" sweeps (the newest
  // window - 1) and the merchants with violations in each.
  StatusOr<RepeatHistory> RepeatHistoryFor(uint32_t window) const;

  // Records a sweep (inside BeginWrite); returns its id.
  StatusOr<int64_t> AddSweep(const SweepRow& row);
  Status AddListing(int64_t sweep_id, const FlaggedListing& listing, Action action);
  Status AddMerchant(int64_t sweep_id, const MerchantVerdict& verdict);
  Status FinishSweepRow(int64_t sweep_id, const std::string& finished_at,
                        uint64_t listings_flagged, const std::string& manifest_json);

  StatusOr<SweepDiff> Diff(int64_t a, int64_t b) const;
  StatusOr<std::vector<MerchantSweepRow>> MerchantRecord(const std::string& merchant_id) const;

 private:
  HistoryDb(std::string path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status Exec(const char* sql) const;
  Status Migrate(int target);
  Status Error(const std::string& what) const;

  std::string path_;
  sqlite3* db_;
  int version_ = 0;
  bool in_write_ = false;
  int busy_timeout_ms_ = 0;
  sqlite3_stmt* insert_listing_ = nullptr;  // AddListing's, prepared on first use
};

}  // namespace catscan

#endif  // CATSCAN_HISTORY_HISTORY_DB_H_
