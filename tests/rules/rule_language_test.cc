// The rule language's features end to end through LoadRulePack, Compile and
// Evaluator: word lists, exceptions, conditions, text prices and record
// examples. Each test writes a small pack into a temp directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Describe(const std::vector<RuleDiagnostic>& diags) {
  std::string out;
  for (const RuleDiagnostic& d : diags) out += "  " + d.ToString() + "\n";
  return out;
}

const RuleDiagnostic* FindDiag(const std::vector<RuleDiagnostic>& diags, const std::string& file_end,
                               const std::string& says) {
  for (const RuleDiagnostic& d : diags) {
    if (d.file.size() >= file_end.size() &&
        d.file.compare(d.file.size() - file_end.size(), file_end.size(), file_end) == 0 &&
        d.message.find(says) != std::string::npos) {
      return &d;
    }
  }
  return nullptr;
}

// A violation as (rule id, field, start, end, text) or (rule id, "check", values).
std::string Show(const RulePack& pack, const Record& r, const Violation& v) {
  const std::string id = pack.rules[v.rule].id;
  if (!v.is_text) return id + " check " + v.check_values;
  return id + " " + TextFieldName(v.field) + " [" + std::to_string(v.start) + "," +
         std::to_string(v.end) + ") " + std::string(v.text);
  (void)r;
}

class RuleLanguageTest : public ::testing::Test {
 protected:
  // Loads and compiles the pack in dir_; fails the test on any error.
  bool Load() {
    diags_.clear();
    StatusOr<RulePack> pack = LoadRulePack(dir_.path(), &diags_);
    if (!pack.ok()) {
      ADD_FAILURE() << pack.status().message() << "\n" << Describe(diags_);
      return false;
    }
    StatusOr<std::shared_ptr<const CompiledPack>> compiled =
        CompiledPack::Compile(std::move(pack.value()), &diags_);
    if (!compiled.ok()) {
      ADD_FAILURE() << compiled.status().message() << "\n" << Describe(diags_);
      return false;
    }
    pack_ = compiled.value();
    StatusOr<std::unique_ptr<Evaluator>> e = Evaluator::Create(pack_);
    if (!e.ok()) return false;
    eval_ = std::move(e.value());
    return true;
  }

  // Loads the pack in dir_ expecting it to be refused.
  void LoadFails() {
    diags_.clear();
    StatusOr<RulePack> pack = LoadRulePack(dir_.path(), &diags_);
    if (pack.ok()) {
      StatusOr<std::shared_ptr<const CompiledPack>> compiled =
          CompiledPack::Compile(std::move(pack.value()), &diags_);
      EXPECT_FALSE(compiled.ok()) << "the pack should be refused";
    }
  }

  std::vector<std::string> Run(std::string_view title, std::string_view detail = "",
                               std::vector<std::pair<NumberField, double>> numbers = {}) {
    Record r;
    r.item_id = "i";
    r.merchant_id = "m";
    r.text[0] = title;
    r.text[1] = detail;
    for (auto [f, v] : numbers) {
      r.number[static_cast<int>(f)] = v;
      r.number_present |= static_cast<uint8_t>(1u << static_cast<int>(f));
    }
    std::vector<Violation> out;
    EXPECT_TRUE(eval_->Evaluate(r, &out).ok());
    std::vector<std::string> shown;
    for (const Violation& v : out) shown.push_back(Show(pack_->pack(), r, v));
    return shown;
  }

  TempDir dir_;
  std::vector<RuleDiagnostic> diags_;
  std::shared_ptr<const CompiledPack> pack_;
  std::unique_ptr<Evaluator> eval_;
};

// ---------------------------------------------------------------------------
// Word lists

TEST_F(RuleLanguageTest, WordListTermsAreLiteralsOfOneRule) {
  ASSERT_TRUE(WriteFile(dir_.File("words/absolute.txt"),
                        "# 最- family\n\n最高级\n  最低价  \n国家级\n(a+b)\n"));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: adlaw.superlative\n"
                        "    category: ad_law\n"
                        "    clause: ad-law\n"
                        "    severity: general\n"
                        "    words: words/absolute.txt\n"));
  ASSERT_TRUE(Load());
  const Rule& rule = pack_->pack().rules.at(0);
  ASSERT_EQ(rule.patterns.size(), 4u);
  EXPECT_EQ(rule.patterns[0].literal, "最高级");
  EXPECT_EQ(rule.patterns[0].line, 3);  // comment and blank line skipped
  EXPECT_THAT(rule.patterns[0].file, HasSubstr("words/absolute.txt"));
  EXPECT_EQ(rule.patterns[1].literal, "最低价");  // trimmed
  EXPECT_EQ(rule.patterns[1].line, 4);
  EXPECT_EQ(pack_->pattern_count(), 4u);
  // "(a+b)" is a literal, not a regex.
  EXPECT_THAT(Run("全网最低价 (a+b) ab"),
              ElementsAre("adlaw.superlative title [6,15) 最低价",
                          "adlaw.superlative title [16,21) (a+b)"));
  EXPECT_TRUE(Run("aab").empty());
}

