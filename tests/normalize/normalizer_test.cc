#include "scanner/normalize/normalizer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <iterator>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace catscan {
namespace {

using Kind = Normalizer::Kind;
using Range = std::pair<uint32_t, uint32_t>;

const Normalizer& Norm() {
  static const Normalizer* normalizer = new Normalizer();
  return *normalizer;
}

std::string N(std::string_view s, Kind kind = Kind::kPlainText) {
  NormalizedText out;
  Norm().Normalize(s, kind, &out);
  return std::string(out.text());
}

std::string H(std::string_view s) { return N(s, Kind::kHtml); }

// UTF-8 text split into characters.
std::vector<std::string> Chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

uint32_t CodePoint(const std::string& c) {
  const auto* b = reinterpret_cast<const unsigned char*>(c.data());
  if (c.size() == 1) return b[0];
  if (c.size() == 2) return ((b[0] & 0x1Fu) << 6) | (b[1] & 0x3Fu);
  if (c.size() == 3) return ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) | (b[2] & 0x3Fu);
  return ((b[0] & 0x07u) << 18) | ((b[1] & 0x3Fu) << 12) | ((b[2] & 0x3Fu) << 6) | (b[3] & 0x3Fu);
}

std::string Utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string Join(const std::vector<std::string>& chars, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) out += (i ? sep : "") + chars[i];
  return out;
}

// ---------------------------------------------------------------------------
// Seed phrases x evasion kinds: the normalized field holds the phrase, and
// the phrase maps back to exactly the evasive spelling.
// ---------------------------------------------------------------------------

const char* const kPhrases[] = {"只卖30分钟", "0米送",    "免费送",   "新人送", "亏本甩卖",
                                "清仓甩卖",   "多件起购", "高额邮费", "加微信"};

struct EvasionCase {
  std::string name;       // for the test name
  std::string canonical;  // what the normalized text must contain
  std::string evasive;    // how the field spells it
  Kind field;
};

