#include "scanner/pipeline/sweep.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/testing/default_pack.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::Exists;
using test::DefaultPack;
using test::ReadFile;
using test::TempDir;
using test::WriteInput;
using test::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr size_t kMaxRecord = 2000;

// Replaces every "@" in "text" with "with".
std::string Fill(std::string text, const std::string& with) {
  for (size_t pos = 0; (pos = text.find('@', pos)) != std::string::npos; pos += with.size()) {
    text.replace(pos, 1, with);
  }
  return text;
}

// One block of catalog lines; "@" becomes the block number, so item ids are
// unique per block. Per block: 9 records (line 6 is blank), 2 unreadable
// (lines 4, 5), 7 scanned, 5 with violations, 6 violations.
// clang-format off
const char kBlock[] =
    R"({"item_id":"@-1","merchant_id":"m-a","title":"新款连衣裙","price":99,"original_price":199})" "\n"
    R"({"item_id":"@-2","merchant_id":"m-a","title":"今晚只卖30分钟","price":10})" "\n"
    R"({"item_id":"@-3","merchant_id":"m-b","title":"好物","detail_html":"<p>亏本甩卖</p>","price":9.9,"original_price":199})" "\n"
    R"({"item_id":"@-4","merchant_id":)" "\n"
    R"({"item_id":"@-5","title":"白送"})" "\n"
    "\n"
    R"({"item_id":"@-7","merchant_id":"m-c","title":"加微信"})" "\r\n"
    R"({"item_id":"@-8","merchant_id":"m-c","min_order_qty":10})" "\n"
    R"({"item_id":9,"merchant_id":123,"title":"免费送"})" "\n"
    R"({"item_id":"@-10","merchant_id":"m-d","extra":{"a":[1,2]}})" "\n";
constexpr int kBlockLines = 10;

// The violation lines of kBlock, in order.
const char kBlockViolations[] =
    R"({"item_id":"@-2","merchant_id":"m-a","rule_id":"time_limit.sell_only_minutes","category":"fake_time_limit","clause":"3.1","severity":"general","field":"title","start":6,"end":20,"text":"只卖30分钟","before":"今晚","after":""})" "\n"
    R"({"item_id":"@-3","merchant_id":"m-b","rule_id":"clearance.loss_sale","category":"fake_clearance","clause":"3.3","severity":"serious","field":"detail_html","start":3,"end":15,"text":"亏本甩卖","before":"<p>","after":"</p>"})" "\n"
    R"({"item_id":"@-3","merchant_id":"m-b","rule_id":"clearance.inflated_original_price","category":"fake_clearance","clause":"3.3","severity":"serious","field":"original_price","start":null,"end":null,"text":"original_price=199 price=9.9","check":"original_price >= 10 * price and price > 0"})" "\n"
    R"({"item_id":"@-7","merchant_id":"m-c","rule_id":"private.add_wechat","category":"private_traffic","clause":"private-traffic","severity":"serious","field":"title","start":0,"end":9,"text":"加微信","before":"","after":""})" "\n"
    R"({"item_id":"@-8","merchant_id":"m-c","rule_id":"conditions.min_order_qty","category":"unreasonable_conditions","clause":"3.5","severity":"general","field":"min_order_qty","start":null,"end":null,"text":"min_order_qty=10","check":"min_order_qty >= 5"})" "\n"
    R"({"item_id":"9","merchant_id":"123","rule_id":"freebie.zero_price_gift","category":"fake_freebie","clause":"3.2","severity":"general","field":"title","start":0,"end":9,"text":"免费送","before":"","after":""})" "\n";
// clang-format on

std::string Block(int k) { return Fill(kBlock, std::to_string(k)); }
std::string BlockViolations(int k) { return Fill(kBlockViolations, std::to_string(k)); }

// A record over kMaxRecord bytes.
std::string OversizeLine() {
  return "{\"item_id\":\"big\",\"merchant_id\":\"m-e\",\"title\":\"" + std::string(3000, 'x') +
         "\"}";
}