TEST_F(RuleLanguageTest, WordListTermsAreNormalizedForANormalizedViewRule) {
  // Written full-width and upper case; the normalized text reads "vx" and "no1".
  ASSERT_TRUE(WriteFile(dir_.File("contact.txt"), "ＶＸ号\nNO1\n"));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - {id: n, category: c, clause: x, severity: minor, words: contact.txt}\n"
                        "  - {id: r, category: c, clause: x, severity: minor, view: raw,\n"
                        "     words: [contact.txt]}\n"
                        "  - {id: b, category: c, clause: x, severity: minor, view: both,\n"
                        "     words: contact.txt}\n"));
  ASSERT_TRUE(Load());
  const std::vector<Rule>& rules = pack_->pack().rules;
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].patterns.at(0).literal, "vx号");
  EXPECT_EQ(rules[0].patterns.at(1).literal, "no1");
  EXPECT_EQ(rules[1].patterns.at(0).literal, "ＶＸ号");
  ASSERT_EQ(rules[2].patterns.size(), 4u);  // both spellings of both terms
  // Any spelling reaches the normalized-view rule; the raw one needs the
  // list's own spelling.
  EXPECT_THAT(Run("加VX号"), ElementsAre("n title [3,8) VX号", "b title [3,8) VX号"));
  EXPECT_THAT(Run("加ＶＸ号"),
              ElementsAre("n title [3,12) ＶＸ号", "r title [3,12) ＶＸ号", "b title [3,12) ＶＸ号"));
}

TEST_F(RuleLanguageTest, CaselessWordsAndListsInPatternEntries) {
  ASSERT_TRUE(WriteFile(dir_.File("a.txt"), "Top\n"));
  ASSERT_TRUE(WriteFile(dir_.File("b.txt"), "Best\n"));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: raw_words\n    category: c\n    clause: x\n    severity: minor\n"
                        "    view: raw\n"
                        "    words: a.txt\n"
                        "    words_caseless: true\n"
                        "    patterns:\n"
                        "      - {words: b.txt}\n"));
  ASSERT_TRUE(Load());
  EXPECT_THAT(Run("TOP best BEST Best"),
              ElementsAre("raw_words title [0,3) TOP", "raw_words title [14,18) Best"));
}

TEST_F(RuleLanguageTest, BadWordListLinesAreErrorsNamingTheListAndLine) {
  std::string list = "好词\n";
  list += "坏\x01词\n";           // line 2: a control character
  list += "\xff\xfe\n";            // line 3: not UTF-8
  list += "私\xee\x80\x80用\n";    // line 4: U+E000, private use
  list += "好词\n";                // line 5: a duplicate (a warning)
  list += "\xe2\x80\x8b\n";        // line 6: only a zero-width space: nothing once normalized
  ASSERT_TRUE(WriteFile(dir_.File("bad.txt"), list));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - {id: w, category: c, clause: x, severity: minor, words: bad.txt}\n"
                        "  - {id: missing, category: c, clause: x, severity: minor,\n"
                        "     words: nowhere.txt}\n"));
  LoadFails();
  const RuleDiagnostic* d = FindDiag(diags_, "bad.txt", "control character U+0001");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 2);
  EXPECT_EQ(d->rule_id, "w");
  EXPECT_FALSE(d->warning);
  d = FindDiag(diags_, "bad.txt", "not valid UTF-8");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 3);
  d = FindDiag(diags_, "bad.txt", "private-use character U+E000");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 4);
  d = FindDiag(diags_, "bad.txt", "duplicate term \"好词\", first at line 1");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 5);
  EXPECT_TRUE(d->warning);
  d = FindDiag(diags_, "bad.txt", "empty once normalized");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 6);
  d = FindDiag(diags_, "r.yaml", "cannot read word list");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 4);
  EXPECT_EQ(d->rule_id, "missing");
}

