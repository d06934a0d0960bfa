#include "scanner/base/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace catscan {
namespace {

// U+FFFD REPLACEMENT CHARACTER in UTF-8.
const std::string kFffd = "\xEF\xBF\xBD";

std::string Quote(std::string_view s) {
  std::string out;
  AppendJsonString(&out, s);
  return out;
}

std::string Number(double v) {
  std::string out;
  AppendJsonNumber(&out, v);
  return out;
}

TEST(AppendJsonStringTest, PlainAsciiIsQuoted) {
  EXPECT_EQ(Quote(""), "\"\"");
  EXPECT_EQ(Quote("hello world"), "\"hello world\"");
  EXPECT_EQ(Quote("/"), "\"/\"");  // no need to escape the solidus
}

TEST(AppendJsonStringTest, EscapesQuoteAndBackslash) {
  EXPECT_EQ(Quote("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(Quote("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(Quote("\\\""), "\"\\\\\\\"\"");
}

TEST(AppendJsonStringTest, EscapesControlCharacters) {
  EXPECT_EQ(Quote("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Quote("\x01"), "\"\\u0001\"");
  EXPECT_EQ(Quote("a\x1f"
                  "b"),
            "\"a\\u001fb\"");
  EXPECT_EQ(Quote(std::string_view("x\0y", 3)), "\"x\\u0000y\"");
  EXPECT_EQ(Quote("\x0b"), "\"\\u000b\"");
  // DEL (0x7F) is not a JSON control character: it passes through.
  EXPECT_EQ(Quote("\x7f"), "\"\x7f\"");
}

TEST(AppendJsonStringTest, ValidUtf8PassesThrough) {
  EXPECT_EQ(Quote("原价999"), "\"原价999\"");
  EXPECT_EQ(Quote("加微信：abc"), "\"加微信：abc\"");
  EXPECT_EQ(Quote("\xC2\xA9"), "\"\xC2\xA9\"");                  // U+00A9, 2 bytes
  EXPECT_EQ(Quote("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\"");  // U+1F600, 4 bytes
  EXPECT_EQ(Quote("\xF4\x8F\xBF\xBF"), "\"\xF4\x8F\xBF\xBF\"");  // U+10FFFF
  EXPECT_EQ(Quote("\xE2\x80\xA8"), "\"\xE2\x80\xA8\"");          // U+2028
}

TEST(AppendJsonStringTest, LoneInvalidByteBecomesReplacementCharacter) {
  EXPECT_EQ(Quote("a\xFF"
                  "b"),
            "\"a" + kFffd + "b\"");
  EXPECT_EQ(Quote("\x80"), "\"" + kFffd + "\"");  // a stray continuation byte
  EXPECT_EQ(Quote("\xF5\x80\x80\x80"), "\"" + kFffd + kFffd + kFffd + kFffd + "\"");
}

TEST(AppendJsonStringTest, TruncatedSequenceBecomesReplacementCharacters) {
  // "中" is E4 B8 AD; drop the last byte, in the middle and at the end.
  EXPECT_EQ(Quote("\xE4\xB8"
                  "x"),
            "\"" + kFffd + kFffd + "x\"");
  EXPECT_EQ(Quote("ab\xE4\xB8"), "\"ab" + kFffd + kFffd + "\"");
  EXPECT_EQ(Quote("\xF0\x9F\x98"), "\"" + kFffd + kFffd + kFffd + "\"");
}

TEST(AppendJsonStringTest, OverlongEncodingBecomesReplacementCharacters) {
  EXPECT_EQ(Quote("\xC0\x80"), "\"" + kFffd + kFffd + "\"");              // overlong NUL
  EXPECT_EQ(Quote("\xC1\xBF"), "\"" + kFffd + kFffd + "\"");              // overlong U+007F
  EXPECT_EQ(Quote("\xE0\x80\xAF"), "\"" + kFffd + kFffd + kFffd + "\"");  // overlong '/'
  EXPECT_EQ(Quote("\xF0\x80\x80\xAF"), "\"" + kFffd + kFffd + kFffd + kFffd + "\"");
}

TEST(AppendJsonStringTest, SurrogateAndOutOfRangeBecomeReplacementCharacters) {
  EXPECT_EQ(Quote("\xED\xA0\x80"), "\"" + kFffd + kFffd + kFffd + "\"");  // U+D800
  EXPECT_EQ(Quote("\xED\xBF\xBF"), "\"" + kFffd + kFffd + kFffd + "\"");  // U+DFFF
  EXPECT_EQ(Quote("\xED\x9F\xBF"), "\"\xED\x9F\xBF\"");                   // U+D7FF is fine
  EXPECT_EQ(Quote("\xF4\x90\x80\x80"),
            "\"" + kFffd + kFffd + kFffd + kFffd + "\"");  // above U+10FFFF
}

TEST(AppendJsonStringTest, AppendsToExistingContent) {
  std::string out = "prefix:";
  AppendJsonString(&out, "x");
  EXPECT_EQ(out, "prefix:\"x\"");
}

TEST(IsValidUtf8Test, AcceptsAndRejects) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("原价999 \xF0\x9F\x98\x80"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("\0", 1)));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("ok\x80"));
}

TEST(Utf8PrefixTest, NeverSplitsASequence) {
  const std::string s = "中文";  // E4 B8 AD E6 96 87
  EXPECT_EQ(Utf8Prefix(s, 0), "");
  EXPECT_EQ(Utf8Prefix(s, 1), "");
  EXPECT_EQ(Utf8Prefix(s, 2), "");
  EXPECT_EQ(Utf8Prefix(s, 3), "中");
  EXPECT_EQ(Utf8Prefix(s, 4), "中");
  EXPECT_EQ(Utf8Prefix(s, 5), "中");
  EXPECT_EQ(Utf8Prefix(s, 6), "中文");
  EXPECT_EQ(Utf8Prefix(s, 100), "中文");

  const std::string emoji = "a\xF0\x9F\x98\x80z";
  EXPECT_EQ(Utf8Prefix(emoji, 1), "a");
  EXPECT_EQ(Utf8Prefix(emoji, 2), "a");
  EXPECT_EQ(Utf8Prefix(emoji, 4), "a");
  EXPECT_EQ(Utf8Prefix(emoji, 5), "a\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8Prefix(emoji, 6), emoji);

  EXPECT_EQ(Utf8Prefix("abcdef", 3), "abc");
  EXPECT_EQ(Utf8Prefix("", 3), "");
}

TEST(Utf8PrefixTest, StrayContinuationBytesAreNotSequences) {
  // A continuation byte without a lead byte starts no sequence, so cutting
  // after it splits nothing, and the characters before it are complete.
  const std::string stray = "ab" + std::string(10, '\x80');
  EXPECT_EQ(Utf8Prefix(stray, 5), "ab\x80\x80\x80");
  EXPECT_EQ(Utf8Prefix(stray, 2), "ab");
  EXPECT_EQ(Utf8Prefix("中\x80\x80", 4), "中\x80");
  EXPECT_EQ(Utf8Prefix("中\x80\x80", 3), "中");
}

TEST(Utf8PrefixTest, EveryPrefixOfMixedTextIsValid) {
  const std::string s = "标题 a\xC2\xA9 \xF0\x9F\x98\x80 原价999元 end";
  size_t previous = 0;
  for (size_t max = 0; max <= s.size(); ++max) {
    const std::string_view p = Utf8Prefix(s, max);
    EXPECT_LE(p.size(), max);
    EXPECT_GE(p.size(), previous);  // grows monotonically
    EXPECT_GE(p.size() + 3, max) << "at most 3 bytes of a 4-byte sequence are dropped";
    EXPECT_TRUE(IsValidUtf8(p)) << "max_bytes=" << max;
    EXPECT_EQ(p, std::string_view(s).substr(0, p.size()));
    previous = p.size();
  }
}

TEST(AppendJsonNumberTest, ShortestRoundTripForm) {
  EXPECT_EQ(Number(0), "0");
  EXPECT_EQ(Number(-0.0), "-0");
  EXPECT_EQ(Number(9.9), "9.9");
  EXPECT_EQ(Number(0.1), "0.1");
  EXPECT_EQ(Number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(Number(199), "199");
  EXPECT_EQ(Number(-12.5), "-12.5");
  EXPECT_EQ(Number(123456789012.0), "123456789012");
  EXPECT_EQ(Number(1e21), "1e+21");
  EXPECT_EQ(Number(1.5e-7), "1.5e-07");
  EXPECT_EQ(Number(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(Number(5e-324), "5e-324");
}

TEST(AppendJsonNumberTest, NonFiniteBecomesNull) {
  EXPECT_EQ(Number(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(Number(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(Number(-std::numeric_limits<double>::infinity()), "null");
}

TEST(AppendJsonNumberTest, ReadsBackToTheSameDouble) {
  const double values[] = {9.9, 0.1 + 0.2, 1e21, 1.0 / 3.0, 2.5e-300, 123.456, 1e15 + 0.5};
  for (double v : values) {
    const std::string text = Number(v);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), v) << text;
  }
}

TEST(JsonWriterTest, FlatObject) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("s")
      .String("x")
      .Key("i")
      .Int(-42)
      .Key("u")
      .Uint(std::numeric_limits<uint64_t>::max())
      .Key("d")
      .Double(9.9)
      .Key("t")
      .Bool(true)
      .Key("f")
      .Bool(false)
      .Key("n")
      .Null()
      .EndObject();
  EXPECT_EQ(out,
            "{\"s\":\"x\",\"i\":-42,\"u\":18446744073709551615,\"d\":9.9,\"t\":true,"
            "\"f\":false,\"n\":null}");
}

TEST(JsonWriterTest, NestedContainersGetCommasRight) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("a").Int(1).Key("b").BeginArray();
  w.Int(1).String("x").Null().Bool(true).BeginObject().Key("c").Bool(false).EndObject();
  w.BeginArray().EndArray().BeginArray().Int(2).Int(3).EndArray();
  w.EndArray().Key("d").BeginObject().EndObject().Key("e").BeginObject().Key("f").BeginArray();
  w.EndArray().EndObject().EndObject();
  EXPECT_EQ(out,
            "{\"a\":1,\"b\":[1,\"x\",null,true,{\"c\":false},[],[2,3]],\"d\":{},"
            "\"e\":{\"f\":[]}}");
}

TEST(JsonWriterTest, TopLevelArrayAndKeysAreEscaped) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray().BeginObject().Key("k\"ey\n").Double(std::nan("")).EndObject().Double(0.5);
  w.EndArray();
  EXPECT_EQ(out, "[{\"k\\\"ey\\n\":null},0.5]");
}

TEST(JsonWriterTest, TwoWritersOnOneStringWriteTwoDocuments) {
  std::string out;
  JsonWriter(&out).BeginObject().Key("a").Int(1).EndObject();
  out.push_back('\n');
  JsonWriter(&out).BeginObject().Key("b").Int(2).EndObject();
  EXPECT_EQ(out, "{\"a\":1}\n{\"b\":2}");
}

// Writes {"k": s} and reads it back with simdjson, which checks the JSON and
// the UTF-8.
std::string RoundTrip(std::string_view s) {
  std::string json;
  JsonWriter(&json).BeginObject().Key("k").String(s).EndObject();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(json).get(doc)) {
    return "PARSE ERROR " + std::string(simdjson::error_message(e)) + " in " + json;
  }
  std::string_view value;
  if (auto e = doc["k"].get(value)) return "NO STRING " + std::string(simdjson::error_message(e));
  return std::string(value);
}

TEST(JsonWriterTest, RoundTripsNastyStringsThroughSimdjson) {
  std::string all_ascii;
  for (int c = 0; c < 0x80; ++c) all_ascii.push_back(static_cast<char>(c));
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {all_ascii, all_ascii},
      {"\"\\/\b\f\n\r\t", "\"\\/\b\f\n\r\t"},
      {std::string("\0\0\0", 3), std::string("\0\0\0", 3)},
      {"原价999元 加微信：shop_888", "原价999元 加微信：shop_888"},
      {"\xE2\x80\xA8\xE2\x80\xA9", "\xE2\x80\xA8\xE2\x80\xA9"},  // JS line separators
      {"\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF", "\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF"},
      {"\xEF\xBB\xBF"
       "bom",
       "\xEF\xBB\xBF"
       "bom"},
      {"a\xFF"
       "b",
       "a" + kFffd + "b"},
      {"\xE4\xB8", kFffd + kFffd},
      {"\xC0\x80", kFffd + kFffd},
      {"\xED\xA0\x80", kFffd + kFffd + kFffd},
      {"\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},
      {"\\u0041", "\\u0041"},  // not an escape: a backslash and five characters
      {"\x80\x80\"", kFffd + kFffd + "\""},
      {"中\xE6\x96"
       "\"",
       "中" + kFffd + kFffd + "\""},
      {std::string(5000, '\\'), std::string(5000, '\\')},
  };
  for (const auto& [input, expected] : cases) {
    EXPECT_EQ(RoundTrip(input), expected) << "input of " << input.size() << " bytes";
  }
}

TEST(JsonWriterTest, RoundTripsEveryByteValue) {
  // Every single byte, alone and between ASCII letters.
  for (int c = 0; c < 256; ++c) {
    const std::string s = "a" + std::string(1, static_cast<char>(c)) + "z";
    const std::string expected = c < 0x80 ? s : "a" + kFffd + "z";
    EXPECT_EQ(RoundTrip(s), expected) << "byte " << c;
  }
}

// Byte-at-a-time references, written from RFC 3629 and RFC 8259 without the
// code's fast paths, to check the 16-byte escaping and the validator switch
// (short strings byte by byte, 64 bytes and up by simdjson) against.
size_t ReferenceSequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  size_t len = 0;
  uint32_t cp = 0;
  if (b(0) < 0x80) return 1;
  if ((b(0) & 0xE0) == 0xC0) len = 2, cp = b(0) & 0x1F;
  else if ((b(0) & 0xF0) == 0xE0) len = 3, cp = b(0) & 0x0F;
  else if ((b(0) & 0xF8) == 0xF0) len = 4, cp = b(0) & 0x07;
  else return 0;
  if (s.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool ReferenceValid(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = ReferenceSequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string ReferenceQuote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = ReferenceSequenceLength(s, i);
    if (n == 0) {
      out += kFffd;
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    char buf[8];
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\b') out += "\\b";
    else if (c == '\f') out += "\\f";
    else if (c < 0x20) std::snprintf(buf, sizeof buf, "\\u%04x", c), out += buf;
    else out.push_back(static_cast<char>(c));
    ++i;
  }
  return out + "\"";
}

TEST(AppendJsonStringTest, MatchesByteAtATimeReferenceAtEveryOffset) {
  // Each special byte at every offset of texts 0-99 bytes long (across the
  // 16-byte steps and the 64-byte validator switch), in ASCII and in Chinese
  // text, and an invalid byte at the same place.
  const std::vector<std::string> specials = {
      "\"", "\\", "\n", std::string(1, '\0'), "\x1F", " ", "\x7F", "\x01",
      "\xFF", "\x80", "\xE4\xB8", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80"};
  for (const std::string fill : {"a", "中"}) {
    for (size_t len = 0; len < 100; ++len) {
      std::string base;
      while (base.size() < len) base += fill;
      EXPECT_EQ(Quote(base), ReferenceQuote(base)) << "plain, " << base.size() << " bytes";
      for (const std::string& sp : specials) {
        for (size_t at = 0; at <= base.size(); at += fill.size()) {
          const std::string s = base.substr(0, at) + sp + base.substr(at);
          ASSERT_EQ(Quote(s), ReferenceQuote(s)) << "special " << sp.size() << " bytes at " << at
                                                 << " of " << s.size();
          ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << "at " << at << " of " << s.size();
        }
      }
    }
  }
}

TEST(AppendJsonStringTest, MatchesReferenceOnRandomBytes) {
  // Random mixes of valid sequences, specials and corruptions, short and
  // long, so both validators and both escaping paths meet every kind.
  const std::vector<std::string> pieces = {"a", "原价", "\xF0\x9F\x98\x80", "\"", "\\", "\n",
                                           "\x05", "\xC3\xA9", "\xFF", "\x80", "\xE4\xB8",
                                           "<b>", "\xED\xBF\xBF", "\xF0\x8F\xBF\xBF"};
  uint64_t state = 42;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>(state >> 33);
  };
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const size_t parts = next() % 60;
    for (size_t k = 0; k < parts; ++k) s += pieces[next() % pieces.size()];
    ASSERT_EQ(Quote(s), ReferenceQuote(s)) << "round " << round;
    ASSERT_EQ(IsValidUtf8(s), ReferenceValid(s)) << "round " << round;
  }
}

}  // namespace
}  // namespace catscan
