#include "scanner/rules/pattern_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

TEST(PatternListTest, RegexModeSkipsCommentsAndEmptyLines) {
  test::TempDir tmp;
  ASSERT_TRUE(test::WriteFile(tmp.File("p.txt"), "# c\n加 *微信\r\n\nqq[0-9]+\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadPatternList(tmp.File("p.txt"), {}, &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message();
  EXPECT_TRUE(diags.empty());
  ASSERT_EQ(pack->rules.size(), 2u);
  EXPECT_EQ(pack->rules[0].id, "line-2");
  EXPECT_EQ(pack->rules[0].patterns[0].expression, "加 *微信");
  EXPECT_EQ(pack->rules[0].view, TextView::kRaw);
  EXPECT_EQ(pack->rules[1].id, "line-4");
  EXPECT_EQ(pack->rules[1].patterns[0].expression, "qq[0-9]+");
}

TEST(PatternListTest, LiteralModeEscapesEveryLineIncludingHash) {
  test::TempDir tmp;
  ASSERT_TRUE(test::WriteFile(tmp.File("w.txt"), "#热卖\na.b\x7f\n\n免费(送)\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadPatternList(tmp.File("w.txt"), {true, false}, &diags);
  ASSERT_TRUE(pack.ok()) << pack.status().message();
  ASSERT_EQ(pack->rules.size(), 3u);
  EXPECT_EQ(pack->rules[0].patterns[0].expression, "\\x23热卖");
  EXPECT_EQ(pack->rules[1].patterns[0].expression, "a\\x2eb\\x7f");
  EXPECT_EQ(pack->rules[2].id, "line-4");
  EXPECT_EQ(pack->rules[2].patterns[0].expression, "免费\\x28送\\x29");
  // The same bytes as a literal list are another pack.
  StatusOr<RulePack> as_regex = LoadPatternList(tmp.File("w.txt"), {}, &diags);
  ASSERT_TRUE(as_regex.ok());
  EXPECT_NE(as_regex->hash, pack->hash);
}

TEST(PatternListTest, InvalidUtf8IsAnErrorOrASkippedLine) {
  test::TempDir tmp;
  ASSERT_TRUE(test::WriteFile(tmp.File("w.txt"), "ok\n\xff\xfe\nfine\n\xc3\n"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> refused = LoadPatternList(tmp.File("w.txt"), {true, false}, &diags);
  EXPECT_FALSE(refused.ok());
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].line, 2);
  EXPECT_FALSE(diags[0].warning);
  EXPECT_EQ(diags[1].line, 4);

  diags.clear();
  StatusOr<RulePack> skipped = LoadPatternList(tmp.File("w.txt"), {true, true}, &diags);
  ASSERT_TRUE(skipped.ok());
  ASSERT_EQ(skipped->rules.size(), 2u);
  EXPECT_EQ(skipped->rules[1].id, "line-3");
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_TRUE(diags[0].warning);
  EXPECT_EQ(diags[0].ToString(), tmp.File("w.txt") +
                                     ":2: rule line-2: warning: the pattern is not valid UTF-8; skipped");
}

TEST(PatternListTest, EmptyOrMissingFileIsAnError) {
  test::TempDir tmp;
  ASSERT_TRUE(test::WriteFile(tmp.File("e.txt"), "# only a comment\n\n"));
  std::vector<RuleDiagnostic> diags;
  EXPECT_FALSE(LoadPatternList(tmp.File("e.txt"), {}, &diags).ok());
  EXPECT_FALSE(LoadPatternList(tmp.File("missing.txt"), {}, &diags).ok());
}

}  // namespace
}  // namespace catscan