TEST_F(RuleLanguageTest, WordListsAreInThePackHash) {
  ASSERT_TRUE(WriteFile(dir_.File("words/a.txt"), "甲\n"));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - {id: w, category: c, clause: x, severity: minor, words: words/a.txt}\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> a = LoadRulePack(dir_.path(), &diags);
  ASSERT_TRUE(a.ok()) << Describe(diags);
  ASSERT_TRUE(WriteFile(dir_.File("words/a.txt"), "乙\n"));
  StatusOr<RulePack> b = LoadRulePack(dir_.path(), &diags);
  ASSERT_TRUE(b.ok()) << Describe(diags);
  EXPECT_NE(a->hash, b->hash);
}

TEST_F(RuleLanguageTest, ThousandsOfWordsCompileAsOneRule) {
  std::string list;
  for (int i = 0; i < 5000; ++i) list += "词" + std::to_string(i) + "号\n";
  ASSERT_TRUE(WriteFile(dir_.File("many.txt"), list));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - {id: many, category: c, clause: x, severity: minor, words: many.txt}\n"));
  ASSERT_TRUE(Load());
  EXPECT_EQ(pack_->pack().rules.size(), 1u);
  EXPECT_EQ(pack_->pattern_count(), 5000u);
  EXPECT_THAT(Run("买词4999号"), ElementsAre("many title [3,13) 词4999号"));
}

// ---------------------------------------------------------------------------
// Exceptions

TEST_F(RuleLanguageTest, AnExceptionCoveringTheHitCancelsIt) {
  ASSERT_TRUE(WriteFile(dir_.File("ok.txt"), "最新款\n"));
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: most\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['最(新|低|高)']\n"
                        "    exceptions:\n"
                        "      - {words: ok.txt}\n"
                        "      - {literal: 最高法}\n"
                        "      - '新最低'\n"
                        "      - {literal: 低价}\n"));
  ASSERT_TRUE(Load());
  EXPECT_TRUE(Run("2024最新款连衣裙").empty());
  EXPECT_TRUE(Run("最高法判例").empty());
  // The exception must cover the hit: "新最低" starts before "最低" and ends
  // with it, so it covers it; "最新" in "最新的" is not covered by "最新款".
  EXPECT_TRUE(Run("新最低").empty());
  EXPECT_THAT(Run("最新的 最新款"), ElementsAre("most title [0,6) 最新"));
  // An exception in another field does not help.
  EXPECT_THAT(Run("最新", "最新款"), ElementsAre("most title [0,6) 最新"));
  // A partial overlap does not cancel: "低价" overlaps "最低" in "最低价".
  EXPECT_THAT(Run("最低价"), ElementsAre("most title [0,6) 最低"));
}

TEST_F(RuleLanguageTest, ExceptionsWorkInTheNormalizedView) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: circle\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: [{literal: 朋友圈}]\n"
                        "    exceptions: [{literal: 朋友圈同款}]\n"));
  ASSERT_TRUE(Load());
  EXPECT_TRUE(Run("朋 友 圈 同 款").empty());
  EXPECT_THAT(Run("看朋 友 圈"), ElementsAre("circle title [3,14) 朋 友 圈"));
}

TEST_F(RuleLanguageTest, AnExceptionOnlyTextIsNotAHit) {
  // The exception alone matches; nothing fires and nothing breaks.
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: e\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: [{literal: 私聊}]\n"
                        "    exceptions: [{literal: 私聊客服}, {literal: 无关的词}]\n"));
  ASSERT_TRUE(Load());
  EXPECT_TRUE(Run("无关的词", "无关的词").empty());
  EXPECT_TRUE(Run("有问题请私聊客服").empty());
  EXPECT_THAT(Run("私聊我"), ElementsAre("e title [0,6) 私聊"));
}

TEST_F(RuleLanguageTest, BadExceptionsAreReportedWithTheirLines) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: e\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['ok']\n"
                        "    exceptions:\n"
                        "      - '(unclosed'\n"
                        "      - {literal: x, name: n}\n"));
  LoadFails();
  const RuleDiagnostic* d = FindDiag(diags_, "r.yaml", "no `name:`");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 9);
  // The name error stops the load; without it the regex error is reported at
  // compile time with its line.
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: e\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['ok']\n"
                        "    exceptions:\n"
                        "      - '(unclosed'\n"));
  LoadFails();
  d = FindDiag(diags_, "r.yaml", "does not compile");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 8);
  EXPECT_EQ(d->rule_id, "e");
}

