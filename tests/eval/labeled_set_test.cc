#include "scanner/eval/labeled_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "scanner/eval/run_eval.h"

namespace catscan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ParseLabeledLineTest, ReadsIdTitleAndSortedUniqueLabels) {
  LabeledRecord r;
  EXPECT_EQ(ParseLabeledLine(R"({"item_id":"L1","title":"只卖半小时","labels":["b","a","b"],"note":"x"})", &r),
            "");
  EXPECT_EQ(r.item_id, "L1");
  EXPECT_EQ(r.title, "只卖半小时");
  EXPECT_THAT(r.labels, ElementsAre("a", "b"));
  EXPECT_EQ(ParseLabeledLine(R"({"item_id":42,"labels":[]})", &r), "");
  EXPECT_EQ(r.item_id, "42");
  EXPECT_EQ(r.title, "");
  EXPECT_TRUE(r.labels.empty());
}

TEST(ParseLabeledLineTest, NamesWhatIsWrong) {
  LabeledRecord r;
  EXPECT_THAT(ParseLabeledLine("{\"item_id\":\"a\"}", &r), HasSubstr("missing labels"));
  EXPECT_THAT(ParseLabeledLine("{\"labels\":[]}", &r), HasSubstr("missing item_id"));
  EXPECT_THAT(ParseLabeledLine("{\"item_id\":\"a\",\"labels\":\"x\"}", &r), HasSubstr("array"));
  EXPECT_THAT(ParseLabeledLine("{\"item_id\":\"a\",\"labels\":[1]}", &r), HasSubstr("names"));
  EXPECT_THAT(ParseLabeledLine("{\"item_id\":\"a\",\"labels\":[\"\"]}", &r), HasSubstr("names"));
  EXPECT_THAT(ParseLabeledLine("{\"item_id\":true,\"labels\":[]}", &r), HasSubstr("item_id"));
  EXPECT_THAT(ParseLabeledLine("[1]", &r), HasSubstr("not a JSON object"));
  EXPECT_THAT(ParseLabeledLine("{nope", &r), HasSubstr("not JSON"));
}

class LoadLabeledSetTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = ::testing::TempDir() + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

TEST_F(LoadLabeledSetTest, ReadsFilesInOrderSkippingBlankLines) {
  const std::string a = Write("ls_a.jsonl", "{\"item_id\":\"1\",\"labels\":[]}\n\n  \r\n"
                                            "{\"item_id\":\"2\",\"labels\":[\"x\"]}");
  const std::string b = Write("ls_b.jsonl", "{\"item_id\":\"3\",\"labels\":[]}\n");
  StatusOr<LabeledSet> set = LoadLabeledSet({{a, 0, false}, {b, 0, false}});
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ(set->records.size(), 3u);
  EXPECT_EQ(set->records[1].item_id, "2");
  EXPECT_EQ(set->records[1].line, 4u);
  EXPECT_EQ(set->records[2].file, b);
}

TEST_F(LoadLabeledSetTest, ErrorsNameFileAndLine) {
  const std::string a = Write("ls_bad.jsonl", "{\"item_id\":\"1\",\"labels\":[]}\n{\"item_id\":\"2\"}\n");
  StatusOr<LabeledSet> set = LoadLabeledSet({{a, 0, false}});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInput);
  EXPECT_THAT(set.status().message(), HasSubstr(a + ":2: missing labels"));

  const std::string d = Write("ls_dup.jsonl", "{\"item_id\":\"1\",\"labels\":[]}\n{\"item_id\":\"1\",\"labels\":[]}\n");
  set = LoadLabeledSet({{d, 0, false}});
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr(d + ":2: item_id 1 was already used at " + d + ":1"));

  set = LoadLabeledSet({{"/nonexistent/labels.jsonl", 0, false}});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kInput);
  EXPECT_THAT(set.status().message(), HasSubstr("/nonexistent/labels.jsonl"));
}

TEST(ParseViolationsTest, ReadsTheFieldsScoringNeeds) {
  std::vector<FiredRule> fired;
  ASSERT_TRUE(ParseViolations(
                  "{\"item_id\":\"A\",\"merchant_id\":\"M\",\"rule_id\":\"r.one\",\"category\":\"c1\","
                  "\"start\":null}\n{\"item_id\":\"B\",\"rule_id\":\"r.two\",\"category\":\"c2\"}\n",
                  &fired)
                  .ok());
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0].item_id, "A");
  EXPECT_EQ(fired[0].rule_id, "r.one");
  EXPECT_EQ(fired[1].category, "c2");
  EXPECT_FALSE(ParseViolations("{\"item_id\":\"A\"}\n", &fired).ok());
}

}  // namespace
}  // namespace catscan