// Every evasive spelling of "phrase" of one kind (none if it does not apply).
std::vector<std::string> Evade(const std::string& phrase, const std::string& kind) {
  const std::vector<std::string> c = Chars(phrase);
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (s != phrase) out.push_back(s);
  };
  if (kind == "fullwidth") {
    std::string s;
    for (const std::string& ch : c) s += ch.size() == 1 ? Utf8(CodePoint(ch) + 0xFEE0) : ch;
    add(s);
  } else if (kind == "spaces") {
    for (const char* sep : {" ", "  ", "\u3000", " \u3000 "}) add(Join(c, sep));
  } else if (kind == "symbols") {
    for (const char* sep : {".", "*", "-", "~", "/", "_", "|", "·", "～", "•", "★", "🔥", "*-*"}) {
      add(Join(c, sep));
      // One symbol in the middle, but not between two digits: "3-0" is
      // kept, like the range "2-3" (see SymbolBetweenDigits below).
      size_t mid = c.size() / 2;
      if (c[mid - 1].size() == 1 && c[mid].size() == 1) --mid;
      std::vector<std::string> one = c;
      one[mid] = sep + one[mid];
      add(Join(one, ""));
    }
  } else if (kind == "tag") {
    for (const char* open : {"<b>", "<span>", "<font color=\"red\">", "<strong>", "<em>", "<i>",
                             "<a href=\"#x\">", "<u>", "<small>", "<sup>", "<mark>", "<s>"}) {
      std::string name = std::string(open).substr(1, std::string(open).find_first_of(" >") - 1);
      std::string close = "</" + name + ">";
      std::vector<std::string> one = c;
      one[1] = open + one[1] + close;
      add(Join(one, ""));
      std::vector<std::string> mid = c;  // all middle characters
      mid[1] = open + mid[1];
      mid[c.size() - 2] += close;
      add(Join(mid, ""));
    }
    add(Join(c, "<b></b>"));
    add(Join(c, "<!-- x -->"));
  } else if (kind == "traditional") {
    static const std::map<std::string, std::string> kS2T = {
        {"卖", "賣"}, {"钟", "鐘"}, {"亏", "虧"}, {"费", "費"},
        {"仓", "倉"}, {"购", "購"}, {"额", "額"}, {"邮", "郵"}};
    std::string s;
    for (const std::string& ch : c) s += kS2T.count(ch) ? kS2T.at(ch) : ch;
    add(s);
  } else if (kind == "entity") {
    for (size_t i = 0; i < c.size(); ++i) {
      std::vector<std::string> e = c;
      char buf[32];
      snprintf(buf, sizeof(buf), "&#%u;", CodePoint(c[i]));
      e[i] = buf;
      add(Join(e, ""));
      snprintf(buf, sizeof(buf), i % 2 ? "&#x%X;" : "&#x%x;", CodePoint(c[i]));
      e[i] = buf;
      add(Join(e, ""));
    }
  } else if (kind == "zerowidth") {
    for (const char* sep : {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u200B\u200B"}) {
      add(Join(c, sep));
    }
  } else if (kind == "circled") {
    for (int set = 0; set < 4; ++set) {
      std::string s;
      for (const std::string& ch : c) {
        if (ch.size() != 1 || ch[0] < '0' || ch[0] > '9') {
          s += ch;
          continue;
        }
        const int d = ch[0] - '0';
        static const uint32_t kZero[] = {0x24EA, 0x24FF, 0x24EA, 0x2070};  // ⓪ ⓿ ⓪ ⁰
        static const uint32_t kOne[] = {0x2460, 0x2776, 0x2474, 0x2780};   // ① ❶ ⑴ ➀
        s += Utf8(d == 0 ? kZero[set] : kOne[set] + d - 1);
      }
      add(s);
    }
  } else if (kind == "lookalike" && phrase == "加微信") {
    for (const char* s :
         {"加薇信", "加威信", "加徽信", "加维信", "加維信", "加微新", "加微❤", "加微❤️",
          "加微♥", "加微💗", "加微💖", "➕微信", "＋微信", "➕薇信", "＋微❤", "加 薇 信", "加微 ❤"}) {
      add(s);
    }
  }
  return out;
}

std::vector<EvasionCase> AllEvasionCases() {
  std::vector<EvasionCase> cases;
  const char* kinds[] = {"fullwidth", "spaces",    "symbols", "tag",      "traditional",
                         "entity",    "zerowidth", "circled", "lookalike"};
  for (size_t p = 0; p < std::size(kPhrases); ++p) {
    for (const char* kind : kinds) {
      const std::vector<std::string> variants = Evade(kPhrases[p], kind);
      const bool html_only = std::string(kind) == "tag" || std::string(kind) == "entity";
      for (size_t v = 0; v < variants.size(); ++v) {
        for (Kind field : {Kind::kPlainText, Kind::kHtml}) {
          if (html_only && field == Kind::kPlainText) continue;
          cases.push_back({"P" + std::to_string(p) + "_" + kind + "_" + std::to_string(v) +
                               (field == Kind::kHtml ? "_html" : "_title"),
                           kPhrases[p], variants[v], field});
        }
      }
    }
  }
  // Letters spelled with look-alikes: the canonical form keeps v (rules match v信, vx).
  const std::pair<const char*, const char*> kV[] = {
      {"加v信", "➕V信"},  {"加v信", "＋ｖ信"},     {"加vx", "加ＶＸ"}, {"加vx", "加𝓿𝔁"},
      {"加vx", "加𝐯𝐱"},   {"加vx", "加ⓥⓧ"},        {"加vx", "加 V X"}, {"加vx", "加 𝐕 𝐗"},
      {"加v信", "加Ⓥ信"}, {"qq12345", "ＱＱ①②③④⑤"}};
  for (size_t i = 0; i < std::size(kV); ++i) {
    for (Kind field : {Kind::kPlainText, Kind::kHtml}) {
      cases.push_back({"V" + std::to_string(i) + (field == Kind::kHtml ? "_html" : "_title"),
                       kV[i].first, kV[i].second, field});
    }
  }
  return cases;
}

