#include "scanner/history/history_db.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using test::TempDir;

void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

SweepRow Row(const std::string& started) {
  SweepRow r;
  r.started_at = started;
  r.rule_pack = "default@1";
  r.records_scanned = 10;
  return r;
}

FlaggedListing Listing(const std::string& merchant, const std::string& item) {
  FlaggedListing l;
  l.merchant_id = merchant;
  l.item_id = item;
  l.severity = Severity::kSerious;
  l.rule_ids = {"r1", "r2"};
  return l;
}

MerchantVerdict Verdict(const std::string& merchant, uint64_t flagged) {
  MerchantVerdict v;
  v.merchant_id = merchant;
  v.listings_violating = flagged;
  v.action = Action::kTakedownListings;
  return v;
}

// Records a sweep with the given flagged listings; returns its id.
int64_t Record(HistoryDb* db, const std::vector<std::pair<std::string, std::string>>& listings) {
  EXPECT_TRUE(db->BeginWrite().ok());
  StatusOr<int64_t> id = db->AddSweep(Row("2026-01-01T00:00:00Z"));
  EXPECT_TRUE(id.ok());
  std::map<std::string, uint64_t> per_merchant;
  for (const auto& [m, i] : listings) {
    EXPECT_TRUE(db->AddListing(id.value(), Listing(m, i), Action::kTakedownListing).ok());
    ++per_merchant[m];
  }
  for (const auto& [m, n] : per_merchant) {
    EXPECT_TRUE(db->AddMerchant(id.value(), Verdict(m, n)).ok());
  }
  EXPECT_TRUE(db->FinishSweepRow(id.value(), "2026-01-01T00:01:00Z", listings.size(), "{}").ok());
  EXPECT_TRUE(db->Commit().ok());
  return id.value();
}

TEST(HistoryDbTest, AVersionOneDatabaseIsMigratedKeepingItsSweeps) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  {
    StatusOr<std::unique_ptr<HistoryDb>> v1 = HistoryDb::OpenAtVersion(path, 1, 1000);
    ASSERT_TRUE(v1.ok()) << v1.status().message();
    EXPECT_EQ(v1.value()->schema_version(), 1);
  }
  // A sweep as version 1 recorded it: no listings, no policy hash.
  RawExec(path,
          "INSERT INTO sweeps (started_at, finished_at, rule_pack, records_scanned,"
          " merchants_violating) VALUES ('2025-12-31T00:00:00Z', '2025-12-31T00:05:00Z',"
          " 'default@1', 99, 1);"
          "INSERT INTO merchant_results (sweep_id, merchant_id, listings_violating, action)"
          " VALUES (1, 'm-old', 3, 'takedown_listings');");
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, false, 1000);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(db.value()->schema_version(), HistoryDb::kSchemaVersion);
  StatusOr<std::vector<SweepRow>> sweeps = db.value()->Sweeps(0);
  ASSERT_TRUE(sweeps.ok());
  ASSERT_EQ(sweeps->size(), 1u);
  EXPECT_EQ(sweeps.value()[0].records_scanned, 99u);
  EXPECT_EQ(sweeps.value()[0].listings_flagged, 0u);  // a column version 2 added
  // The new tables work, and the old sweep counts for repeat offences.
  const int64_t id = Record(db.value().get(), {{"m-old", "i1"}});
  EXPECT_EQ(id, 2);
  StatusOr<RepeatHistory> repeat = db.value()->RepeatHistoryFor(5);
  ASSERT_TRUE(repeat.ok());
  EXPECT_THAT(repeat->window_sweep_ids, ElementsAre(2, 1));
  EXPECT_THAT(repeat->violating_sweeps["m-old"], ElementsAre(2, 1));
}

TEST(HistoryDbTest, ANewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  ASSERT_TRUE(HistoryDb::Open(path, true, 1000).ok());
  RawExec(path, "PRAGMA user_version = 99");
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, false, 1000);
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("schema version 99 is newer"));
}

TEST(HistoryDbTest, NotADatabaseIsAClearError) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  ASSERT_TRUE(test::WriteFile(path, std::string(4096, 'x')));
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, true, 1000);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kOutput);
  EXPECT_THAT(db.status().message(), HasSubstr(path));
  EXPECT_THAT(db.status().message(), HasSubstr("not a database"));
}

TEST(HistoryDbTest, DiffSplitsNewResolvedPersisting) {
  TempDir dir;
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(dir.File("h.db"), true, 1000);
  ASSERT_TRUE(db.ok());
  const int64_t a = Record(db.value().get(), {{"m1", "i1"}, {"m1", "i2"}, {"m2", "i3"}});
  const int64_t b = Record(db.value().get(), {{"m1", "i2"}, {"m2", "i3"}, {"m2", "i4"}, {"m3", "i1"}});
  StatusOr<SweepDiff> d = db.value()->Diff(a, b);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->added.size(), 2u);
  EXPECT_EQ(d->added[0].merchant_id + "/" + d->added[0].item_id, "m2/i4");
  EXPECT_EQ(d->added[1].merchant_id + "/" + d->added[1].item_id, "m3/i1");
  EXPECT_EQ(d->added[1].rule_ids, "r1;r2");
  ASSERT_EQ(d->resolved.size(), 1u);
  EXPECT_EQ(d->resolved[0].merchant_id + "/" + d->resolved[0].item_id, "m1/i1");
  EXPECT_EQ(d->persisting, 2u);
  EXPECT_FALSE(db.value()->Diff(a, 77).ok());
  StatusOr<std::vector<MerchantSweepRow>> m3 = db.value()->MerchantRecord("m3");
  ASSERT_TRUE(m3.ok());
  ASSERT_EQ(m3->size(), 2u);
  EXPECT_FALSE(m3.value()[0].flagged);
  EXPECT_TRUE(m3.value()[1].flagged);
  EXPECT_EQ(m3.value()[1].listings_violating, 1u);
}

TEST(HistoryDbTest, AnUncommittedSweepIsRolledBack) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  {
    StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, true, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value()->BeginWrite().ok());
    ASSERT_TRUE(db.value()->AddSweep(Row("x")).ok());
  }  // destroyed without Commit
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, false, 1000);
  ASSERT_TRUE(db.ok());
  EXPECT_TRUE(db.value()->Sweeps(0)->empty());
}

TEST(HistoryDbTest, ASecondWriterWaitsThenFailsCleanly) {
  TempDir dir;
  const std::string path = dir.File("h.db");
  StatusOr<std::unique_ptr<HistoryDb>> first = HistoryDb::Open(path, true, 1000);
  StatusOr<std::unique_ptr<HistoryDb>> second = HistoryDb::Open(path, true, 200);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first.value()->BeginWrite().ok());
  Status s = second.value()->BeginWrite();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOutput);
  EXPECT_THAT(s.message(), HasSubstr("another sweep is writing it; waited 0.2"));
  // Readers are not blocked by the writer (WAL).
  EXPECT_TRUE(second.value()->Sweeps(0).ok());
  ASSERT_TRUE(first.value()->Commit().ok());
  EXPECT_TRUE(second.value()->BeginWrite().ok());
  second.value()->Rollback();
}

}  // namespace
}  // namespace catscan
