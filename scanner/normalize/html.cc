#include "scanner/normalize/html.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace catscan {
namespace normalize_internal {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// Elements that start a new line when rendered (or stand alone, like img),
// sorted. Every other element, known or not, renders inline and vanishes.
constexpr std::string_view kBlockTags[] = {
    "address", "article", "aside",    "audio",    "blockquote", "body",     "br",      "button",
    "canvas",  "caption", "center",   "col",      "colgroup",   "dd",       "details", "dialog",
    "dir",     "div",     "dl",       "dt",       "embed",      "fieldset", "figcaption",
    "figure",  "footer",  "form",     "frame",    "frameset",   "h1",       "h2",      "h3",
    "h4",      "h5",      "h6",       "head",     "header",     "hgroup",   "hr",      "html",
    "iframe",  "img",     "input",    "legend",   "li",         "main",     "menu",    "meta",
    "nav",     "noscript", "object",  "ol",       "option",     "p",        "picture", "pre",
    "section", "select",  "source",   "summary",  "table",      "tbody",    "td",      "textarea",
    "tfoot",   "th",      "thead",    "title",    "tr",         "track",    "ul",      "video"};

// Named character references we decode, sorted by name (byte order, so
// upper-case names come first). Enough for catalog text; others stay literal.
struct NamedEntity {
  std::string_view name;
  uint32_t cp;
};
constexpr NamedEntity kEntities[] = {
    {"AMP", 38},       {"COPY", 169},    {"GT", 62},        {"LT", 60},        {"QUOT", 34},
    {"REG", 174},      {"acute", 180},   {"amp", 38},       {"apos", 39},      {"ast", 42},
    {"bdquo", 8222},   {"bull", 8226},   {"cent", 162},     {"check", 10003},  {"clubs", 9827},
    {"colon", 58},     {"comma", 44},    {"copy", 169},     {"cross", 10007},  {"darr", 8595},
    {"dash", 8208},    {"deg", 176},     {"diams", 9830},   {"divide", 247},   {"emsp", 8195},
    {"ensp", 8194},    {"equals", 61},   {"euro", 8364},    {"excl", 33},      {"frac12", 189},
    {"frac14", 188},   {"frac34", 190},  {"gt", 62},        {"hearts", 9829},  {"hellip", 8230},
    {"hyphen", 8208},  {"iexcl", 161},   {"iquest", 191},   {"laquo", 171},    {"larr", 8592},
    {"ldquo", 8220},   {"lowbar", 95},   {"lpar", 40},      {"lrm", 8206},     {"lsaquo", 8249},
    {"lsquo", 8216},   {"lt", 60},       {"mdash", 8212},   {"micro", 181},    {"middot", 183},
    {"nbsp", 160},     {"ndash", 8211},  {"not", 172},      {"num", 35},       {"para", 182},
    {"percnt", 37},    {"period", 46},   {"permil", 8240},  {"plus", 43},      {"plusmn", 177},
    {"pound", 163},    {"quest", 63},    {"quot", 34},      {"raquo", 187},    {"rarr", 8594},
    {"rdquo", 8221},   {"reg", 174},     {"rlm", 8207},     {"rpar", 41},      {"rsaquo", 8250},
    {"rsquo", 8217},   {"sbquo", 8218},  {"sect", 167},     {"semi", 59},      {"shy", 173},
    {"sol", 47},       {"spades", 9824}, {"star", 9734},    {"starf", 9733},   {"thinsp", 8201},
    {"times", 215},    {"trade", 8482},  {"uarr", 8593},    {"verbar", 124},   {"yen", 165},
    {"zwj", 8205},     {"zwnj", 8204}};

bool IsBlockTag(std::string_view lower_name) {
  return std::binary_search(std::begin(kBlockTags), std::end(kBlockTags), lower_name);
}

// Index of the '>' closing a tag whose attributes start at text[i], or npos.
// A quoted attribute value may hold '>'; if a quote is never closed, the
// first '>' ends the tag (what a reader of broken markup would guess).
size_t FindTagEnd(std::string_view text, size_t i) {
  const size_t n = text.size();
  const size_t plain = text.find('>', i);
  if (plain == std::string_view::npos) return plain;
  // Fast path: no quote before the first '>'.
  const char* b = text.data() + i;
  const size_t len = plain - i;
  if (std::memchr(b, '"', len) == nullptr && std::memchr(b, '\'', len) == nullptr) return plain;
  while (i < n) {
    const char c = text[i];
    if (c == '>') return i;
    if (c == '"' || c == '\'') {
      const size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) return plain;
      i = close + 1;
      continue;
    }
    ++i;
  }
  return plain;
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
  bool name_fits = true;
  while (i < n && (IsAlpha(text[i]) || IsDigit(text[i]) || text[i] == '-' || text[i] == ':')) {
    if (name_len < sizeof(name)) {
      name[name_len++] = Lower(text[i]);
    } else {
      name_fits = false;
    }
    ++i;
  }
  const size_t close = FindTagEnd(text, i);
  if (close == std::string_view::npos) return r;
  const std::string_view lower(name, name_len);
  if (!name_fits) return {TagKind::kInline, close + 1};
  if (!closing && (lower == "script" || lower == "style") && text[close - 1] != '/') {
    const size_t end_tag = FindEndTag(text, close + 1, lower);
    if (end_tag != std::string_view::npos) {
      const size_t end_close = text.find('>', end_tag);
      if (end_close != std::string_view::npos) return {TagKind::kInline, end_close + 1};
    }
    return {TagKind::kInline, close + 1};
  }
  return {IsBlockTag(lower) ? TagKind::kBlock : TagKind::kInline, close + 1};
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
  const std::string_view name = text.substr(start, i - start);
  const NamedEntity* end = std::end(kEntities);
  const NamedEntity* it = std::lower_bound(
      std::begin(kEntities), end, name,
      [](const NamedEntity& e, std::string_view v) { return e.name < v; });
  if (it == end || it->name != name) return {};
  return {it->cp, i + 1};
}

}  // namespace normalize_internal
}  // namespace catscan
