#include "scanner/aggregate/merchant_tally.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace catscan {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<Violation> Violations(std::initializer_list<uint32_t> rules) {
  std::vector<Violation> out;
  for (uint32_t r : rules) {
    Violation v;
    v.rule = r;
    out.push_back(v);
  }
  return out;
}

std::vector<std::string> ViolatorIds(const MerchantTally& t) {
  std::vector<std::string> ids;
  for (const auto& [id, counts] : t.Violators()) ids.push_back(id);
  return ids;
}

TEST(MerchantTallyTest, AddRecordCountsPerMerchant) {
  MerchantTally t;
  t.AddRecord("m2", {});
  t.AddRecord("m1", Violations({0, 3}));
  t.AddRecord("m1", Violations({0}));
  t.AddRecord("m1", {});
  t.AddRecord("m3", {});
  EXPECT_EQ(t.merchant_count(), 3u);
  EXPECT_EQ(t.violator_count(), 1u);
  const auto violators = t.Violators();
  ASSERT_EQ(violators.size(), 1u);
  EXPECT_EQ(violators[0].first, "m1");
  const MerchantCounts& c = *violators[0].second;
  EXPECT_EQ(c.items_scanned, 3u);
  EXPECT_EQ(c.items_violating, 2u);
  EXPECT_EQ(c.violations, 3u);
  EXPECT_THAT(c.by_rule, ElementsAre(Pair(0u, 2u), Pair(3u, 1u)));
}

TEST(MerchantTallyTest, SameRuleTwiceInOneRecordCountsTwice) {
  MerchantTally t;
  t.AddRecord("m", Violations({4, 4, 1}));
  const auto v = t.Violators();
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].second->items_violating, 1u);
  EXPECT_EQ(v[0].second->violations, 3u);
  EXPECT_THAT(v[0].second->by_rule, ElementsAre(Pair(1u, 1u), Pair(4u, 2u)));
}

TEST(MerchantTallyTest, ViolatorsAreSortedByIdBytes) {
  MerchantTally t;
  for (const char* id : {"中", "b", "B", "a10", "a9", "z", "clean"}) {
    t.AddRecord(id, std::string(id) == "clean" ? std::vector<Violation>{} : Violations({0}));
  }
  EXPECT_THAT(ViolatorIds(t), ElementsAre("B", "a10", "a9", "b", "z", "中"));
  EXPECT_EQ(t.merchant_count(), 7u);
  EXPECT_EQ(t.violator_count(), 6u);
}

TEST(MerchantTallyTest, MergeAddsUp) {
  MerchantTally a;
  a.AddRecord("m1", Violations({1}));
  a.AddRecord("m2", {});
  MerchantTally b;
  b.AddRecord("m1", Violations({1, 2}));
  b.AddRecord("m2", Violations({5}));
  b.AddRecord("m3", {});
  a.Merge(b);
  EXPECT_EQ(a.merchant_count(), 3u);
  EXPECT_EQ(a.violator_count(), 2u);
  const auto v = a.Violators();
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].first, "m1");
  EXPECT_EQ(v[0].second->items_scanned, 2u);
  EXPECT_EQ(v[0].second->items_violating, 2u);
  EXPECT_EQ(v[0].second->violations, 3u);
  EXPECT_THAT(v[0].second->by_rule, ElementsAre(Pair(1u, 2u), Pair(2u, 1u)));
  EXPECT_EQ(v[1].first, "m2");
  EXPECT_EQ(v[1].second->items_scanned, 2u);
  EXPECT_EQ(v[1].second->items_violating, 1u);
  EXPECT_EQ(v[1].second->violations, 1u);
  EXPECT_THAT(v[1].second->by_rule, ElementsAre(Pair(5u, 1u)));
  // The merged-from tally is unchanged.
  EXPECT_EQ(b.merchant_count(), 3u);
  EXPECT_EQ(b.violator_count(), 2u);
}

TEST(MerchantTallyTest, MergeIntoEmptyEqualsTheOriginal) {
  MerchantTally a;
  a.AddRecord("x", Violations({7}));
  a.AddRecord("y", {});
  MerchantTally empty;
  empty.Merge(a);
  EXPECT_EQ(empty.merchant_count(), 2u);
  EXPECT_THAT(ViolatorIds(empty), ElementsAre("x"));
  MerchantTally none;
  a.Merge(none);
  EXPECT_EQ(a.merchant_count(), 2u);
}

TEST(MerchantCountsTest, Merge) {
  MerchantCounts a;
  a.items_scanned = 5;
  a.items_violating = 2;
  a.violations = 4;
  a.by_rule = {{0, 3}, {2, 1}};
  MerchantCounts b;
  b.items_scanned = 1;
  b.items_violating = 1;
  b.violations = 2;
  b.by_rule = {{2, 1}, {9, 1}};
  a.Merge(b);
  EXPECT_EQ(a.items_scanned, 6u);
  EXPECT_EQ(a.items_violating, 3u);
  EXPECT_EQ(a.violations, 6u);
  EXPECT_THAT(a.by_rule, ElementsAre(Pair(0u, 3u), Pair(2u, 2u), Pair(9u, 1u)));
}

TEST(SweepCountsTest, AddScannedAndMerge) {
  SweepCounts a;
  a.AddScanned({});
  a.AddScanned(Violations({1, 1, 3}));
  EXPECT_EQ(a.records_read, 0u);  // counted by the caller
  EXPECT_EQ(a.records_scanned, 2u);
  EXPECT_EQ(a.records_quarantined, 0u);
  EXPECT_EQ(a.records_violating, 1u);
  EXPECT_EQ(a.violations, 3u);
  EXPECT_THAT(a.by_rule, ElementsAre(Pair(1u, 2u), Pair(3u, 1u)));

  SweepCounts b;
  b.records_read = 4;
  b.records_quarantined = 1;
  b.AddScanned(Violations({0}));
  b.AddScanned(Violations({3}));
  b.AddScanned({});
  a.records_read = 2;
  a.Merge(b);
  EXPECT_EQ(a.records_read, 6u);
  EXPECT_EQ(a.records_scanned, 5u);
  EXPECT_EQ(a.records_quarantined, 1u);
  EXPECT_EQ(a.records_violating, 3u);
  EXPECT_EQ(a.violations, 5u);
  EXPECT_THAT(a.by_rule, ElementsAre(Pair(0u, 1u), Pair(1u, 2u), Pair(3u, 2u)));
}

}  // namespace
}  // namespace catscan