// The tail after the blocks: an oversize record, then one more violation.
std::string Tail() {
  return OversizeLine() + "\n{\"item_id\":\"last\",\"merchant_id\":\"m-e\",\"title\":\"跳楼价\"}\n";
}
const char kTailViolation[] =
    "{\"item_id\":\"last\",\"merchant_id\":\"m-e\",\"rule_id\":\"clearance.loss_sale\","
    "\"category\":\"fake_clearance\",\"clause\":\"3.3\",\"severity\":\"serious\",\"field\":"
    "\"title\","
    "\"start\":0,\"end\":9,\"text\":\"跳楼价\",\"before\":\"\",\"after\":\"\"}\n";

std::string Catalog(int blocks) {
  std::string out;
  for (int k = 0; k < blocks; ++k) out += Block(k);
  return out + Tail();
}

std::string Compress(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    const size_t nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    start = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

class SweepTest : public ::testing::Test {
 protected:

  InputFile Input(const std::string& name, const std::string& bytes) {
    return WriteInput(dir_, name, bytes);
  }

  SweepOptions Options(std::vector<InputFile> inputs, const std::string& out, int threads,
                       size_t chunk_bytes = 256) {
    SweepOptions o;
    o.inputs = std::move(inputs);
    o.pack = DefaultPack();
    o.out_dir = dir_.File(out);
    o.threads = threads;
    o.chunk_bytes = chunk_bytes;
    o.max_record_bytes = kMaxRecord;
    o.progress = false;
    return o;
  }

  struct Outputs {
    std::string violations, quarantine, merchants, manifest;
  };
  Outputs Read(const std::string& out) {
    return {ReadFile(dir_.File(out + "/violations.jsonl")),
            ReadFile(dir_.File(out + "/quarantine.jsonl")),
            ReadFile(dir_.File(out + "/merchants.jsonl")),
            ReadFile(dir_.File(out + "/manifest.json"))};
  }

  TempDir dir_;
};

TEST_F(SweepTest, SmallCatalogGivesExactOutputs) {
  const std::string catalog = Catalog(1);
  const InputFile in = Input("catalog.jsonl", catalog);
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 1));
  ASSERT_TRUE(r.ok()) << r.status().message();

  const SweepCounts& c = r->manifest.counts;
  EXPECT_EQ(c.records_read, 11u);
  EXPECT_EQ(c.records_scanned, 8u);
  EXPECT_EQ(c.records_quarantined, 3u);
  EXPECT_EQ(c.records_read, c.records_scanned + c.records_quarantined);
  EXPECT_EQ(c.records_violating, 6u);
  EXPECT_EQ(c.violations, 7u);
  EXPECT_EQ(r->manifest.merchants_scanned, 6u);  // m-a m-b m-c 123 m-d m-e
  EXPECT_EQ(r->manifest.merchants_violating, 5u);
  EXPECT_EQ(r->manifest.threads, 1);
  EXPECT_EQ(r->manifest.max_record_bytes, kMaxRecord);
  EXPECT_EQ(r->manifest.pattern_count, DefaultPack()->pattern_count());
  ASSERT_EQ(r->manifest.inputs.size(), 1u);
  EXPECT_EQ(r->manifest.inputs[0].path, in.path);
  EXPECT_EQ(r->manifest.inputs[0].lines, 12u);
  EXPECT_EQ(r->manifest.inputs[0].bytes, catalog.size());
  EXPECT_EQ(r->manifest.inputs[0].decompressed_bytes, catalog.size());
  EXPECT_FALSE(r->manifest.inputs[0].compressed);
  EXPECT_THAT(r->outputs,
              ElementsAre(dir_.File("out/violations.jsonl"), dir_.File("out/quarantine.jsonl"),
                          dir_.File("out/merchants.jsonl"), dir_.File("out/takedowns.jsonl"),
                          dir_.File("out/takedowns.csv"), dir_.File("out/merchant_actions.csv"),
                          dir_.File("out/report.html"), dir_.File("out/manifest.json")));
  EXPECT_THAT(ListDir(dir_.File("out")),
              ElementsAre("manifest.json", "merchant_actions.csv", "merchants.jsonl",
                          "quarantine.jsonl", "report.html", "takedowns.csv", "takedowns.jsonl",
                          "violations.jsonl"));

  const Outputs o = Read("out");
  EXPECT_EQ(o.violations, BlockViolations(0) + kTailViolation);
  EXPECT_EQ(
      o.merchants,
      "{\"merchant_id\":\"123\",\"items_scanned\":1,\"items_violating\":1,\"violations\":1,"
      "\"by_category\":{\"fake_freebie\":1},\"by_rule\":{\"freebie.zero_price_gift\":1}}\n"
      "{\"merchant_id\":\"m-a\",\"items_scanned\":2,\"items_violating\":1,\"violations\":1,"
      "\"by_category\":{\"fake_time_limit\":1},\"by_rule\":{\"time_limit.sell_only_minutes\":1}}\n"
      "{\"merchant_id\":\"m-b\",\"items_scanned\":1,\"items_violating\":1,\"violations\":2,"
      "\"by_category\":{\"fake_clearance\":2},"
      "\"by_rule\":{\"clearance.inflated_original_price\":1,\"clearance.loss_sale\":1}}\n"
      "{\"merchant_id\":\"m-c\",\"items_scanned\":2,\"items_violating\":2,\"violations\":2,"
      "\"by_category\":{\"private_traffic\":1,\"unreasonable_conditions\":1},"
      "\"by_rule\":{\"conditions.min_order_qty\":1,\"private.add_wechat\":1}}\n"
      "{\"merchant_id\":\"m-e\",\"items_scanned\":1,\"items_violating\":1,\"violations\":1,"
      "\"by_category\":{\"fake_clearance\":1},\"by_rule\":{\"clearance.loss_sale\":1}}\n");

  // Quarantine: lines 4 and 5 of the block and the oversize line 11.
  const std::vector<std::string> q = Lines(o.quarantine);
  ASSERT_EQ(q.size(), 3u) << o.quarantine;
  simdjson::dom::parser parser;
  const struct {
    uint64_t line;
    std::string raw;
    const char* reason_says;
  } expected[] = {
      {4, "{\"item_id\":\"0-4\",\"merchant_id\":", "JSON"},
      {5, "{\"item_id\":\"0-5\",\"title\":\"白送\"}", "merchant_id"},
      {11, OversizeLine(), "maximum record size"},
  };
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(q[i]);
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(q[i]).get(doc), simdjson::SUCCESS);
    std::string_view file, reason, raw;
    uint64_t line = 0, raw_bytes = 0;
    bool truncated = false;
    ASSERT_EQ(doc["file"].get(file), simdjson::SUCCESS);
    ASSERT_EQ(doc["line"].get(line), simdjson::SUCCESS);
    ASSERT_EQ(doc["reason"].get(reason), simdjson::SUCCESS);
    ASSERT_EQ(doc["raw"].get(raw), simdjson::SUCCESS);
    ASSERT_EQ(doc["raw_bytes"].get(raw_bytes), simdjson::SUCCESS);
    ASSERT_EQ(doc["raw_truncated"].get(truncated), simdjson::SUCCESS);
    EXPECT_EQ(file, in.path);
    EXPECT_EQ(line, expected[i].line);
    EXPECT_THAT(std::string(reason), HasSubstr(expected[i].reason_says));
    EXPECT_EQ(raw_bytes, expected[i].raw.size());
    EXPECT_EQ(raw, std::string_view(expected[i].raw).substr(0, raw.size()));
    EXPECT_GE(raw.size(), std::min<size_t>(expected[i].raw.size(), 1024));
    EXPECT_EQ(truncated, raw.size() < raw_bytes);
  }
  EXPECT_THAT(q[2], HasSubstr("(" + std::to_string(OversizeLine().size()) + " bytes"));

  // The manifest is one JSON line agreeing with the result.
  simdjson::dom::element m;
  ASSERT_EQ(parser.parse(o.manifest).get(m), simdjson::SUCCESS) << o.manifest;
  uint64_t n = 0;
  ASSERT_EQ(m["records_read"].get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, 11u);
  ASSERT_EQ(m["records_quarantined"].get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, 3u);
  ASSERT_EQ(m["violations"].get(n), simdjson::SUCCESS);
  EXPECT_EQ(n, 7u);
  std::string_view id;
  ASSERT_EQ(m["rule_pack"]["id"].get(id), simdjson::SUCCESS);
  EXPECT_EQ(id, "default@2");
}

