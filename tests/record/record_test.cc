#include "scanner/record/record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "scanner/source/chunker.h"

namespace catscan {
namespace {

using ::testing::HasSubstr;

// Parses one line the way the pipeline does: from a buffer that carries
// kChunkPadding spare bytes after the line.
class RecordTest : public ::testing::Test {
 protected:
  RecordTest() : parser_(1 << 20) {}

  std::string Parse(std::string_view line) {
    buffer_.assign(line.data(), line.size());
    buffer_.append(kChunkPadding, '\0');
    return parser_.Parse(std::string_view(buffer_.data(), line.size()), buffer_.size(), &record_);
  }

  // Parses and expects success.
  const Record& Good(std::string_view line) {
    const std::string reason = Parse(line);
    EXPECT_EQ(reason, "") << line;
    return record_;
  }

  // Parses, expects failure, and returns the (non-empty) reason.
  std::string Bad(std::string_view line) {
    const std::string reason = Parse(line);
    EXPECT_NE(reason, "") << "accepted: " << line;
    return reason;
  }

  RecordParser parser_;
  Record record_;
  std::string buffer_;
};

const char kFull[] =
    R"({"item_id":"i-001","merchant_id":"m-42","title":"今晚只卖30分钟","detail_html":"<p>亏本甩卖</p>",)"
    R"("category":"food","status":"on_sale","price":9.9,"original_price":199,"stock":5,)"
    R"("min_order_qty":1,"shipping_fee":0})";

TEST_F(RecordTest, FullValidRecord) {
  const Record& r = Good(kFull);
  EXPECT_EQ(r.item_id, "i-001");
  EXPECT_EQ(r.merchant_id, "m-42");
  EXPECT_EQ(r.text[static_cast<int>(TextField::kTitle)], "今晚只卖30分钟");
  EXPECT_EQ(r.text[static_cast<int>(TextField::kDetailHtml)], "<p>亏本甩卖</p>");
  EXPECT_EQ(r.category, "food");
  EXPECT_EQ(r.status, "on_sale");
  EXPECT_EQ(r.number_present, 0x1F);
  EXPECT_TRUE(r.has(NumberField::kPrice));
  EXPECT_EQ(r.get(NumberField::kPrice), 9.9);
  EXPECT_EQ(r.get(NumberField::kOriginalPrice), 199.0);
  EXPECT_EQ(r.get(NumberField::kStock), 5.0);
  EXPECT_EQ(r.get(NumberField::kMinOrderQty), 1.0);
  EXPECT_TRUE(r.has(NumberField::kShippingFee));
  EXPECT_EQ(r.get(NumberField::kShippingFee), 0.0);
}

TEST_F(RecordTest, UnpaddedBufferGivesTheSameRecord) {
  // capacity == size: the parser must copy rather than read past the end.
  const std::string line(kFull);
  const std::string reason = parser_.Parse(line, line.size(), &record_);
  ASSERT_EQ(reason, "");
  EXPECT_EQ(record_.item_id, "i-001");
  EXPECT_EQ(record_.text[0], "今晚只卖30分钟");
  EXPECT_EQ(record_.get(NumberField::kPrice), 9.9);
}

TEST_F(RecordTest, MinimalRecordHasNothingElse) {
  const Record& r = Good(R"({"item_id":"a","merchant_id":"m"})");
  EXPECT_EQ(r.item_id, "a");
  EXPECT_EQ(r.merchant_id, "m");
  EXPECT_EQ(r.text[0], "");
  EXPECT_EQ(r.text[1], "");
  EXPECT_EQ(r.category, "");
  EXPECT_EQ(r.status, "");
  EXPECT_EQ(r.number_present, 0);
  for (int i = 0; i < kNumNumberFields; ++i) EXPECT_FALSE(r.has(static_cast<NumberField>(i)));
}

TEST_F(RecordTest, IntegerIds) {
  const Record& r = Good(R"({"item_id":123,"merchant_id":18446744073709551615})");
  EXPECT_EQ(r.item_id, "123");
  EXPECT_EQ(r.merchant_id, "18446744073709551615");

  const Record& r2 = Good(R"({"item_id":0,"merchant_id":-9223372036854775808})");
  EXPECT_EQ(r2.item_id, "0");
  EXPECT_EQ(r2.merchant_id, "-9223372036854775808");
}

TEST_F(RecordTest, IntegerIdsSurviveTheNextRecordsStringIds) {
  Good(R"({"item_id":77,"merchant_id":"m"})");
  EXPECT_EQ(record_.item_id, "77");
  const Record& r = Good(R"({"item_id":"s","merchant_id":88})");
  EXPECT_EQ(r.item_id, "s");
  EXPECT_EQ(r.merchant_id, "88");
}

TEST_F(RecordTest, NonIntegerIdIsRejected) {
  EXPECT_THAT(Bad(R"({"item_id":1.5,"merchant_id":"m"})"), HasSubstr("item_id"));
}

TEST_F(RecordTest, MissingIds) {
  const std::string no_item = Bad(R"({"merchant_id":"m","title":"t"})");
  EXPECT_THAT(no_item, HasSubstr("item_id"));
  EXPECT_THAT(no_item, HasSubstr("missing"));
  const std::string no_merchant = Bad(R"({"item_id":"i","title":"t"})");
  EXPECT_THAT(no_merchant, HasSubstr("merchant_id"));
  EXPECT_THAT(no_merchant, HasSubstr("missing"));
  EXPECT_THAT(Bad("{}"), HasSubstr("missing"));
}

TEST_F(RecordTest, NullOrEmptyIds) {
  EXPECT_THAT(Bad(R"({"item_id":null,"merchant_id":"m"})"), HasSubstr("item_id"));
  EXPECT_THAT(Bad(R"({"item_id":"","merchant_id":"m"})"), HasSubstr("item_id"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":null})"), HasSubstr("merchant_id"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":""})"), HasSubstr("merchant_id"));
  EXPECT_THAT(Bad(R"({"item_id":["i"],"merchant_id":"m"})"), HasSubstr("item_id"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":{"id":1}})"), HasSubstr("merchant_id"));
  EXPECT_THAT(Bad(R"({"item_id":true,"merchant_id":"m"})"), HasSubstr("item_id"));
}

TEST_F(RecordTest, WrongTypes) {
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","price":"abc"})"), HasSubstr("price"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","price":"9.9"})"), HasSubstr("price"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","title":5})"), HasSubstr("title"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","stock":true})"), HasSubstr("stock"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","detail_html":["x"]})"),
              HasSubstr("detail_html"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","category":{}})"), HasSubstr("category"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","status":false})"), HasSubstr("status"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","original_price":[1]})"),
              HasSubstr("original_price"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","min_order_qty":{}})"),
              HasSubstr("min_order_qty"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","shipping_fee":"0"})"),
              HasSubstr("shipping_fee"));
}

