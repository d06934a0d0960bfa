#include "scanner/report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HtmlReportTest, HtmlEscapingCoversMarkupAndQuotes) {
  std::string out;
  AppendHtmlEscaped(&out, "<img src=x onerror='a(\"1\")'> & 0元送");
  EXPECT_EQ(out, "&lt;img src=x onerror=&#39;a(&quot;1&quot;)&#39;&gt; &amp; 0元送");
}

TEST(HtmlReportTest, ScriptSafeJsonCannotCloseTheScript) {
  std::string out;
  AppendScriptSafeJson(&out, R"({"t":"</script><!-- & -->"})");
  EXPECT_EQ(out, R"({"t":"\u003c/script\u003e\u003c!-- \u0026 --\u003e"})");
}

// A whole report from a hand-made sweep: hostile ids and text stay inert.
TEST(HtmlReportTest, HostileTextNeverBecomesMarkup) {
  test::TempDir dir;
  const std::string takedowns = dir.File("takedowns.jsonl");
  ASSERT_TRUE(test::WriteFile(
      takedowns,
      R"({"item_id":"</script><script>x()</script>","merchant_id":"<b>m</b>","action":"takedown_listing","action_zh":"下架","severity":"general","clauses":["3.2"],"rule_ids":["r"],"evidence":[{"rule_id":"r","clause":"3.2","severity":"general","field":"title","start":0,"end":3,"text":"<img src=x onerror=y()>","before":"","after":""}]})"
      "\n"));
  RulePack pack;
  pack.name = "p";
  Rule rule;
  rule.id = "r";
  rule.clause = "3.2";
  rule.category = "fake_freebie";
  rule.title = "<i>title</i>";
  pack.rules = {rule};
  ManifestInfo m;
  m.pack = &pack;
  m.counts.records_scanned = 1;
  m.counts.violations = 1;
  m.counts.by_rule[0] = 1;
  m.merchants_scanned = 1;
  m.merchants_violating = 1;
  VerdictTotals v;
  v.listings = 1;
  v.listings_by_severity[1] = 1;
  v.listings_by_clause["3.2"] = 1;
  v.listings_by_rule["r"] = 1;
  MerchantVerdict mv;
  mv.merchant_id = "<b>m</b>";
  mv.action = Action::kTakedownListings;
  mv.reasons = {"</script>why"};
  v.merchants = {mv};
  const Policy policy = Policy::Builtin();
  ReportInput in;
  in.manifest = &m;
  in.policy = &policy;
  in.verdicts = &v;
  in.takedowns_path = takedowns;
  in.generated_at = "2026-01-01T00:00:00Z";
  StatusOr<std::unique_ptr<OutputFile>> out = OutputFile::Create(dir.File("report.html"));
  ASSERT_TRUE(out.ok());
  ASSERT_TRUE(WriteHtmlReport(in, out.value().get()).ok());
  ASSERT_TRUE(out.value()->Finish().ok());
  ASSERT_TRUE(out.value()->Publish().ok());
  const std::string html = test::ReadFile(dir.File("report.html"));
  EXPECT_THAT(html, Not(HasSubstr("<b>m</b>")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, Not(HasSubstr("<i>title")));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;m&lt;/b&gt;"));  // the static top-merchant table
  EXPECT_THAT(html, HasSubstr("#q=%3Cb%3Em%3C%2Fb%3E"));
  // Only the page's own three scripts close.
  size_t closes = 0;
  for (size_t at = html.find("</script>"); at != std::string::npos;
       at = html.find("</script>", at + 1)) {
    ++closes;
  }
  EXPECT_EQ(closes, 3u);
}

}  // namespace
}  // namespace catscan
