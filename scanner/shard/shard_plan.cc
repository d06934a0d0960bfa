#include "scanner/shard/shard_plan.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "scanner/source/byte_source.h"

namespace catscan {
namespace {

constexpr int kMaxShards = 100000;

bool ParseInt(std::string_view s, int* out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// floor(k * total / count) without overflow.
uint64_t Boundary(uint64_t total, int k, int count) {
  return static_cast<uint64_t>(static_cast<unsigned __int128>(total) * static_cast<unsigned>(k) /
                               static_cast<unsigned>(count));
}

// Sum of the frame content sizes of the zstd file at "path", or false if a
// frame does not record its size (or the file is not well formed: the
// decompressing fallback then reports why).
bool SumFrameContentSizes(const std::string& path, uint64_t* total) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size <= 0) {
    close(fd);
    return false;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return false;
  const char* p = static_cast<const char*>(map);
  size_t left = size;
  uint64_t sum = 0;
  bool ok = true;
  while (left > 0 && ok) {
    const unsigned long long content = ZSTD_getFrameContentSize(p, left);
    const size_t frame = ZSTD_findFrameCompressedSize(p, left);
    if (content == ZSTD_CONTENTSIZE_UNKNOWN || content == ZSTD_CONTENTSIZE_ERROR ||
        ZSTD_isError(frame) || frame == 0) {
      ok = false;
      break;
    }
    sum += content;  // 0 for a skippable frame
    p += frame;
    left -= frame;
  }
  munmap(map, size);
  if (ok) *total = sum;
  return ok;
}

}  // namespace

StatusOr<ShardSpec> ParseShardSpec(std::string_view text) {
  const size_t slash = text.find('/');
  ShardSpec spec;
  if (slash == std::string_view::npos || !ParseInt(text.substr(0, slash), &spec.index) ||
      !ParseInt(text.substr(slash + 1), &spec.count) || spec.count < 1 ||
      spec.count > kMaxShards || spec.index < 1 || spec.index > spec.count) {
    return UsageError("--shard " + std::string(text) + ": expected I/N with 1 <= I <= N <= " +
                      std::to_string(kMaxShards) + " (e.g. --shard 2/8)");
  }
  return spec;
}

std::vector<std::vector<ShardPiece>> PlanShards(const std::vector<uint64_t>& sizes, int count) {
  std::vector<uint64_t> starts(sizes.size());
  uint64_t total = 0;
  for (size_t f = 0; f < sizes.size(); ++f) {
    starts[f] = total;
    total += sizes[f];
  }
  // Cuts in the stream of all inputs: shard k reads [cut[k], cut[k+1]).
  const uint64_t half_share = total / static_cast<uint64_t>(count) / 2;
  std::vector<uint64_t> cut(static_cast<size_t>(count) + 1);
  cut[0] = 0;
  cut[static_cast<size_t>(count)] = total;
  size_t f = 0;
  for (int k = 1; k < count; ++k) {
    uint64_t b = Boundary(total, k, count);
    while (f < sizes.size() && starts[f] + sizes[f] <= b) ++f;
    if (f < sizes.size() && starts[f] < b && sizes[f] < half_share) {
      const uint64_t end = starts[f] + sizes[f];
      b = (b - starts[f] <= end - b) ? starts[f] : end;  // a small file stays whole
    }
    cut[static_cast<size_t>(k)] = std::max(b, cut[static_cast<size_t>(k) - 1]);
  }

  std::vector<std::vector<ShardPiece>> plan(static_cast<size_t>(count));
  for (size_t i = 0; i < sizes.size(); ++i) {
    const uint64_t start = starts[i], end = starts[i] + sizes[i];
    const uint32_t input = static_cast<uint32_t>(i);
    if (sizes[i] == 0) {
      // Nothing to split, but one shard still opens it (as a sweep would):
      // the first whose range holds its position, else the last.
      size_t k = 0;
      while (k + 1 < plan.size() && !(cut[k] <= start && start < cut[k + 1])) ++k;
      plan[k].push_back({input, LineRange{0, LineRange::kToEnd}});
      continue;
    }
    for (size_t k = 0; k < plan.size(); ++k) {
      const uint64_t lo = std::max(start, cut[k]), hi = std::min(end, cut[k + 1]);
      if (lo >= hi) continue;
      const uint64_t range_end = cut[k + 1] >= end ? LineRange::kToEnd : hi - start;
      plan[k].push_back({input, LineRange{lo - start, range_end}});
    }
  }
  return plan;
}

StatusOr<uint64_t> MeasureDecompressedBytes(const InputFile& input) {
  if (input.is_stdin) return UsageError("standard input (-) cannot be split into shards");
  StatusOr<std::unique_ptr<ByteSource>> source = ByteSource::Open(input);
  if (!source.ok()) return source.status();
  if (!source.value()->compressed()) return input.size;
  uint64_t total = 0;
  if (SumFrameContentSizes(input.path, &total)) return total;
  // A frame without its size (compressed from a pipe): count by decompressing.
  std::vector<char> buf(1 << 20);
  total = 0;
  for (;;) {
    StatusOr<size_t> n = source.value()->Read(buf.data(), buf.size());
    if (!n.ok()) return n.status();
    if (n.value() == 0) return total;
    total += n.value();
  }
}

}  // namespace catscan