TEST_F(RecordTest, NegativeNumbersAreRejected) {
  const std::string reason = Bad(R"({"item_id":"i","merchant_id":"m","stock":-1})");
  EXPECT_THAT(reason, HasSubstr("stock"));
  EXPECT_THAT(reason, HasSubstr("negative"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","price":-0.01})"), HasSubstr("price"));
}

TEST_F(RecordTest, OutOfRangeNumberIsRejected) {
  // 1e400 does not fit a double: simdjson refuses it or the parser does.
  EXPECT_NE(Bad(R"({"item_id":"i","merchant_id":"m","price":1e400})"), "");
}

TEST_F(RecordTest, LargeAndZeroNumbersAreKept) {
  const Record& r = Good(
      R"({"item_id":"i","merchant_id":"m","price":0,"stock":18446744073709551615,"shipping_fee":1e300})");
  EXPECT_EQ(r.get(NumberField::kPrice), 0.0);
  EXPECT_EQ(r.get(NumberField::kStock), 18446744073709551615.0);
  EXPECT_EQ(r.get(NumberField::kShippingFee), 1e300);
  EXPECT_EQ(r.number_present, (1 << 0) | (1 << 2) | (1 << 4));
}

TEST_F(RecordTest, NullOptionalFieldsAreAbsent) {
  const Record& r =
      Good(R"({"item_id":"i","merchant_id":"m","title":null,"detail_html":null,"category":null,)"
           R"("status":null,"price":null,"original_price":null,"stock":null,"min_order_qty":null,)"
           R"("shipping_fee":null})");
  EXPECT_EQ(r.text[0], "");
  EXPECT_EQ(r.text[1], "");
  EXPECT_EQ(r.category, "");
  EXPECT_EQ(r.number_present, 0);
  EXPECT_FALSE(r.has(NumberField::kPrice));
}

