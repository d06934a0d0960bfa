#include "scanner/verdict/verdicts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A ladder with one step per kind of condition.
Policy TestPolicy() {
  Policy p;
  p.repeat_window = 4;
  auto step = [](const char* id, Action a, Severity s, uint64_t n, double share, uint32_t sweeps) {
    EscalationStep e;
    e.id = id;
    e.action = a;
    e.min_severity = s;
    e.min_listings = n;
    e.min_share = share;
    e.min_sweeps = sweeps;
    return e;
  };
  p.merchant_steps = {
      step("any", Action::kTakedownListings, Severity::kMinor, 1, 0, 1),
      step("many", Action::kRejectNewListings, Severity::kGeneral, 3, 0, 1),
      step("share", Action::kTakedownAllListings, Severity::kGeneral, 1, 0.5, 1),
      step("repeat", Action::kBanNewProducts, Severity::kSerious, 1, 0, 3),
      step("critical", Action::kFreezeFunds, Severity::kCritical, 1, 0, 1),
  };
  return p;
}

MerchantFindings Findings(uint64_t minor, uint64_t general, uint64_t serious, uint64_t critical) {
  MerchantFindings f;
  f.listings_by_severity = {minor, general, serious, critical};
  f.violations = minor + general + serious + critical;
  return f;
}

TEST(DecideMerchantTest, OneMinorListingIsATakedownOnly) {
  const MerchantVerdict v = DecideMerchant(TestPolicy(), "m", 10, Findings(1, 0, 0, 0), {});
  EXPECT_EQ(v.action, Action::kTakedownListings);
  EXPECT_THAT(v.steps, ElementsAre("any"));
  EXPECT_EQ(v.severity, Severity::kMinor);
  EXPECT_DOUBLE_EQ(v.share, 0.1);
  EXPECT_EQ(v.sweeps_with_violations, 1u);
  EXPECT_EQ(v.window_sweeps, 1u);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0],
            "any → takedown_listings (下架或封禁违规商品): 1 listing at minor or above");
}

TEST(DecideMerchantTest, CountsOnlyListingsAtTheStepsSeverity) {
  // 2 minor + 2 general: 4 listings, but only 2 at general or above.
  MerchantVerdict v = DecideMerchant(TestPolicy(), "m", 100, Findings(2, 2, 0, 0), {});
  EXPECT_EQ(v.action, Action::kTakedownListings);
  v = DecideMerchant(TestPolicy(), "m", 100, Findings(0, 3, 0, 0), {});
  EXPECT_EQ(v.action, Action::kRejectNewListings);
  EXPECT_THAT(v.reasons[1], HasSubstr("3 listings at general or above (≥ 3)"));
}

TEST(DecideMerchantTest, ShareOfTheCatalog) {
  MerchantVerdict v = DecideMerchant(TestPolicy(), "m", 4, Findings(0, 2, 0, 0), {});
  EXPECT_EQ(v.action, Action::kTakedownAllListings);
  EXPECT_THAT(v.actions, ElementsAre(Action::kTakedownListings, Action::kTakedownAllListings));
  EXPECT_THAT(v.reasons.back(), HasSubstr("50% of 4 scanned (≥ 50%)"));
  v = DecideMerchant(TestPolicy(), "m", 5, Findings(0, 2, 0, 0), {});
  EXPECT_EQ(v.action, Action::kTakedownListings);  // 40% < 50%
}

