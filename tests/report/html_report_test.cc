#include "scanner/report/html_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

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

// The byte-at-a-time escaping AppendScriptSafeJson must equal, whatever its
// fast path does.
std::string ScriptSafeReference(std::string_view json) {
  std::string out;
  for (char c : json) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

TEST(HtmlReportTest, ScriptSafeJsonEscapesEverySpecialWhereverItSits) {
  // Specials at every offset of texts 0-49 bytes long (the fast path takes
  // 16 bytes a step), alone, in pairs, and among multi-byte characters.
  const std::string base = "abc福利款def0米送ghijklmnopqrstuvwxyz0123456789ABCD";
  for (size_t len = 0; len < 50; ++len) {
    const std::string text = base.substr(0, len);
    for (size_t at = 0; at < len; ++at) {
      for (const char* special : {"<", ">", "&", "<&", "&&&"}) {
        std::string t = text;
        t.replace(at, std::min(std::strlen(special), len - at), special,
                  std::min(std::strlen(special), len - at));
        std::string out = "keep";
        AppendScriptSafeJson(&out, t);
        ASSERT_EQ(out, "keep" + ScriptSafeReference(t)) << "len " << len << " at " << at;
      }
    }
    std::string out;
    AppendScriptSafeJson(&out, text);
    EXPECT_EQ(out, text);
  }
}

// Writes the report of a sweep ("m", "v", takedowns.jsonl at "takedowns",
// embedding at most "max_listings") to dir/report.html and reads it into *html.
Status WriteReport(const test::TempDir& dir, const ManifestInfo& m, const VerdictTotals& v,
                   const std::string& takedowns, size_t max_listings, std::string* html) {
  const Policy policy = Policy::Builtin();
  ReportInput in;
  in.manifest = &m;
  in.policy = &policy;
  in.verdicts = &v;
  in.takedowns_path = takedowns;
  in.max_listings = max_listings;
  in.generated_at = "2026-01-01T00:00:00Z";
  StatusOr<std::unique_ptr<OutputFile>> out = OutputFile::Create(dir.File("report.html"));
  if (!out.ok()) return out.status();
  if (Status s = WriteHtmlReport(in, out.value().get()); !s.ok()) return s;
  if (Status s = out.value()->Finish(); !s.ok()) return s;
  if (Status s = out.value()->Publish(); !s.ok()) return s;
  *html = test::ReadFile(dir.File("report.html"));
  return Status::OK();
}

// The report of "listings" flagged listings and nothing else.
Status WriteReportOf(const test::TempDir& dir, const std::string& takedowns, uint64_t listings,
                     size_t max_listings, std::string* html) {
  RulePack pack;
  pack.name = "p";
  ManifestInfo m;
  m.pack = &pack;
  VerdictTotals v;
  v.listings = listings;
  return WriteReport(dir, m, v, takedowns, max_listings, html);
}

// The embedded listings: the JSON array in <script id="listing-data">.
std::string ListingData(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"listing-data\">";
  const size_t from = html.find(open);
  if (from == std::string::npos) return "";
  const size_t start = from + open.size();
  return html.substr(start, html.find("</script>", start) - start);
}

TEST(HtmlReportTest, EmbedsTakedownLinesAcrossReadBlocks) {
  // ~3 MB of lines of varying length, so lines straddle the 1 MiB reads; the
  // last one has no newline.
  test::TempDir dir;
  std::vector<std::string> lines;
  std::string file;
  for (int i = 0; i < 9000; ++i) {
    lines.push_back("{\"item_id\":\"I" + std::to_string(i) + "\",\"text\":\"<p>" +
                    std::string(static_cast<size_t>(i * 37 % 600), 'x') + "&amp;</p>\"}");
    file += lines.back();
    if (i + 1 < 9000) file += "\n";
  }
  const std::string takedowns = dir.File("takedowns.jsonl");
  ASSERT_TRUE(test::WriteFile(takedowns, file));
  for (size_t cap : {size_t{9000}, size_t{200000}, size_t{4321}, size_t{0}}) {
    std::string html;
    ASSERT_TRUE(WriteReportOf(dir, takedowns, lines.size(), cap, &html).ok());
    std::string want = "[";
    for (size_t i = 0; i < std::min(cap, lines.size()); ++i) {
      if (i > 0) want += ",";
      want += ScriptSafeReference(lines[i]);
    }
    want += "]";
    EXPECT_EQ(ListingData(html), want) << "cap " << cap;
  }
}

TEST(HtmlReportTest, ABadTakedownLineInALaterBlockNamesItsLine) {
  test::TempDir dir;
  std::string file;
  for (int i = 0; i < 5000; ++i) file += "{\"item_id\":\"" + std::string(400, 'a') + "\"}\n";
  file += "not json\n";
  const std::string takedowns = dir.File("takedowns.jsonl");
  ASSERT_TRUE(test::WriteFile(takedowns, file));
  std::string html;
  const Status s = WriteReportOf(dir, takedowns, 5001, 200000, &html);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("line 5001 is not a JSON object"));
}

TEST(HtmlReportTest, AReadErrorOnTheTakedownListFailsTheReport) {
  // A directory opens for reading, then every read fails (EISDIR): the
  // report must fail, not embed an empty list as if takedowns.jsonl were.
  test::TempDir dir;
  std::string html;
  const Status s = WriteReportOf(dir, dir.path(), 3, 200000, &html);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("error reading back"));
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
  std::string html;
  ASSERT_TRUE(WriteReport(dir, m, v, takedowns, 200000, &html).ok());
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
