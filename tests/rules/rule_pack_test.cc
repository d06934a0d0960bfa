#include "scanner/rules/rule_pack.h"
#include "scanner/rules/pattern_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scanner/match/pattern_set.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::ReadFile;
using test::TempDir;
using test::WriteFile;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kDefaultPack = CATSCAN_SOURCE_PACK_DIR;

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

std::string Describe(const std::vector<RuleDiagnostic>& diags) {
  std::string out;
  for (const RuleDiagnostic& d : diags) out += "  " + d.ToString() + "\n";
  return out;
}

// Copies the default pack into "dir".
void CopyDefaultPack(const std::string& dir) {
  // Recursive: the word lists live in words/.
  std::filesystem::copy(kDefaultPack, dir, std::filesystem::copy_options::recursive);
}

// 1-based number of the first line of "file" at or after line "from" that
// holds "needle"; 0 if none.
int LineHolding(const std::string& file, const std::string& needle, int from = 1) {
  const std::string text = ReadFile(file);
  int line = 1;
  for (size_t start = 0; start < text.size(); ++line) {
    const size_t nl = text.find('\n', start);
    const std::string l =
        text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (line >= from && l.find(needle) != std::string::npos) return line;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return 0;
}

const Rule* FindRule(const RulePack& pack, const std::string& id) {
  for (const Rule& r : pack.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

TEST(RulePackTest, DefaultPackLoads) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(kDefaultPack, &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message() << "\n" << Describe(diags);
  EXPECT_TRUE(diags.empty()) << Describe(diags);
  EXPECT_EQ(pack->name, "default");
  EXPECT_EQ(pack->version, 2);
  EXPECT_EQ(pack->id(), "default@2");
  EXPECT_EQ(pack->path, kDefaultPack);
  ASSERT_EQ(pack->rules.size(), 23u);

  // Files load in name order: ad_law.yaml, private_traffic.yaml, welfare.yaml, ...
  std::vector<std::string> ids;
  for (const Rule& r : pack->rules) ids.push_back(r.id);
  EXPECT_THAT(ids, ElementsAre("adlaw.superlative", "adlaw.ranking", "adlaw.grade",
                               "adlaw.first_only", "adlaw.authority", "adlaw.pressure",
                               "private.add_wechat", "private.qq_number", "private.phone_number",
                               "time_limit.sell_only_minutes", "freebie.zero_price_gift",
                               "freebie.new_user_gift", "clearance.loss_sale",
                               "clearance.inflated_original_price",
                               "conditions.multi_piece_minimum", "conditions.high_shipping_text",
                               "conditions.min_order_qty", "conditions.high_shipping_fee",
                               "time_limit.last_minutes", "clearance.selling_clearance",
                               "clearance.stated_original_price", "conditions.welfare_no_stock",
                               "welfare_listing.referenced_item"));
}

TEST(RulePackTest, DefaultPackRuleDetails) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(kDefaultPack, &diags);
  ASSERT_TRUE(pack.ok()) << Describe(diags);

  const Rule* wechat = FindRule(pack.value(), "private.add_wechat");
  ASSERT_NE(wechat, nullptr);
  EXPECT_EQ(FileName(wechat->file), "private_traffic.yaml");
  const std::string traffic_file = kDefaultPack + "/private_traffic.yaml";
  EXPECT_EQ(wechat->line, LineHolding(traffic_file, "- id: private.add_wechat"));
  EXPECT_EQ(wechat->category, "private_traffic");
  EXPECT_EQ(wechat->clause, "private-traffic");
  EXPECT_EQ(wechat->severity, Severity::kSerious);
  EXPECT_EQ(wechat->scope, kScopeAny);
  ASSERT_FALSE(wechat->patterns.empty());
  EXPECT_TRUE(wechat->patterns[0].caseless);  // the rule's `caseless: true`
  // The first line under `patterns:`.
  EXPECT_EQ(wechat->patterns[0].line, LineHolding(traffic_file, "patterns:", wechat->line) + 1);
  EXPECT_FALSE(wechat->check.has_value());
  EXPECT_FALSE(wechat->must_match.empty());
  const Rule* phone = FindRule(pack.value(), "private.phone_number");
  ASSERT_NE(phone, nullptr);
  EXPECT_FALSE(phone->patterns.at(0).caseless);

  const Rule* minutes = FindRule(pack.value(), "time_limit.sell_only_minutes");
  ASSERT_NE(minutes, nullptr);
  EXPECT_EQ(FileName(minutes->file), "welfare.yaml");
  const std::string welfare_file = kDefaultPack + "/welfare.yaml";
  EXPECT_EQ(minutes->line, LineHolding(welfare_file, "- id: time_limit.sell_only_minutes"));
  EXPECT_EQ(minutes->clause, "3.1");
  EXPECT_EQ(minutes->severity, Severity::kGeneral);
  EXPECT_EQ(minutes->category, "fake_time_limit");

  const Rule* inflated = FindRule(pack.value(), "clearance.inflated_original_price");
  ASSERT_NE(inflated, nullptr);
  EXPECT_EQ(inflated->clause, "3.3");
  EXPECT_EQ(inflated->severity, Severity::kSerious);
  EXPECT_EQ(inflated->line, LineHolding(welfare_file, "- id: clearance.inflated_original_price"));
  EXPECT_TRUE(inflated->patterns.empty());
  ASSERT_TRUE(inflated->check.has_value());
  EXPECT_EQ(inflated->check->source(), "original_price >= 10 * price and price > 0");

  const Rule* min_qty = FindRule(pack.value(), "conditions.min_order_qty");
  ASSERT_NE(min_qty, nullptr);
  ASSERT_TRUE(min_qty->check.has_value());
  EXPECT_EQ(min_qty->check->source(), "min_order_qty >= 5");
  EXPECT_EQ(min_qty->clause, "3.5");
}

TEST(RulePackTest, SeverityNames) {
  EXPECT_STREQ(SeverityName(Severity::kMinor), "minor");
  EXPECT_STREQ(SeverityName(Severity::kGeneral), "general");
  EXPECT_STREQ(SeverityName(Severity::kSerious), "serious");
  EXPECT_STREQ(SeverityName(Severity::kCritical), "critical");
}

TEST(RulePackTest, HashIsStableAndFollowsTheFiles) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> a = LoadRulePack(kDefaultPack, &diags);
  StatusOr<RulePack> b = LoadRulePack(kDefaultPack, &diags);
  ASSERT_TRUE(a.ok() && b.ok()) << Describe(diags);
  ASSERT_EQ(a->hash.size(), 64u);
  EXPECT_TRUE(std::all_of(a->hash.begin(), a->hash.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << a->hash;
  EXPECT_EQ(a->hash, b->hash);

  // A copy elsewhere has the same hash: it covers names and bytes, not the path.
  TempDir dir;
  CopyDefaultPack(dir.path());
  StatusOr<RulePack> copy = LoadRulePack(dir.path(), &diags);
  ASSERT_TRUE(copy.ok()) << Describe(diags);
  EXPECT_EQ(copy->hash, a->hash);

  // One more byte in one file changes it.
  const std::string welfare = dir.File("welfare.yaml");
  ASSERT_TRUE(WriteFile(welfare, ReadFile(welfare) + "#"));
  StatusOr<RulePack> changed = LoadRulePack(dir.path(), &diags);
  ASSERT_TRUE(changed.ok()) << Describe(diags);
  EXPECT_NE(changed->hash, a->hash);
  EXPECT_EQ(changed->hash.size(), 64u);
  EXPECT_EQ(changed->rules.size(), a->rules.size());

  // Renaming a file changes it too: names are hashed with the bytes.
  TempDir renamed;
  CopyDefaultPack(renamed.path());
  std::filesystem::rename(renamed.File("welfare.yaml"), renamed.File("welfare2.yaml"));
  StatusOr<RulePack> after_rename = LoadRulePack(renamed.path(), &diags);
  ASSERT_TRUE(after_rename.ok()) << Describe(diags);
  EXPECT_NE(after_rename->hash, a->hash);

  // So does a file that is not a rule file (the hash pins the directory).
  TempDir dir2;
  CopyDefaultPack(dir2.path());
  ASSERT_TRUE(WriteFile(dir2.File("README.md"), "notes\n"));
  StatusOr<RulePack> with_readme = LoadRulePack(dir2.path(), &diags);
  ASSERT_TRUE(with_readme.ok()) << Describe(diags);
  EXPECT_NE(with_readme->hash, a->hash);
  EXPECT_EQ(with_readme->rules.size(), a->rules.size());
  EXPECT_TRUE(diags.empty()) << Describe(diags);
}

// A pack with one problem of each kind spread over three rule files.
const char kBadA[] =
    "rules:\n"                  // 1
    "  - id: a.unknown_key\n"   // 2
    "    category: c\n"         // 3
    "    clause: \"1\"\n"       // 4
    "    severity: general\n"   // 5
    "    patterns: ['x']\n"     // 6
    "    colour: red\n"         // 7
    "  - id: a.bad_severity\n"  // 8
    "    category: c\n"         // 9
    "    clause: \"1\"\n"       // 10
    "    severity: extreme\n"   // 11
    "    patterns: ['y']\n"     // 12
    "  - id: a.no_category\n"   // 13
    "    clause: \"1\"\n"       // 14
    "    severity: general\n"   // 15
    "    patterns: ['z']\n"     // 16
    "  - id: dup.rule\n"        // 17
    "    category: c\n"         // 18
    "    clause: \"1\"\n"       // 19
    "    severity: general\n"   // 20
    "    patterns: ['w']\n"     // 21
    "  - id: a.nothing\n"       // 22
    "    category: c\n"         // 23
    "    clause: \"1\"\n"       // 24
    "    severity: general\n"   // 25
    "  - id: a.good\n"          // 26
    "    category: c\n"         // 27
    "    clause: \"1\"\n"       // 28
    "    severity: minor\n"     // 29
    "    patterns: ['ok']\n";   // 30

const char kBadB[] =
    "# the same id as in a.yaml\n"  // 1
    "rules:\n"                      // 2
    "  - id: dup.rule\n"            // 3
    "    category: c\n"             // 4
    "    clause: \"1\"\n"           // 5
    "    severity: general\n"       // 6
    "    check: \"price > 1\"\n"    // 7
    "  - id: b.bad_check\n"         // 8
    "    category: c\n"             // 9
    "    clause: \"1\"\n"           // 10
    "    severity: general\n"       // 11
    "    check: \"cost > 1\"\n";    // 12

const char kBadC[] =
    "rules:\n"                   // 1
    "  - id: c.broken\n"         // 2
    "    category: [unclosed\n"  // 3
    "    clause: \"1\"\n";       // 4

// Finds the one diagnostic in "file" (a base name) for "rule_id" whose
// message holds "says".
const RuleDiagnostic* FindDiag(const std::vector<RuleDiagnostic>& diags, const std::string& file,
                               const std::string& rule_id, const std::string& says) {
  const RuleDiagnostic* found = nullptr;
  for (const RuleDiagnostic& d : diags) {
    if (FileName(d.file) == file && d.rule_id == rule_id &&
        d.message.find(says) != std::string::npos) {
      EXPECT_EQ(found, nullptr) << "reported twice: " << d.ToString();
      found = &d;
    }
  }
  EXPECT_NE(found, nullptr) << "no diagnostic " << file << " " << rule_id << " " << says << " in\n"
                            << Describe(diags);
  return found;
}

// The line of the one diagnostic FindDiag finds, or -1.
int DiagLine(const std::vector<RuleDiagnostic>& diags, const std::string& file,
             const std::string& rule_id, const std::string& says) {
  const RuleDiagnostic* d = FindDiag(diags, file, rule_id, says);
  return d == nullptr ? -1 : d->line;
}

TEST(RulePackTest, ReportsEveryProblemWithFileLineAndRule) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("pack.yaml"), "name: bad\nversion: 3\n"));
  ASSERT_TRUE(WriteFile(dir.File("a.yaml"), kBadA));
  ASSERT_TRUE(WriteFile(dir.File("b.yaml"), kBadB));
  ASSERT_TRUE(WriteFile(dir.File("c.yaml"), kBadC));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);
  EXPECT_THAT(pack.status().message(), HasSubstr(dir.path()));
  EXPECT_EQ(diags.size(), 7u) << Describe(diags);

  const RuleDiagnostic* unknown = FindDiag(diags, "a.yaml", "a.unknown_key", "colour");
  if (unknown) {
    EXPECT_EQ(unknown->line, 7);
    EXPECT_FALSE(unknown->warning);
    EXPECT_EQ(unknown->ToString(),
              dir.File("a.yaml") + ":7: rule a.unknown_key: error: " + unknown->message);
  }
  EXPECT_EQ(DiagLine(diags, "a.yaml", "a.bad_severity", "extreme"), 11);
  EXPECT_EQ(DiagLine(diags, "a.yaml", "a.no_category", "category"), 13);
  EXPECT_EQ(DiagLine(diags, "a.yaml", "a.nothing", "neither"), 22);
  const RuleDiagnostic* dup = FindDiag(diags, "b.yaml", "dup.rule", "duplicate");
  if (dup) {
    EXPECT_EQ(dup->line, 3);
    EXPECT_THAT(dup->message, HasSubstr("a.yaml:17"));
  }
  EXPECT_EQ(DiagLine(diags, "b.yaml", "b.bad_check", "cost"), 12);
  EXPECT_EQ(DiagLine(diags, "c.yaml", "", "YAML"), 4);
}

