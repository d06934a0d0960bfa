// scanner/normalize/text_scan.h
//
// Internal to normalize/: the vocabulary shared by Normalizer::Normalize
// (normalizer.cc) and Normalizer::NeedsNormalization
// (needs_normalization.cc): UTF-8 decoding, the plain-run scanner, the
// look-alike code points. Stateless functions; thread-safe.

#ifndef CATSCAN_NORMALIZE_TEXT_SCAN_H_
#define CATSCAN_NORMALIZE_TEXT_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "scanner/normalize/char_table.h"

namespace catscan {
namespace normalize_internal {

constexpr int kMaxFillerRun = 3;
constexpr uint32_t kWei = 0x5FAE;     // 微
constexpr uint32_t kXin = 0x4FE1;     // 信
constexpr uint32_t kXinNew = 0x65B0;  // 新
constexpr uint32_t kJia = 0x52A0;     // 加
// UTF-8 packed like CharInfo::bytes.
constexpr uint32_t kWeiUtf8 = 0xAEBEE5;
constexpr uint32_t kXinUtf8 = 0xA1BFE4;
constexpr uint32_t kJiaUtf8 = 0xA08AE5;

// 薇 威 徽 维: read as 微 right before 信.
inline bool IsWeiLookalike(uint32_t cp) {
  return cp == 0x8587 || cp == 0x5A01 || cp == 0x5FBD || cp == 0x7EF4;
}

inline bool IsCont(uint8_t b) { return (b & 0xC0) == 0x80; }
inline bool IsDigit(uint32_t c) { return c >= '0' && c <= '9'; }

// Separators that no number is written with (unlike . , - / ~ * + :), so
// digits on both sides of them are one number split up: | _ · • ・ ‧, box
// drawing, shapes, dingbats, emoji.
inline bool IsNeutralSeparator(uint32_t cp) {
  return cp == '|' || cp == '_' || cp == 0xB7 || cp == 0x2022 || cp == 0x2027 || cp == 0x30FB ||
         (cp >= 0x2500 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

// Decodes the character at p (< end). A malformed or truncated sequence
// decodes as U+FFFD of length 1, so bad bytes are copied through one by one.
inline uint32_t Decode(const uint8_t* p, const uint8_t* end, int* len) {
  const uint8_t b = p[0];
  const ptrdiff_t avail = end - p;
  *len = 1;
  if (b < 0x80) return b;
  if (b >= 0xC2 && b < 0xE0 && avail >= 2 && IsCont(p[1])) {
    *len = 2;
    return ((b & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  }
  if (b >= 0xE0 && b < 0xF0 && avail >= 3 && IsCont(p[1]) && IsCont(p[2])) {
    const uint32_t cp = ((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *len = 3;
      return cp;
    }
  } else if (b >= 0xF0 && b < 0xF5 && avail >= 4 && IsCont(p[1]) && IsCont(p[2]) && IsCont(p[3])) {
    const uint32_t cp =
        ((b & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      *len = 4;
      return cp;
    }
  }
  return 0xFFFD;
}

// Packed UTF-8 (CharInfo::bytes) to and from memory. Whole words, not
// bytes: byte stores followed by a word load stall the store buffer.
inline uint32_t LoadPacked(const uint8_t* p, int n) {
  uint32_t v = p[0];
  if (n > 1) v |= static_cast<uint32_t>(p[1]) << 8;
  if (n > 2) v |= static_cast<uint32_t>(p[2]) << 16;
  if (n > 3) v |= static_cast<uint32_t>(p[3]) << 24;
  return v;
}
inline void StorePacked(char* dst, uint32_t v) {  // writes 4 bytes
  const char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 24)};
  std::memcpy(dst, b, 4);
}

// The code point of a replacement (its last one if it has several: "10").
inline uint32_t ReplacementCp(const CharInfo& info) {
  if (info.multi) return (info.bytes >> (8 * (info.len - 1))) & 0xFF;
  uint8_t b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(info.bytes >> (8 * i));
  int len;
  return Decode(b, b + info.len, &len);
}

// Where a run of plain characters (CharTable::AsciiPlain, Special) starting
// at p ends: the normalizer's hot loop, two Chinese characters per 8-byte
// load. With kCopy it also copies the run to "out", writing whole words: the
// caller guarantees that out's offset in its buffer is at most p's in the
// input and that the buffer is at least as long as the input.
template <bool kCopy>
const uint8_t* ScanPlain(const CharTable& t, AsciiMode mode, const uint8_t* p, const uint8_t* end,
                         char* out) {
  while (end - p >= 8) {
    uint64_t w8;
    std::memcpy(&w8, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w8 = __builtin_bswap64(w8);
#endif
    // Two 3-byte characters at once: the common case in Chinese text.
    if ((w8 & 0xC0C0F0C0C0F0) == 0x8080E08080E0 && !t.Special3(static_cast<uint32_t>(w8)) &&
        !t.Special3(static_cast<uint32_t>(w8 >> 24))) {
      if (kCopy) {
        std::memcpy(out, p, 8);
        out += 6;
      }
      p += 6;
      continue;
    }
    const uint32_t w = static_cast<uint32_t>(w8);
    if ((w & 0x80) == 0) {
      if (!t.AsciiPlain(mode, static_cast<uint8_t>(w))) return p;
      if (kCopy) *out++ = static_cast<char>(w);
      ++p;
      continue;
    }
    if ((w & 0xC0C0F0) != 0x8080E0 || t.Special3(w)) return p;
    if (kCopy) {
      StorePacked(out, w);
      out += 3;
    }
    p += 3;
  }
  while (p < end) {
    const uint8_t b = *p;
    int n = 1;
    if (b >= 0x80) {
      if ((b & 0xF0) != 0xE0 || end - p < 3 || ((p[1] ^ 0x80) | (p[2] ^ 0x80)) >= 0x40) break;
      if (t.Special(((b & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu))) break;
      n = 3;
    } else if (!t.AsciiPlain(mode, b)) {
      break;
    }
    if (kCopy) {
      std::memcpy(out, p, static_cast<size_t>(n));
      out += n;
    }
    p += n;
  }
  return p;
}

// The last character of a plain run ending at q, its length and class.
struct PlainChar {
  uint32_t cp;
  uint32_t len;
  CharClass cls;
};
inline PlainChar LastPlainChar(const CharTable& t, AsciiMode mode, const uint8_t* q) {
  if (q[-1] < 0x80) return {q[-1], 1, t.AsciiClass(mode, q[-1])};
  const uint32_t cp = ((q[-3] & 0x0Fu) << 12) | ((q[-2] & 0x3Fu) << 6) | (q[-1] & 0x3Fu);
  // Plain 3-byte characters are Han ideographs or punctuation.
  const bool han = (cp >= 0x4E00 && cp <= 0x9FFF) || t.BmpClass(cp) == kCjk;
  return {cp, 3, han ? kCjk : kOther};
}

inline bool IsColon(uint32_t cp) { return cp == ':' || cp == 0xFF1A; }

// Whether Normalize would change "text" (conservatively: true may be
// wrong, false never is). See Normalizer::NeedsNormalization.
bool NeedsNormalization(const CharTable& t, std::string_view text, AsciiMode mode);

}  // namespace normalize_internal
}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_TEXT_SCAN_H_
