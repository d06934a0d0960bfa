#include "scanner/rules/evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;
using ::testing::HasSubstr;

// Rule indices in the default pack (files in name order: ad_law.yaml's six
// rules come first).
enum DefaultRule : uint32_t {
  kAddWechat = 6,
  kQqNumber,
  kPhoneNumber,
  kSellOnlyMinutes,
  kZeroPriceGift,
  kNewUserGift,
  kLossSale,
  kInflatedOriginalPrice,
  kMultiPieceMinimum,
  kHighShippingText,
  kMinOrderQty,
  kHighShippingFee,
};

std::string Describe(const std::vector<RuleDiagnostic>& diags) {
  std::string out;
  for (const RuleDiagnostic& d : diags) out += "  " + d.ToString() + "\n";
  return out;
}

std::shared_ptr<const CompiledPack> CompilePack(const std::string& path) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(path, &diags);
  EXPECT_TRUE(pack.ok()) << pack.status().message() << "\n" << Describe(diags);
  if (!pack.ok()) return nullptr;
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags);
  EXPECT_TRUE(compiled.ok()) << compiled.status().message() << "\n" << Describe(diags);
  return compiled.ok() ? compiled.value() : nullptr;
}

// A violation reduced to comparable values.
struct V {
  uint32_t rule;
  bool is_text;
  TextField field;
  uint32_t start;
  uint32_t end;
  std::string text;  // matched text, or check values

  bool operator==(const V& o) const {
    return rule == o.rule && is_text == o.is_text && field == o.field && start == o.start &&
           end == o.end && text == o.text;
  }
  friend void PrintTo(const V& v, std::ostream* os) {
    *os << "{rule " << v.rule << (v.is_text ? " text " : " check ")
        << (v.field == TextField::kTitle ? "title" : "detail") << " [" << v.start << ", " << v.end
        << ") \"" << v.text << "\"}";
  }
};

V Title(uint32_t rule, uint32_t start, uint32_t end, std::string text) {
  return {rule, true, TextField::kTitle, start, end, std::move(text)};
}
V Detail(uint32_t rule, uint32_t start, uint32_t end, std::string text) {
  return {rule, true, TextField::kDetailHtml, start, end, std::move(text)};
}
V Check(uint32_t rule, std::string values) {
  return {rule, false, TextField::kTitle, 0, 0, std::move(values)};
}

class EvaluatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pack_ = CompilePack(CATSCAN_SOURCE_PACK_DIR);
    ASSERT_NE(pack_, nullptr);
    StatusOr<std::unique_ptr<Evaluator>> e = Evaluator::Create(pack_);
    ASSERT_TRUE(e.ok()) << e.status().message();
    evaluator_ = std::move(e.value());
  }

  std::vector<V> Run(const Record& record) {
    std::vector<Violation> out;
    const Status s = evaluator_->Evaluate(record, &out);
    EXPECT_TRUE(s.ok()) << s.message();
    std::vector<V> got;
    for (const Violation& v : out) {
      got.push_back({v.rule, v.is_text, v.is_text ? v.field : TextField::kTitle,
                     v.is_text ? v.start : 0, v.is_text ? v.end : 0,
                     v.is_text ? std::string(v.text) : v.check_values});
      if (v.is_text) {
        // The view points into the record's field text.
        const std::string_view field = record.text[static_cast<int>(v.field)];
        EXPECT_EQ(v.text.data(), field.data() + v.start);
      }
    }
    return got;
  }

  static Record MakeRecord(std::string_view title, std::string_view detail) {
    Record r;
    r.item_id = "i";
    r.merchant_id = "m";
    r.text[static_cast<int>(TextField::kTitle)] = title;
    r.text[static_cast<int>(TextField::kDetailHtml)] = detail;
    return r;
  }

  static void SetNumber(Record* r, NumberField f, double v) {
    r->number[static_cast<int>(f)] = v;
    r->number_present |= static_cast<uint8_t>(1u << static_cast<int>(f));
  }

  std::shared_ptr<const CompiledPack> pack_;
  std::unique_ptr<Evaluator> evaluator_;
};

