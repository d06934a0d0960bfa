#include "scanner/base/csv_writer.h"

#include <algorithm>

#include "scanner/base/json_writer.h"

namespace catscan {
namespace {

// "s" with every byte that does not start a valid UTF-8 sequence replaced by
// U+FFFD (the same rule as JsonWriter's).
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3;
    else if (c >= 0xF0 && c <= 0xF4) len = 4;
    else if (c >= 0x80) len = 0;  // invalid lead byte
    if (len > 0 && i + len <= s.size() && IsValidUtf8(s.substr(i, len))) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

}  // namespace

void AppendCsvField(std::string* out, std::string_view field) {
  std::string owned;
  if (!IsValidUtf8(field)) {
    owned = ValidUtf8(field);
    field = owned;
  }
  const bool formula = !field.empty() && (field[0] == '=' || field[0] == '+' || field[0] == '-' ||
                                          field[0] == '@' || field[0] == '\t' || field[0] == '\r');
  // A plain number such as -5 is not a formula; keep it readable.
  bool numeric = formula && field.size() > 1;
  for (size_t i = 1; numeric && i < field.size(); ++i) {
    numeric = (field[i] >= '0' && field[i] <= '9') || field[i] == '.';
  }
  const bool guard = formula && !numeric;
  // One pass over the bytes: find_first_of calls memchr once per byte.
  const bool special = std::any_of(field.begin(), field.end(), [](char c) {
    return c == ',' || c == '"' || c == '\r' || c == '\n';
  });
  const bool quote =
      guard || special || (!field.empty() && (field.front() == ' ' || field.back() == ' '));
  if (!quote) {
    out->append(field);
    return;
  }
  out->push_back('"');
  if (guard) out->push_back('\'');
  // Quotes are doubled; everything between them is copied in runs.
  for (size_t quote_at; (quote_at = field.find('"')) != std::string_view::npos;) {
    out->append(field.substr(0, quote_at + 1)).push_back('"');
    field.remove_prefix(quote_at + 1);
  }
  out->append(field);
  out->push_back('"');
}

void AppendCsvRow(std::string* out, std::initializer_list<std::string_view> fields) {
  bool first = true;
  for (std::string_view f : fields) {
    if (!first) out->push_back(',');
    first = false;
    AppendCsvField(out, f);
  }
  out->append("\r\n");
}

}  // namespace catscan
