#include "scanner/normalize/html.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace catscan {
namespace normalize_internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// For each byte: lower-cased if it can be part of a tag name, else 0.
struct NameCharTable {
  char lower[256];
};
constexpr NameCharTable MakeNameChars() {
  NameCharTable t{};
  for (int c = 0; c < 256; ++c) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':';
    t.lower[c] = keep                     ? static_cast<char>(c)
                 : (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32)
                                          : 0;
  }
  return t;
}
constexpr NameCharTable kNameChars = MakeNameChars();

// A tag or entity name of up to 8 bytes as a number.
constexpr uint64_t NameKey(std::string_view s) {
  uint64_t k = 0;
  for (size_t i = 0; i < s.size() && i < 8; ++i) {
    k |= static_cast<uint64_t>(static_cast<uint8_t>(s[i])) << (8 * i);
  }
  return k;
}

// A table of names with values, sorted by NameKey at compile time.
struct NameValue {
  std::string_view name;
  uint32_t value;
};
struct KeyValue {
  uint64_t key;
  uint32_t value;
};
template <size_t N>
constexpr std::array<KeyValue, N> SortedByKey(const NameValue (&names)[N]) {
  std::array<KeyValue, N> a{};
  for (size_t i = 0; i < N; ++i) a[i] = {NameKey(names[i].name), names[i].value};
  for (size_t i = 1; i < N; ++i) {
    for (size_t j = i; j > 0 && a[j].key < a[j - 1].key; --j) {
      const KeyValue t = a[j];
      a[j] = a[j - 1];
      a[j - 1] = t;
    }
  }
  return a;
}
template <size_t N>
const KeyValue* Find(const std::array<KeyValue, N>& table, uint64_t key) {
  const KeyValue* it = std::lower_bound(table.begin(), table.end(), key,
                                        [](const KeyValue& e, uint64_t k) { return e.key < k; });
  return it != table.end() && it->key == key ? it : nullptr;
}

// Elements that start a new line when rendered (or stand alone, like img).
// Every other element, known or not, renders inline and vanishes.
constexpr NameValue kBlockTagNames[] = {
    {"address", 0},  {"article", 0},  {"aside", 0},  {"audio", 0},   {"body", 0},
    {"br", 0},       {"button", 0},   {"canvas", 0}, {"caption", 0}, {"center", 0},
    {"col", 0},      {"colgroup", 0}, {"dd", 0},     {"details", 0}, {"dialog", 0},
    {"dir", 0},      {"div", 0},      {"dl", 0},     {"dt", 0},      {"embed", 0},
    {"fieldset", 0}, {"figure", 0},   {"footer", 0}, {"form", 0},    {"frame", 0},
    {"frameset", 0}, {"h1", 0},       {"h2", 0},     {"h3", 0},      {"h4", 0},
    {"h5", 0},       {"h6", 0},       {"head", 0},   {"header", 0},  {"hgroup", 0},
    {"hr", 0},       {"html", 0},     {"iframe", 0}, {"img", 0},     {"input", 0},
    {"legend", 0},   {"li", 0},       {"main", 0},   {"menu", 0},    {"meta", 0},
    {"nav", 0},      {"noscript", 0}, {"object", 0}, {"ol", 0},      {"option", 0},
    {"p", 0},        {"picture", 0},  {"pre", 0},    {"section", 0}, {"select", 0},
    {"source", 0},   {"summary", 0},  {"table", 0},  {"tbody", 0},   {"td", 0},
    {"textarea", 0}, {"tfoot", 0},    {"th", 0},     {"thead", 0},   {"title", 0},
    {"tr", 0},       {"track", 0},    {"ul", 0},     {"video", 0}};
constexpr auto kBlockTags = SortedByKey(kBlockTagNames);

bool IsBlockTag(std::string_view lower_name, uint64_t key) {
  if (lower_name.size() > 8) return lower_name == "blockquote" || lower_name == "figcaption";
  return Find(kBlockTags, key) != nullptr;
}