TEST_F(RecordTest, FieldsDoNotLeakIntoTheNextRecord) {
  Good(kFull);
  const Record& r = Good(R"({"item_id":"second","merchant_id":"m2"})");
  EXPECT_EQ(r.item_id, "second");
  EXPECT_EQ(r.text[0], "");
  EXPECT_EQ(r.text[1], "");
  EXPECT_EQ(r.category, "");
  EXPECT_EQ(r.status, "");
  EXPECT_EQ(r.number_present, 0);
}

TEST_F(RecordTest, DuplicateKnownKeyIsRejected) {
  const std::string price = Bad(R"({"item_id":"i","merchant_id":"m","price":1,"price":2})");
  EXPECT_THAT(price, HasSubstr("price"));
  EXPECT_THAT(price, HasSubstr("duplicate"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","item_id":"j"})"), HasSubstr("item_id"));
  EXPECT_THAT(Bad(R"({"item_id":"i","merchant_id":"m","title":"a","title":null})"),
              HasSubstr("title"));
}

TEST_F(RecordTest, DuplicateUnknownKeyIsIgnored) {
  const Record& r = Good(R"({"item_id":"i","merchant_id":"m","x":1,"x":2})");
  EXPECT_EQ(r.item_id, "i");
}

TEST_F(RecordTest, UnknownKeysAreIgnoredIncludingNestedValues) {
  const Record& r = Good(
      R"({"extra":{"price":"x","title":5,"item_id":null},"item_id":"i","arr":[1,{"stock":-1},[[]]],)"
      R"("merchant_id":"m","flag":true,"n":null,"Price":"not the price","title ":1})");
  EXPECT_EQ(r.item_id, "i");
  EXPECT_EQ(r.merchant_id, "m");
  EXPECT_EQ(r.number_present, 0);
  EXPECT_EQ(r.text[0], "");
}

TEST_F(RecordTest, NotAnObject) {
  for (const char* line : {"[1,2]", "\"str\"", "3", "null", "true", "[]"}) {
    EXPECT_THAT(Bad(line), HasSubstr("object")) << line;
  }
}

TEST_F(RecordTest, MalformedJson) {
  for (const char* line :
       {"", "   ", "{", "{\"item_id\":\"i\"", "{\"item_id\":}", "{'item_id':'i'}",
        "{\"item_id\":\"i\",}", "{\"item_id\":\"i\" \"merchant_id\":\"m\"}",
        "{\"item_id\":\"i\",\"merchant_id\":\"m", "{\"item_id\":\"i\",\"merchant_id\":\"m\"}}",
        "{\"item_id\":01,\"merchant_id\":\"m\"}", "{\"item_id\":\"\\x\",\"merchant_id\":\"m\"}",
        "{\"item_id\":\"i\",\"merchant_id\":\"m\",\"price\":NaN}"}) {
    Bad(line);
  }
}

TEST_F(RecordTest, InvalidUtf8IsRejected) {
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"title\":\"a\xFF"
      "b\"}");
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"title\":\"\xE4\xB8\"}");
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"title\":\"\xED\xA0\x80\"}");
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"title\":\"\xC0\x80\"}");
  // Even in a key the parser ignores.
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"x\xFF\":1}");
}

