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
//     "ＶＸ" -> "vx"), U+3000 and other spaces -> ' ', A-Z -> a-z.
//   * Han folding, one character at a time: traditional -> simplified
//     (OpenCC's table: "只賣" -> "只卖"), Kangxi/CJK radicals and compatibility
//     ideographs -> the unified ideograph.
//   * Number and letter look-alikes: ①..⑳ ⑴ ⒈ ❶ ➀ ➊ ⓪ ㉑..㊿ -> ASCII digits
//     ("⑩" -> "10"); superscript/subscript digits; circled, parenthesized and
//     squared letters and the math alphanumerics (U+1D400-U+1D7FF) -> a-z, 0-9.
//     Chinese numerals (一二三) are kept.
//   * Private-channel look-alikes: 薇信 威信 徽信 维信 微新 -> 微信; a heart
//     right after 微 ("微❤", "微💗", "微♥") -> 信; ＋ or ➕ directly before v or
//     微/薇/威/徽/维 -> 加 ("➕V" -> "加v"). ASCII '+' and 十 are left alone.
//   * Zero-width and other invisible characters (U+200B-U+200F, U+2060,
//     U+FEFF, variation selectors, soft hyphen...) are always dropped.
//   * Filler removal. A filler is white space or punctuation/symbols used as
//     a separator: ASCII # & * + - . / = @ \ ^ _ ` | ~, dashes, bullets
//     (· • ・), 〜, arrows, geometric shapes, dingbats, emoji. A run of at most
//     3 fillers between two word characters (Han ideograph, ASCII letter or
//     digit) is removed when
//       - at least one side is Han ("免 费 送", "加.微.信", "0 米 送"), or
//       - both sides are ASCII and the left one was itself reached over a
//         removed run of the same fillers: letter-spaced text, "卖 3 0 分" ->
//         "卖30分", "加 V X" -> "加vx".
//     So "add me", "10 cm", "3.5寸", "2-3天" keep their separators. A longer
//     run is kept, and these are never fillers, so they are never removed and
//     nothing is glued across them: sentence punctuation (。，、；：！？… and
//     ASCII , ; : ! ?), brackets and quotes, hard line breaks. Thus
//     "全场包邮。加购物车" and "<p>加</p><p>微信支付</p>" gain no "邮加" or
//     "加微信".
// Rule patterns should be written in the normalized spelling: lower-case,
// half-width ASCII punctuation (",", ":"), simplified characters.
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
  // after its last character. An empty range maps to an empty range at the
  // original position of "start". Out-of-range offsets are clamped.
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

  // Builds the character tables (about 270 KB, well under a millisecond).
  Normalizer();
  ~Normalizer();
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // A quick scan: false only if Normalize would return "text" unchanged, so
  // the field can be scanned as it is and its hits need no mapping. It may
  // say true for a text that Normalize leaves as it is (e.g. any '<' or '&'
  // in HTML, "x a b"), never the other way round.
  bool NeedsNormalization(std::string_view text, Kind kind) const;

  // Replaces *out with the normalized "text". Reuses out's buffers: once they
  // have grown to the largest field, normalizing allocates nothing.
  void Normalize(std::string_view text, Kind kind, NormalizedText* out) const;

 private:
  std::unique_ptr<const normalize_internal::CharTable> table_;
};

}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_NORMALIZER_H_
