// scanner/base/escape_runs.h
//
// AppendWithEscapes copies text to a string, replacing the few bytes that
// need escaping, and copies the runs between them whole. The JSON writer and
// the report's script-safe JSON both use it on tens of MB, where a special
// byte is rare, so the specials are found 16 bytes a step (SSE2, baseline
// on x86-64, the only target Hyperscan builds for), with a byte loop for the
// tail.

#ifndef CATSCAN_BASE_ESCAPE_RUNS_H_
#define CATSCAN_BASE_ESCAPE_RUNS_H_

#include <string>
#include <string_view>

#include <emmintrin.h>

namespace catscan {

// Appends "text" to *out; each byte b for which is_special(b) holds is
// replaced by whatever escape(out, b) appends. special_mask(v) must return
// the movemask of the specials among the 16 bytes in v (bit i: byte i), the
// same answer is_special gives byte by byte.
template <typename IsSpecial, typename SpecialMask, typename Escape>
void AppendWithEscapes(std::string* out, std::string_view text, IsSpecial is_special,
                       SpecialMask special_mask, Escape escape) {
  const char* const p = text.data();
  const size_t n = text.size();
  size_t run = 0, i = 0;
  const auto escape_at = [&](size_t at) {
    out->append(p + run, at - run);
    escape(out, static_cast<unsigned char>(p[at]));
    run = at + 1;
  };
  while (i + 16 <= n) {
    const unsigned mask = static_cast<unsigned>(
        special_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
    if (mask == 0) {
      i += 16;
      continue;
    }
    i += static_cast<size_t>(__builtin_ctz(mask));
    escape_at(i);
    ++i;
  }
  for (; i < n; ++i) {
    if (is_special(static_cast<unsigned char>(p[i]))) escape_at(i);
  }
  out->append(p + run, n - run);
}

}  // namespace catscan

#endif  // CATSCAN_BASE_ESCAPE_RUNS_H_