TEST_F(EvaluatorTest, CompiledDefaultPack) {
  EXPECT_EQ(pack_->pack().rules.size(), 22u);
  EXPECT_EQ(pack_->pack().rules[kAddWechat].id, "private.add_wechat");
  EXPECT_EQ(pack_->pack().rules[kLossSale].id, "clearance.loss_sale");
  EXPECT_EQ(pack_->pack().rules[kHighShippingFee].id, "conditions.high_shipping_fee");
  // Patterns are numbered rule by rule, in pack order: each rule's evidence,
  // defined (condition) and exception patterns.
  std::vector<uint32_t> expected_rule_of_pattern;
  for (uint32_t r = 0; r < pack_->pack().rules.size(); ++r) {
    const Rule& rule = pack_->pack().rules[r];
    expected_rule_of_pattern.insert(
        expected_rule_of_pattern.end(),
        rule.patterns.size() + rule.defined.size() + rule.exceptions.size(), r);
  }
  ASSERT_EQ(pack_->pattern_count(), expected_rule_of_pattern.size());
  EXPECT_EQ(pack_->patterns().size(), expected_rule_of_pattern.size());
  for (uint32_t p = 0; p < pack_->pattern_count(); ++p) {
    EXPECT_EQ(pack_->RuleOfPattern(p), expected_rule_of_pattern[p]) << "pattern " << p;
  }
  // Rules with only a check add no pattern.
  EXPECT_TRUE(pack_->pack().rules[kInflatedOriginalPrice].patterns.empty());
  EXPECT_TRUE(pack_->pack().rules[kMinOrderQty].patterns.empty());
  EXPECT_TRUE(pack_->pack().rules[kHighShippingFee].patterns.empty());
}

TEST_F(EvaluatorTest, TitleDetailAndChecksInOrder) {
  // "今晚" is 6 bytes; "只卖30分钟" 14; " " 1; "加微信" 9. "<p>" is 3.
  Record r = MakeRecord("今晚只卖30分钟 加微信", "<p>亏本甩卖</p>");
  SetNumber(&r, NumberField::kOriginalPrice, 199);
  SetNumber(&r, NumberField::kPrice, 9.9);
  EXPECT_THAT(Run(r), ::testing::ElementsAre(
                          Title(kSellOnlyMinutes, 6, 20, "只卖30分钟"),
                          Title(kAddWechat, 21, 30, "加微信"), Detail(kLossSale, 3, 15, "亏本甩卖"),
                          Check(kInflatedOriginalPrice, "original_price=199 price=9.9")));
}

TEST_F(EvaluatorTest, DetailHitsComeAfterTitleHitsEvenWhenEarlier) {
  const Record r = MakeRecord("xxxxxxxxxx免费送", "免费送");
  EXPECT_THAT(Run(r), ::testing::ElementsAre(Title(kZeroPriceGift, 10, 19, "免费送"),
                                             Detail(kZeroPriceGift, 0, 9, "免费送")));
}

TEST_F(EvaluatorTest, ChecksComeInRuleOrder) {
  Record r = MakeRecord("", "");
  SetNumber(&r, NumberField::kOriginalPrice, 1000);
  SetNumber(&r, NumberField::kPrice, 10);
  SetNumber(&r, NumberField::kMinOrderQty, 5);
  SetNumber(&r, NumberField::kShippingFee, 25);
  EXPECT_THAT(Run(r),
              ::testing::ElementsAre(Check(kInflatedOriginalPrice, "original_price=1000 price=10"),
                                     Check(kMinOrderQty, "min_order_qty=5"),
                                     Check(kHighShippingFee, "shipping_fee=25 price=10")));
}