void PrintTo(const EvasionCase& c, std::ostream* os) { *os << c.evasive; }

class EvasionTest : public ::testing::TestWithParam<EvasionCase> {};

TEST_P(EvasionTest, NormalizesToPhraseAndMapsBackToEvasiveSpelling) {
  const EvasionCase& c = GetParam();
  // Context that normalization must not glue to the phrase.
  const bool html = c.field == Kind::kHtml;
  const std::string prefix = html ? "<p>今日特惠：" : "【北纬好物】";
  const std::string suffix = html ? "，数量有限。</p>" : "！";
  const std::string norm_prefix = html ? "今日特惠：" : "【北纬好物】";
  const std::string norm_suffix = html ? "，数量有限。\n" : "！";
  const std::string field = prefix + c.evasive + suffix;

  EXPECT_TRUE(Norm().NeedsNormalization(field, c.field));
  NormalizedText out;
  Norm().Normalize(field, c.field, &out);
  ASSERT_EQ(out.text(), norm_prefix + c.canonical + norm_suffix) << "evasive: " << c.evasive;
  const uint32_t at = static_cast<uint32_t>(norm_prefix.size());
  const Range back = out.ToOriginal(at, at + static_cast<uint32_t>(c.canonical.size()));
  EXPECT_EQ(field.substr(back.first, back.second - back.first), c.evasive);
  EXPECT_EQ(back, Range(prefix.size(), prefix.size() + c.evasive.size()));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, EvasionTest, ::testing::ValuesIn(AllEvasionCases()),
                         [](const ::testing::TestParamInfo<EvasionCase>& info) {
                           return info.param.name;
                         });

TEST(EvasionCasesTest, EveryPhraseHasEveryApplicableKind) {
  std::map<std::string, int> per_kind;
  for (const EvasionCase& c : AllEvasionCases()) {
    per_kind[c.name.substr(0, c.name.find('_', 3))]++;
  }
  // Each phrase gets spaces, symbols, tag, entity and zero-width spellings.
  for (size_t p = 0; p < std::size(kPhrases); ++p) {
    for (const char* kind : {"spaces", "symbols", "tag", "entity", "zerowidth"}) {
      EXPECT_GT(per_kind["P" + std::to_string(p) + "_" + kind], 0) << kPhrases[p] << " " << kind;
    }
  }
  EXPECT_EQ(AllEvasionCases().size(), 1036u);
}

// ---------------------------------------------------------------------------
// Negatives: normalization must not create a hit.
// ---------------------------------------------------------------------------

struct Exact {
  const char* in;
  Kind kind;
  const char* want;
};

void PrintTo(const Exact& e, std::ostream* os) { *os << e.in; }

class ExactTest : public ::testing::TestWithParam<Exact> {};

TEST_P(ExactTest, NormalizesExactly) {
  const Exact& e = GetParam();
  EXPECT_EQ(N(e.in, e.kind), e.want) << "input: " << e.in;
}