// The verdict outputs of Catalog(1) under the default policy: every listing
// taken down, every merchant's flagged listings (none reaches an escalation).
TEST_F(SweepTest, SmallCatalogGivesExactVerdicts) {
  const InputFile in = Input("catalog.jsonl", Catalog(1));
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 2));
  ASSERT_TRUE(r.ok()) << r.status().message();
  // clang-format off
  EXPECT_EQ(ReadFile(dir_.File("out/takedowns.csv")),
      "\xEF\xBB\xBF"
      "item_id,merchant_id,action,action_zh,severity,severity_zh,clauses,rule_ids,field,start,end,"
      "matched_text,context,evidence_count,all_evidence\r\n"
      "0-2,m-a,takedown_listing,下架,general,一般,3.1,time_limit.sell_only_minutes,title,6,20,"
      "只卖30分钟,今晚【只卖30分钟】,1,time_limit.sell_only_minutes title[6:20]: 今晚【只卖30分钟】\r\n"
      "0-3,m-b,takedown_listing,下架,serious,严重,3.3,"
      "clearance.inflated_original_price;clearance.loss_sale,detail_html,3,15,亏本甩卖,"
      "<p>【亏本甩卖】</p>,2,\"clearance.loss_sale detail_html[3:15]: <p>【亏本甩卖】</p>\n"
      "clearance.inflated_original_price original_price: original_price=199 price=9.9\"\r\n"
      "0-7,m-c,takedown_listing,下架,serious,严重,private-traffic,private.add_wechat,title,0,9,"
      "加微信,【加微信】,1,private.add_wechat title[0:9]: 【加微信】\r\n"
      "0-8,m-c,takedown_listing,下架,general,一般,3.5,conditions.min_order_qty,min_order_qty,,,"
      "min_order_qty=10,min_order_qty=10,1,conditions.min_order_qty min_order_qty: min_order_qty=10\r\n"
      "9,123,takedown_listing,下架,general,一般,3.2,freebie.zero_price_gift,title,0,9,免费送,"
      "【免费送】,1,freebie.zero_price_gift title[0:9]: 【免费送】\r\n"
      "last,m-e,takedown_listing,下架,serious,严重,3.3,clearance.loss_sale,title,0,9,跳楼价,"
      "【跳楼价】,1,clearance.loss_sale title[0:9]: 【跳楼价】\r\n");
  const std::string reason =
      "violating_listings → takedown_listings (下架或封禁违规商品): 1 listing at minor or above";
  EXPECT_EQ(ReadFile(dir_.File("out/merchant_actions.csv")),
      "\xEF\xBB\xBF"
      "merchant_id,action,action_zh,all_actions,severity,severity_zh,listings_scanned,"
      "listings_violating,share_violating,violations,listings_minor,listings_general,"
      "listings_serious,listings_critical,sweeps_with_violations,window_sweeps,earlier_sweeps,"
      "rules,reasons\r\n"
      "m-c,takedown_listings,下架或封禁违规商品,takedown_listings,serious,严重,2,2,1.0000,2,0,1,1,0,"
      "1,1,,conditions.min_order_qty=1;private.add_wechat=1,"
      "violating_listings → takedown_listings (下架或封禁违规商品): 2 listings at minor or above\r\n"
      "123,takedown_listings,下架或封禁违规商品,takedown_listings,general,一般,1,1,1.0000,1,0,1,0,0,"
      "1,1,,freebie.zero_price_gift=1," + reason + "\r\n"
      "m-a,takedown_listings,下架或封禁违规商品,takedown_listings,general,一般,2,1,0.5000,1,0,1,0,0,"
      "1,1,,time_limit.sell_only_minutes=1," + reason + "\r\n"
      "m-b,takedown_listings,下架或封禁违规商品,takedown_listings,serious,严重,1,1,1.0000,2,0,0,1,0,"
      "1,1,,clearance.inflated_original_price=1;clearance.loss_sale=1," + reason + "\r\n"
      "m-e,takedown_listings,下架或封禁违规商品,takedown_listings,serious,严重,1,1,1.0000,1,0,0,1,0,"
      "1,1,,clearance.loss_sale=1," + reason + "\r\n");
  // clang-format on
  const std::vector<std::string> jsonl = Lines(ReadFile(dir_.File("out/takedowns.jsonl")));
  ASSERT_EQ(jsonl.size(), 6u);
  EXPECT_EQ(jsonl[1],
            R"({"item_id":"0-3","merchant_id":"m-b","action":"takedown_listing","action_zh":"下架",)"
            R"("severity":"serious","clauses":["3.3"],"rule_ids":["clearance.inflated_original_price",)"
            R"("clearance.loss_sale"],"evidence":[{"rule_id":"clearance.loss_sale","clause":"3.3",)"
            R"("severity":"serious","field":"detail_html","start":3,"end":15,"text":"亏本甩卖",)"
            R"("before":"<p>","after":"</p>"},{"rule_id":"clearance.inflated_original_price",)"
            R"("clause":"3.3","severity":"serious","field":"original_price","start":null,"end":null,)"
            R"("text":"original_price=199 price=9.9"}]})");
  EXPECT_EQ(r->verdicts.listings, 6u);
  EXPECT_EQ(r->verdicts.merchants.size(), 5u);
}

