#include "scanner/base/csv_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace catscan {
namespace {

std::string Field(std::string_view s) {
  std::string out;
  AppendCsvField(&out, s);
  return out;
}

TEST(CsvWriterTest, PlainFieldsStayAsTheyAre) {
  EXPECT_EQ(Field("abc"), "abc");
  EXPECT_EQ(Field("今晚只卖30分钟"), "今晚只卖30分钟");
  EXPECT_EQ(Field(""), "");
  EXPECT_EQ(Field("-5"), "-5");  // a number, not a formula
  EXPECT_EQ(Field("0.25"), "0.25");
}

TEST(CsvWriterTest, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(Field("a,b"), "\"a,b\"");
  EXPECT_EQ(Field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Field("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(Field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(Field(" padded "), "\" padded \"");
}

TEST(CsvWriterTest, FormulasAreDefused) {
  EXPECT_EQ(Field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(Field("+1+2"), "\"'+1+2\"");
  EXPECT_EQ(Field("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(Field("-"), "\"'-\"");
}

TEST(CsvWriterTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(Field("a\xFF" "b\xE4\xBD"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(CsvWriterTest, RowsEndWithCrLf) {
  std::string out;
  AppendCsvRow(&out, {"a", "b,c", ""});
  AppendCsvRow(&out, {"x"});
  EXPECT_EQ(out, "a,\"b,c\",\r\nx\r\n");
}

TEST(CsvWriterTest, EachSpecialIsQuotedAtEveryOffset) {
  // The quoting decision scans every byte: a separator anywhere in a long
  // field, first, last or in the middle, makes the whole field quoted.
  for (const char special : {',', '"', '\r', '\n'}) {
    for (size_t len = 1; len < 90; ++len) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'x');
        s[at] = special;
        // A CR first could start a formula: it gets the guard quote too.
        std::string expected = special == '\r' && at == 0 ? "\"'" : "\"";
        for (const char c : s) {
          expected.push_back(c);
          if (c == '"') expected.push_back('"');
        }
        expected.push_back('"');
        ASSERT_EQ(Field(s), expected) << "byte " << int(special) << " at " << at << " of " << len;
      }
    }
  }
  EXPECT_EQ(Field(std::string(100, 'x')), std::string(100, 'x'));
  EXPECT_EQ(Field("\t;|\x7F"), "\"'\t;|\x7F\"");  // a tab first is a formula; no separator
}

}  // namespace
}  // namespace catscan
