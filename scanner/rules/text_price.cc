#include "scanner/rules/text_price.h"

#include <cctype>

#include "scanner/rules/field_check.h"

namespace catscan {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes of a separator that may stand between a hit and its number.
size_t SeparatorAt(std::string_view s, size_t i) {
  static constexpr std::string_view kSeparators[] = {" ", ":", "\xef\xbc\x9a" /* ： */,
                                                     "\xc2\xa5" /* ¥ */, "\xef\xbf\xa5" /* ￥ */,
                                                     "$", "rmb", "RMB"};
  for (std::string_view sep : kSeparators) {
    if (s.substr(i, sep.size()) == sep) return sep.size();
  }
  return 0;
}

// Parses the number starting at s[i] (a digit).
double ParseNumber(std::string_view s, size_t i) {
  double value = 0;
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      value = value * 10 + (s[i] - '0');
      ++i;
    } else if (s[i] == ',' && i + 3 < s.size() && IsDigit(s[i + 1]) && IsDigit(s[i + 2]) && IsDigit(s[i + 3]) &&
               (i + 4 >= s.size() || !IsDigit(s[i + 4]))) {
      ++i;  // a thousands separator: exactly three digits follow
    } else {
      break;
    }
  }
  if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
    double scale = 0.1;
    for (++i; i < s.size() && IsDigit(s[i]); ++i, scale /= 10) value += (s[i] - '0') * scale;
  }
  while (i < s.size() && s[i] == ' ') ++i;
  if (s.substr(i, 3) == "\xe4\xb8\x87" /* 万 */) value *= 10000;
  return value;
}

}  // namespace

double ReadStatedPrice(std::string_view text, size_t start, size_t end) {
  if (start > text.size()) return kNoTextPrice;
  if (end > text.size()) end = text.size();
  for (size_t i = start; i < end; ++i) {
    if (IsDigit(text[i])) return ParseNumber(text, i);
  }
  size_t i = end;
  for (int seps = 0; seps < 4 && i < text.size(); ++seps) {
    const size_t n = SeparatorAt(text, i);
    if (n == 0) break;
    i += n;
  }
  if (i < text.size() && IsDigit(text[i])) return ParseNumber(text, i);
  return kNoTextPrice;
}

}  // namespace catscan