// Named character references (case-sensitive) and their code points: a
// common subset, enough for catalog text; others stay literal.
constexpr NameValue kEntityNames[] = {
    {"AMP", 38},      {"COPY", 169},    {"GT", 62},       {"LT", 60},       {"QUOT", 34},
    {"REG", 174},     {"acute", 180},   {"amp", 38},      {"apos", 39},     {"ast", 42},
    {"bdquo", 8222},  {"bull", 8226},   {"cent", 162},    {"check", 10003}, {"clubs", 9827},
    {"colon", 58},    {"comma", 44},    {"copy", 169},    {"cross", 10007}, {"darr", 8595},
    {"dash", 8208},   {"deg", 176},     {"diams", 9830},  {"divide", 247},  {"emsp", 8195},
    {"ensp", 8194},   {"equals", 61},   {"euro", 8364},   {"excl", 33},     {"frac12", 189},
    {"frac14", 188},  {"frac34", 190},  {"gt", 62},       {"hearts", 9829}, {"hellip", 8230},
    {"hyphen", 8208}, {"iexcl", 161},   {"iquest", 191},  {"laquo", 171},   {"larr", 8592},
    {"ldquo", 8220},  {"lowbar", 95},   {"lpar", 40},     {"lrm", 8206},    {"lsaquo", 8249},
    {"lsquo", 8216},  {"lt", 60},       {"mdash", 8212},  {"micro", 181},   {"middot", 183},
    {"nbsp", 160},    {"ndash", 8211},  {"not", 172},     {"num", 35},      {"para", 182},
    {"percnt", 37},   {"period", 46},   {"permil", 8240}, {"plus", 43},     {"plusmn", 177},
    {"pound", 163},   {"quest", 63},    {"quot", 34},     {"raquo", 187},   {"rarr", 8594},
    {"rdquo", 8221},  {"reg", 174},     {"rlm", 8207},    {"rpar", 41},     {"rsaquo", 8250},
    {"rsquo", 8217},  {"sbquo", 8218},  {"sect", 167},    {"semi", 59},     {"shy", 173},
    {"sol", 47},      {"spades", 9824}, {"star", 9734},   {"starf", 9733},  {"thinsp", 8201},
    {"times", 215},   {"trade", 8482},  {"uarr", 8593},   {"verbar", 124},  {"yen", 165},
    {"zwj", 8205},    {"zwnj", 8204}};
constexpr auto kEntities = SortedByKey(kEntityNames);

uint32_t NamedEntity(std::string_view name) {
  if (name.size() > 8) return 0;
  const KeyValue* e = Find(kEntities, NameKey(name));
  return e != nullptr ? e->value : 0;
}

// Index of the '>' closing a tag whose attributes start at text[i], or npos.
// A quoted attribute value may hold '>'; if a quote is never closed, the
// first '>' ends the tag (what a reader of broken markup would guess). Most
// tags are a few bytes ("<p>", "</b>"), so this is a plain loop; only quoted
// values (long URLs) are skipped with find().
size_t FindTagEnd(std::string_view text, size_t i) {
  const size_t n = text.size();
  for (; i < n; ++i) {
    const char c = text[i];
    if (c == '>') return i;
    if (c == '"' || c == '\'') {
      const size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) return text.find('>', i);
      i = close;
    }
  }
  return std::string_view::npos;
}

// Finds "</name" (any case) at or after i; returns its index or npos.
size_t FindEndTag(std::string_view text, size_t i, std::string_view lower_name) {
  for (;;) {
    i = text.find("</", i);
    if (i == std::string_view::npos || i + 2 + lower_name.size() > text.size()) {
      return std::string_view::npos;
    }
    bool same = true;
    for (size_t k = 0; k < lower_name.size() && same; ++k) {
      same = Lower(text[i + 2 + k]) == lower_name[k];
    }
    if (same) return i;
    i += 2;
  }
}

}  // namespace