TEST_F(SweepTest, ThreadCountAndFormatDoNotChangeTheOutputs) {
  // ~640 KB: more than one read of the input stage, so several chunks.
  const int kBlocks = 1000;
  const std::string catalog = Catalog(kBlocks);
  const InputFile plain = Input("catalog.jsonl", catalog);
  const InputFile zst = Input("catalog.jsonl.zst", Compress(catalog));

  StatusOr<SweepResult> one = RunSweep(Options({plain}, "t1", 1));
  ASSERT_TRUE(one.ok()) << one.status().message();
  StatusOr<SweepResult> two = RunSweep(Options({plain}, "t2", 2));
  ASSERT_TRUE(two.ok()) << two.status().message();
  StatusOr<SweepResult> four = RunSweep(Options({plain}, "t4", 4, 4096));
  ASSERT_TRUE(four.ok()) << four.status().message();
  StatusOr<SweepResult> z = RunSweep(Options({zst}, "z2", 2));
  ASSERT_TRUE(z.ok()) << z.status().message();

  const Outputs o1 = Read("t1"), o2 = Read("t2"), o4 = Read("t4"), oz = Read("z2");
  EXPECT_TRUE(o1.violations == o2.violations) << "violations differ between 1 and 2 threads";
  EXPECT_TRUE(o1.quarantine == o2.quarantine) << "quarantine differs between 1 and 2 threads";
  EXPECT_TRUE(o1.merchants == o2.merchants) << "merchants differ between 1 and 2 threads";
  EXPECT_TRUE(o1.violations == o4.violations);
  EXPECT_TRUE(o1.quarantine == o4.quarantine);
  EXPECT_TRUE(o1.merchants == o4.merchants);
  EXPECT_TRUE(o1.violations == oz.violations) << "violations differ between plain and zstd";
  EXPECT_TRUE(o1.merchants == oz.merchants) << "merchants differ between plain and zstd";
  // The quarantine names its file; otherwise it is the same.
  std::string renamed = oz.quarantine;
  const std::string from = "\"file\":\"" + zst.path + "\"";
  const std::string to = "\"file\":\"" + plain.path + "\"";
  for (size_t pos = 0; (pos = renamed.find(from, pos)) != std::string::npos; pos += to.size()) {
    renamed.replace(pos, from.size(), to);
  }
  EXPECT_TRUE(o1.quarantine == renamed) << "quarantine differs between plain and zstd";

  // Exact totals: kBlocks blocks plus the tail.
  for (const StatusOr<SweepResult>* r : {&one, &two, &four, &z}) {
    const SweepCounts& c = (*r)->manifest.counts;
    EXPECT_EQ(c.records_read, 9u * kBlocks + 2);
    EXPECT_EQ(c.records_scanned, 7u * kBlocks + 1);
    EXPECT_EQ(c.records_quarantined, 2u * kBlocks + 1);
    EXPECT_EQ(c.records_read, c.records_scanned + c.records_quarantined);
    EXPECT_EQ(c.records_violating, 5u * kBlocks + 1);
    EXPECT_EQ(c.violations, 6u * kBlocks + 1);
    ASSERT_EQ((*r)->manifest.inputs.size(), 1u);
    EXPECT_EQ((*r)->manifest.inputs[0].lines, static_cast<uint64_t>(kBlocks * kBlockLines + 2));
    EXPECT_EQ((*r)->manifest.inputs[0].decompressed_bytes, catalog.size());
  }
  EXPECT_EQ(two->manifest.threads, 2);
  EXPECT_TRUE(z->manifest.inputs[0].compressed);
  EXPECT_EQ(z->manifest.inputs[0].bytes, zst.size);

  // Violations in input order: block by block, then the tail.
  std::string expected;
  for (int k = 0; k < kBlocks; ++k) expected += BlockViolations(k);
  expected += kTailViolation;
  EXPECT_TRUE(o1.violations == expected) << "violations.jsonl differs from the expected lines";
  EXPECT_EQ(Lines(o1.quarantine).size(), 2u * kBlocks + 1);

  // Merchant m-a: 2 records per block, one violating.
  EXPECT_THAT(o1.merchants,
              HasSubstr("{\"merchant_id\":\"m-a\",\"items_scanned\":2000,\"items_violating\":1000,"
                        "\"violations\":1000,"));
}