INSTANTIATE_TEST_SUITE_P(
    Negatives, ExactTest,
    ::testing::Values(
        Exact{"免费安装", Kind::kPlainText, "免费安装"},
        Exact{"全场包邮。加购物车", Kind::kPlainText, "全场包邮。加购物车"},
        Exact{"全场包邮 。 加购物车", Kind::kPlainText, "全场包邮 。 加购物车"},
        Exact{"全场包邮！加购物车", Kind::kPlainText, "全场包邮！加购物车"},
        Exact{"欢迎新人，送货上门", Kind::kPlainText, "欢迎新人，送货上门"},
        Exact{"欢迎新人；送货上门", Kind::kPlainText, "欢迎新人；送货上门"},
        Exact{"<p>加</p><p>微信支付</p>", Kind::kHtml, "加\n微信支付\n"},
        Exact{"<div>加</div>\n<div>微信支付</div>", Kind::kHtml, "加\n\n\n微信支付\n"},
        Exact{"加<br>微信支付", Kind::kHtml, "加\n微信支付"},
        Exact{"<td>加</td><td>微信支付</td>", Kind::kHtml, "加\n微信支付\n"},
        Exact{"加<img src=\"x.jpg\">微信支付", Kind::kHtml, "加\n微信支付"},
        Exact{"10 cm", Kind::kPlainText, "10 cm"}, Exact{"add me", Kind::kPlainText, "add me"},
        Exact{"Add Me On WeChat", Kind::kPlainText, "add me on wechat"},
        Exact{"iPhone 15 Pro Max", Kind::kPlainText, "iphone 15 pro max"},
        Exact{"规格 3.5寸", Kind::kPlainText, "规格3.5寸"},
        Exact{"发货 2-3天", Kind::kPlainText, "发货2-3天"},
        Exact{"满 200-30", Kind::kPlainText, "满200-30"},
        Exact{"只卖3-0分钟", Kind::kPlainText, "只卖3-0分钟"},  // like "2-3天": kept
        Exact{"发货 1 - 2 天", Kind::kPlainText, "发货1 - 2天"},
        Exact{"2022-01-05", Kind::kPlainText, "2022-01-05"},
        Exact{"I am a boy", Kind::kPlainText, "i am a boy"},
        Exact{"T-shirt 1/2 价", Kind::kPlainText, "t-shirt 1/2价"},
        Exact{"免~~~~费送", Kind::kPlainText, "免~~~~费送"},
        Exact{"免    费送", Kind::kPlainText, "免    费送"},
        Exact{"微信支付", Kind::kPlainText, "微信支付"},
        Exact{"新人专享价", Kind::kPlainText, "新人专享价"},
        Exact{"清仓储物柜", Kind::kPlainText, "清仓储物柜"},
        Exact{"138 1234 5678", Kind::kPlainText, "138 1234 5678"},
        Exact{"好物❤推荐", Kind::kPlainText, "好物推荐"},
        Exact{"❤️ 好物", Kind::kPlainText, "❤ 好物"},  // U+FE0F dropped
        Exact{"1＋1", Kind::kPlainText, "1＋1"}, Exact{"➕好评", Kind::kPlainText, "➕好评"},
        Exact{"+V信", Kind::kPlainText, "+v信"}, Exact{"十V信", Kind::kPlainText, "十v信"},
        Exact{"一二三件起购", Kind::kPlainText, "一二三件起购"}),
    [](const ::testing::TestParamInfo<Exact>& info) { return "N" + std::to_string(info.index); });

