#include "scanner/verdict/takedowns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "scanner/base/output_file.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::ReadFile;
using test::TempDir;
using test::WriteFile;

// A violations.jsonl of "listings" listings with one to four lines each,
// several megabytes long so WriteVerdicts cuts it into many blocks. Item ids
// repeat under other merchants, and some texts need escaping.
std::string ManyViolations(int listings, int merchants = 97) {
  static const char* kSeverities[] = {"minor", "general", "serious", "critical"};
  std::string out;
  for (int i = 0; i < listings; ++i) {
    const std::string item = "item-" + std::to_string(i / 3);
    const std::string merchant = "m" + std::to_string(i % merchants);
    for (int k = 0; k <= i % 4; ++k) {
      const std::string rule = "rule." + std::to_string((i + k) % 7);
      out += R"({"item_id":")" + item + R"(","merchant_id":")" + merchant +
             R"(","rule_id":")" + rule + R"(","clause":"3.)" + std::to_string(k) +
             R"(","severity":")" + kSeverities[(i + k) % 4] + R"(","field":")" +
             (k == 3 ? R"(price","start":null,"end":null,"text":"price=0"})"
                     : R"(title","start":)" + std::to_string(k) + R"(,"end":)" +
                           std::to_string(k + 6) +
                           R"(,"text":"加微信\"领取\"","normalized":"加微信领取","before":"限时<b>)" +
                           std::string(static_cast<size_t>(200 + i % 50), 'x') +
                           R"(","after":"，今天发货"})");
      out += "\n";
    }
  }
  return out;
}

// The three files WriteVerdicts appends to, in a directory of their own.
struct VerdictOutputs {
  explicit VerdictOutputs(const std::string& dir) {
    std::filesystem::create_directories(dir);
    for (auto [slot, name] : {std::pair{&takedowns_jsonl, "takedowns.jsonl"},
                              {&takedowns_csv, "takedowns.csv"},
                              {&merchant_actions_csv, "merchant_actions.csv"}}) {
      StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(dir + "/" + name);
      EXPECT_TRUE(f.ok()) << f.status().message();
      if (f.ok()) *slot = std::move(f.value());
    }
  }
  bool ok() const { return takedowns_jsonl && takedowns_csv && merchant_actions_csv; }
  VerdictFiles files() const {
    return {takedowns_jsonl.get(), takedowns_csv.get(), merchant_actions_csv.get()};
  }

  std::unique_ptr<OutputFile> takedowns_jsonl, takedowns_csv, merchant_actions_csv;
};

struct Written {
  std::string jsonl, csv, actions;
  std::vector<std::string> sink;  // item ids in the order on_listing saw them
  VerdictTotals totals;
};

Written Write(const std::string& violations, const MerchantTally& tally, int threads,
              const TempDir& dir) {
  Written w;
  VerdictOutputs out(dir.File("out" + std::to_string(threads)));
  if (!out.ok()) return w;
  StatusOr<VerdictTotals> t = WriteVerdicts(
      violations, Policy::Builtin(), tally, RepeatHistory{}, out.files(),
      [&](const FlaggedListing& l, Action) {
        w.sink.push_back(l.merchant_id + "/" + l.item_id);
        return Status::OK();
      },
      threads);
  EXPECT_TRUE(t.ok()) << t.status().message();
  if (!t.ok()) return w;
  w.totals = std::move(t.value());
  for (OutputFile* f : {out.takedowns_jsonl.get(), out.takedowns_csv.get(),
                        out.merchant_actions_csv.get()}) {
    EXPECT_TRUE(f->Finish().ok());
  }
  w.jsonl = ReadFile(out.takedowns_jsonl->temp_path());
  w.csv = ReadFile(out.takedowns_csv->temp_path());
  w.actions = ReadFile(out.merchant_actions_csv->temp_path());
  return w;
}

