// scanner/normalize/normalizer.h
//
// Normalizer turns one text field into the spelling the rule patterns are
// written against, so that evasive spellings of a banned phrase match the same
// patterns as the plain one; NormalizedText keeps a map from the normalized
// bytes back to the original ones, so every hit is reported on the original.
// The matcher (match/) scans NormalizedText::text() and maps each hit back
// with ToOriginal().
//
// What Normalize does, in one pass:
//   * HTML (Kind::kHtml, for detail_html): tags are removed; <script> and
//     <style> lose their content; inline tags (b, i, u, s, em, strong, span,
//     font, a, small, big, sub, sup, mark, unknown tags, comments) vanish, so
//     "免<b>费</b>送" is "免费送"; block tags (p, div, br, li, tr, td, h1-h6,
//     img, hr, table...) become a hard line break "\n". Character references
//     are decoded: "&#20813;", "&#x514d;", and common named ones ("&nbsp;" is a
//     space, "&amp;" is "&"). A '<' or '&' that starts no tag or reference is
//     kept as text; malformed HTML never loses text.
//   * Width and case: full-width ASCII -> ASCII ("０米送" -> "0米送",
//     "ＶＸ" -> "vx", "－" -> "-"), A-Z -> a-z, U+3000, U+00A0 and other
//     spaces -> ' '. The full-width punctuation Chinese text writes as its
//     own, ！（），：；？～, keeps its form (rules are written with it) and
//     acts like its ASCII twin.
//   * Han folding, one character at a time: traditional -> simplified
//     (OpenCC's table: "只賣" -> "只卖"), Kangxi/CJK radicals and compatibility
//     ideographs -> the unified ideograph.
//   * Number and letter look-alikes: ①..⑳ ⑴ ⒈ ❶ ➀ ➊ ⓪ ㉑..㊿ -> ASCII digits
//     ("⑩" -> "10"); superscript/subscript digits; circled, parenthesized and
//     squared letters and the math alphanumerics (U+1D400-U+1D7FF) -> a-z, 0-9.
//     Chinese numerals (一二三) are kept; financial numerals become them
//     (壹贰叁肆伍陆柒捌玖拾 -> 一二三四五六七八九十, 〇 -> 零).
//   * Private-channel look-alikes: 薇信 威信 徽信 维信 微新 -> 微信; a heart
//     right after 微 ("微❤", "微💗", "微♥") -> 信; ＋ or ➕ directly before v or
//     微/薇/威/徽/维 -> 加 ("➕V" -> "加v"). ASCII '+' and 十 are left alone.
//   * Zero-width and other invisible characters (U+200B-U+200F, U+2060,
//     U+FEFF, variation selectors, soft hyphen...) are always dropped.
//   * Filler removal. A filler is white space or punctuation/symbols used as
//     a separator: ASCII # & * + - . / = @ \ ^ _ ` | ~ (and their full-width
//     forms), dashes, bullets (· • ・), 〜, arrows, shapes, dingbats, emoji.
//     Never fillers, so never removed and never glued across: sentence
//     punctuation (。，、；！？… and ASCII , ; ! ?), colons, brackets and
//     quotes, hard line breaks. A run of at most 3 fillers is removed when it
//     stands between two word characters (Han ideograph, ASCII letter or
//     digit) and
//       - one side is Han: "免 费 送", "加.微.信", "0 米 送", "清*仓"; or
//       - both are digits and the run holds only separators no number is
//         written with (| _ · • ・ shapes, emoji): "1738_2262295"; or
//       - both are single letters/digits (no letter or digit on their other
//         side) that are letter-spaced: the run is white space ("Q Q",
//         "1 3 8"), or the same run also stands before the left one or after
//         the right one ("卖.3.0.分", "1*5*3*2"), or it is one symbol inside
//         the spacing ("l e - 4 7", "h|-|4").
//     A run between a colon and a word character is removed too ("QQ-:",
//     "：~tm"): it glues nothing, the colon stays. So "add me", "10 cm",
//     "3.5寸", "2-3天", "3-0", "T-shirt" keep their separators, a run of 4 or
//     more is kept ("免~~~~费送"), and "全场包邮。加购物车",
//     "欢迎新人，送货上门" and "<p>加</p><p>微信支付</p>" gain no "邮加",
//     "新人送" or "加微信". Letter spacing glues short words too: "a b" ->
//     "ab", "S M L" -> "sml".
// Rule patterns should be written in the normalized spelling: lower-case
// ASCII letters and digits, simplified characters; punctuation as the text
// has it (so "[:：]").
//
// The normalized text is never longer than the original and is valid UTF-8
// when the original is (the record parser guarantees it; invalid bytes are
// copied through, never read past the end). Offsets are 32-bit: fields must
// be under 4 GiB, as for PatternHit.
//
// A Normalizer is immutable after construction; all its methods are const and
// may be called from any number of threads at once. A NormalizedText is owned
// by one thread and reused field after field.

