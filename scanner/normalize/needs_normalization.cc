// Normalizer::NeedsNormalization: the engine's decisions (normalizer.cc)
// replayed without writing anything, stopping at the first change.

#include <cstdint>
#include <string_view>

#include "scanner/normalize/char_table.h"
#include "scanner/normalize/text_scan.h"

namespace catscan {
namespace normalize_internal {

// Mirrors Engine without writing: returns true at the first place where the
// engine would write something other than the original bytes.
bool NeedsNormalization(const CharTable& t, std::string_view text, AsciiMode mode) {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* const end = p + text.size();
  CharClass left = kOther;
  uint32_t left_cp = 0;
  bool left_single = false;  // left is a letter or digit with none right before it
  bool last_alnum = false;   // the last character (not zero-width) was a letter or digit
  bool left_colon = false;   // a ':' came after left
  bool neutral = true;       // every filler since left is an IsNeutralSeparator
  int fillers = 0;
  while (p < end) {
    if (fillers == 0) {
      const uint8_t* q = ScanPlain<false>(t, mode, p, end, nullptr);
      if (q != p) {
        const PlainChar last = LastPlainChar(t, mode, q);
        left_colon = false;
        if (last.cls == kOther) {
          left = kOther;
          last_alnum = false;
          left_colon = IsColon(last.cp);
        } else {
          bool prev_alnum = last_alnum;  // the character before the last one
          if (q - p > static_cast<ptrdiff_t>(last.len)) {
            const uint8_t b = q[-static_cast<ptrdiff_t>(last.len) - 1];
            prev_alnum = b < 0x80 && t.AsciiClass(mode, b) == kAlnum;
          }
          left_single = !prev_alnum;
          left = last.cls;
          left_cp = last.cp;
          last_alnum = left == kAlnum;
        }
        p = q;
        if (p >= end) break;
      }
    }
    uint32_t cp = *p;
    CharClass cls;
    if (cp < 0x80) {
      cls = t.AsciiClass(mode, static_cast<uint8_t>(cp));
      if (cls == kTagOpen || cls == kEntity || (cp >= 'A' && cp <= 'Z')) return true;
      ++p;
    } else {
      int n;
      cp = Decode(p, end, &n);
      const CharInfo info = t.Lookup(cp, mode);
      cls = info.cls;
      if (info.len != 0 || cls == kZeroWidth || cls == kLineSep || cls == kPlus) return true;
      p += n;
    }
    switch (cls) {
      case kHeart:
        if (left == kCjk && left_cp == kWei && fillers <= kMaxFillerRun) return true;
        [[fallthrough]];
      case kSpace:
      case kFiller:
        if (fillers == 0) neutral = true;
        neutral = neutral && IsNeutralSeparator(cp);
        if (fillers <= kMaxFillerRun) ++fillers;
        last_alnum = false;
        break;
      case kCjk:
      case kAlnum:
        if (fillers > 0 && fillers <= kMaxFillerRun &&
            (left_colon || (left != kOther && (left == kCjk || cls == kCjk || left_single ||
                                               (IsDigit(left_cp) && IsDigit(cp) && neutral))))) {
          return true;
        }
        if (fillers == 0 && left == kCjk &&
            ((cp == kXin && IsWeiLookalike(left_cp)) || (cp == kXinNew && left_cp == kWei))) {
          return true;
        }
        left_single = !last_alnum;
        last_alnum = cls == kAlnum;
        left = cls;
        left_cp = cp;
        left_colon = false;
        fillers = 0;
        break;
      default:
        if (IsColon(cp) && left != kOther && fillers > 0 && fillers <= kMaxFillerRun) return true;
        left = kOther;
        left_colon = IsColon(cp);
        last_alnum = false;
        fillers = 0;
        break;
    }
  }
  return false;
}

}  // namespace normalize_internal
}  // namespace catscan