INSTANTIATE_TEST_SUITE_P(
    Folding, ExactTest,
    ::testing::Values(
        Exact{"０米送ＶＸ", Kind::kPlainText, "0米送vx"},
        Exact{"微信号：ｈｈ－９３４５９５（ＱＱ）！", Kind::kPlainText,
              "微信号：hh-934595（qq）！"},
        Exact{"＂＃＄％＆＇＊．／＜＝＞＠［＼］＾＿｀｛｜｝", Kind::kPlainText,
              "\"#$%&'*./<=>@[\\]^_`{|}"},
        Exact{"，：；？！（）～", Kind::kPlainText, "，：；？！（）～"},
        Exact{"Ｈｅｌｌｏ\u3000世界", Kind::kPlainText, "hello世界"},
        Exact{"只賣 清倉 虧本", Kind::kPlainText, "只卖清仓亏本"},
        Exact{"⼀⼆三", Kind::kPlainText, "一二三"},  // Kangxi radicals
        Exact{"①②③④⑤⑥⑦⑧⑨⑩⑪⑳", Kind::kPlainText, "123456789101120"},
        Exact{"⑴⑵❶❷➀➊⓪⓿㉑㊿", Kind::kPlainText, "121211002150"},
        Exact{"x²+y³", Kind::kPlainText, "x2+y3"},
        Exact{"𝓿𝔁 𝐯𝐱 ⓥⓧ Ｖ", Kind::kPlainText, "vx vx vx v"}, Exact{"𝟘𝟙𝟚", Kind::kPlainText, "012"},
        Exact{"🅥🅧", Kind::kPlainText, "vx"},
        Exact{"line1\nline2", Kind::kPlainText, "line1\nline2"},
        Exact{"免\n费", Kind::kPlainText, "免\n费"}, Exact{"免\n费", Kind::kHtml, "免费"},
        Exact{"免\u2028费", Kind::kPlainText, "免\n费"}, Exact{"免\u2028费", Kind::kHtml, "免费"},
        Exact{"请认准\u2028官方店铺。", Kind::kHtml, "请认准官方店铺。"},
        Exact{"ab\u00A0c", Kind::kPlainText, "ab c"}, Exact{"｡､･", Kind::kPlainText, "。、・"},
        Exact{"￥99，（包邮）", Kind::kPlainText, "￥99，（包邮）"},
        Exact{"维信 微新 威信", Kind::kPlainText, "微信微信微信"},
        Exact{"微💗💗", Kind::kPlainText, "微信💗"}, Exact{"Ｖ信", Kind::kPlainText, "v信"},
        // Letter spacing between single letters and digits.
        Exact{"Q Q : 3 8 3 7 6 8 6 1 4 7", Kind::kPlainText, "qq:3837686147"},
        Exact{"电话1 6 6 1 4 1 4 7 2 8 1", Kind::kPlainText, "电话16614147281"},
        Exact{"联系 1*5*3*2*8*6*3*4*1*1*8 下单", Kind::kPlainText, "联系15328634118下单"},
        Exact{"微 信 号 ： s a l e - 4 7 4 9 3 5", Kind::kHtml, "微信号：sale474935"},
        Exact{"只.卖.3.0.分.钟", Kind::kPlainText, "只卖30分钟"},
        Exact{"尺码 S M L", Kind::kPlainText, "尺码sml"}, Exact{"a b", Kind::kPlainText, "ab"},
        Exact{"Q|Q|:|6|5|0|0|6|4|4|6", Kind::kPlainText, "qq:65006446"},
        Exact{"微~信~号~：~t~m~8~6~3~6~4~9", Kind::kHtml, "微信号：tm863649"},
        Exact{"V|X|:|f|r|e|s|h|-|4|8|5|3", Kind::kPlainText, "vx:fresh4853"},
        // Fillers next to a colon; digits split by a separator no number uses.
        Exact{"QQ-:797780985 QQ:~5236", Kind::kPlainText, "qq:797780985 qq:5236"},
        Exact{"温馨提示 ：新人", Kind::kPlainText, "温馨提示：新人"},
        Exact{"热线：1738_2262295", Kind::kPlainText, "热线：17382262295"},
        Exact{"售后QQ24|9921 15918770·868", Kind::kPlainText, "售后qq249921 15918770868"},
        Exact{"10 20，3~5，6*8，1.5，7/8，2-3", Kind::kPlainText,
              "10 20，3~5，6*8，1.5，7/8，2-3"}),
    [](const ::testing::TestParamInfo<Exact>& info) { return "F" + std::to_string(info.index); });

