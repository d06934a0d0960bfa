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
  char bytes[4] = {};  // the replacement, UTF-8
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
  // True for a-z and 0-9: kept unchanged, a word character.
  bool AsciiPlain(uint8_t b) const { return ascii_plain_[b]; }

  // True unless "cp" (a BMP code point) is a Han ideograph that is kept
  // unchanged and takes part in no look-alike rule: the normalizer copies
  // runs of those without looking further.
  bool Special(uint32_t cp) const { return (special_[cp >> 6] >> (cp & 63)) & 1; }

  // Class and replacement of any code point; ASCII in "mode".
  CharInfo Lookup(uint32_t cp, AsciiMode mode) const;

 private:
  void SetBmp(uint32_t cp, CharClass cls, uint32_t replacement);
  void SetBmpDigits(uint32_t cp, unsigned value);
  CharInfo Supplementary(uint32_t cp) const;

  // Per BMP code point: bits 0-23 replacement bytes, 24-25 length, 26 multi,
  // 27-31 class.
  std::unique_ptr<uint32_t[]> bmp_;
  uint64_t special_[1024];
  CharClass ascii_[3][128];
  bool ascii_plain_[128];
};

// Encodes "cp" as UTF-8 into "out" (room for 4); returns the length.
int EncodeUtf8(uint32_t cp, char* out);

}  // namespace normalize_internal
}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_CHAR_TABLE_H_
