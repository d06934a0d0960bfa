// scanner/source/line_range.h
//
// LineRangeSource reads the lines of one input whose first byte lies in a
// byte range of the decompressed stream: the unit of work of a shard (see
// scanner/shard/shard_plan.h). Ranges that tile an input, [0,a) [a,b) [b,end),
// hand out every line exactly once, each whole, in order: a line belongs to
// the range holding its first byte, even if it runs past the range's end.
//
// The decompressed bytes before the range are read and dropped (zstd cannot
// seek), counting newlines on the way, so first_line() is the physical line
// number of the first line handed out and quarantine line numbers stay those
// of the original file. That prefix is the price of cutting one file into
// shards: README.md ("Scaling out") measures it.
//
// Not thread-safe: one reader owns it, like the ByteSource it wraps.

#ifndef CATSCAN_SOURCE_LINE_RANGE_H_
#define CATSCAN_SOURCE_LINE_RANGE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "scanner/base/status.h"
#include "scanner/source/byte_source.h"

namespace catscan {

// [begin, end) in decompressed bytes; end == kToEnd reads to the end of input.
struct LineRange {
  static constexpr uint64_t kToEnd = std::numeric_limits<uint64_t>::max();
  uint64_t begin = 0;
  uint64_t end = kToEnd;

  bool whole() const { return begin == 0 && end == kToEnd; }
  bool operator==(const LineRange& o) const { return begin == o.begin && end == o.end; }
};

class LineRangeSource : public ByteSource {
 public:
  // Skips "inner" to the first line starting at or after range.begin. Fails
  // with the inner source's error if the prefix cannot be read.
  static StatusOr<std::unique_ptr<LineRangeSource>> Open(std::unique_ptr<ByteSource> inner,
                                                         LineRange range);

  StatusOr<size_t> Read(char* buf, size_t n) override;
  bool compressed() const override { return inner_->compressed(); }
  // Includes the skipped prefix: it was read from disk too.
  uint64_t raw_bytes_consumed() const override { return inner_->raw_bytes_consumed(); }

  // 1-based physical line number of the first byte Read() returns.
  uint64_t first_line() const { return first_line_; }

 private:
  LineRangeSource(std::unique_ptr<ByteSource> inner, LineRange range)
      : inner_(std::move(inner)), range_(range) {}
  Status SkipPrefix();
  // How many of the "n" bytes at "buf" (starting at offset pos_) belong to
  // the range: all of them, or up to the newline that ends its last line.
  size_t CutAtRangeEnd(const char* buf, size_t n);

  std::unique_ptr<ByteSource> inner_;
  LineRange range_;
  uint64_t first_line_ = 1;
  uint64_t pos_ = 0;        // decompressed offset of buffer_[head_]
  std::string buffer_;      // read past the prefix, not yet handed out
  size_t head_ = 0;
  bool done_ = false;       // the range's last line has been handed out
};

}  // namespace catscan

#endif  // CATSCAN_SOURCE_LINE_RANGE_H_