TEST_F(SweepTest, OversizeRecordIsQuarantinedTheSameWhateverTheChunking) {
  // An oversize record that straddles the input stage's first 256 KiB read:
  // with small chunks the chunker sees it without its newline and skips it,
  // with big chunks the whole line reaches a worker. The quarantine line is
  // about the record, so it must not depend on that.
  const std::string filler_line = "{\"item_id\":\"f\",\"merchant_id\":\"m-f\"}\n";  // 38 bytes
  std::string catalog;
  while (catalog.size() + filler_line.size() <= (256 << 10) - 4000) catalog += filler_line;
  const uint64_t filler_lines = catalog.size() / filler_line.size();
  const std::string big =
      "{\"item_id\":\"big\",\"merchant_id\":\"m-e\",\"title\":\"" + std::string(5000, 'x') + "\"}";
  catalog += big + "\n";
  for (int i = 0; i < 20000; ++i) catalog += filler_line;
  const InputFile in = Input("catalog.jsonl", catalog);

  StatusOr<SweepResult> small = RunSweep(Options({in}, "small", 2, 256));
  ASSERT_TRUE(small.ok()) << small.status().message();
  StatusOr<SweepResult> large = RunSweep(Options({in}, "large", 2, 1 << 20));
  ASSERT_TRUE(large.ok()) << large.status().message();
  EXPECT_EQ(small->manifest.counts.records_quarantined, 1u);
  EXPECT_EQ(large->manifest.counts.records_quarantined, 1u);
  EXPECT_EQ(small->manifest.counts.records_read, filler_lines + 20001);

  const Outputs s = Read("small"), l = Read("large");
  EXPECT_THAT(s.quarantine, HasSubstr("\"line\":" + std::to_string(filler_lines + 1) + ","));
  EXPECT_THAT(s.quarantine, HasSubstr("\"raw_bytes\":" + std::to_string(big.size()) + ","));
  EXPECT_EQ(s.quarantine, l.quarantine);
  EXPECT_EQ(s.violations, l.violations);
  EXPECT_EQ(s.merchants, l.merchants);
}

