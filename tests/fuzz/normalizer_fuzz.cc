// Fuzzes the normalizer: for any bytes and either kind, Normalize must not
// crash, must not grow the text, must agree with NeedsNormalization, and
// ToOriginal must map every normalized range into the original, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scanner/normalize/normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const catscan::Normalizer* normalizer = new catscan::Normalizer();
  static catscan::NormalizedText* out = new catscan::NormalizedText();
  if (size == 0) return 0;
  using Kind = catscan::Normalizer::Kind;
  const Kind kind = (data[0] & 1) ? Kind::kHtml : Kind::kPlainText;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  normalizer->Normalize(text, kind, out);
  const std::string_view norm = out->text();
  if (norm.size() > text.size()) std::abort();
  if (!normalizer->NeedsNormalization(text, kind) && norm != text) std::abort();
  uint32_t last_start = 0;
  for (uint32_t i = 0; i <= norm.size(); ++i) {
    const auto [start, end] = out->ToOriginal(i, static_cast<uint32_t>(norm.size()));
    if (start > end || end > text.size()) std::abort();
    if (start < last_start) std::abort();  // monotone: later text maps later
    last_start = start;
  }
  return 0;
}
