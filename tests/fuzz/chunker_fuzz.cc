// Fuzzes Chunker with tiny chunk and record limits: the chunks plus the
// skipped lines must account for every line of the input, in order.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scanner/source/chunker.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/catscan-fuzz-chunker-" + std::to_string(getpid());
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto src = catscan::ByteSource::Open({path, size, false});
  if (!src.ok()) return 0;
  catscan::Chunker chunker(std::move(src.value()), 0, catscan::ChunkerOptions{16, 1024, 8});
  // Plain input only: zstd (incl. skippable frames) has its own target, and a
  // corrupt frame is a clean error there, not a chunker bug.
  if (chunker.compressed()) return 0;
  const std::string input(reinterpret_cast<const char*>(data), size);
  uint64_t expected_line = 1;
  std::string rebuilt;
  catscan::Chunk chunk;
  for (;;) {
    auto more = chunker.Next(&chunk);
    if (!more.ok()) std::abort();
    if (!more.value()) break;
    for (const catscan::SkippedLine& s : chunk.skipped) {
      if (s.line != expected_line) std::abort();
      ++expected_line;
    }
    if (chunk.data.empty()) continue;
    if (chunk.first_line != expected_line) std::abort();
    if (chunk.data.capacity() < chunk.data.size() + catscan::kChunkPadding) std::abort();
    expected_line += static_cast<uint64_t>(std::count(chunk.data.begin(), chunk.data.end(), '\n'));
    if (chunk.data.back() != '\n') ++expected_line;
    rebuilt += chunk.data;
  }
  // With no oversize line, the chunks reproduce the input exactly.
  if (chunker.lines_done() != expected_line - 1) std::abort();
  bool any_skipped = rebuilt.size() != input.size();
  if (!any_skipped && rebuilt != input) std::abort();
  return 0;
}
