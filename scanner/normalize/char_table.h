// scanner/normalize/char_table.h
//
// Internal to normalize/: what the normalizer does with each code point. One
// CharTable is built by the Normalizer's constructor and is read-only after,
// so any number of threads may read it.
//
// Every code point gets a class (how it takes part in filler removal) and an
// optional replacement (width, case, traditional -> simplified, circled and
// math look-alikes -> ASCII). A replacement is never longer in UTF-8 than the
// character it replaces; the normalizer relies on that to size its output once.

#ifndef CATSCAN_NORMALIZE_CHAR_TABLE_H_
#define CATSCAN_NORMALIZE_CHAR_TABLE_H_

#include <cstdint>
#include <memory>

namespace catscan {
namespace normalize_internal {

enum CharClass : uint8_t {
  kOther = 0,  // kept as is and never glued to: clause punctuation, brackets, other scripts
  kCjk,        // a Han ideograph: a word character
  kAlnum,      // an ASCII letter or digit (after replacement): a word character
  kSpace,      // white space: a filler
  kFiller,     // punctuation or a symbol that merchants put between characters
  kZeroWidth,  // invisible (U+200B, U+FEFF, variation selectors...): always dropped
  kBreak,      // a hard line break: kept, never removed, never glued across
  kHeart,      // ❤ ♥ 💗...: 信 right after 微, otherwise a filler
  kPlus,       // ＋ ➕: 加 when followed at once by v or 微, otherwise a filler
  kLineSep,    // U+2028/U+2029: a break in plain text, white space in HTML
  kTagOpen,    // '<' in HTML
  kEntity,     // '&' in HTML
};

// One code point's class and replacement, as the normalizer uses it.
struct CharInfo {
  CharClass cls = kOther;
  uint8_t len = 0;     // bytes in "bytes"; 0 = the character is kept unchanged
  bool multi = false;  // the replacement is several characters ("⑩" -> "10")
  uint32_t bytes = 0;  // the replacement, UTF-8, packed: first byte in the low bits
};

// Three views of ASCII: plain text, HTML markup, and characters decoded from
// an HTML entity (HTML white space, but '<' and '&' are plain characters).
enum AsciiMode { kAsciiPlain = 0, kAsciiHtml = 1, kAsciiDecoded = 2 };

class CharTable {
 public:
  CharTable();
  CharTable(const CharTable&) = delete;
  CharTable& operator=(const CharTable&) = delete;

  // Class of an ASCII byte (< 0x80) in "mode". ASCII replacements are only
  // A-Z -> a-z.
  CharClass AsciiClass(AsciiMode mode, uint8_t b) const { return ascii_[mode][b]; }

  // Plain characters are kept unchanged and need no context but the last
  // one: a-z, 0-9, Han ideographs, and punctuation that is not a filler
  // (。，！：“ ( ...); not 信 and 新, which end look-alike rules. The
  // normalizer copies runs of plain characters without looking further.
  // AsciiPlain is for mode kAsciiPlain or kAsciiHtml; Special(cp) (for BMP
  // code points) is true when cp is not plain.
  bool AsciiPlain(AsciiMode mode, uint8_t b) const { return ascii_plain_[mode][b]; }
  bool Special(uint32_t cp) const { return (special_[cp >> 6] >> (cp & 63)) & 1; }
  // Special() of the 3-byte UTF-8 sequence packed in the low 24 bits of "w"
  // (first byte lowest), without decoding it: cp >> 6 is the lead's low 4
  // bits and the second byte's low 6, cp & 63 the third byte's low 6.
  bool Special3(uint32_t w) const {
    return (special_[((w & 0x0F) << 6) | ((w >> 8) & 0x3F)] >> ((w >> 16) & 63)) & 1;
  }

  // Class of a BMP code point (no replacement).
  CharClass BmpClass(uint32_t cp) const { return static_cast<CharClass>(bmp_[cp] >> kClassShift); }

  // Class and replacement of any code point; ASCII in "mode".
  CharInfo Lookup(uint32_t cp, AsciiMode mode) const {
    CharInfo info;
    if (cp < 0x80) {
      info.cls = ascii_[mode][cp];
      if (cp >= 'A' && cp <= 'Z') {
        info.len = 1;
        info.bytes = cp + ('a' - 'A');
      }
      return info;
    }
    if (cp >= 0x10000) return Supplementary(cp);
    const uint32_t v = bmp_[cp];
    info.cls = static_cast<CharClass>(v >> kClassShift);
    info.len = static_cast<uint8_t>((v >> kLenShift) & 3);
    info.multi = (v & kMultiBit) != 0;
    info.bytes = v & 0xFFFFFF;
    return info;
  }

 private:
  void SetBmp(uint32_t cp, CharClass cls, uint32_t replacement);
  void SetBmpDigits(uint32_t cp, unsigned value);
  CharInfo Supplementary(uint32_t cp) const;

  // Per BMP code point: bits 0-23 replacement bytes, 24-25 length, 26 multi,
  // 27-31 class.
  static constexpr uint32_t kClassShift = 27;
  static constexpr uint32_t kLenShift = 24;
  static constexpr uint32_t kMultiBit = 1u << 26;
  std::unique_ptr<uint32_t[]> bmp_;
  uint64_t special_[1024];
  CharClass ascii_[3][128];
  bool ascii_plain_[2][128];
};

// Encodes "cp" as UTF-8, packed like CharInfo::bytes, into *out; returns the
// length.
int EncodeUtf8(uint32_t cp, uint32_t* out);

}  // namespace normalize_internal
}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_CHAR_TABLE_H_