TEST(WriteVerdictsTest, ParallelBlocksGiveTheBytesOfOneListingAtATime) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(path, ManyViolations(12000)));
  ASSERT_GT(ReadFile(path).size(), 3u << 20);  // several blocks

  // The expectation, one listing at a time through the row formatters.
  std::string jsonl, csv;
  AppendTakedownCsvHeader(&csv);
  std::vector<std::string> order;
  const Policy policy = Policy::Builtin();
  ASSERT_TRUE(ReadFlaggedListings(path, [&](const FlaggedListing& l) {
                const Action a = policy.listing_action[static_cast<int>(l.severity)];
                AppendTakedownJson(&jsonl, l, a);
                AppendTakedownCsv(&csv, l, a);
                order.push_back(l.merchant_id + "/" + l.item_id);
                return Status::OK();
              }).ok());
  ASSERT_EQ(order.size(), 12000u);

  MerchantTally tally;
  Violation v;
  for (int m = 0; m < 97; ++m) tally.AddRecord("m" + std::to_string(m), {v});

  const Written one = Write(path, tally, 1, dir);
  EXPECT_EQ(one.jsonl, jsonl);
  EXPECT_EQ(one.csv, csv);
  EXPECT_EQ(one.sink, order);
  EXPECT_EQ(one.totals.listings, 12000u);
  EXPECT_EQ(one.totals.merchants.size(), 97u);
  for (int threads : {2, 5}) {
    const Written many = Write(path, tally, threads, dir);
    EXPECT_EQ(many.jsonl, jsonl) << threads;
    EXPECT_EQ(many.csv, csv) << threads;
    EXPECT_EQ(many.actions, one.actions) << threads;
    EXPECT_EQ(many.sink, order) << threads;
    EXPECT_EQ(many.totals.listings_by_rule, one.totals.listings_by_rule);
    EXPECT_EQ(many.totals.listings_by_clause, one.totals.listings_by_clause);
    EXPECT_EQ(many.totals.listings_by_severity, one.totals.listings_by_severity);
  }
}

// The merchant verdicts, in VerdictOrder, and merchant_actions.csv are those
// of deciding each merchant on its own and sorting, at any thread count.
TEST(WriteVerdictsTest, MerchantVerdictsMatchDecidingOneAtATime) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(path, ManyViolations(6000, 1500)));
  const Policy policy = Policy::Builtin();
  std::unordered_map<std::string, MerchantFindings> findings;
  ASSERT_TRUE(ReadFlaggedListings(path, [&](const FlaggedListing& l) {
                findings[l.merchant_id].Add(l);
                return Status::OK();
              }).ok());
  MerchantTally tally;
  Violation v;
  for (int m = 0; m < 1550; ++m) {  // m1500.. have no lines: no verdict
    for (int k = 0; k <= m % 3; ++k) tally.AddRecord("m" + std::to_string(m), {v});
  }
  std::vector<MerchantVerdict> want;
  for (const auto& [merchant, counts] : tally.Violators()) {
    auto it = findings.find(merchant);
    if (it == findings.end()) continue;
    want.push_back(
        DecideMerchant(policy, merchant, counts->items_scanned, it->second, RepeatHistory{}));
  }
  ASSERT_EQ(want.size(), 1500u);
  std::sort(want.begin(), want.end(), VerdictOrder);
  std::string csv;
  AppendMerchantActionsCsvHeader(&csv);
  for (const MerchantVerdict& mv : want) {
    if (mv.action != Action::kNone) AppendMerchantActionCsv(&csv, mv);
  }
  ASSERT_NE(csv.find("m1499"), std::string::npos);

  for (int threads : {1, 2, 5}) {
    const Written w = Write(path, tally, threads, dir);
    EXPECT_EQ(w.actions, csv) << threads;
    ASSERT_EQ(w.totals.merchants.size(), want.size()) << threads;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(w.totals.merchants[i].merchant_id, want[i].merchant_id) << threads << " " << i;
      EXPECT_EQ(w.totals.merchants[i].steps, want[i].steps) << threads << " " << i;
    }
  }
}

TEST(WriteVerdictsTest, ABadLineInALaterBlockNamesItsLine) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  std::string text = ManyViolations(6000);
  const uint64_t lines = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  text += "{\"item_id\":\"x\"}\n" + ManyViolations(10);
  ASSERT_TRUE(WriteFile(path, text));
  VerdictOutputs out(dir.File("out"));
  ASSERT_TRUE(out.ok());
  StatusOr<VerdictTotals> t =
      WriteVerdicts(path, Policy::Builtin(), MerchantTally(), RepeatHistory{},
                    out.files(), nullptr, 2);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find(path + ":" + std::to_string(lines + 1) +
                                      ": not a violation line"),
            std::string::npos)
      << t.status().message();
}

TEST(WriteVerdictsTest, AFailingSinkStopsTheWriting) {
  TempDir dir;
  const std::string path = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(path, ManyViolations(9000)));
  VerdictOutputs out(dir.File("out"));
  ASSERT_TRUE(out.ok());
  int calls = 0;
  StatusOr<VerdictTotals> t = WriteVerdicts(
      path, Policy::Builtin(), MerchantTally(), RepeatHistory{},
      out.files(),
      [&](const FlaggedListing&, Action) {
        return ++calls == 100 ? InternalError("history is full") : Status::OK();
      },
      2);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "history is full");
  EXPECT_EQ(calls, 100);
}

}  // namespace
}  // namespace catscan
