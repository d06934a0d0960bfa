#include "scanner/report/sweep_outputs.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace catscan {
namespace {

// A two-rule pack built by hand: one text rule, one field check.
RulePack TwoRulePack() {
  RulePack pack;
  pack.name = "tiny";
  pack.version = 2;
  pack.hash = std::string(64, 'a');
  pack.path = "/packs/tiny";
  Rule text;
  text.id = "freebie.zero_price_gift";
  text.category = "fake_freebie";
  text.clause = "3.2";
  text.severity = Severity::kGeneral;
  Rule check;
  check.id = "clearance.inflated_original_price";
  check.category = "fake_clearance";
  check.clause = "3.3";
  check.severity = Severity::kSerious;
  check.check = FieldCheck::Parse("original_price >= 10 * price and price > 0").value();
  pack.rules = {text, check};
  return pack;
}

TEST(SweepOutputsTest, TextViolationLine) {
  const RulePack pack = TwoRulePack();
  Record r;
  r.item_id = "i\"1";
  r.merchant_id = "m1";
  r.text[0] = "今天0米送";
  Violation v;
  v.rule = 0;
  v.field = TextField::kTitle;
  v.start = 6;
  v.end = 13;
  v.text = r.text[0].substr(6, 7);
  std::string out;
  AppendViolationLine(&out, pack, r, v);
  EXPECT_EQ(
      out,
      "{\"item_id\":\"i\\\"1\",\"merchant_id\":\"m1\",\"rule_id\":\"freebie.zero_price_gift\","
      "\"category\":\"fake_freebie\",\"clause\":\"3.2\",\"severity\":\"general\","
      "\"field\":\"title\",\"start\":6,\"end\":13,\"text\":\"0米送\","
      "\"before\":\"今天\",\"after\":\"\"}\n");
}

TEST(SweepOutputsTest, ContextIsCutAtCharacterBoundaries) {
  const RulePack pack = TwoRulePack();
  Record r;
  r.item_id = "i";
  r.merchant_id = "m";
  // 22 characters before the hit (a 2-byte é among them), 21 after.
  const std::string head = "ab\xC3\xA9" + std::string(19, 'x');
  const std::string tail = std::string(20, 'y') + "\xE9\x80\x81";
  const std::string title = head + "0米送" + tail;
  r.text[0] = title;
  Violation v;
  v.field = TextField::kTitle;
  v.start = static_cast<uint32_t>(head.size());
  v.end = v.start + 7;
  v.text = r.text[0].substr(v.start, 7);
  std::string out;
  AppendViolationLine(&out, pack, r, v);
  // The last 20 characters before: "é" (whole) and 19 x; "a" and "b" are cut.
  EXPECT_NE(out.find("\"before\":\"\xC3\xA9" + std::string(19, 'x') + "\""), std::string::npos)
      << out;
  EXPECT_NE(out.find("\"after\":\"" + std::string(20, 'y') + "\""), std::string::npos) << out;
}

TEST(SweepOutputsTest, CheckViolationLine) {
  const RulePack pack = TwoRulePack();
  Record r;
  r.item_id = "i2";
  r.merchant_id = "m2";
  Violation v;
  v.rule = 1;
  v.is_text = false;
  v.check_values = "original_price=199 price=9.9";
  std::string out = "previous\n";
  AppendViolationLine(&out, pack, r, v);
  EXPECT_EQ(out,
            "previous\n"
            "{\"item_id\":\"i2\",\"merchant_id\":\"m2\",\"rule_id\":\"clearance.inflated_original_"
            "price\","
            "\"category\":\"fake_clearance\",\"clause\":\"3.3\",\"severity\":\"serious\","
            "\"field\":\"original_price\",\"start\":null,\"end\":null,"
            "\"text\":\"original_price=199 price=9.9\","
            "\"check\":\"original_price >= 10 * price and price > 0\"}\n");
}

TEST(SweepOutputsTest, QuarantineLine) {
  std::string out;
  AppendQuarantineLine(&out, "data/a.jsonl", 17, "missing required field merchant_id",
                       "{\"item_id\":\"x\"}", 15);
  EXPECT_EQ(
      out,
      "{\"file\":\"data/a.jsonl\",\"line\":17,\"reason\":\"missing required field merchant_id\","
      "\"raw\":\"{\\\"item_id\\\":\\\"x\\\"}\",\"raw_bytes\":15,\"raw_truncated\":false}\n");
}

TEST(SweepOutputsTest, QuarantineLineTruncatesAtACharacterBoundary) {
  // 4095 ASCII bytes and then a 3-byte character straddling the 4096 limit.
  const std::string raw = std::string(4095, 'a') + "中" + std::string(10, 'b');
  std::string out;
  AppendQuarantineLine(&out, "f", 1, "why", raw, raw.size());
  EXPECT_EQ(out, "{\"file\":\"f\",\"line\":1,\"reason\":\"why\",\"raw\":\"" +
                     std::string(4095, 'a') + "\",\"raw_bytes\":4108,\"raw_truncated\":true}\n");
}

TEST(SweepOutputsTest, QuarantineLineOfAPrefixIsTruncated) {
  // The chunker keeps only a prefix of an oversize line: raw_bytes is larger.
  std::string out;
  AppendQuarantineLine(&out, "f", 9, "too big", "{\"item_id\":", 5000000);
  EXPECT_EQ(out,
            "{\"file\":\"f\",\"line\":9,\"reason\":\"too big\",\"raw\":\"{\\\"item_id\\\":\","
            "\"raw_bytes\":5000000,\"raw_truncated\":true}\n");
}

TEST(SweepOutputsTest, QuarantineLineWithInvalidUtf8StaysValidJson) {
  std::string out;
  AppendQuarantineLine(&out, "f", 2, "not JSON", "\xFF{", 2);
  EXPECT_EQ(out,
            "{\"file\":\"f\",\"line\":2,\"reason\":\"not JSON\",\"raw\":\"\xEF\xBF\xBD{\","
            "\"raw_bytes\":2,\"raw_truncated\":false}\n");
}

TEST(SweepOutputsTest, MerchantLine) {
  RulePack pack = TwoRulePack();
  Rule third = pack.rules[0];
  third.id = "a.first_by_id";
  third.category = "fake_freebie";
  pack.rules.push_back(third);
  MerchantCounts c;
  c.items_scanned = 10;
  c.items_violating = 3;
  c.violations = 6;
  c.by_rule = {{0, 2}, {1, 3}, {2, 1}};
  std::string out;
  AppendMerchantLine(&out, pack, "商户7", c);
  EXPECT_EQ(
      out,
      "{\"merchant_id\":\"商户7\",\"items_scanned\":10,\"items_violating\":3,\"violations\":6,"
      "\"by_category\":{\"fake_clearance\":3,\"fake_freebie\":3},"
      "\"by_rule\":{\"a.first_by_id\":1,\"clearance.inflated_original_price\":3,"
      "\"freebie.zero_price_gift\":2}}\n");
}

TEST(SweepOutputsTest, IsoTimeUtc) {
  EXPECT_EQ(IsoTimeUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(IsoTimeUtc(1795406159.75), "2026-11-23T03:55:59Z");
}

TEST(SweepOutputsTest, ManifestIsOneValidJsonLine) {
  const RulePack pack = TwoRulePack();
  ManifestInfo m;
  m.tool_version = "0.1.0";
  m.started_at = "2026-11-23T03:55:59Z";
  m.finished_at = "2026-11-23T03:56:01Z";
  m.inputs = {{"a.jsonl.zst", 100, 1000, true, 12}, {"-", 5, 5, false, 1}};
  m.pack = &pack;
  m.pattern_count = 4;
  m.threads = 2;
  m.max_record_bytes = 1 << 20;
  m.counts.records_read = 13;
  m.counts.records_quarantined = 1;
  m.counts.AddScanned({});
  Violation v;
  v.rule = 1;
  m.counts.AddScanned({v, v});
  m.merchants_scanned = 2;
  m.merchants_violating = 1;
  const std::string json = ManifestJson(m);
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json.back(), '\n');
  EXPECT_EQ(json.find('\n'), json.size() - 1);

  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  std::string_view s;
  uint64_t u = 0;
  int64_t i = 0;
  bool b = false;
  ASSERT_EQ(doc["tool"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "catscan");
  ASSERT_EQ(doc["tool_version"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "0.1.0");
  ASSERT_EQ(doc["inputs"].at(0)["path"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "a.jsonl.zst");
  ASSERT_EQ(doc["inputs"].at(0)["compressed"].get(b), simdjson::SUCCESS);
  EXPECT_TRUE(b);
  ASSERT_EQ(doc["inputs"].at(0)["decompressed_bytes"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 1000u);
  ASSERT_EQ(doc["inputs"].at(1)["lines"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 1u);
  ASSERT_EQ(doc["rule_pack"]["id"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "tiny@2");
  ASSERT_EQ(doc["rule_pack"]["hash"].get(s), simdjson::SUCCESS);
  EXPECT_EQ(s, "sha256:" + std::string(64, 'a'));
  ASSERT_EQ(doc["rule_pack"]["rules"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 2u);
  ASSERT_EQ(doc["rule_pack"]["patterns"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 4u);
  ASSERT_EQ(doc["threads"].get(i), simdjson::SUCCESS);
  EXPECT_EQ(i, 2);
  ASSERT_EQ(doc["records_read"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 13u);
  ASSERT_EQ(doc["records_scanned"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 2u);
  ASSERT_EQ(doc["records_violating"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 1u);
  ASSERT_EQ(doc["violations"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 2u);
  ASSERT_EQ(doc["merchants_violating"].get(u), simdjson::SUCCESS);
  EXPECT_EQ(u, 1u);
  ASSERT_EQ(doc["violations_by_rule"]["clearance.inflated_original_price"].get(u),
            simdjson::SUCCESS);
  EXPECT_EQ(u, 2u);
}

}  // namespace
}  // namespace catscan