TEST_F(SweepTest, HugeCjkRecordIsQuarantinedWithWholeCharacters) {
  // 400 KB of "中" in a title: longer than one read, so the chunker skips it.
  // The quarantine keeps a prefix of the raw line that is valid UTF-8: no
  // character cut in half (which JSON output would turn into U+FFFD).
  std::string big = "{\"item_id\":\"big\",\"merchant_id\":\"m\",\"title\":\"";
  while (big.size() < (400 << 10)) big += "中";
  big += "\"}";
  const InputFile in = Input("cjk.jsonl", big + "\n{\"item_id\":\"ok\",\"merchant_id\":\"m\"}\n");
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 2, 256));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->manifest.counts.records_read, 2u);
  EXPECT_EQ(r->manifest.counts.records_quarantined, 1u);
  const std::vector<std::string> q = Lines(Read("out").quarantine);
  ASSERT_EQ(q.size(), 1u);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(q[0]).get(doc), simdjson::SUCCESS);
  std::string_view raw;
  uint64_t line = 0, raw_bytes = 0;
  ASSERT_EQ(doc["raw"].get(raw), simdjson::SUCCESS);
  ASSERT_EQ(doc["line"].get(line), simdjson::SUCCESS);
  ASSERT_EQ(doc["raw_bytes"].get(raw_bytes), simdjson::SUCCESS);
  EXPECT_EQ(line, 1u);
  EXPECT_EQ(raw_bytes, big.size());
  EXPECT_EQ(raw.find("\xEF\xBF\xBD"), std::string_view::npos) << "a character was cut in half";
  EXPECT_TRUE(raw == std::string_view(big).substr(0, raw.size()))
      << "raw is not a prefix of the line";
}