INSTANTIATE_TEST_SUITE_P(
    Html, ExactTest,
    ::testing::Values(Exact{"<P>免<B>费</B>送</P>", Kind::kHtml, "免费送\n"},
                      Exact{"<p>hi</p><script>var a='免费送';</script><STYLE>.x{}</STYLE>ok",
                            Kind::kHtml, "hi\nok"},
                      Exact{"&amp;&lt;&gt;&quot;&apos;&nbsp;&#39;", Kind::kHtml, "&<>\"' '"},
                      Exact{"&#20813;&#x8D39;&#X9001", Kind::kHtml, "免费送"},
                      Exact{"微&hearts;", Kind::kHtml, "微信"},
                      Exact{"a&zwj;b&shy;c", Kind::kHtml, "abc"},
                      Exact{"价格<100元", Kind::kHtml, "价格<100元"},
                      Exact{"a < b > c", Kind::kHtml, "a < b > c"},
                      Exact{"AT&T &foo; &#xZZ; &#99999999; &", Kind::kHtml,
                            "at&t &foo; &#xzz; &#99999999; &"},
                      Exact{"&#0; &#xD800; &#1114112;", Kind::kHtml, "&#0; &#xd800; &#1114112;"},
                      Exact{"免费<", Kind::kHtml, "免费<"}, Exact{"免费<p", Kind::kHtml, "免费<p"},
                      Exact{"<!-- unclosed 免费", Kind::kHtml, "<!-- unclosed免费"},
                      Exact{"<!DOCTYPE html><p>x</p>", Kind::kHtml, "x\n"},
                      Exact{"<a href='x>y'>免</a>费", Kind::kHtml, "免费"},
                      Exact{"<img alt=\"a>b\">免费", Kind::kHtml, "免费"},
                      Exact{"<img src=\"a.jpg\" alt=\"免费送\">", Kind::kHtml, ""},
                      Exact{"<p class=\"x>免费", Kind::kHtml, "免费"},
                      Exact{"a<br><br/><hr>b", Kind::kHtml, "a\nb"},
                      Exact{"<script>免费送", Kind::kHtml, "免费送"},
                      Exact{"<b>免费</b>送<wbr>礼<customtag>品", Kind::kHtml, "免费送礼品"},
                      Exact{"<p>山野农家&nbsp;玻璃奶瓶&nbsp;&amp;&nbsp;2只装</p>", Kind::kHtml,
                            "山野农家玻璃奶瓶2只装\n"},
                      Exact{"&#20813;", Kind::kPlainText, "&#20813;"},
                      Exact{"<b>x</b>", Kind::kPlainText, "<b>x</b>"}),
    [](const ::testing::TestParamInfo<Exact>& info) { return "H" + std::to_string(info.index); });

// ---------------------------------------------------------------------------
// The offset map.
// ---------------------------------------------------------------------------

TEST(OffsetMapTest, TagInsideWordMapsToWholeSpan) {
  const std::string in = "免<b>费</b>送";
  NormalizedText out;
  Norm().Normalize(in, Kind::kHtml, &out);
  ASSERT_EQ(out.text(), "免费送");
  EXPECT_EQ(out.ToOriginal(0, 9), Range(0, 16));
  EXPECT_EQ(out.ToOriginal(3, 6), Range(6, 9));   // 费 alone: the smallest range
  EXPECT_EQ(out.ToOriginal(3, 9), Range(6, 16));  // 费送 keeps the "</b>" between
  EXPECT_EQ(out.segments().size(), 3u);
}

TEST(OffsetMapTest, TagAtTheEdgeIsOutsideTheSmallestRange) {
  const std::string in = "免费<b>送</b>";
  NormalizedText out;
  Norm().Normalize(in, Kind::kHtml, &out);
  ASSERT_EQ(out.text(), "免费送");
  EXPECT_EQ(out.ToOriginal(0, 9), Range(0, 12));  // "免费<b>送", not the trailing "</b>"
}