TEST_F(EvaluatorTest, CleanRecordHasNoViolationsAndClearsTheOutput) {
  Record r = MakeRecord("新款连衣裙 包邮", "<p>纯棉面料，七天无理由退换</p>");
  SetNumber(&r, NumberField::kOriginalPrice, 199);
  SetNumber(&r, NumberField::kPrice, 99);
  SetNumber(&r, NumberField::kMinOrderQty, 1);
  SetNumber(&r, NumberField::kShippingFee, 0);
  std::vector<Violation> out(3);
  ASSERT_TRUE(evaluator_->Evaluate(r, &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(EvaluatorTest, OverlappingPatternsOfOneRuleMergeIntoOneViolation) {
  // '亏本\s*(甩卖|清仓|...)' hits "亏本清仓" [0, 12); the literal "清仓甩卖" hits [6, 18).
  EXPECT_THAT(Run(MakeRecord("亏本清仓甩卖", "")),
              ::testing::ElementsAre(Title(kLossSale, 0, 18, "亏本清仓甩卖")));
  // "加vx" (pattern 1) overlaps "vx：shop_888" (pattern 2); "：" is 3 bytes.
  EXPECT_THAT(Run(MakeRecord("", "加vx：shop_888")),
              ::testing::ElementsAre(Detail(kAddWechat, 0, 16, "加vx：shop_888")));
}

TEST_F(EvaluatorTest, SeparateHitsOfOneRuleStaySeparate) {
  EXPECT_THAT(Run(MakeRecord("0米送 还有免费送", "")),
              ::testing::ElementsAre(Title(kZeroPriceGift, 0, 7, "0米送"),
                                     Title(kZeroPriceGift, 14, 23, "免费送")));
}

TEST_F(EvaluatorTest, HitsOfDifferentRulesAtTheSamePlace) {
  // "QQ:12345678901" hits the QQ rule; "12345678901"... is not a phone (no 1[3-9]).
  // "13812345678" is both a QQ number (after "qq") and a phone number.
  EXPECT_THAT(Run(MakeRecord("qq 13812345678", "")),
              ::testing::ElementsAre(Title(kQqNumber, 0, 14, "qq 13812345678"),
                                     Title(kPhoneNumber, 3, 14, "13812345678")));
}

TEST_F(EvaluatorTest, CaselessRuleMatchesUppercase) {
  EXPECT_THAT(Run(MakeRecord("VX:abc12345", "")),
              ::testing::ElementsAre(Title(kAddWechat, 0, 11, "VX:abc12345")));
}

TEST_F(EvaluatorTest, RuleMatchesTextFollowsTheExamples) {
  // Every rule's must_match examples fire it, its must_not_match ones don't.
  const RulePack& pack = pack_->pack();
  for (uint32_t i = 0; i < pack.rules.size(); ++i) {
    const Rule& rule = pack.rules[i];
    for (const RuleExample& ex : rule.must_match) {
      StatusOr<bool> m = evaluator_->RuleMatchesExample(i, ex);
      ASSERT_TRUE(m.ok()) << m.status().message();
      EXPECT_TRUE(m.value()) << rule.id << " should match " << ex.Describe();
    }
    for (const RuleExample& ex : rule.must_not_match) {
      StatusOr<bool> m = evaluator_->RuleMatchesExample(i, ex);
      ASSERT_TRUE(m.ok()) << m.status().message();
      EXPECT_FALSE(m.value()) << rule.id << " should not match " << ex.Describe();
    }
  }
}

TEST_F(EvaluatorTest, RuleMatchesTextIsPerRule) {
  StatusOr<bool> m = evaluator_->RuleMatchesText(kZeroPriceGift, "免费送");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m.value());
  m = evaluator_->RuleMatchesText(kAddWechat, "免费送");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m.value());
  m = evaluator_->RuleMatchesText(kInflatedOriginalPrice, "免费送");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m.value());
  m = evaluator_->RuleMatchesText(kZeroPriceGift, "");
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m.value());
}

TEST(EvaluatorScopeTest, FieldScopeIsRespected) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("scoped.yaml"),
                        "rules:\n"
                        "  - {id: t.only, category: c, clause: '1', severity: minor, fields: "
                        "[title], patterns: [{literal: 标题词}]}\n"
                        "  - {id: d.only, category: c, clause: '1', severity: minor, fields: "
                        "[detail], patterns: [{literal: 详情词}]}\n"));
  std::shared_ptr<const CompiledPack> pack = CompilePack(dir.path());
  ASSERT_NE(pack, nullptr);
  StatusOr<std::unique_ptr<Evaluator>> e = Evaluator::Create(pack);
  ASSERT_TRUE(e.ok());
  Record r;
  r.item_id = "i";
  r.merchant_id = "m";
  r.text[0] = "详情词 标题词";
  r.text[1] = "标题词 详情词";
  std::vector<Violation> out;
  ASSERT_TRUE(e.value()->Evaluate(r, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rule, 0u);
  EXPECT_EQ(out[0].field, TextField::kTitle);
  EXPECT_EQ(out[0].start, 10u);
  EXPECT_EQ(out[0].end, 19u);
  EXPECT_EQ(out[1].rule, 1u);
  EXPECT_EQ(out[1].field, TextField::kDetailHtml);
  EXPECT_EQ(out[1].start, 10u);
  EXPECT_EQ(out[1].end, 19u);
}