TEST_F(SweepTest, ByteOrderMarkAndMissingFinalNewline) {
  const InputFile in =
      Input("bom.jsonl",
            "\xEF\xBB\xBF{\"item_id\":\"a\",\"merchant_id\":\"m\",\"title\":\"免费送\"}\n"
            "{\"item_id\":\"b\",\"merchant_id\":\"m\",\"title\":\"工厂倒闭\"}");
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 1));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->manifest.counts.records_read, 2u);
  EXPECT_EQ(r->manifest.counts.records_scanned, 2u);
  EXPECT_EQ(r->manifest.counts.violations, 2u);
  EXPECT_EQ(r->manifest.inputs[0].lines, 2u);
  const Outputs o = Read("out");
  EXPECT_EQ(o.quarantine, "");
  const std::vector<std::string> v = Lines(o.violations);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_THAT(v[0], HasSubstr("\"item_id\":\"a\""));
  EXPECT_THAT(v[0], HasSubstr("\"start\":0,\"end\":9,\"text\":\"免费送\""));
  EXPECT_THAT(v[1], HasSubstr("\"item_id\":\"b\""));
  EXPECT_THAT(v[1], HasSubstr("\"start\":0,\"end\":12,\"text\":\"工厂倒闭\""));
}

TEST_F(SweepTest, StandardInputIsNamedInTheQuarantine) {
  const std::string path = dir_.File("stdin.jsonl");
  ASSERT_TRUE(WriteFile(path, "{\"item_id\":\"a\"}\n{\"item_id\":\"b\",\"merchant_id\":\"m\"}\n"));
  const int saved = dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  const int fd = open(path.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, STDIN_FILENO), STDIN_FILENO);
  close(fd);
  InputFile in;
  in.path = "-";
  in.is_stdin = true;
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 1));
  dup2(saved, STDIN_FILENO);
  close(saved);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->manifest.counts.records_read, 2u);
  EXPECT_EQ(r->manifest.counts.records_quarantined, 1u);
  const Outputs o = Read("out");
  EXPECT_THAT(o.quarantine, ::testing::StartsWith("{\"file\":\"<stdin>\",\"line\":1,"));
}