TEST(OffsetMapTest, ReplacementsMapToTheirWholeSource) {
  NormalizedText out;
  Norm().Normalize("&#20813;费送", Kind::kHtml, &out);
  ASSERT_EQ(out.text(), "免费送");
  EXPECT_EQ(out.ToOriginal(0, 3), Range(0, 8));
  EXPECT_EQ(out.ToOriginal(3, 9), Range(8, 14));

  Norm().Normalize("０米送", Kind::kPlainText, &out);  // reuses the buffers
  ASSERT_EQ(out.text(), "0米送");
  EXPECT_EQ(out.ToOriginal(0, 1), Range(0, 3));
  EXPECT_EQ(out.ToOriginal(1, 4), Range(3, 6));
  EXPECT_EQ(out.ToOriginal(0, 7), Range(0, 9));

  Norm().Normalize("第⑩件", Kind::kPlainText, &out);
  ASSERT_EQ(out.text(), "第10件");
  EXPECT_EQ(out.ToOriginal(3, 4), Range(3, 6));  // "1" of "10": all of ⑩
  EXPECT_EQ(out.ToOriginal(4, 5), Range(3, 6));
  EXPECT_EQ(out.ToOriginal(5, 8), Range(6, 9));

  Norm().Normalize("只賣Ab", Kind::kPlainText, &out);  // same-length changes stay one copy
  ASSERT_EQ(out.text(), "只卖ab");
  EXPECT_EQ(out.segments().size(), 1u);
  EXPECT_EQ(out.ToOriginal(3, 7), Range(3, 7));
}

TEST(OffsetMapTest, MatchAfterRemovedFillerStartsAtFirstKeptCharacter) {
  NormalizedText out;
  Norm().Normalize("加..微信", Kind::kPlainText, &out);
  ASSERT_EQ(out.text(), "加微信");
  EXPECT_EQ(out.ToOriginal(3, 9), Range(5, 11));  // "微信", not "..微信"
  EXPECT_EQ(out.ToOriginal(0, 3), Range(0, 3));   // "加", not "加.."
  EXPECT_EQ(out.ToOriginal(0, 9), Range(0, 11));
}

TEST(OffsetMapTest, OffsetsSnapToCharactersAndClamp) {
  NormalizedText out;
  Norm().Normalize("免<i>费</i>", Kind::kHtml, &out);
  ASSERT_EQ(out.text(), "免费");
  EXPECT_EQ(out.ToOriginal(1, 2), Range(0, 3));
  EXPECT_EQ(out.ToOriginal(4, 5), Range(6, 9));
  EXPECT_EQ(out.ToOriginal(3, 3), Range(6, 6));
  EXPECT_EQ(out.ToOriginal(6, 6), Range(9, 9));
  EXPECT_EQ(out.ToOriginal(0, 1000), Range(0, 9));
  EXPECT_EQ(out.ToOriginal(7, 2), Range(0, 0));  // start > end: empty at "end", snapped down

  Norm().Normalize("<p></p>", Kind::kHtml, &out);
  EXPECT_EQ(out.text(), "");
  EXPECT_EQ(out.ToOriginal(0, 0), Range(0, 0));
}

TEST(OffsetMapTest, HeartWithVariationSelectorAndPlusSign) {
  NormalizedText out;
  const std::string in = "➕微❤️";
  Norm().Normalize(in, Kind::kPlainText, &out);
  ASSERT_EQ(out.text(), "加微信");
  EXPECT_EQ(out.ToOriginal(0, 3), Range(0, 3));
  EXPECT_EQ(out.ToOriginal(6, 9), Range(6, in.size()));
}

TEST(OffsetMapTest, PlainTextIsOneSegment) {
  NormalizedText out;
  Norm().Normalize("纯棉T恤男款夏季短袖", Kind::kPlainText, &out);
  EXPECT_EQ(out.text(), "纯棉t恤男款夏季短袖");
  EXPECT_EQ(out.segments().size(), 1u);
}

// ---------------------------------------------------------------------------
// NeedsNormalization, and properties over random mixes.
// ---------------------------------------------------------------------------

