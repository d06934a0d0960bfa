// The clause 3.4 join as the sweep wires it: reference hits collected by the
// workers, joined against the whole catalog in FinishSweep, appended after
// the in-scan violations and counted once per listing.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <string>
#include <vector>

#include "scanner/pipeline/sweep.h"
#include "tests/testing/default_pack.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::DefaultPack;
using test::ReadFile;
using test::TempDir;
using test::WriteInput;
using test::WriteFile;

// Two inputs. Referrers: r1 (two references: a missing id and an available
// item, and an in-scan violation of its own), r2 (an off-shelf item, later in
// the catalog, and a stock-0 item: two findings, one listing), r3 (no
// welfare wording: no reference), r4 (an item listed twice, once available).
// clang-format off
const char kFirst[] =
    R"({"item_id":"r1","merchant_id":"m1","title":"加微信 福利款另拍：商品ID G404、商品ID G1","price":9})" "\n"
    R"({"item_id":"G1","merchant_id":"m9","title":"福利小样","price":1,"stock":5})" "\n"
    R"({"item_id":"r2","merchant_id":"m2","title":"好物","detail_html":"<p>赠品链接 https://shop.example.com/item/G2?from=live</p><p>福利：商品ID：G3</p>","price":9})" "\n";
const char kSecond[] =
    R"({"item_id":"G2","merchant_id":"m9","title":"赠品","price":1,"stock":9,"status":"off_shelf"})" "\n"
    R"({"item_id":"G3","merchant_id":"m9","title":"赠品","price":1,"stock":0})" "\n"
    R"({"item_id":"r3","merchant_id":"m3","title":"搭配款见商品ID G404","price":9})" "\n"
    R"({"item_id":"G5","merchant_id":"m9","title":"赠品","price":1,"stock":0})" "\n"
    R"({"item_id":"r4","merchant_id":"m4","title":"福利 item?id=G5","price":9})" "\n"
    R"({"item_id":"G5","merchant_id":"m9","title":"赠品","price":1,"stock":3})" "\n";

const char kViolations[] =
    R"({"item_id":"r1","merchant_id":"m1","rule_id":"private.add_wechat","category":"private_traffic","clause":"private-traffic","severity":"serious","field":"title","start":0,"end":9,"text":"加微信","before":"","after":" 福利款另拍：商品ID G404、商品I"})" "\n"
    R"({"item_id":"r1","merchant_id":"m1","rule_id":"welfare_listing.referenced_item","category":"welfare_not_listed","clause":"3.4","severity":"general","field":"title","start":28,"end":41,"text":"商品ID G404","normalized":"商品id g404","before":"加微信 福利款另拍：","after":"、商品ID G1","referenced_id":"G404","reason":"not_in_catalog"})" "\n"
    R"({"item_id":"r2","merchant_id":"m2","rule_id":"welfare_listing.referenced_item","category":"welfare_not_listed","clause":"3.4","severity":"general","field":"detail_html","start":40,"end":48,"text":"/item/G2","normalized":"/item/g2","before":"s://shop.example.com","after":"?from=live</p><p>福利：","referenced_id":"G2","reason":"off_shelf"})" "\n"
    R"({"item_id":"r2","merchant_id":"m2","rule_id":"welfare_listing.referenced_item","category":"welfare_not_listed","clause":"3.4","severity":"general","field":"detail_html","start":74,"end":87,"text":"商品ID：G3","normalized":"商品id：g3","before":"?from=live</p><p>福利：","after":"</p>","referenced_id":"G3","reason":"no_stock"})" "\n";
// clang-format on

class CatalogJoinTest : public ::testing::Test {
 protected:

  InputFile Input(const std::string& name, const std::string& bytes) {
    return WriteInput(dir_, name, bytes);
  }

  StatusOr<SweepResult> Sweep(const std::string& out, int threads, size_t chunk_bytes) {
    SweepOptions o;
    o.inputs = {Input("a.jsonl", kFirst), Input("b.jsonl", kSecond)};
    o.pack = DefaultPack();
    o.out_dir = dir_.File(out);
    o.threads = threads;
    o.chunk_bytes = chunk_bytes;
    o.progress = false;
    return RunSweep(o);
  }

  uint32_t RuleIndex(const std::string& id) {
    const std::vector<Rule>& rules = DefaultPack()->pack().rules;
    for (uint32_t r = 0; r < rules.size(); ++r) {
      if (rules[r].id == id) return r;
    }
    ADD_FAILURE() << "no rule " << id;
    return 0;
  }

  TempDir dir_;
};

TEST_F(CatalogJoinTest, FindingsFollowTheInScanViolationsAndCountOncePerListing) {
  StatusOr<SweepResult> r = Sweep("out", 2, 64);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ReadFile(dir_.File("out/violations.jsonl")), kViolations);

  const SweepCounts& c = r.value().manifest.counts;
  EXPECT_EQ(c.records_scanned, 9u);
  EXPECT_EQ(c.violations, 4u);
  // r1 had an in-scan violation already; r2's two findings are one listing.
  EXPECT_EQ(c.records_violating, 2u);
  EXPECT_EQ(c.by_rule.at(RuleIndex("welfare_listing.referenced_item")), 3u);
  EXPECT_EQ(c.by_rule.at(RuleIndex("private.add_wechat")), 1u);
  EXPECT_EQ(r.value().manifest.merchants_violating, 2u);

  EXPECT_EQ(ReadFile(dir_.File("out/merchants.jsonl")),
            R"({"merchant_id":"m1","items_scanned":1,"items_violating":1,"violations":2,)"
            R"("by_category":{"private_traffic":1,"welfare_not_listed":1},)"
            R"("by_rule":{"private.add_wechat":1,"welfare_listing.referenced_item":1}})" "\n"
            R"({"merchant_id":"m2","items_scanned":1,"items_violating":1,"violations":2,)"
            R"("by_category":{"welfare_not_listed":2},)"
            R"("by_rule":{"welfare_listing.referenced_item":2}})" "\n");
  // The manifest says the same.
  simdjson::dom::parser parser;
  simdjson::dom::element m;
  ASSERT_EQ(parser.parse(ReadFile(dir_.File("out/manifest.json"))).get(m), simdjson::SUCCESS);
  int64_t violating = -1, violations = -1;
  ASSERT_EQ(m["records_violating"].get(violating), simdjson::SUCCESS);
  ASSERT_EQ(m["violations"].get(violations), simdjson::SUCCESS);
  EXPECT_EQ(violating, 2);
  EXPECT_EQ(violations, 4);
}

TEST_F(CatalogJoinTest, ChunkingAndThreadsDoNotChangeTheFindings) {
  ASSERT_TRUE(Sweep("one", 1, 1 << 20).ok());
  ASSERT_TRUE(Sweep("many", 4, 1).ok());
  for (const char* f : {"violations.jsonl", "merchants.jsonl"}) {
    EXPECT_EQ(ReadFile(dir_.File(std::string("one/") + f)),
              ReadFile(dir_.File(std::string("many/") + f)))
        << f;
  }
}

}  // namespace
}  // namespace catscan