TEST_F(SweepTest, SeveralInputsKeepTheirOrderAndLineNumbers) {
  const InputFile a = Input("a.jsonl", Block(0));
  const InputFile b = Input("b.jsonl.zst", Compress(Block(1)));
  StatusOr<SweepResult> r = RunSweep(Options({a, b}, "out", 2, 64));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Outputs o = Read("out");
  EXPECT_EQ(o.violations, BlockViolations(0) + BlockViolations(1));
  const std::vector<std::string> q = Lines(o.quarantine);
  ASSERT_EQ(q.size(), 4u);
  EXPECT_THAT(q[0], HasSubstr("\"file\":\"" + a.path + "\",\"line\":4,"));
  EXPECT_THAT(q[1], HasSubstr("\"file\":\"" + a.path + "\",\"line\":5,"));
  EXPECT_THAT(q[2], HasSubstr("\"file\":\"" + b.path + "\",\"line\":4,"));
  EXPECT_THAT(q[3], HasSubstr("\"file\":\"" + b.path + "\",\"line\":5,"));
  ASSERT_EQ(r->manifest.inputs.size(), 2u);
  EXPECT_EQ(r->manifest.inputs[0].lines, 10u);
  EXPECT_EQ(r->manifest.inputs[1].lines, 10u);
  EXPECT_FALSE(r->manifest.inputs[0].compressed);
  EXPECT_TRUE(r->manifest.inputs[1].compressed);
  EXPECT_EQ(r->manifest.counts.records_read, 18u);
}

TEST_F(SweepTest, CancelledBeforeTheRunWritesNothing) {
  const InputFile in = Input("catalog.jsonl", Catalog(3));
  ASSERT_TRUE(std::filesystem::create_directory(dir_.File("out")));
  ASSERT_TRUE(WriteFile(dir_.File("out/manifest.json"), "{\"previous\":true}\n"));
  std::atomic<bool> cancel{true};
  SweepOptions o = Options({in}, "out", 2);
  o.cancel = &cancel;
  StatusOr<SweepResult> r = RunSweep(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(ListDir(dir_.File("out")), std::vector<std::string>{"manifest.json"});
  EXPECT_EQ(ReadFile(dir_.File("out/manifest.json")), "{\"previous\":true}\n");
}

TEST_F(SweepTest, TruncatedZstdFailsAndKeepsThePreviousOutputs) {
  const std::string z = Compress(Catalog(200));
  const InputFile good = Input("good.jsonl", Block(0));
  const InputFile bad = Input("bad.jsonl.zst", z.substr(0, z.size() - 20));
  ASSERT_TRUE(std::filesystem::create_directory(dir_.File("out")));
  const std::vector<std::string> names = {"manifest.json", "merchants.jsonl", "quarantine.jsonl",
                                          "violations.jsonl"};
  for (const std::string& name : names) {
    ASSERT_TRUE(WriteFile(dir_.File("out/" + name), "previous " + name + "\n"));
  }
  StatusOr<SweepResult> r = RunSweep(Options({good, bad}, "out", 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr("truncated"));
  EXPECT_THAT(r.status().message(), HasSubstr(bad.path));
  EXPECT_EQ(ListDir(dir_.File("out")), names);
  for (const std::string& name : names) {
    EXPECT_EQ(ReadFile(dir_.File("out/" + name)), "previous " + name + "\n");
  }
}

TEST_F(SweepTest, MissingInputFailsWithInputError) {
  InputFile missing;
  missing.path = dir_.File("gone.jsonl");
  StatusOr<SweepResult> r = RunSweep(Options({missing}, "out", 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr(missing.path));
  EXPECT_FALSE(Exists(dir_.File("out/manifest.json")));
}

TEST_F(SweepTest, UnwritableOutputDirectoryFailsWithOutputError) {
  const InputFile in = Input("catalog.jsonl", Block(0));
  ASSERT_TRUE(WriteFile(dir_.File("a_file"), "x"));
  StatusOr<SweepResult> r = RunSweep(Options({in}, "a_file/out", 1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kOutput);
}

TEST_F(SweepTest, EmptyInputGivesEmptyOutputs) {
  const InputFile in = Input("empty.jsonl", "");
  StatusOr<SweepResult> r = RunSweep(Options({in}, "out", 2));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->manifest.counts.records_read, 0u);
  EXPECT_EQ(r->manifest.inputs.size(), 1u);
  const Outputs o = Read("out");
  EXPECT_EQ(o.violations, "");
  EXPECT_EQ(o.quarantine, "");
  EXPECT_EQ(o.merchants, "");
  EXPECT_NE(o.manifest, "");
}

}  // namespace
}  // namespace catscan