TEST(NeedsNormalizationTest, FastPathFields) {
  for (const char* s :
       {"免费安装", "微信支付", "10 cm", "add me", "全场包邮。加购物车",
        "【北纬好物】敏感肌可用粉底液", "", "ab c", "免~~~~费", "13.5寸", "发货12-30天", "10 20"}) {
    EXPECT_FALSE(Norm().NeedsNormalization(s, Kind::kPlainText)) << s;
    EXPECT_FALSE(Norm().NeedsNormalization(s, Kind::kHtml)) << s;
  }
  for (const char* s : {"０米送", "免 费 送", "只賣", "Ab", "微❤", "薇信", "加\u200B微信", "微新",
                        "⑩", "➕V", "x\u2028y", "免\u3000费"}) {
    EXPECT_TRUE(Norm().NeedsNormalization(s, Kind::kPlainText)) << s;
  }
  EXPECT_TRUE(Norm().NeedsNormalization("<p>x", Kind::kHtml));
  EXPECT_TRUE(Norm().NeedsNormalization("a&amp;b", Kind::kHtml));
  EXPECT_FALSE(Norm().NeedsNormalization("<p>x", Kind::kPlainText));
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

bool IsBoundary(std::string_view s, uint32_t i) {
  return i == 0 || i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// Random fields built from pieces that exercise every path, including broken
// markup. Checks: valid UTF-8 out, never longer, the map lands on character
// boundaries and is monotone, and NeedsNormalization false => unchanged.
TEST(PropertyTest, RandomMixes) {
  const char* pieces[] = {"免",     "费",   "送",     "加",       "微",
                          "信",     "薇",   "新",     "賣",       "0",
                          "3",      "a",    "V",      " ",        "  ",
                          ".",      "-",    "*",      "~",        "。",
                          "，",     "！",   "\u3000", "\u200B",   "\uFE0F",
                          "❤",      "💗",    "➕",      "＋",       "０",
                          "Ｖ",     "⑩",    "①",      "𝐯",        "<b>",
                          "</b>",   "<p>",  "</p>",   "<br>",     "<",
                          ">",      "&",    "&amp;",  "&#20813;", "&#x",
                          ";",      "\"",   "'",      "<script>", "</script>",
                          "<!--",   "-->",  "\n",     "\u2028",   "<img src=\"a\">",
                          "\xE5",   "\xBF", ":",      "：",       "|",
                          "_",      "Q",    "1",      "b",        "·",
                          "\u00A0", "维",   "💗\uFE0F"};
  std::mt19937 rng(12345);
  NormalizedText out;
  int unchanged_fast = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string in;
    const int n = static_cast<int>(rng() % 16);
    for (int k = 0; k < n; ++k) in += pieces[rng() % std::size(pieces)];
    const bool valid = ValidUtf8(in);
    for (Kind kind : {Kind::kPlainText, Kind::kHtml}) {
      Norm().Normalize(in, kind, &out);
      const std::string_view t = out.text();
      ASSERT_LE(t.size(), in.size()) << in;
      if (!Norm().NeedsNormalization(in, kind)) {
        ASSERT_EQ(t, in) << "NeedsNormalization said false for: " << in;
        ++unchanged_fast;
      }
      if (!valid) continue;
      ASSERT_TRUE(ValidUtf8(t)) << in;
      uint32_t prev_start = 0;
      for (uint32_t i = 0; i < t.size(); ++i) {
        if (!IsBoundary(t, i)) continue;
        uint32_t j = i + 1;
        while (!IsBoundary(t, j)) ++j;
        const Range r = out.ToOriginal(i, j);
        ASSERT_LT(r.first, r.second) << in;
        ASSERT_LE(r.second, in.size()) << in;
        ASSERT_TRUE(IsBoundary(in, r.first) && IsBoundary(in, r.second)) << in;
        ASSERT_GE(r.first, prev_start) << in;
        prev_start = r.first;
      }
    }
  }
  EXPECT_GT(unchanged_fast, 1000);
}

TEST(ThreadingTest, OneNormalizerManyThreads) {
  const std::string in = "<p>今日特惠：免<b>費</b> 送，加.薇.信 ＶＸ①②</p>";
  const std::string want = H(in);
  EXPECT_EQ(want, "今日特惠：免费送，加微信vx12\n");
  std::vector<std::thread> threads;
  std::vector<int> bad(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      NormalizedText out;
      for (int i = 0; i < 2000; ++i) {
        Norm().Normalize(in, Kind::kHtml, &out);
        if (out.text() != want) ++bad[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(bad, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace catscan