TEST(RulePackTest, EmptyDirectoryIsAnError) {
  TempDir dir;
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_THAT(diags[0].message, HasSubstr("no rule files"));
}

TEST(RulePackTest, PackYamlAloneIsAnError) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("pack.yaml"), "name: lonely\nversion: 1\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);
  EXPECT_EQ(diags.size(), 1u) << Describe(diags);
}

TEST(RulePackTest, RuleFileWithoutRulesIsAnError) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("empty.yaml"), "rules: []\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);
  ASSERT_EQ(diags.size(), 1u) << Describe(diags);
  EXPECT_THAT(diags[0].message, HasSubstr("no rules"));
}

TEST(RulePackTest, MissingPathIsAnError) {
  TempDir dir;
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.File("nope"), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(pack.status().code(), StatusCode::kRules);
  EXPECT_THAT(pack.status().message(), HasSubstr(dir.File("nope")));
}

TEST(RulePackTest, SingleFilePack) {
  TempDir dir;
  const std::string file = dir.File("house_rules.yaml");
  ASSERT_TRUE(WriteFile(file,
                        "rules:\n"
                        "  - id: house.no_spam\n"
                        "    title: spam words\n"
                        "    category: spam\n"
                        "    clause: \"9.1\"\n"
                        "    severity: critical\n"
                        "    fields: [title]\n"
                        "    patterns:\n"
                        "      - 'spam+'\n"
                        "      - {literal: \"a.b\", caseless: true}\n"
                        "      - {regex: 'e[gx]gs'}\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(file, &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message() << "\n" << Describe(diags);
  EXPECT_TRUE(diags.empty()) << Describe(diags);
  EXPECT_EQ(pack->name, "house_rules");
  EXPECT_EQ(pack->version, 0);
  EXPECT_EQ(pack->hash.size(), 64u);
  ASSERT_EQ(pack->rules.size(), 1u);
  const Rule& r = pack->rules[0];
  EXPECT_EQ(r.id, "house.no_spam");
  EXPECT_EQ(r.title, "spam words");
  EXPECT_EQ(r.file, file);
  EXPECT_EQ(r.line, 2);
  EXPECT_EQ(r.severity, Severity::kCritical);
  EXPECT_EQ(r.scope, kScopeTitle);
  ASSERT_EQ(r.patterns.size(), 3u);
  EXPECT_EQ(r.patterns[0].expression, "spam+");
  EXPECT_FALSE(r.patterns[0].caseless);
  EXPECT_EQ(r.patterns[0].line, 9);
  EXPECT_EQ(r.patterns[1].expression, EscapeLiteral("a.b"));
  EXPECT_TRUE(r.patterns[1].caseless);
  EXPECT_EQ(r.patterns[1].line, 10);
  EXPECT_EQ(r.patterns[2].expression, "e[gx]gs");
  EXPECT_EQ(r.patterns[2].line, 11);
}

TEST(RulePackTest, FieldsSelectTheScope) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(
      dir.File("scopes.yaml"),
      "rules:\n"
      "  - {id: s.title, category: c, clause: '1', severity: minor, fields: [title], patterns: "
      "[a]}\n"
      "  - {id: s.detail, category: c, clause: '1', severity: minor, fields: detail, patterns: "
      "[a]}\n"
      "  - {id: s.both, category: c, clause: '1', severity: minor, fields: [title, detail], "
      "patterns: [a]}\n"
      "  - {id: s.any, category: c, clause: '1', severity: minor, fields: [any], patterns: [a]}\n"
      "  - {id: s.default, category: c, clause: '1', severity: minor, patterns: [a]}\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_TRUE(pack.ok()) << Describe(diags);
  ASSERT_EQ(pack->rules.size(), 5u);
  EXPECT_EQ(pack->rules[0].scope, kScopeTitle);
  EXPECT_EQ(pack->rules[1].scope, kScopeDetail);
  EXPECT_EQ(pack->rules[2].scope, kScopeAny);
  EXPECT_EQ(pack->rules[3].scope, kScopeAny);
  EXPECT_EQ(pack->rules[4].scope, kScopeAny);
  EXPECT_EQ(pack->name, FileName(dir.path()));
}

TEST(RulePackTest, PatternAndFieldMistakesAreReported) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("mistakes.yaml"),
                        "rules:\n"                              // 1
                        "  - id: m.one\n"                       // 2
                        "    category: c\n"                     // 3
                        "    clause: '1'\n"                     // 4
                        "    severity: minor\n"                 // 5
                        "    fields: [body]\n"                  // 6
                        "    caseless: maybe\n"                 // 7
                        "    patterns:\n"                       // 8
                        "      - {regex: 'a', literal: 'b'}\n"  // 9
                        "      - {literal: 'x', flags: i}\n"    // 10
                        "      - ''\n"                          // 11
                        "      - [nested]\n"                    // 12
                        "  - id: 'bad id!'\n"                   // 13
                        "    category: c\n"                     // 14
                        "    clause: '1'\n"                     // 15
                        "    severity: minor\n"                 // 16
                        "    patterns: []\n"                    // 17
                        "  - category: c\n"                     // 18
                        "    clause: '1'\n"                     // 19
                        "    severity: minor\n"                 // 20
                        "    patterns: [a]\n"));                // 21
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  ASSERT_FALSE(pack.ok());
  EXPECT_EQ(diags.size(), 9u) << Describe(diags);
  const std::string f = "mistakes.yaml";
  EXPECT_EQ(DiagLine(diags, f, "m.one", "body"), 6);
  EXPECT_EQ(DiagLine(diags, f, "m.one", "true or false"), 7);
  EXPECT_EQ(DiagLine(diags, f, "m.one", "not both"), 9);
  EXPECT_EQ(DiagLine(diags, f, "m.one", "flags"), 10);
  EXPECT_EQ(DiagLine(diags, f, "m.one", "empty pattern"), 11);
  EXPECT_EQ(DiagLine(diags, f, "m.one", "a regex string or a map"), 12);
  EXPECT_EQ(DiagLine(diags, f, "bad id!", "rule id"), 13);
  EXPECT_EQ(DiagLine(diags, f, "bad id!", "non-empty list"), 17);
  EXPECT_EQ(DiagLine(diags, f, "", "without an `id:`"), 18);
}