TEST(EvaluatorCompileTest, BadRegexNamesRuleFileAndLine) {
  TempDir dir;
  const std::string file = dir.File("broken.yaml");
  ASSERT_TRUE(WriteFile(file,
                        "rules:\n"                  // 1
                        "  - id: ok.rule\n"         // 2
                        "    category: c\n"         // 3
                        "    clause: '1'\n"         // 4
                        "    severity: minor\n"     // 5
                        "    patterns: ['fine']\n"  // 6
                        "  - id: broken.rule\n"     // 7
                        "    category: c\n"         // 8
                        "    clause: '1'\n"         // 9
                        "    severity: minor\n"     // 10
                        "    patterns:\n"           // 11
                        "      - 'also fine'\n"     // 12
                        "      - '(unclosed'\n"     // 13
                        "      - 'a{2,1}'\n"));     // 14
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_TRUE(pack.ok()) << Describe(diags);  // the YAML is fine
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags);
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), StatusCode::kRules);
  ASSERT_EQ(diags.size(), 2u) << Describe(diags);
  EXPECT_EQ(diags[0].file, file);
  EXPECT_EQ(diags[0].line, 13);
  EXPECT_EQ(diags[0].rule_id, "broken.rule");
  EXPECT_THAT(diags[0].message, HasSubstr("(unclosed"));
  EXPECT_FALSE(diags[0].warning);
  EXPECT_EQ(diags[1].line, 14);
  EXPECT_EQ(diags[1].rule_id, "broken.rule");
  EXPECT_THAT(diags[1].message, HasSubstr("a{2,1}"));
  EXPECT_THAT(diags[1].ToString(), HasSubstr("broken.yaml:14: rule broken.rule: error:"));
}

TEST(EvaluatorCompileTest, CheckOnlyPackCompiles) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(
      dir.File("checks.yaml"),
      "rules:\n"
      "  - {id: c.cheap, category: c, clause: '1', severity: minor, check: 'price < 1'}\n"));
  std::shared_ptr<const CompiledPack> pack = CompilePack(dir.path());
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->pattern_count(), 0u);
  StatusOr<std::unique_ptr<Evaluator>> e = Evaluator::Create(pack);
  ASSERT_TRUE(e.ok()) << e.status().message();
  Record r;
  r.item_id = "i";
  r.merchant_id = "m";
  r.text[0] = "anything";
  r.number[0] = 0.5;
  r.number_present = 1;
  std::vector<Violation> out;
  ASSERT_TRUE(e.value()->Evaluate(r, &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].is_text);
  EXPECT_EQ(out[0].check_values, "price=0.5");
}

