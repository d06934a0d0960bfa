// scanner/normalize/html.h
//
// Internal to normalize/: recognizing one tag or one character reference in
// detail_html. Pure functions over the field text; no state, thread-safe.
//
// Both are forgiving in the way the normalizer needs: a '<' or '&' that does
// not start a well-formed tag or reference is reported as "not one", and the
// caller keeps it as text. Nothing is ever read past the end of "text".

#ifndef CATSCAN_NORMALIZE_HTML_H_
#define CATSCAN_NORMALIZE_HTML_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace catscan {
namespace normalize_internal {

enum class TagKind {
  kNotATag,  // keep the '<' as text: "价格<100", an unclosed "<p"
  kInline,   // vanishes: b, span, font, a, comments, unknown tags...
  kBlock,    // becomes a hard line break: p, div, br, li, td, img, h1-h6...
};

struct TagScan {
  TagKind kind = TagKind::kNotATag;
  size_t end = 0;  // one past the tag; for <script>/<style>, past its end tag
};

// Scans the tag starting at text[pos] == '<'. A <script> or <style> element
// is consumed whole (its content is not text); if its end tag is missing only
// the start tag is.
TagScan ScanTag(std::string_view text, size_t pos);

struct EntityScan {
  uint32_t cp = 0;
  size_t end = 0;  // one past the reference; 0: not a character reference
};

// Scans the character reference starting at text[pos] == '&': "&#20813;",
// "&#x514d;" (the ';' is optional after digits), or a common named one such
// as "&nbsp;" or "&amp;" (the ';' is required).
EntityScan ScanEntity(std::string_view text, size_t pos);

}  // namespace normalize_internal
}  // namespace catscan

#endif  // CATSCAN_NORMALIZE_HTML_H_