TEST_F(RecordTest, RawControlCharactersInStringsAreRejected) {
  // JSON requires control characters inside strings to be escaped.
  Bad(std::string_view("{\"item_id\":\"a\0b\",\"merchant_id\":\"m\"}", 35));
  Bad("{\"item_id\":\"i\",\"merchant_id\":\"m\",\"title\":\"tab\there\"}");
}

TEST_F(RecordTest, EscapedNulIsKept) {
  const Record& r = Good(R"({"item_id":"a\u0000b","merchant_id":"m","title":"x\ny"})");
  EXPECT_EQ(r.item_id, std::string_view("a\0b", 3));
  EXPECT_EQ(r.text[0], "x\ny");
}

TEST_F(RecordTest, NulAfterTheObjectIsTrailingContent) {
  Bad(std::string_view("{\"item_id\":\"i\",\"merchant_id\":\"m\"}\0", 34));
}

TEST_F(RecordTest, TrailingContentIsRejected) {
  Bad("{} {}");
  Bad(R"({"item_id":"i","merchant_id":"m"} {"item_id":"j","merchant_id":"m"})");
  Bad(R"({"item_id":"i","merchant_id":"m"}x)");
  Bad(R"({"item_id":"i","merchant_id":"m"},)");
  Bad(R"({"item_id":"i","merchant_id":"m"} 1)");
}

TEST_F(RecordTest, SurroundingWhitespaceIsAllowed) {
  const Record& r = Good(" \t{\"item_id\":\"i\",\"merchant_id\":\"m\"}  \t ");
  EXPECT_EQ(r.item_id, "i");
}

TEST_F(RecordTest, UnicodeEscapesAreDecoded) {
  const Record& r =
      Good(R"({"item_id":"i","merchant_id":"m","title":"\u539f\u4ef7 \ud83d\ude00"})");
  EXPECT_EQ(r.text[0], "原价 \xF0\x9F\x98\x80");
}

TEST_F(RecordTest, LineOverTheParserCapacityIsRejected) {
  RecordParser small(64);
  const std::string line =
      R"({"item_id":"i","merchant_id":"m","title":")" + std::string(100, 'x') + "\"}";
  std::string buf = line + std::string(kChunkPadding, '\0');
  Record r;
  EXPECT_NE(small.Parse(std::string_view(buf.data(), line.size()), buf.size(), &r), "");
  // And a short one still parses with the same parser.
  const std::string ok = R"({"item_id":"i","merchant_id":"m"})";
  buf = ok + std::string(kChunkPadding, '\0');
  EXPECT_EQ(small.Parse(std::string_view(buf.data(), ok.size()), buf.size(), &r), "");
  EXPECT_EQ(r.item_id, "i");
}

TEST(RecordNamesTest, FieldNames) {
  EXPECT_STREQ(TextFieldName(TextField::kTitle), "title");
  EXPECT_STREQ(TextFieldName(TextField::kDetailHtml), "detail_html");
  EXPECT_STREQ(NumberFieldName(NumberField::kPrice), "price");
  EXPECT_STREQ(NumberFieldName(NumberField::kOriginalPrice), "original_price");
  EXPECT_STREQ(NumberFieldName(NumberField::kStock), "stock");
  EXPECT_STREQ(NumberFieldName(NumberField::kMinOrderQty), "min_order_qty");
  EXPECT_STREQ(NumberFieldName(NumberField::kShippingFee), "shipping_fee");
}

TEST(RecordNamesTest, ParseNumberField) {
  NumberField f = NumberField::kPrice;
  ASSERT_TRUE(ParseNumberField("shipping_fee", &f));
  EXPECT_EQ(f, NumberField::kShippingFee);
  ASSERT_TRUE(ParseNumberField("original_price", &f));
  EXPECT_EQ(f, NumberField::kOriginalPrice);
  EXPECT_FALSE(ParseNumberField("Price", &f));
  EXPECT_FALSE(ParseNumberField("title", &f));
  EXPECT_FALSE(ParseNumberField("", &f));
  EXPECT_EQ(f, NumberField::kOriginalPrice);  // untouched on failure
}

}  // namespace
}  // namespace catscan