// ---------------------------------------------------------------------------
// Conditions

TEST_F(RuleLanguageTest, AllOfNamedPatternAndFieldCheck) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: welfare_no_stock\n    category: c\n    clause: '3.5'\n"
                        "    severity: general\n"
                        "    patterns: ['福利(款|品)']\n"
                        "    define:\n"
                        "      live: [{literal: 直播间}, '主播']\n"
                        "    all_of: [\"stock == 0\"]\n"
                        "    any_of: [live, \"price < 1\"]\n"
                        "    none_of: [\"min_order_qty > 100\"]\n"));
  ASSERT_TRUE(Load());
  using F = NumberField;
  // The evidence is the welfare hit; the named pattern in the detail and the
  // stock decide whether it counts.
  EXPECT_THAT(Run("福利款 毛巾", "直播间专享", {{F::kStock, 0}}),
              ElementsAre("welfare_no_stock title [0,9) 福利款"));
  EXPECT_TRUE(Run("福利款 毛巾", "直播间专享", {{F::kStock, 3}}).empty());
  EXPECT_TRUE(Run("福利款 毛巾", "", {{F::kStock, 0}}).empty());          // no any_of
  EXPECT_THAT(Run("福利款", "", {{F::kStock, 0}, {F::kPrice, 0.5}}).size(), 1u);
  EXPECT_TRUE(Run("福利款", "", {}).empty());                             // stock absent
  EXPECT_TRUE(Run("福利款", "主播", {{F::kStock, 0}, {F::kMinOrderQty, 500}}).empty());
  // A named pattern alone is no violation.
  EXPECT_TRUE(Run("直播间", "", {{F::kStock, 0}}).empty());
}

TEST_F(RuleLanguageTest, NamedEvidencePatternsAndNoneOf) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: circle\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns:\n"
                        "      - {literal: 朋友圈, name: circle}\n"
                        "      - {literal: 加我, name: add}\n"
                        "    define: {shop: '同款|晒图'}\n"
                        "    all_of: [circle]\n"
                        "    none_of: [shop]\n"));
  ASSERT_TRUE(Load());
  EXPECT_THAT(Run("加我 看朋友圈"),
              ElementsAre("circle title [0,6) 加我", "circle title [10,19) 朋友圈"));
  EXPECT_TRUE(Run("加我").empty());                 // all_of: circle missing
  EXPECT_TRUE(Run("朋友圈", "买家晒图").empty());    // none_of: shop present
}

TEST_F(RuleLanguageTest, CheckOnlyRuleWithConditions) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: gift_out\n    category: c\n    clause: x\n    severity: minor\n"
                        "    check: \"stock == 0\"\n"
                        "    define: {gift: '赠品'}\n"
                        "    all_of: [gift]\n"));
  ASSERT_TRUE(Load());
  EXPECT_THAT(Run("", "含赠品", {{NumberField::kStock, 0}}), ElementsAre("gift_out check stock=0"));
  EXPECT_TRUE(Run("", "", {{NumberField::kStock, 0}}).empty());
}

TEST_F(RuleLanguageTest, PatternsAndACheckMustBothHold) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: both\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['清仓']\n"
                        "    check: \"stock >= 1000\"\n"));
  ASSERT_TRUE(Load());
  EXPECT_THAT(Run("清仓", "", {{NumberField::kStock, 5000}}), ElementsAre("both title [0,6) 清仓"));
  EXPECT_TRUE(Run("清仓", "", {{NumberField::kStock, 10}}).empty());
  EXPECT_TRUE(Run("", "", {{NumberField::kStock, 5000}}).empty());
}

TEST_F(RuleLanguageTest, ConditionMistakesAreReported) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: c1\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['a']\n"
                        "    all_of: [nobody]\n"                     // line 7
                        "    any_of: [\"stock ==\"]\n"               // line 8
                        "    none_of: [\"text_price > 1\"]\n"        // line 9
                        "  - id: c2\n    category: c\n    clause: x\n    severity: minor\n"
                        "    check: \"text_price > 3 * price\"\n")); // line 14
  LoadFails();
  const RuleDiagnostic* d = FindDiag(diags_, "r.yaml", "`nobody` in `all_of:` names no pattern");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 7);
  EXPECT_EQ(d->rule_id, "c1");
  d = FindDiag(diags_, "r.yaml", "expected a number or a field name");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 8);
  d = FindDiag(diags_, "r.yaml", "belongs in the rule's `check:`");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 9);
  d = FindDiag(diags_, "r.yaml", "the rule needs `patterns:`");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 14);
  EXPECT_EQ(d->rule_id, "c2");
}

