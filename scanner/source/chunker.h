// scanner/source/chunker.h
//
// Chunker cuts the byte stream of one input into Chunks of whole lines, about
// `target_bytes` each, for the parallel stage of the pipeline. Line numbers
// are 1-based physical lines of the decompressed input, so a quarantined
// record can be found again with `sed -n Np`.
//
// A line that outgrows `max_record_bytes` (not counting a CR before its
// newline) before its newline arrives is not buffered: the chunker keeps its
// first `skipped_prefix_bytes` as evidence, skips the rest up to the next
// newline and reports it in Chunk::skipped, unless the whole line is blank.
// Memory therefore stays near target + max_record_bytes. (An oversize line
// that arrives whole within one read is passed on in `data`; the consumer
// must check line lengths too, and quarantine both kinds alike.)
//
// Not thread-safe: the pipeline's serial input stage owns it.

#ifndef CATSCAN_SOURCE_CHUNKER_H_
#define CATSCAN_SOURCE_CHUNKER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/source/byte_source.h"

namespace catscan {

// Spare bytes kept after Chunk::data so a parser may read past a line's end
// (simdjson needs SIMDJSON_PADDING, checked in record.cc).
constexpr size_t kChunkPadding = 64;

// True if "line" holds only ASCII white space (space, \t, \r, \v, \f): a
// blank line, which is not a record.
bool IsBlankLine(std::string_view line);

// A line the chunker refused to buffer.
struct SkippedLine {
  uint64_t line = 0;
  uint64_t bytes = 0;     // its full length, without newline or a CR before it
  std::string prefix;     // its first skipped_prefix_bytes bytes, for the quarantine
};

struct Chunk {
  uint32_t input_index = 0;
  uint64_t first_line = 0;          // line number of data's first line
  std::string data;                 // whole lines; capacity >= size + kChunkPadding
  std::vector<SkippedLine> skipped; // oversize lines, all before data's lines
  uint64_t raw_bytes_done = 0;      // input bytes consumed when cut (progress)
};

struct ChunkerOptions {
  size_t target_bytes = 1 << 20;
  size_t max_record_bytes = 16 << 20;
  size_t skipped_prefix_bytes = 4096;
  // Physical line number of the source's first line: above 1 when the source
  // starts inside a file (a shard's LineRangeSource).
  uint64_t first_line = 1;
};

class Chunker {
 public:
  Chunker(std::unique_ptr<ByteSource> source, uint32_t input_index, ChunkerOptions options);

  // Fills "chunk" with the next lines (and any skipped oversize lines).
  // Returns false once the input is exhausted; an error if the source fails.
  StatusOr<bool> Next(Chunk* chunk);

  bool compressed() const { return source_->compressed(); }
  uint64_t raw_bytes_consumed() const { return source_->raw_bytes_consumed(); }
  // Decompressed bytes read so far.
  uint64_t bytes_read() const { return bytes_read_; }
  // Lines handed out so far (including skipped ones).
  uint64_t lines_done() const { return next_line_ - options_.first_line; }

 private:
  Status ReadMore();
  Status SkipOversizeLine(Chunk* chunk);

  std::unique_ptr<ByteSource> source_;
  uint32_t input_index_;
  ChunkerOptions options_;
  std::string pending_;       // bytes from the start of a line, not yet handed out
  uint64_t next_line_ = 1;    // line number of pending_'s first byte
  bool eof_ = false;
  uint64_t bytes_read_ = 0;
};

}  // namespace catscan

#endif  // CATSCAN_SOURCE_CHUNKER_H_
