// NormalizedText's offset map. See normalizer.h.

#include <algorithm>

#include "scanner/normalize/normalizer.h"

namespace catscan {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

// Segments start at strictly increasing normalized offsets, the first at 0.
size_t NormalizedText::SegmentIndexAt(uint32_t norm) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), norm,
                             [](uint32_t v, const Segment& s) { return v < s.norm; });
  return static_cast<size_t>(it - segments_.begin()) - 1;
}

std::pair<uint32_t, uint32_t> NormalizedText::ToOriginal(uint32_t start, uint32_t end) const {
  if (segments_.empty()) return {0, 0};
  const uint32_t n = static_cast<uint32_t>(size_);
  end = std::min(end, n);
  const char* t = buf_.get();
  if (start >= end) {  // empty: a point, on the character boundary at or before "end"
    while (end > 0 && end < n && IsContinuation(t[end])) --end;
    if (end == n) return {segments_.back().orig_end, segments_.back().orig_end};
    const Segment& s = segments_[SegmentIndexAt(end)];
    const uint32_t o = s.copy ? s.orig + (end - s.norm) : s.orig;
    return {o, o};
  }
  while (start > 0 && IsContinuation(t[start])) --start;
  while (end < n && IsContinuation(t[end])) ++end;

  const Segment& first = segments_[SegmentIndexAt(start)];
  const Segment& last = segments_[SegmentIndexAt(end - 1)];
  const uint32_t ostart = first.copy ? first.orig + (start - first.norm) : first.orig;
  const uint32_t oend = last.copy ? last.orig + (end - last.norm) : last.orig_end;
  return {ostart, oend};
}

}  // namespace catscan
