#include "scanner/history/history_db.h"

#include <sqlite3.h>

#include <cstdio>
#include <tuple>

namespace catscan {
namespace {

// Migrations: kMigrations[i] takes the schema from version i to i + 1.
// Append only; never edit a step that has shipped.
const char* const kMigrations[] = {
    // 1: sweeps and per-merchant results.
    "CREATE TABLE sweeps ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  started_at TEXT NOT NULL, finished_at TEXT, out_dir TEXT, rule_pack TEXT,"
    "  records_read INTEGER, records_scanned INTEGER, records_quarantined INTEGER,"
    "  records_violating INTEGER, violations INTEGER,"
    "  merchants_scanned INTEGER, merchants_violating INTEGER, manifest TEXT);"
    "CREATE TABLE merchant_results ("
    "  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), merchant_id TEXT NOT NULL,"
    "  items_scanned INTEGER, listings_violating INTEGER, violations INTEGER,"
    "  severity TEXT, action TEXT, reasons TEXT,"
    "  PRIMARY KEY (sweep_id, merchant_id));"
    "CREATE INDEX merchant_results_by_merchant ON merchant_results (merchant_id, sweep_id);",
    // 2: per-listing results (for diffs) and what judged them.
    "ALTER TABLE sweeps ADD COLUMN policy_sha256 TEXT;"
    "ALTER TABLE sweeps ADD COLUMN listings_flagged INTEGER;"
    "CREATE TABLE listing_results ("
    "  sweep_id INTEGER NOT NULL REFERENCES sweeps(id), merchant_id TEXT NOT NULL,"
    "  item_id TEXT NOT NULL, severity TEXT, action TEXT, rule_ids TEXT,"
    "  PRIMARY KEY (sweep_id, merchant_id, item_id)) WITHOUT ROWID;",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == HistoryDb::kSchemaVersion,
              "one migration per schema version");

// A prepared statement, finalized on destruction.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int Step() { return sqlite3_step(s_); }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  uint64_t Uint(int col) const { return static_cast<uint64_t>(sqlite3_column_int64(s_, col)); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_;
};

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

constexpr const char* kSweepColumns =
    "id, started_at, COALESCE(finished_at, ''), COALESCE(out_dir, ''), COALESCE(rule_pack, ''),"
    " COALESCE(policy_sha256, ''), records_read, records_scanned, records_quarantined,"
    " records_violating, violations, merchants_scanned, merchants_violating,"
    " COALESCE(listings_flagged, 0) FROM sweeps";

SweepRow ReadSweep(const Stmt& q) {
  SweepRow r;
  r.id = q.Int(0);
  r.started_at = q.Text(1);
  r.finished_at = q.Text(2);
  r.out_dir = q.Text(3);
  r.rule_pack = q.Text(4);
  r.policy_sha256 = q.Text(5);
  r.records_read = q.Uint(6);
  r.records_scanned = q.Uint(7);
  r.records_quarantined = q.Uint(8);
  r.records_violating = q.Uint(9);
  r.violations = q.Uint(10);
  r.merchants_scanned = q.Uint(11);
  r.merchants_violating = q.Uint(12);
  r.listings_flagged = q.Uint(13);
  return r;
}

}  // namespace

StatusOr<std::unique_ptr<HistoryDb>> HistoryDb::Open(const std::string& path, bool create,
                                                     int busy_timeout_ms) {
  const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<HistoryDb> db(new HistoryDb(path, raw));
  if (rc != SQLITE_OK) {
    const std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    if (!create && rc == SQLITE_CANTOPEN) {
      return InputError("history database " + path + ": cannot open it (" + why +
                        "); a sweep with --history " + path + " creates it");
    }
    return OutputError("history database " + path + ": cannot open it: " + why);
  }
  db->busy_timeout_ms_ = busy_timeout_ms;
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  // WAL: readers never block the one writer; synchronous=FULL: a committed
  // sweep survives a power cut.
  if (Status s = db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON;");
      !s.ok()) {
    return s;
  }
  if (Status s = db->Migrate(kSchemaVersion); !s.ok()) return s;
  return db;
}

