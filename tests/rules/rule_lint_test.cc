#include "scanner/rules/rule_lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;

std::string Describe(const std::vector<RuleDiagnostic>& diags) {
  std::string out;
  for (const RuleDiagnostic& d : diags) out += "  " + d.ToString() + "\n";
  return out;
}

// The warnings for the pack in "dir" as "file-name:line rule: message".
std::vector<RuleDiagnostic> Lint(const TempDir& dir) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(dir.path(), &diags);
  EXPECT_TRUE(pack.ok()) << Describe(diags);
  std::vector<RuleDiagnostic> warnings;
  if (pack.ok()) LintRulePack(pack.value(), &warnings);
  for (const RuleDiagnostic& d : warnings) EXPECT_TRUE(d.warning);
  return warnings;
}

// The line of the warning on "rule" whose message holds "says"; -1 if none.
int WarnLine(const std::vector<RuleDiagnostic>& w, const std::string& rule, const std::string& says) {
  for (const RuleDiagnostic& d : w) {
    if (d.rule_id == rule && d.message.find(says) != std::string::npos) return d.line;
  }
  return -1;
}

constexpr char kHeader[] = "    category: c\n    clause: x\n    severity: minor\n";

TEST(RuleLintTest, TheDefaultPackIsClean) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(CATSCAN_SOURCE_PACK_DIR, &diags);
  ASSERT_TRUE(pack.ok());
  std::vector<RuleDiagnostic> warnings;
  LintRulePack(pack.value(), &warnings);
  EXPECT_TRUE(warnings.empty()) << Describe(warnings);
}

TEST(RuleLintTest, SlowPatterns) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("r.yaml"),
                        std::string("rules:\n  - id: slow\n") + kHeader +
                            "    patterns:\n"
                            "      - '.*加微信'\n"          // line 7: leading .*
                            "      - '加.*微信'\n"          // line 8: gap between literals
                            "      - '加\\s+微信'\n"        // line 9: gap
                            "      - '免费[^。]*送'\n"      // line 10: gap
                            "      - '加 *微信'\n"          // line 11: bounded by the pattern's idiom: fine
                            "      - '加.{0,10}微信'\n"     // line 12: bounded: fine
                            "      - '新品.*'\n"            // line 13: trailing, no literal after: fine
                            "      - {literal: 最}\n"       // line 14: one character
                            "      - '券'\n"));             // line 15: one character
  const std::vector<RuleDiagnostic> w = Lint(dir);
  EXPECT_EQ(WarnLine(w, "slow", "starts with .* or .+"), 7) << Describe(w);
  EXPECT_EQ(WarnLine(w, "slow", "unbounded gap `.*`"), 8) << Describe(w);
  EXPECT_EQ(WarnLine(w, "slow", "unbounded gap `\\s+`"), 9) << Describe(w);
  EXPECT_EQ(WarnLine(w, "slow", "unbounded gap `[^。]*`"), 10) << Describe(w);
  EXPECT_EQ(WarnLine(w, "slow", "one-character pattern \"最\""), 14) << Describe(w);
  EXPECT_EQ(WarnLine(w, "slow", "one-character pattern /券/"), 15) << Describe(w);
  for (const RuleDiagnostic& d : w) {
    EXPECT_TRUE(d.line != 11 && d.line != 12 && d.line != 13) << d.ToString();
    EXPECT_NE(d.file.find("r.yaml"), std::string::npos);
  }
  EXPECT_EQ(w.size(), 6u) << Describe(w);
}

TEST(RuleLintTest, PatternsTheNormalizedTextNeverHolds) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("r.yaml"),
                        std::string("rules:\n  - id: dead\n") + kHeader +
                            "    patterns:\n"
                            "      - 'VX号'\n"               // line 7: upper case
                            "      - {literal: ＶＸ}\n"      // line 8: full width
                            "      - '只賣'\n"               // line 9: traditional
                            "      - '免 费 送'\n"           // line 10: spaces between Han
                            "      - '(a|)b'\n"              // line 11: empty alternative
                            "      - {regex: 'QQ号', caseless: true}\n"  // line 12: fine
                            "  - id: raw\n" + kHeader +
                            "    view: raw\n"
                            "    patterns: ['VX号']\n"));   // raw view: fine
  const std::vector<RuleDiagnostic> w = Lint(dir);
  EXPECT_EQ(WarnLine(w, "dead", "\"VX号\" never occurs in the normalized text"), 7) << Describe(w);
  EXPECT_EQ(WarnLine(w, "dead", "\"ＶＸ\" never occurs"), 8) << Describe(w);
  EXPECT_EQ(WarnLine(w, "dead", "\"只賣\" never occurs"), 9) << Describe(w);
  EXPECT_EQ(WarnLine(w, "dead", "\"免 费 送\" never occurs"), 10) << Describe(w);
  EXPECT_EQ(WarnLine(w, "dead", "empty alternative"), 11) << Describe(w);
  EXPECT_EQ(WarnLine(w, "raw", ""), -1) << Describe(w);
  EXPECT_EQ(w.size(), 5u) << Describe(w);
}

TEST(RuleLintTest, Duplicates) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.File("a.txt"), "全网最低\n最高级\n"));
  ASSERT_TRUE(WriteFile(dir.File("b.txt"), "国家级\n最高级\n"));
  ASSERT_TRUE(WriteFile(dir.File("r.yaml"),
                        std::string("rules:\n  - id: one\n") + kHeader +
                            "    patterns: ['加微信', '加微信']\n"  // line 6, twice
                            "    words: a.txt\n"
                            "  - id: two\n" + kHeader +
                            "    patterns: ['加微信']\n"           // line 12
                            "    words: b.txt\n"));
  const std::vector<RuleDiagnostic> w = Lint(dir);
  int in_rule = 0, across = 0, words = 0;
  for (const RuleDiagnostic& d : w) {
    if (d.rule_id == "one" && d.message.find("duplicates the one at") != std::string::npos) ++in_rule;
    if (d.rule_id == "two" && d.message.find("(rule one)") != std::string::npos &&
        d.message.find("pattern /") != std::string::npos) {
      EXPECT_EQ(d.line, 12);
      ++across;
    }
    if (d.rule_id == "two" && d.message.find("the word \"最高级\" is also in") != std::string::npos) {
      EXPECT_NE(d.file.find("b.txt"), std::string::npos);
      EXPECT_EQ(d.line, 2);
      EXPECT_NE(d.message.find("a.txt:2"), std::string::npos) << d.message;
      ++words;
    }
  }
  EXPECT_EQ(in_rule, 1) << Describe(w);
  EXPECT_EQ(across, 1) << Describe(w);
  EXPECT_EQ(words, 1) << Describe(w);
}

}  // namespace
}  // namespace catscan