#ifndef CATSCAN_NORMALIZE_NORMALIZER_H_
#define CATSCAN_NORMALIZE_NORMALIZER_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace catscan {

namespace normalize_internal {
class CharTable;
}  // namespace normalize_internal

// The normalized view of one field plus a compact map back to its bytes.
class NormalizedText {
 public:
  // Normalized bytes [norm, next segment's norm) come from original bytes
  // [orig, orig_end). A copy segment maps byte for byte (its characters may
  // have been replaced by ones of the same length: A->a, 賣->卖); a replace
  // segment is one unit (an entity, "０"->"0", a tag -> "\n") and any byte of
  // it maps to the whole original range. Original bytes in no segment were
  // removed: tags, fillers, zero-width characters.
  struct Segment {
    uint32_t norm = 0;
    uint32_t orig = 0;
    uint32_t orig_end = 0;
    bool copy = true;
  };

  NormalizedText() = default;
  NormalizedText(NormalizedText&&) = default;
  NormalizedText& operator=(NormalizedText&&) = default;

  // Valid until the next Normalize into this object.
  std::string_view text() const { return std::string_view(buf_.get(), size_); }

  // Maps normalized bytes [start, end) to the smallest original range
  // [ostart, oend) that produced them. Offsets are first widened to whole
  // normalized characters, so the result is on original character
  // boundaries. A range covering whole normalized characters covers their
  // whole original spelling, including tags and fillers removed between
  // them ("免<b>费</b>送" for "免费送") but not those before its first or
  // after its last character. An empty (or reversed) range maps to an empty
  // range at the original position of "end". Out-of-range offsets are
  // clamped.
  std::pair<uint32_t, uint32_t> ToOriginal(uint32_t start, uint32_t end) const;

  // The offset map, in normalized order (for tests and debugging).
  const std::vector<Segment>& segments() const { return segments_; }

 private:
  friend class Normalizer;

  size_t SegmentIndexAt(uint32_t norm) const;

  std::unique_ptr<char[]> buf_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  std::vector<Segment> segments_;
};

class Normalizer {
 public:
  enum class Kind { kPlainText, kHtml };

  // Builds the character tables (about 270 KB, in about a millisecond).
  Normalizer();
  ~Normalizer();
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // A quick scan: false only if Normalize would return "text" unchanged, so
  // the field can be scanned as it is and its hits need no mapping. It may
  // say true for a text that Normalize leaves as it is (any '<' or '&' in
  // HTML, "3.5寸"), never the other way round. Runs at 1-2 GB/s.
  bool NeedsNormalization(std::string_view text, Kind kind) const;

  // Replaces *out with the normalized "text". Reuses out's buffers: once they
  // have grown to the largest field, normalizing allocates nothing.
  void Normalize(std::string_view text, Kind kind, NormalizedText* out) const;

 private:
  std::unique_ptr<const normalize_internal::CharTable> table_;
};

}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_NORMALIZER_H_