TEST(DecideMerchantTest, RepeatOffencesCountOnlySweepsInTheWindow) {
  RepeatHistory h;
  h.window_sweep_ids = {9, 8, 7, 6, 5};  // newest first; window 4 = this + 9, 8, 7
  h.violating_sweeps["m"] = {9, 6, 5};
  MerchantVerdict v = DecideMerchant(TestPolicy(), "m", 100, Findings(0, 0, 1, 0), h);
  EXPECT_EQ(v.sweeps_with_violations, 2u);  // this one and #9; #6 and #5 are too old
  EXPECT_EQ(v.window_sweeps, 4u);
  EXPECT_THAT(v.earlier_sweeps, ElementsAre(9));
  EXPECT_EQ(v.action, Action::kTakedownListings);

  h.violating_sweeps["m"] = {9, 7};
  v = DecideMerchant(TestPolicy(), "m", 100, Findings(0, 0, 1, 0), h);
  EXPECT_EQ(v.sweeps_with_violations, 3u);
  EXPECT_EQ(v.action, Action::kBanNewProducts);
  EXPECT_THAT(v.reasons.back(),
              HasSubstr("violations in 3 of the last 4 sweeps (≥ 3; earlier: #9, #7)"));
  // Another merchant's history does not count.
  v = DecideMerchant(TestPolicy(), "other", 100, Findings(0, 0, 1, 0), h);
  EXPECT_EQ(v.sweeps_with_violations, 1u);
}

TEST(DecideMerchantTest, CriticalFreezesFunds) {
  const MerchantVerdict v = DecideMerchant(TestPolicy(), "m", 1000, Findings(0, 0, 0, 1), {});
  EXPECT_EQ(v.action, Action::kFreezeFunds);
  EXPECT_EQ(v.severity, Severity::kCritical);
}

TEST(DecideMerchantTest, NoStepHoldsNoAction) {
  Policy p = TestPolicy();
  p.merchant_steps.erase(p.merchant_steps.begin());  // no catch-all
  const MerchantVerdict v = DecideMerchant(p, "m", 100, Findings(1, 0, 0, 0), {});
  EXPECT_EQ(v.action, Action::kNone);
  EXPECT_TRUE(v.reasons.empty());
}

TEST(ReadFlaggedListingsTest, GroupsConsecutiveLinesOfOneListing) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(
      path,
      R"({"item_id":"a","merchant_id":"m","rule_id":"r2","clause":"3.2","severity":"general","field":"title","start":0,"end":3,"text":"x","before":"","after":"y"})" "\n"
      R"({"item_id":"a","merchant_id":"m","rule_id":"r1","clause":"3.1","severity":"serious","field":"price","start":null,"end":null,"text":"price=0"})" "\n"
      R"({"item_id":"b","merchant_id":"m","rule_id":"r2","clause":"3.2","severity":"minor","field":"title","start":3,"end":6,"text":"z","normalized":"Z","before":"ab","after":""})" "\n"
      R"({"item_id":"a","merchant_id":"n","rule_id":"r2","clause":"3.2","severity":"minor","field":"title","start":0,"end":1,"text":"q","before":"","after":""})" "\n"));
  std::vector<FlaggedListing> got;
  ASSERT_TRUE(ReadFlaggedListings(path, [&](const FlaggedListing& l) {
                got.push_back(l);
                return Status::OK();
              }).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].item_id, "a");
  EXPECT_EQ(got[0].severity, Severity::kSerious);
  EXPECT_THAT(got[0].rule_ids, ElementsAre("r1", "r2"));
  EXPECT_THAT(got[0].clauses, ElementsAre("3.1", "3.2"));
  ASSERT_EQ(got[0].evidence.size(), 2u);
  EXPECT_TRUE(got[0].evidence[0].has_offsets);
  EXPECT_EQ(got[0].evidence[0].after, "y");
  EXPECT_FALSE(got[0].evidence[1].has_offsets);
  EXPECT_EQ(got[1].item_id, "b");
  EXPECT_EQ(got[1].evidence[0].normalized, "Z");
  EXPECT_EQ(got[1].evidence[0].start, 3u);
  EXPECT_EQ(got[2].merchant_id, "n");  // same item id, other merchant: another listing
}

TEST(ReadFlaggedListingsTest, ABadLineNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(path,
                        R"({"item_id":"a","merchant_id":"m","rule_id":"r","clause":"c","severity":"minor","field":"title","start":0,"end":1,"text":"x"})" "\n"
                        R"({"item_id":"a"})" "\n"));
  Status s = ReadFlaggedListings(path, [](const FlaggedListing&) { return Status::OK(); });
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr(path + ":2: not a violation line: missing or non-string `merchant_id`"));
}