StatusOr<std::unique_ptr<HistoryDb>> HistoryDb::OpenAtVersion(const std::string& path,
                                                              int version, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<HistoryDb> db(new HistoryDb(path, raw));
  if (rc != SQLITE_OK) return db->Error("cannot open it");
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (Status s = db->Migrate(version); !s.ok()) return s;
  return db;
}

HistoryDb::~HistoryDb() {
  sqlite3_finalize(insert_listing_);
  if (in_write_) Rollback();
  sqlite3_close_v2(db_);
}

Status HistoryDb::Error(const std::string& what) const {
  const int code = db_ ? sqlite3_extended_errcode(db_) : SQLITE_CANTOPEN;
  std::string msg = "history database " + path_ + ": " + what + ": " +
                    (db_ ? sqlite3_errmsg(db_) : "out of memory");
  if ((code & 0xFF) == SQLITE_BUSY || (code & 0xFF) == SQLITE_LOCKED) {
    char waited[32];
    std::snprintf(waited, sizeof waited, "%.1f", busy_timeout_ms_ / 1000.0);
    msg += std::string(" (another sweep is writing it; waited ") + waited + " s)";
  }
  return OutputError(msg);
}

Status HistoryDb::Exec(const char* sql) const {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    sqlite3_free(err);
    return Error("statement failed");
  }
  return Status::OK();
}

Status HistoryDb::Migrate(int target) {
  // Each step runs in its own write transaction and re-reads the version
  // inside it, so two processes opening a fresh database do not both migrate.
  for (;;) {
    if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    Stmt q(db_, "PRAGMA user_version");
    if (!q.ok() || q.Step() != SQLITE_ROW) {
      Exec("ROLLBACK");
      return Error("cannot read the schema version (is it an SQLite database?)");
    }
    version_ = static_cast<int>(q.Int(0));
    if (version_ > kSchemaVersion) {
      Exec("ROLLBACK");
      return OutputError("history database " + path_ + ": schema version " +
                         std::to_string(version_) + " is newer than this catscan's (" +
                         std::to_string(kSchemaVersion) + ")");
    }
    if (version_ >= target) return Exec("COMMIT");
    const std::string step = std::string(kMigrations[version_]) + "PRAGMA user_version = " +
                             std::to_string(version_ + 1) + ";";
    if (Status s = Exec(step.c_str()); !s.ok()) {
      Exec("ROLLBACK");
      return Status(s.code(), s.message() + " (migrating to schema version " +
                                  std::to_string(version_ + 1) + ")");
    }
    if (Status s = Exec("COMMIT"); !s.ok()) return s;
  }
}

Status HistoryDb::BeginWrite() {
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("cannot take the write lock");
  }
  in_write_ = true;
  return Status::OK();
}

Status HistoryDb::Commit() {
  if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    Status s = Error("cannot commit the sweep");
    Rollback();
    return s;
  }
  in_write_ = false;
  return Status::OK();
}

void HistoryDb::Rollback() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  in_write_ = false;
}

StatusOr<std::vector<SweepRow>> HistoryDb::Sweeps(int limit) const {
  const std::string sql = std::string("SELECT ") + kSweepColumns + " ORDER BY id DESC LIMIT ?";
  Stmt q(db_, sql.c_str());
  if (!q.ok()) return Error("cannot list sweeps");
  q.Bind(1, static_cast<int64_t>(limit > 0 ? limit : -1));
  std::vector<SweepRow> rows;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) rows.push_back(ReadSweep(q));
  if (rc != SQLITE_DONE) return Error("cannot list sweeps");
  return rows;
}

