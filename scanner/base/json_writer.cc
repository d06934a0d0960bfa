#include "scanner/base/json_writer.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>

#include "scanner/base/escape_runs.h"

namespace catscan {
namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const size_t left = s.size() - i;
  const auto cont = [&](size_t k) { return (b(k) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return left >= 2 && cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 3 || !cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;  // overlong
    if (c == 0xED && b(1) > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// Appends the JSON escape of "c", a byte a plain run stops at: a quote, a
// backslash, a control character, or a byte of invalid UTF-8.
void AppendEscape(std::string* out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"': out->append("\\\""); break;
    case '\\': out->append("\\\\"); break;
    case '\n': out->append("\\n"); break;
    case '\r': out->append("\\r"); break;
    case '\t': out->append("\\t"); break;
    case '\b': out->append("\\b"); break;
    case '\f': out->append("\\f"); break;
    default:
      if (c >= 0x80) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for an invalid byte
      } else {
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
      }
  }
}

// The body of a JSON string for text known to be valid UTF-8: only ASCII
// bytes can need escaping.
void AppendValidJsonBody(std::string* out, std::string_view s) {
  AppendWithEscapes(
      out, s, [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; },
      [](__m128i v) {
        // A control byte is <= 0x1F unsigned, that is max(v, 0x1F) == 0x1F.
        const __m128i control_max = _mm_set1_epi8(0x1F);
        const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, control_max), control_max);
        return _mm_movemask_epi8(
            _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))));
      },
      AppendEscape);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  // simdjson's validator applies Utf8SequenceLength's rules (no overlong
  // forms, surrogates or code points above U+10FFFF) many bytes a step, but
  // costs a dispatch per call: short strings (keys, ids) go byte by byte.
  if (s.size() >= 64) return simdjson::validate_utf8(s.data(), s.size());
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  // Only a lead byte in the last 3 bytes can start a sequence that the cut
  // splits; stray continuation bytes are not part of any character.
  for (size_t back = 1; back <= 3 && back <= max_bytes; ++back) {
    const unsigned char c = static_cast<unsigned char>(s[max_bytes - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return s.substr(0, len > back ? max_bytes - back : max_bytes);
  }
  return s.substr(0, max_bytes);
}

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  if (IsValidUtf8(s)) {  // nearly always: the record parser validated it
    AppendValidJsonBody(out, s);
    out->push_back('"');
    return;
  }
  size_t i = 0;
  while (i < s.size()) {
    // Copy runs of plain text in one go, valid UTF-8 included.
    size_t run = i;
    while (run < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[run]);
      if (c >= 0x80) {
        const size_t n = Utf8SequenceLength(s, run);
        if (n == 0) break;
        run += n;
        continue;
      }
      if (c < 0x20 || c == '"' || c == '\\') break;
      ++run;
    }
    out->append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    AppendEscape(out, static_cast<unsigned char>(s[i]));
    ++i;
  }
  out->push_back('"');
}

void AppendJsonNumber(std::string* out, double v) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_->push_back(',');
    has_element_.back() = true;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_->push_back('{');
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_->push_back('}');
  has_element_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_->push_back('[');
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_->push_back(']');
  has_element_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_->push_back(':');
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view v) {
  Separate();
  AppendJsonString(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  Separate();
  out_->append(std::to_string(v));
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  Separate();
  out_->append(std::to_string(v));
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  Separate();
  AppendJsonNumber(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_->append(v ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_->append("null");
  return *this;
}

}  // namespace catscan