TEST(RulePackTest, DiagnosticToString) {
  EXPECT_EQ((RuleDiagnostic{"p/a.yaml", 7, "r.x", "bad thing", false}).ToString(),
            "p/a.yaml:7: rule r.x: error: bad thing");
  EXPECT_EQ((RuleDiagnostic{"p/a.yaml", 0, "", "no rules", false}).ToString(),
            "p/a.yaml: error: no rules");
  EXPECT_EQ((RuleDiagnostic{"p", 3, "", "odd", true}).ToString(), "p:3: warning: odd");
}

}  // namespace
}  // namespace catscan

namespace catscan {
namespace {

TEST(PatternFileTest, EachPatternLineIsARawViewRule) {
  test::TempDir dir;
  const std::string path = dir.File("p.txt");
  ASSERT_TRUE(test::WriteFile(path, "只卖\\d+分钟\r\n# a comment\n\n加微信\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadPatternList(path, {}, &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message();
  EXPECT_TRUE(diags.empty());
  ASSERT_EQ(pack->rules.size(), 2u);
  EXPECT_EQ(pack->rules[0].id, "line-1");
  EXPECT_EQ(pack->rules[0].patterns[0].expression, "只卖\\d+分钟");
  EXPECT_EQ(pack->rules[0].view, TextView::kRaw);
  EXPECT_EQ(pack->rules[1].id, "line-4");
  EXPECT_EQ(pack->rules[1].line, 4);
  EXPECT_EQ(pack->hash.size(), 64u);
}

TEST(PatternFileTest, InvalidUtf8AndEmptyFilesAreRefused) {
  test::TempDir dir;
  std::vector<RuleDiagnostic> diags;
  ASSERT_TRUE(test::WriteFile(dir.File("bad.txt"), "ok\n\xff\xfe\n"));
  EXPECT_FALSE(LoadPatternList(dir.File("bad.txt"), {}, &diags).ok());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, 2);
  EXPECT_EQ(diags[0].rule_id, "line-2");
  diags.clear();
  ASSERT_TRUE(test::WriteFile(dir.File("empty.txt"), "# nothing\n\n"));
  EXPECT_FALSE(LoadPatternList(dir.File("empty.txt"), {}, &diags).ok());
  EXPECT_EQ(diags.size(), 1u);
}

}  // namespace
}  // namespace catscan