StatusOr<SweepRow> HistoryDb::Sweep(int64_t id) const {
  const std::string sql = std::string("SELECT ") + kSweepColumns + " WHERE id = ?";
  Stmt q(db_, sql.c_str());
  if (!q.ok()) return Error("cannot read a sweep");
  q.Bind(1, id);
  if (q.Step() != SQLITE_ROW) {
    return InputError("history database " + path_ + ": no sweep #" + std::to_string(id) +
                      " (see `catscan history sweeps`)");
  }
  return ReadSweep(q);
}

StatusOr<RepeatHistory> HistoryDb::RepeatHistoryFor(uint32_t window) const {
  RepeatHistory h;
  if (window <= 1) return h;
  Stmt s(db_, "SELECT id FROM sweeps ORDER BY id DESC LIMIT ?");
  if (!s.ok()) return Error("cannot read past sweeps");
  s.Bind(1, static_cast<int64_t>(window - 1));
  while (s.Step() == SQLITE_ROW) h.window_sweep_ids.push_back(s.Int(0));
  if (h.window_sweep_ids.empty()) return h;
  Stmt m(db_,
         "SELECT merchant_id, sweep_id FROM merchant_results"
         " WHERE sweep_id >= ? AND listings_violating > 0 ORDER BY merchant_id, sweep_id DESC");
  if (!m.ok()) return Error("cannot read past merchant results");
  m.Bind(1, h.window_sweep_ids.back());
  int rc;
  while ((rc = m.Step()) == SQLITE_ROW) h.violating_sweeps[m.Text(0)].push_back(m.Int(1));
  if (rc != SQLITE_DONE) return Error("cannot read past merchant results");
  return h;
}