// Evasive spellings match through the normalized view; evidence is the
// original spelling, with the normalized one beside it.
TEST_F(EvaluatorTest, EvasiveSpellingsMatchWithOriginalOffsets) {
  const std::string title = "今晚只賣３０分鐘";          // traditional + full-width
  const std::string detail = "<p>下单 免<b>费</b>送 一份</p>";  // a tag inside the word
  const Record r = MakeRecord(title, detail);
  std::vector<Violation> out;
  ASSERT_TRUE(evaluator_->Evaluate(r, &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rule, kSellOnlyMinutes);
  EXPECT_EQ(out[0].field, TextField::kTitle);
  EXPECT_EQ(out[0].text, title.substr(6));  // "只賣３０分鐘" as written
  EXPECT_EQ(out[0].start, 6u);
  EXPECT_EQ(out[0].end, title.size());
  EXPECT_EQ(out[0].normalized, "只卖30分钟");
  EXPECT_EQ(out[1].rule, kZeroPriceGift);
  EXPECT_EQ(out[1].field, TextField::kDetailHtml);
  EXPECT_EQ(out[1].text, "免<b>费</b>送");
  EXPECT_EQ(out[1].start, detail.find("免"));
  EXPECT_EQ(out[1].normalized, "免费送");
}

TEST_F(EvaluatorTest, FinancialNumeralsReadAsNumerals) {
  std::vector<Violation> out;
  ASSERT_TRUE(evaluator_->Evaluate(MakeRecord("今晚只卖叁拾分钟", "〇元领"), &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].rule, kSellOnlyMinutes);
  EXPECT_EQ(out[0].text, "只卖叁拾分钟");
  EXPECT_EQ(out[0].normalized, "只卖三十分钟");
  EXPECT_EQ(out[1].rule, kZeroPriceGift);
  EXPECT_EQ(out[1].text, "〇元领");
  EXPECT_EQ(out[1].normalized, "零元领");
}

TEST_F(EvaluatorTest, PlainHitsCarryNoNormalizedText) {
  std::vector<Violation> out;
  ASSERT_TRUE(evaluator_->Evaluate(MakeRecord("免费送", ""), &out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].text, "免费送");
  EXPECT_EQ(out[0].normalized, "");
}

TEST_F(EvaluatorTest, NormalizationCreatesNoHitAcrossParagraphsOrSentences) {
  std::vector<Violation> out;
  ASSERT_TRUE(evaluator_->Evaluate(MakeRecord("全场包邮。加购物车", "<p>加</p><p>微信支付</p>"), &out).ok());
  EXPECT_TRUE(out.empty());
}

TEST_F(EvaluatorTest, WithoutNormalizationEvasionsPass) {
  StatusOr<std::unique_ptr<Evaluator>> raw = Evaluator::Create(pack_, /*normalize=*/false);
  ASSERT_TRUE(raw.ok());
  std::vector<Violation> out;
  ASSERT_TRUE(raw.value()->Evaluate(MakeRecord("只賣３０分鐘", "免<b>费</b>送"), &out).ok());
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(raw.value()->Evaluate(MakeRecord("只卖30分钟", ""), &out).ok());
  ASSERT_EQ(out.size(), 1u);
}

// view: raw sees only the text as written; view: both sees either, and a hit
// found in both views is reported once.
TEST(EvaluatorViewTest, RawNormalizedAndBothViews) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("views.yaml"),
                        "rules:\n"
                        "  - {id: v.raw, category: c, clause: x, severity: minor, view: raw,\n"
                        "     patterns: [{literal: \"清仓\"}]}\n"
                        "  - {id: v.norm, category: c, clause: x, severity: minor,\n"
                        "     patterns: [{literal: \"清仓\"}]}\n"
                        "  - {id: v.both, category: c, clause: x, severity: minor, view: both,\n"
                        "     patterns: [{literal: \"清仓\"}]}\n"));
  std::shared_ptr<const CompiledPack> pack = CompilePack(dir.path());
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->pack().rules[0].view, TextView::kRaw);
  EXPECT_EQ(pack->pack().rules[1].view, TextView::kNormalized);
  EXPECT_EQ(pack->pack().rules[2].view, TextView::kBoth);
  std::unique_ptr<Evaluator> e = std::move(Evaluator::Create(pack).value());
  const auto rules_hit = [&](std::string_view title) {
    Record r;
    r.item_id = "i";
    r.merchant_id = "m";
    r.text[0] = title;
    std::vector<Violation> out;
    EXPECT_TRUE(e->Evaluate(r, &out).ok());
    std::vector<std::string> ids;
    for (const Violation& v : out) ids.push_back(pack->pack().rules[v.rule].id);
    return ids;
  };
  // Plain text: the same text in both views; each rule once.
  EXPECT_EQ(rules_hit("清仓"), (std::vector<std::string>{"v.raw", "v.norm", "v.both"}));
  // Traditional spelling: only the normalized view sees it.
  EXPECT_EQ(rules_hit("清倉"), (std::vector<std::string>{"v.norm", "v.both"}));
  // A field that normalization changes, with the plain word in it: both views
  // see it, and v.both reports it once.
  EXPECT_EQ(rules_hit("ＡＢ清仓"), (std::vector<std::string>{"v.raw", "v.norm", "v.both"}));
}

TEST(EvaluatorViewTest, UnknownViewIsAnError) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("bad.yaml"),
                        "rules:\n"
                        "  - {id: v.bad, category: c, clause: x, severity: minor, view: cooked,\n"
                        "     patterns: [a]}\n"));
  std::vector<RuleDiagnostic> diags;
  EXPECT_FALSE(LoadRulePack(dir.path(), &diags).ok());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].rule_id, "v.bad");
  EXPECT_THAT(diags[0].message, HasSubstr("view"));
}

}  // namespace
}  // namespace catscan