TagScan ScanTag(std::string_view text, size_t pos) {
  TagScan r;
  const size_t n = text.size();
  // Fast path: the few bare tags that make up most catalog markup.
  if (n - pos >= 8) {
    uint64_t w;
    std::memcpy(&w, text.data() + pos, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    const uint64_t w3 = w & 0xFFFFFF, w4 = w & 0xFFFFFFFF, w5 = w & 0xFFFFFFFFFF;
    if (w3 == NameKey("<p>")) return {TagKind::kBlock, pos + 3};
    if (w3 == NameKey("<b>")) return {TagKind::kInline, pos + 3};
    if (w4 == NameKey("</p>") || w4 == NameKey("<li>") || w4 == NameKey("<br>") ||
        w4 == NameKey("<ul>")) {
      return {TagKind::kBlock, pos + 4};
    }
    if (w4 == NameKey("</b>")) return {TagKind::kInline, pos + 4};
    if (w5 == NameKey("</li>") || w5 == NameKey("</ul>")) return {TagKind::kBlock, pos + 5};
  }
  size_t i = pos + 1;
  if (i >= n) return r;
  const char c = text[i];
  if (c == '!') {
    if (text.compare(i, 3, "!--") == 0) {  // comment: <!-- ... -->
      const size_t close = text.find("-->", i + 3);
      if (close == std::string_view::npos) return r;
      return {TagKind::kInline, close + 3};
    }
    const size_t close = text.find('>', i);  // <!DOCTYPE ...>, <![CDATA[ ...>
    if (close == std::string_view::npos) return r;
    return {TagKind::kInline, close + 1};
  }
  if (c == '?') {  // processing instruction
    const size_t close = text.find('>', i);
    if (close == std::string_view::npos) return r;
    return {TagKind::kInline, close + 1};
  }
  const bool closing = c == '/';
  if (closing) ++i;
  if (i >= n || !IsAlpha(text[i])) return r;

  char name[16];
  size_t name_len = 0;
  uint64_t key = 0;  // NameKey(name)
  for (; i < n; ++i, ++name_len) {
    const char l = kNameChars.lower[static_cast<uint8_t>(text[i])];
    if (l == 0) break;
    if (name_len < sizeof(name)) name[name_len] = l;
    if (name_len < 8) key |= static_cast<uint64_t>(static_cast<uint8_t>(l)) << (8 * name_len);
  }
  const size_t close = FindTagEnd(text, i);
  if (close == std::string_view::npos) return r;
  if (name_len > sizeof(name)) return {TagKind::kInline, close + 1};
  const std::string_view lower(name, name_len);
  if (!closing && (key == NameKey("script") || key == NameKey("style")) && text[close - 1] != '/') {
    const size_t end_tag = FindEndTag(text, close + 1, lower);
    if (end_tag != std::string_view::npos) {
      const size_t end_close = text.find('>', end_tag);
      if (end_close != std::string_view::npos) return {TagKind::kInline, end_close + 1};
    }
    return {TagKind::kInline, close + 1};
  }
  return {IsBlockTag(lower, key) ? TagKind::kBlock : TagKind::kInline, close + 1};
}

EntityScan ScanEntity(std::string_view text, size_t pos) {
  const size_t n = text.size();
  size_t i = pos + 1;
  if (i >= n) return {};
  if (text[i] == '#') {
    ++i;
    const bool hex = i < n && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    uint32_t v = 0;
    size_t digits = 0;
    for (; i < n; ++i, ++digits) {
      const char c = text[i];
      uint32_t d;
      if (IsDigit(c)) {
        d = static_cast<uint32_t>(c - '0');
      } else if (hex && Lower(c) >= 'a' && Lower(c) <= 'f') {
        d = static_cast<uint32_t>(Lower(c) - 'a' + 10);
      } else {
        break;
      }
      if (digits >= 8) return {};  // absurdly long: keep it literal
      v = v * (hex ? 16 : 10) + d;
    }
    if (digits == 0 || v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return {};
    if (i < n && text[i] == ';') ++i;
    return {v, i};
  }
  const size_t start = i;
  while (i < n && i - start < 8 && (IsAlpha(text[i]) || IsDigit(text[i]))) ++i;
  if (i == start || i >= n || text[i] != ';') return {};
  const uint32_t cp = NamedEntity(text.substr(start, i - start));
  if (cp == 0) return {};
  return {cp, i + 1};
}

}  // namespace normalize_internal
}  // namespace catscan
