#include "scanner/source/chunker.h"

#include <algorithm>
#include <cstring>

namespace catscan {
namespace {

constexpr size_t kReadBytes = 256 << 10;

// Index of the last '\n' in s[from, s.size()), or std::string::npos.
size_t LastNewline(const std::string& s, size_t from) {
  if (from >= s.size()) return std::string::npos;
  const void* p = memrchr(s.data() + from, '\n', s.size() - from);
  return p ? static_cast<size_t>(static_cast<const char*>(p) - s.data()) : std::string::npos;
}

// Number of '\n' in [p, end). memchr jumps from line to line with wide
// vector compares; std::count's byte loop cost the serial reader ~5 % of a
// one-thread sweep.
uint64_t CountNewlines(const char* p, const char* end) {
  uint64_t n = 0;
  while (p < end) {
    const void* nl = memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

}  // namespace

bool IsBlankLine(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\v' && c != '\f') return false;
  }
  return true;
}

Chunker::Chunker(std::unique_ptr<ByteSource> source, uint32_t input_index, ChunkerOptions options)
    : source_(std::move(source)),
      input_index_(input_index),
      options_(options),
      next_line_(options.first_line) {
  pending_.reserve(options_.target_bytes + kReadBytes + kChunkPadding);
}

Status Chunker::ReadMore() {
  // Reads no more than the target at a time, so a chunk overshoots its
  // target by at most one read and small targets really give small chunks.
  const size_t want = std::min(kReadBytes, std::max<size_t>(options_.target_bytes, 1));
  const size_t old = pending_.size();
  pending_.resize(old + want);
  StatusOr<size_t> n = source_->Read(&pending_[old], want);
  if (!n.ok()) {
    pending_.resize(old);
    return n.status();
  }
  pending_.resize(old + n.value());
  bytes_read_ += n.value();
  if (n.value() == 0) eof_ = true;
  return Status::OK();
}

Status Chunker::SkipOversizeLine(Chunk* chunk) {
  SkippedLine skipped;
  skipped.line = next_line_;
  skipped.prefix.assign(pending_.data(), std::min(pending_.size(), options_.skipped_prefix_bytes));
  skipped.bytes = pending_.size();
  bool blank = IsBlankLine(pending_);
  char last = pending_.empty() ? '\0' : pending_.back();
  pending_.clear();
  // Drop bytes until the line's newline, reusing pending_ as the read buffer.
  while (!eof_) {
    if (Status s = ReadMore(); !s.ok()) return s;
    const void* nl = memchr(pending_.data(), '\n', pending_.size());
    const size_t line_part = nl == nullptr ? pending_.size()
                                           : static_cast<size_t>(static_cast<const char*>(nl) -
                                                                 pending_.data());
    blank = blank && IsBlankLine(std::string_view(pending_.data(), line_part));
    if (skipped.prefix.size() < options_.skipped_prefix_bytes) {
      skipped.prefix.append(pending_.data(),
                            std::min(line_part, options_.skipped_prefix_bytes - skipped.prefix.size()));
    }
    skipped.bytes += line_part;
    if (line_part > 0) last = pending_[line_part - 1];
    if (nl == nullptr) {
      pending_.clear();
      continue;
    }
    pending_.erase(0, line_part + 1);
    break;
  }
  if (last == '\r') --skipped.bytes;  // the CR of a CRLF line end is not content
  ++next_line_;
  if (!blank) chunk->skipped.push_back(std::move(skipped));
  return Status::OK();
}

StatusOr<bool> Chunker::Next(Chunk* chunk) {
  chunk->input_index = input_index_;
  chunk->data.clear();
  chunk->skipped.clear();
  for (;;) {
    // Grow pending_ until it holds a newline past the target size, or the
    // line in it is oversize, or the input ends.
    size_t last_nl = LastNewline(pending_, 0);
    while (!eof_) {
      if (last_nl != std::string::npos && pending_.size() >= options_.target_bytes) break;
      // + 1: the line may still end in CRLF, and the CR does not count.
      if (last_nl == std::string::npos && pending_.size() > options_.max_record_bytes + 1) break;
      const size_t scanned = pending_.size();
      if (Status s = ReadMore(); !s.ok()) return s;
      const size_t nl = LastNewline(pending_, scanned);
      if (nl != std::string::npos) last_nl = nl;
    }
    if (last_nl == std::string::npos && !eof_) {
      if (Status s = SkipOversizeLine(chunk); !s.ok()) return s;
      continue;
    }
    if (pending_.empty()) {
      chunk->first_line = next_line_;
      chunk->raw_bytes_done = source_->raw_bytes_consumed();
      return !chunk->skipped.empty();
    }
    // Hand pending_'s storage to the chunk and keep only the partial tail.
    const size_t cut = last_nl == std::string::npos ? pending_.size() : last_nl + 1;
    chunk->first_line = next_line_;
    chunk->data.swap(pending_);
    pending_.assign(chunk->data.data() + cut, chunk->data.size() - cut);
    chunk->data.resize(cut);
    if (chunk->data.capacity() < cut + kChunkPadding) chunk->data.reserve(cut + kChunkPadding);
    next_line_ += CountNewlines(chunk->data.data(), chunk->data.data() + chunk->data.size());
    if (chunk->data.back() != '\n') ++next_line_;  // a last line without newline
    pending_.reserve(options_.target_bytes + kReadBytes + kChunkPadding);
    chunk->raw_bytes_done = source_->raw_bytes_consumed();
    return true;
  }
}

}  // namespace catscan
