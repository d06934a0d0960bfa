// Fuzzes RecordParser: any bytes must give a Record or a reason, never a crash,
// and a parsed Record's views must point at valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scanner/base/json_writer.h"
#include "scanner/record/record.h"
#include "scanner/source/chunker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static catscan::RecordParser* parser = new catscan::RecordParser(1 << 20);
  std::string line(reinterpret_cast<const char*>(data), size);
  line.reserve(size + catscan::kChunkPadding);
  catscan::Record record;
  const std::string reason = parser->Parse(line, line.capacity(), &record);
  if (reason.empty()) {
    if (record.item_id.empty() || record.merchant_id.empty()) std::abort();
    for (std::string_view t : record.text) {
      if (!catscan::IsValidUtf8(t)) std::abort();
    }
  }
  return 0;
}