// ---------------------------------------------------------------------------
// Numbers in text

TEST_F(RuleLanguageTest, TextPriceComparesTheStatedPriceWithTheRecord) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: stated\n    category: c\n    clause: '3.3'\n    severity: serious\n"
                        "    patterns: ['(原价|专柜价)']\n"
                        "    check: \"text_price >= 3 * price and price > 0\"\n"));
  ASSERT_TRUE(Load());
  using F = NumberField;
  EXPECT_THAT(Run("原价¥999 现价99", "", {{F::kPrice, 99}}), ElementsAre("stated title [0,6) 原价"));
  EXPECT_TRUE(Run("原价¥199 现价99", "", {{F::kPrice, 99}}).empty());
  EXPECT_THAT(Run("", "<p>专柜价 2980元</p>", {{F::kPrice, 199}}),
              ElementsAre("stated detail_html [3,12) 专柜价"));
  EXPECT_THAT(Run("原价:1,299", "", {{F::kPrice, 129}}).size(), 1u);
  EXPECT_TRUE(Run("原价:1,299", "", {{F::kPrice, 500}}).empty());
  // Full-width digits are read in the normalized text.
  EXPECT_THAT(Run("原价：９９９", "", {{F::kPrice, 9.9}}).size(), 1u);
  // No number stated, or no price in the record: no violation.
  EXPECT_TRUE(Run("原价优惠", "", {{F::kPrice, 9.9}}).empty());
  EXPECT_TRUE(Run("原价999", "", {}).empty());
}

// ---------------------------------------------------------------------------
// Examples as records

TEST_F(RuleLanguageTest, RecordExamplesCarryFieldsAndText) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: welfare\n    category: c\n    clause: '3.5'\n    severity: general\n"
                        "    patterns: ['福利']\n"
                        "    all_of: [\"stock == 0\"]\n"
                        "    must_match:\n"
                        "      - {title: 福利款, stock: 0}\n"
                        "      - {detail_html: '<p>福利</p>', stock: 0, price: 9.9}\n"
                        "    must_not_match:\n"
                        "      - 福利款\n"
                        "      - {title: 福利款, stock: 5}\n"));
  ASSERT_TRUE(Load());
  const Rule& rule = pack_->pack().rules.at(0);
  ASSERT_EQ(rule.must_match.size(), 2u);
  EXPECT_TRUE(rule.must_match[0].is_record);
  EXPECT_EQ(rule.must_match[0].line, 9);
  EXPECT_EQ(rule.must_match[1].Describe(), "{detail_html: \"<p>福利</p>\", price: 9.9, stock: 0}");
  EXPECT_EQ(rule.must_not_match[0].Describe(), "\"福利款\"");
  for (const RuleExample& ex : rule.must_match) {
    StatusOr<bool> m = eval_->RuleMatchesExample(0, ex);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m.value()) << ex.Describe();
  }
  for (const RuleExample& ex : rule.must_not_match) {
    StatusOr<bool> m = eval_->RuleMatchesExample(0, ex);
    ASSERT_TRUE(m.ok());
    EXPECT_FALSE(m.value()) << ex.Describe();
  }
}

TEST_F(RuleLanguageTest, BadRecordExamplesAreReported) {
  ASSERT_TRUE(WriteFile(dir_.File("r.yaml"),
                        "rules:\n"
                        "  - id: e\n    category: c\n    clause: x\n    severity: minor\n"
                        "    patterns: ['a']\n"
                        "    must_match:\n"
                        "      - {title: a, colour: red}\n"   // line 8
                        "      - {title: a, stock: many}\n"   // line 9
                        "      - [a, b]\n"));                 // line 10
  LoadFails();
  const RuleDiagnostic* d = FindDiag(diags_, "r.yaml", "unknown example key `colour`");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 8);
  d = FindDiag(diags_, "r.yaml", "`stock` in an example must be a number");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 9);
  d = FindDiag(diags_, "r.yaml", "is a string or a record map");
  ASSERT_NE(d, nullptr) << Describe(diags_);
  EXPECT_EQ(d->line, 10);
}

}  // namespace
}  // namespace catscan
