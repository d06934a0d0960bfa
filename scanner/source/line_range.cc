#include "scanner/source/line_range.h"

#include <algorithm>
#include <cstring>

namespace catscan {
namespace {

constexpr size_t kSkipBlockBytes = 256 << 10;

}  // namespace

StatusOr<std::unique_ptr<LineRangeSource>> LineRangeSource::Open(std::unique_ptr<ByteSource> inner,
                                                                 LineRange range) {
  std::unique_ptr<LineRangeSource> source(new LineRangeSource(std::move(inner), range));
  if (Status s = source->SkipPrefix(); !s.ok()) return s;
  return source;
}

Status LineRangeSource::SkipPrefix() {
  if (range_.begin == 0) {
    done_ = range_.end == 0;
    return Status::OK();
  }
  // The range's first line starts right after the first newline at or after
  // offset begin - 1 (a newline at begin - 1 ends the line before).
  const uint64_t newline_from = range_.begin - 1;
  uint64_t newlines = 0;
  for (;;) {
    buffer_.resize(kSkipBlockBytes);
    StatusOr<size_t> got = inner_->Read(buffer_.data(), buffer_.size());
    if (!got.ok()) return got.status();
    const size_t n = got.value();
    buffer_.resize(n);
    if (n == 0) {  // the input ends before any line of the range starts
      done_ = true;
      return Status::OK();
    }
    const size_t from =
        newline_from > pos_ ? static_cast<size_t>(std::min<uint64_t>(newline_from - pos_, n)) : 0;
    newlines += static_cast<uint64_t>(std::count(buffer_.data(), buffer_.data() + from, '\n'));
    const void* nl = memchr(buffer_.data() + from, '\n', n - from);
    if (nl != nullptr) {
      head_ = static_cast<size_t>(static_cast<const char*>(nl) - buffer_.data()) + 1;
      pos_ += head_;
      first_line_ = newlines + 2;  // lines before: newlines counted, plus this newline's
      if (range_.end != LineRange::kToEnd && pos_ >= range_.end) done_ = true;
      return Status::OK();
    }
    pos_ += n;
  }
}

size_t LineRangeSource::CutAtRangeEnd(const char* buf, size_t n) {
  if (range_.end == LineRange::kToEnd || n == 0) return n;
  const uint64_t newline_from = range_.end - 1;  // the newline ending the last line is here or later
  if (pos_ + n <= newline_from) return n;
  const size_t from = newline_from > pos_ ? static_cast<size_t>(newline_from - pos_) : 0;
  const void* nl = memchr(buf + from, '\n', n - from);
  if (nl == nullptr) return n;
  done_ = true;  // what follows belongs to the next range
  return static_cast<size_t>(static_cast<const char*>(nl) - buf) + 1;
}

StatusOr<size_t> LineRangeSource::Read(char* buf, size_t n) {
  if (done_ || n == 0) return size_t{0};
  size_t k;
  if (head_ < buffer_.size()) {
    k = std::min(n, buffer_.size() - head_);
    std::memcpy(buf, buffer_.data() + head_, k);
    head_ += k;
    if (head_ == buffer_.size()) {
      buffer_ = std::string();
      head_ = 0;
    }
  } else {
    // Past the prefix the bytes go straight to the caller: no extra copy.
    StatusOr<size_t> got = inner_->Read(buf, n);
    if (!got.ok()) return got.status();
    k = got.value();
    if (k == 0) {
      done_ = true;
      return size_t{0};
    }
  }
  k = CutAtRangeEnd(buf, k);
  pos_ += k;
  return k;
}

}  // namespace catscan
