#include "scanner/eval/score.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scanner/eval/eval_report.h"

namespace catscan {
namespace {

using ::testing::ElementsAre;

LabeledRecord Rec(std::string id, std::vector<std::string> labels, std::string title = "") {
  LabeledRecord r;
  r.item_id = std::move(id);
  r.labels = std::move(labels);
  r.title = title.empty() ? "title of " + r.item_id : std::move(title);
  r.file = "set.jsonl";
  return r;
}

const CategoryScore& Cat(const EvalScore& s, const std::string& name) {
  for (const CategoryScore& c : s.categories) {
    if (c.category == name) return c;
  }
  ADD_FAILURE() << "no category " << name;
  return s.overall;
}

TEST(ScoreTest, CountsTruePositivesFalsePositivesAndFalseNegativesPerCategory) {
  LabeledSet set;
  set.records = {Rec("a", {"time"}), Rec("b", {"time", "gift"}), Rec("c", {}),
                 Rec("d", {"gift"}), Rec("e", {})};
  for (size_t i = 0; i < set.records.size(); ++i) set.records[i].line = i + 1;
  std::vector<FiredRule> fired = {
      {"a", "time.one", "time"},  {"a", "time.two", "time"},  // one record, two rules: one TP
      {"b", "time.one", "time"},                              // b: time TP, gift FN
      {"c", "gift.one", "gift"},                              // c: gift FP
      {"d", "gift.one", "gift"},                              // d: gift TP
  };
  EvalScore s = Score(set, fired, {"gift", "time", "unused"});
  EXPECT_EQ(s.records, 5u);
  EXPECT_EQ(s.labeled_positive, 3u);
  ASSERT_EQ(s.categories.size(), 3u);
  EXPECT_EQ(s.categories[0].category, "gift");
  EXPECT_EQ(s.categories[1].category, "time");
  EXPECT_EQ(s.categories[2].category, "unused");

  const CategoryScore& time = Cat(s, "time");
  EXPECT_EQ(time.tp, 2u);
  EXPECT_EQ(time.fp, 0u);
  EXPECT_EQ(time.fn, 0u);
  EXPECT_DOUBLE_EQ(time.precision(), 1.0);
  EXPECT_DOUBLE_EQ(time.recall(), 1.0);

  const CategoryScore& gift = Cat(s, "gift");
  EXPECT_EQ(gift.tp, 1u);
  EXPECT_EQ(gift.fp, 1u);
  EXPECT_EQ(gift.fn, 1u);
  EXPECT_DOUBLE_EQ(gift.precision(), 0.5);
  EXPECT_DOUBLE_EQ(gift.recall(), 0.5);
  ASSERT_EQ(gift.false_positives.size(), 1u);
  EXPECT_EQ(gift.false_positives[0].item_id, "c");
  EXPECT_EQ(gift.false_positives[0].line, 3u);
  EXPECT_THAT(gift.false_positives[0].rule_ids, ElementsAre("gift.one"));
  ASSERT_EQ(gift.false_negatives.size(), 1u);
  EXPECT_EQ(gift.false_negatives[0].item_id, "b");
  // A false negative lists what did fire on the record, to show what was seen.
  EXPECT_THAT(gift.false_negatives[0].rule_ids, ElementsAre("time.one"));

  const CategoryScore& unused = Cat(s, "unused");
  EXPECT_EQ(unused.tp + unused.fp + unused.fn, 0u);
  EXPECT_DOUBLE_EQ(unused.precision(), 1.0);  // nothing predicted: no false alarm
  EXPECT_DOUBLE_EQ(unused.recall(), 1.0);     // nothing to find

  EXPECT_EQ(s.overall.tp, 3u);
  EXPECT_EQ(s.overall.fp, 1u);
  EXPECT_EQ(s.overall.fn, 1u);
  EXPECT_DOUBLE_EQ(s.overall.precision(), 0.75);
  EXPECT_TRUE(s.unknown_label_categories.empty());
}

TEST(ScoreTest, LabelsWithoutARuleAreScoredAsMissedAndReported) {
  LabeledSet set;
  set.records = {Rec("a", {"typo_category"}), Rec("b", {})};
  EvalScore s = Score(set, {}, {"time"});
  EXPECT_THAT(s.unknown_label_categories, ElementsAre("typo_category"));
  const CategoryScore& typo = Cat(s, "typo_category");
  EXPECT_EQ(typo.fn, 1u);
  EXPECT_DOUBLE_EQ(typo.recall(), 0.0);
}

TEST(ScoreTest, ViolationsOnUnknownItemsAreIgnored) {
  LabeledSet set;
  set.records = {Rec("a", {})};
  EvalScore s = Score(set, {{"zz", "time.one", "time"}}, {"time"});
  EXPECT_EQ(Cat(s, "time").fp, 0u);
}

TEST(ScoreTest, TitleExcerptIsCutAtACharacterBoundary) {
  LabeledSet set;
  std::string title;
  for (int i = 0; i < 40; ++i) title += "限";  // 3 bytes each
  set.records = {Rec("a", {}, title)};
  EvalScore s = Score(set, {{"a", "time.one", "time"}}, {"time"});
  const CategoryScore& time = Cat(s, "time");
  ASSERT_EQ(time.false_positives.size(), 1u);
  EXPECT_EQ(time.false_positives[0].title.size(), 60u);  // 20 whole characters
}

TEST(ScoreTest, BelowMinimumNamesEachCategoryAndMeasure) {
  LabeledSet set;
  set.records = {Rec("a", {"time"}), Rec("b", {"time"}), Rec("c", {})};
  EvalScore s = Score(set, {{"a", "t", "time"}, {"c", "t", "time"}}, {"time", "gift"});
  // time: precision 0.5, recall 0.5; gift: 1 and 1.
  EXPECT_THAT(BelowMinimum(s, 0.5, 0.5), ElementsAre());
  EXPECT_THAT(BelowMinimum(s, 0.6, 0.4), ElementsAre("time: precision 0.5000 < 0.6000"));
  EXPECT_THAT(BelowMinimum(s, 0.0, 0.9), ElementsAre("time: recall 0.5000 < 0.9000"));
}

TEST(EvalReportTest, JsonHoldsCountsRatiosAndMisses) {
  LabeledSet set;
  set.records = {Rec("a", {"time"}, "只卖半小时"), Rec("b", {})};
  set.records[0].line = 1;
  EvalScore s = Score(set, {}, {"time"});
  EvalContext ctx{"x.jsonl", "p@1", "abc", false};
  EXPECT_EQ(FormatEvalJson(s, ctx),
            "{\"labels\":\"x.jsonl\",\"pack\":\"p@1\",\"pack_sha256\":\"abc\",\"normalize\":false,"
            "\"records\":2,\"labeled_positive\":1,\"categories\":[{\"category\":\"time\",\"tp\":0,"
            "\"fp\":0,\"fn\":1,\"precision\":1,\"recall\":0,\"false_positives\":[],"
            "\"false_negatives\":[{\"item_id\":\"a\",\"title\":\"只卖半小时\",\"rule_ids\":[],"
            "\"file\":\"set.jsonl\",\"line\":1}]}],\"overall\":{\"tp\":0,\"fp\":0,\"fn\":1,"
            "\"precision\":1,\"recall\":0},\"unknown_label_categories\":[]}\n");
  const std::string text = FormatEvalText(s, ctx);
  EXPECT_NE(text.find("time                             0     0     1     1.0000   0.0000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("false negatives (1):\n  time"), std::string::npos) << text;
  EXPECT_NE(text.find("normalization off"), std::string::npos) << text;
}

}  // namespace
}  // namespace catscan
