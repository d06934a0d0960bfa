// Fuzzes ByteSource (format sniffing + streaming zstd): any file must read to
// its end or fail with a Status, within bounded memory, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "scanner/source/byte_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/catscan-fuzz-byte-source-" + std::to_string(getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  catscan::StatusOr<std::unique_ptr<catscan::ByteSource>> src =
      catscan::ByteSource::Open({path, size, false});
  if (!src.ok()) return 0;
  std::vector<char> buf(64 << 10);
  uint64_t total = 0;
  for (;;) {
    catscan::StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
    if (!n.ok() || n.value() == 0) break;
    total += n.value();
    if (total > (256u << 20)) break;  // a zstd bomb: stop, memory stayed bounded
  }
  return 0;
}