StatusOr<int64_t> HistoryDb::AddSweep(const SweepRow& r) {
  Stmt q(db_,
         "INSERT INTO sweeps (started_at, finished_at, out_dir, rule_pack, policy_sha256,"
         " records_read, records_scanned, records_quarantined, records_violating, violations,"
         " merchants_scanned, merchants_violating, listings_flagged)"
         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return Error("cannot record the sweep");
  q.Bind(1, r.started_at).Bind(2, r.finished_at).Bind(3, r.out_dir).Bind(4, r.rule_pack);
  q.Bind(5, r.policy_sha256);
  const uint64_t counts[] = {r.records_read,      r.records_scanned,   r.records_quarantined,
                             r.records_violating, r.violations,        r.merchants_scanned,
                             r.merchants_violating, r.listings_flagged};
  for (int i = 0; i < 8; ++i) q.Bind(6 + i, static_cast<int64_t>(counts[i]));
  if (q.Step() != SQLITE_DONE) return Error("cannot record the sweep");
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status HistoryDb::AddListing(int64_t sweep_id, const FlaggedListing& l, Action action) {
  // Prepared once per database: a sweep may record 100,000s of listings. A
  // record repeated later in the catalog keeps its first result.
  if (insert_listing_ == nullptr &&
      sqlite3_prepare_v2(db_,
                         "INSERT OR IGNORE INTO listing_results (sweep_id, merchant_id, item_id,"
                         " severity, action, rule_ids) VALUES (?, ?, ?, ?, ?, ?)",
                         -1, &insert_listing_, nullptr) != SQLITE_OK) {
    return Error("cannot record a listing");
  }
  sqlite3_stmt* q = insert_listing_;
  const std::string rules = Join(l.rule_ids, ";");
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, sweep_id);
  sqlite3_bind_text(q, 2, l.merchant_id.data(), static_cast<int>(l.merchant_id.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, l.item_id.data(), static_cast<int>(l.item_id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 4, SeverityName(l.severity), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 5, ActionId(action), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 6, rules.data(), static_cast<int>(rules.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(q) != SQLITE_DONE) return Error("cannot record a listing");
  return Status::OK();
}

Status HistoryDb::AddMerchant(int64_t sweep_id, const MerchantVerdict& v) {
  Stmt q(db_,
         "INSERT INTO merchant_results (sweep_id, merchant_id, items_scanned, listings_violating,"
         " violations, severity, action, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!q.ok()) return Error("cannot record a merchant");
  q.Bind(1, sweep_id).Bind(2, v.merchant_id).Bind(3, static_cast<int64_t>(v.items_scanned));
  q.Bind(4, static_cast<int64_t>(v.listings_violating));
  q.Bind(5, static_cast<int64_t>(v.violations));
  q.Bind(6, std::string(SeverityName(v.severity))).Bind(7, std::string(ActionId(v.action)));
  q.Bind(8, Join(v.reasons, "\n"));
  if (q.Step() != SQLITE_DONE) return Error("cannot record a merchant");
  return Status::OK();
}

Status HistoryDb::FinishSweepRow(int64_t sweep_id, const std::string& finished_at,
                                 uint64_t listings_flagged, const std::string& manifest_json) {
  Stmt q(db_, "UPDATE sweeps SET finished_at = ?, listings_flagged = ?, manifest = ? WHERE id = ?");
  if (!q.ok()) return Error("cannot record the manifest");
  q.Bind(1, finished_at).Bind(2, static_cast<int64_t>(listings_flagged)).Bind(3, manifest_json);
  q.Bind(4, sweep_id);
  if (q.Step() != SQLITE_DONE) return Error("cannot record the manifest");
  return Status::OK();
}

StatusOr<SweepDiff> HistoryDb::Diff(int64_t a, int64_t b) const {
  SweepDiff d;
  d.a = a;
  d.b = b;
  for (int64_t id : {a, b}) {
    if (StatusOr<SweepRow> s = Sweep(id); !s.ok()) return s.status();
  }
  const char* kOnlyIn =
      "SELECT merchant_id, item_id, severity, action, rule_ids FROM listing_results x"
      " WHERE sweep_id = ? AND NOT EXISTS (SELECT 1 FROM listing_results y WHERE y.sweep_id = ?"
      " AND y.merchant_id = x.merchant_id AND y.item_id = x.item_id)"
      " ORDER BY merchant_id, item_id";
  for (auto [from, other, out] : {std::tuple{b, a, &d.added}, std::tuple{a, b, &d.resolved}}) {
    Stmt q(db_, kOnlyIn);
    if (!q.ok()) return Error("cannot compare sweeps");
    q.Bind(1, from).Bind(2, other);
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out->push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)});
    }
    if (rc != SQLITE_DONE) return Error("cannot compare sweeps");
  }
  Stmt p(db_,
         "SELECT COUNT(*) FROM listing_results x JOIN listing_results y ON y.sweep_id = ?"
         " AND y.merchant_id = x.merchant_id AND y.item_id = x.item_id WHERE x.sweep_id = ?");
  if (!p.ok()) return Error("cannot compare sweeps");
  p.Bind(1, a).Bind(2, b);
  if (p.Step() != SQLITE_ROW) return Error("cannot compare sweeps");
  d.persisting = p.Uint(0);
  return d;
}

StatusOr<std::vector<MerchantSweepRow>> HistoryDb::MerchantRecord(
    const std::string& merchant_id) const {
  Stmt q(db_,
         "SELECT s.id, COALESCE(s.finished_at, ''), m.merchant_id IS NOT NULL,"
         " m.items_scanned, m.listings_violating, m.violations, m.severity, m.action, m.reasons"
         " FROM sweeps s LEFT JOIN merchant_results m ON m.sweep_id = s.id AND m.merchant_id = ?"
         " ORDER BY s.id");
  if (!q.ok()) return Error("cannot read the merchant's record");
  q.Bind(1, merchant_id);
  std::vector<MerchantSweepRow> rows;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    MerchantSweepRow r;
    r.sweep_id = q.Int(0);
    r.finished_at = q.Text(1);
    r.flagged = q.Int(2) != 0;
    r.items_scanned = q.Uint(3);
    r.listings_violating = q.Uint(4);
    r.violations = q.Uint(5);
    r.severity = q.Text(6);
    r.action = q.Text(7);
    r.reasons = q.Text(8);
    rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) return Error("cannot read the merchant's record");
  return rows;
}

}  // namespace catscan