// Lines of violations.jsonl: "ids" gives each line's item (merchant "m").
std::string ViolationLines(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    out += R"({"item_id":")" + id +
           R"(","merchant_id":"m","rule_id":"r","clause":"c","severity":"minor","field":"title","start":0,"end":1,"text":"x"})"
           "\n";
  }
  return out;
}

TEST(ViolationBlockReaderTest, BlocksEndAtListingEndsAndKeepLineNumbers) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {
    for (int k = 0; k <= i % 5; ++k) ids.push_back("item" + std::to_string(i));
  }
  const std::string text = ViolationLines(ids);
  ASSERT_TRUE(WriteFile(path, text));
  std::vector<FlaggedListing> whole;
  ASSERT_TRUE(ParseFlaggedListings(text, path, 1, &whole).ok());
  ASSERT_EQ(whole.size(), 300u);
  for (size_t block_bytes : {size_t{1}, size_t{150}, size_t{1000}, size_t{4096}, size_t{1} << 20}) {
    auto reader = ViolationBlockReader::Open(path, block_bytes);
    ASSERT_TRUE(reader.ok());
    std::string lines, joined;
    uint64_t first_line = 0, expected_first = 1;
    std::vector<FlaggedListing> listings, block;
    for (;;) {
      StatusOr<bool> more = reader.value()->Next(&lines, &first_line);
      ASSERT_TRUE(more.ok());
      if (!more.value()) break;
      EXPECT_EQ(first_line, expected_first) << block_bytes;
      expected_first += static_cast<uint64_t>(std::count(lines.begin(), lines.end(), '\n'));
      joined += lines;
      // One vector for every block, as the verdict stage does: each parse
      // replaces the last block's listings in their storage.
      ASSERT_TRUE(ParseFlaggedListings(lines, path, first_line, &block).ok());
      EXPECT_GT(block.size(), 0u);
      listings.insert(listings.end(), block.begin(), block.end());
    }
    EXPECT_EQ(joined, text) << block_bytes;
    ASSERT_EQ(listings.size(), whole.size()) << block_bytes;  // none split in two
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(listings[i].item_id, whole[i].item_id);
      EXPECT_EQ(listings[i].evidence.size(), whole[i].evidence.size());
    }
  }
}

TEST(ViolationBlockReaderTest, ALastLineWithoutNewlineAndAnEmptyFile) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  std::string text = ViolationLines({"a", "a", "b"});
  text.pop_back();
  ASSERT_TRUE(WriteFile(path, text));
  auto reader = ViolationBlockReader::Open(path, 10);
  ASSERT_TRUE(reader.ok());
  std::string lines, joined;
  uint64_t first_line = 0;
  while (reader.value()->Next(&lines, &first_line).value()) joined += lines;
  EXPECT_EQ(joined, text + "\n");

  ASSERT_TRUE(WriteFile(path, ""));
  auto empty = ViolationBlockReader::Open(path);
  ASSERT_TRUE(empty.ok());
  StatusOr<bool> more = empty.value()->Next(&lines, &first_line);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(more.value());
  EXPECT_FALSE(ViolationBlockReader::Open(dir.File("missing.jsonl")).ok());
}

TEST(ViolationBlockReaderTest, ABadLineEndsTheBlockAndIsNamedByItsLine) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(path, ViolationLines({"a", "a"}) + "{oops\n" + ViolationLines({"a"})));
  auto reader = ViolationBlockReader::Open(path, 1);
  ASSERT_TRUE(reader.ok());
  std::string lines;
  uint64_t first_line = 0;
  Status bad;
  while (bad.ok() && reader.value()->Next(&lines, &first_line).value()) {
    std::vector<FlaggedListing> listings;
    bad = ParseFlaggedListings(lines, path, first_line, &listings);
  }
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.message(), HasSubstr(path + ":3: not a violation line: not JSON"));
}

// One violation line with every field given; "extra" adds optional keys.
std::string FullLine(const std::string& item, const std::string& rule, const std::string& clause,
                     const std::string& severity, const std::string& text,
                     const std::string& extra) {
  return R"({"item_id":")" + item + R"(","merchant_id":"m1","rule_id":")" + rule +
         R"(","clause":")" + clause + R"(","severity":")" + severity +
         R"(","field":"detail_html","start":3,"end":9,"text":")" + text + "\"" + extra + "}\n";
}

void ExpectSameListings(const std::vector<FlaggedListing>& got,
                        const std::vector<FlaggedListing>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    const FlaggedListing& a = got[i];
    const FlaggedListing& b = want[i];
    EXPECT_EQ(a.item_id, b.item_id);
    EXPECT_EQ(a.merchant_id, b.merchant_id);
    EXPECT_EQ(a.severity, b.severity) << a.item_id;
    EXPECT_EQ(a.clauses, b.clauses) << a.item_id;
    EXPECT_EQ(a.rule_ids, b.rule_ids) << a.item_id;
    ASSERT_EQ(a.evidence.size(), b.evidence.size()) << a.item_id;
    for (size_t k = 0; k < a.evidence.size(); ++k) {
      const Evidence& x = a.evidence[k];
      const Evidence& y = b.evidence[k];
      EXPECT_EQ(std::tie(x.rule_id, x.clause, x.severity, x.field, x.has_offsets, x.start, x.end,
                         x.text, x.normalized, x.before, x.after),
                std::tie(y.rule_id, y.clause, y.severity, y.field, y.has_offsets, y.start, y.end,
                         y.text, y.normalized, y.before, y.after))
          << a.item_id << " evidence " << k;
    }
  }
}

TEST(ParseFlaggedListingsTest, ReusedStorageGivesWhatAFreshVectorGives) {
  // A big block with long strings, many rules and every optional key, then
  // a small one without them, then the big one again: what is parsed into a
  // vector holding an earlier block must equal a fresh parse, with nothing
  // left over (extra listings, evidence, rules, or an old normalized text).
  const std::string long_text(200, 'x');
  std::string big;
  for (int i = 0; i < 40; ++i) {
    for (int k = 0; k < 1 + i % 6; ++k) {
      big += FullLine("big" + std::to_string(i), "rule.number_" + std::to_string((i + k) % 7),
                      std::to_string(k % 3), k % 2 ? "critical" : "minor", long_text,
                      R"(,"normalized":")" + long_text + R"(","before":"before text, long enough to leave the small-string buffer","after":"after")");
    }
  }
  std::string small = FullLine("s1", "r", "c", "general", "t", "") +
                      FullLine("s1", "r", "c", "serious", "u", "") +
                      FullLine("s2", "q", "d", "minor", "v", R"(,"before":"b")");
  // A listing that spans the two ids of a merchant change stays two.
  small += R"({"item_id":"s2","merchant_id":"m2","rule_id":"r","clause":"c","severity":"minor","field":"price","text":"9"})" "\n";
  const auto parse = [](const std::string& text, std::vector<FlaggedListing>* out) {
    std::string padded = text;
    padded.reserve(text.size() + 64);
    ASSERT_TRUE(ParseFlaggedListings(std::string_view(padded.data(), text.size()),
                                     "violations.jsonl", 1, out).ok());
  };
  std::vector<FlaggedListing> fresh_big, fresh_small, reused;
  parse(big, &fresh_big);
  parse(small, &fresh_small);
  ASSERT_EQ(fresh_big.size(), 40u);
  ASSERT_EQ(fresh_small.size(), 3u);
  EXPECT_FALSE(fresh_small[2].evidence[0].has_offsets);
  for (const std::string* text : {&big, &small, &big, &big, &small, &small}) {
    parse(*text, &reused);
    ExpectSameListings(reused, text == &big ? fresh_big : fresh_small);
  }
  // A failed parse leaves the vector empty, not half-filled.
  std::string bad = small + "{oops\n";
  bad.reserve(bad.size() + 64);
  EXPECT_FALSE(ParseFlaggedListings(bad, "violations.jsonl", 1, &reused).ok());
  EXPECT_TRUE(reused.empty());
}

}  // namespace
}  // namespace catscan
