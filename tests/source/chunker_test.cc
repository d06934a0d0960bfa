#include "scanner/source/chunker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;

// Hands out "data" at most "max_read" bytes per Read, then optionally fails.
class StringSource : public ByteSource {
 public:
  StringSource(std::string data, size_t max_read, Status fail_at_end = Status::OK())
      : data_(std::move(data)), max_read_(max_read), fail_at_end_(std::move(fail_at_end)) {}

  StatusOr<size_t> Read(char* buf, size_t n) override {
    const size_t k = std::min({n, max_read_, data_.size() - pos_});
    if (k == 0 && !fail_at_end_.ok()) return fail_at_end_;
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  bool compressed() const override { return false; }
  uint64_t raw_bytes_consumed() const override { return pos_; }

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t max_read_;
  Status fail_at_end_;
};

ChunkerOptions Options(size_t target, size_t max_record = 1 << 20, size_t prefix = 1024) {
  ChunkerOptions o;
  o.target_bytes = target;
  o.max_record_bytes = max_record;
  o.skipped_prefix_bytes = prefix;
  return o;
}

struct Drained {
  Status status;
  std::vector<Chunk> chunks;
  std::string data;  // every chunk's data, concatenated
  std::vector<SkippedLine> skipped;
};

Drained Drain(Chunker* chunker) {
  Drained d;
  for (int guard = 0; guard < 1000000; ++guard) {
    Chunk chunk;
    StatusOr<bool> more = chunker->Next(&chunk);
    if (!more.ok()) {
      d.status = more.status();
      return d;
    }
    if (!more.value()) return d;
    d.data += chunk.data;
    for (const SkippedLine& s : chunk.skipped) d.skipped.push_back(s);
    d.chunks.push_back(std::move(chunk));
  }
  ADD_FAILURE() << "Next() never returned false";
  return d;
}

size_t CountNewlines(const std::string& s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
}

// Lines of varied length, each at most 60 bytes with its newline.
std::string VariedLines(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "{\"n\":" + std::to_string(i) + ",\"p\":\"" +
           std::string(static_cast<size_t>(i % 37), 'x') + "\"}\n";
  }
  return out;
}

// Checks the invariants of a clean drain (no oversize lines) of "input".
void ExpectCleanChunks(const Drained& d, const std::string& input, uint32_t input_index) {
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_TRUE(d.data == input) << "concatenated chunks differ from the input";
  EXPECT_TRUE(d.skipped.empty());
  uint64_t line = 1;
  for (size_t i = 0; i < d.chunks.size(); ++i) {
    const Chunk& c = d.chunks[i];
    EXPECT_EQ(c.input_index, input_index);
    EXPECT_EQ(c.first_line, line) << "chunk " << i;
    ASSERT_FALSE(c.data.empty()) << "chunk " << i;
    if (i + 1 < d.chunks.size() || input.back() == '\n') {
      EXPECT_EQ(c.data.back(), '\n') << "chunk " << i << " must end at a line end";
    }
    EXPECT_GE(c.data.capacity(), c.data.size() + kChunkPadding) << "chunk " << i;
    line += CountNewlines(c.data);
  }
}

TEST(ChunkerTest, SmallReadsReassembleTheInputExactly) {
  const std::string input = VariedLines(300);
  for (size_t max_read : {size_t{1}, size_t{7}, size_t{50}, size_t{64}, size_t{1000}}) {
    SCOPED_TRACE("max_read " + std::to_string(max_read));
    Chunker chunker(std::make_unique<StringSource>(input, max_read), 3, Options(64));
    const Drained d = Drain(&chunker);
    ExpectCleanChunks(d, input, 3);
    EXPECT_GT(d.chunks.size(), input.size() / 1000) << "small target, small reads: many chunks";
    EXPECT_EQ(chunker.lines_done(), 300u);
    EXPECT_EQ(chunker.bytes_read(), input.size());
    EXPECT_EQ(chunker.raw_bytes_consumed(), input.size());
    EXPECT_FALSE(chunker.compressed());
  }
}

TEST(ChunkerTest, PlainFileReassemblesTheInputExactly) {
  TempDir dir;
  const std::string input = VariedLines(5000);
  const std::string path = dir.File("lines.jsonl");
  ASSERT_TRUE(WriteFile(path, input));
  InputFile in;
  in.path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  ASSERT_TRUE(src.ok()) << src.status().message();
  Chunker chunker(std::move(src.value()), 0, Options(4096));
  const Drained d = Drain(&chunker);
  ExpectCleanChunks(d, input, 0);
  EXPECT_EQ(chunker.lines_done(), 5000u);
  EXPECT_EQ(chunker.bytes_read(), input.size());
  ASSERT_FALSE(d.chunks.empty());
  EXPECT_EQ(d.chunks.back().raw_bytes_done, input.size());
}

TEST(ChunkerTest, ChunksStayNearTheTargetSize) {
  // The header promises chunks of "about target_bytes", which is what lets the
  // pipeline spread a small file over its workers. With whole lines, a chunk
  // need not exceed the target by more than one line.
  TempDir dir;
  const std::string input = VariedLines(2000);  // ~80 KB, lines <= 60 bytes
  const std::string path = dir.File("lines.jsonl");
  ASSERT_TRUE(WriteFile(path, input));
  InputFile in;
  in.path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  ASSERT_TRUE(src.ok()) << src.status().message();
  const size_t target = 1024;
  Chunker chunker(std::move(src.value()), 0, Options(target));
  const Drained d = Drain(&chunker);
  ExpectCleanChunks(d, input, 0);
  for (size_t i = 0; i < d.chunks.size(); ++i) {
    EXPECT_LE(d.chunks[i].data.size(), target + 60) << "chunk " << i << " of " << d.chunks.size();
  }
  EXPECT_GE(d.chunks.size(), input.size() / (target + 60));
}

TEST(ChunkerTest, FinalLineWithoutNewline) {
  const std::string input = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}";
  for (size_t max_read : {size_t{1}, size_t{5}, size_t{1} << 20}) {
    Chunker chunker(std::make_unique<StringSource>(input, max_read), 0, Options(4));
    const Drained d = Drain(&chunker);
    ExpectCleanChunks(d, input, 0);
    ASSERT_FALSE(d.chunks.empty());
    const std::string& last = d.chunks.back().data;
    EXPECT_EQ(last.substr(last.size() - 7), "{\"c\":3}");
    EXPECT_EQ(chunker.lines_done(), 3u);
  }
}

TEST(ChunkerTest, LineNumbersCountBlankLines) {
  const std::string input = "\n\n{\"a\":1}\n\n{\"b\":2}\n";
  Chunker chunker(std::make_unique<StringSource>(input, 3), 0, Options(2));
  const Drained d = Drain(&chunker);
  ExpectCleanChunks(d, input, 0);
  EXPECT_EQ(chunker.lines_done(), 5u);
}

TEST(ChunkerTest, CrlfIsLeftUntouched) {
  const std::string input = "{\"a\":1}\r\n{\"b\":2}\r\n\r\n{\"c\":3}\r\n";
  Chunker chunker(std::make_unique<StringSource>(input, 4), 0, Options(8));
  const Drained d = Drain(&chunker);
  ExpectCleanChunks(d, input, 0);
  EXPECT_EQ(chunker.lines_done(), 4u);
}

TEST(ChunkerTest, EmptyInputHasNoChunks) {
  Chunker chunker(std::make_unique<StringSource>("", 10), 0, Options(64));
  Chunk chunk;
  StatusOr<bool> more = chunker.Next(&chunk);
  ASSERT_TRUE(more.ok()) << more.status().message();
  EXPECT_FALSE(more.value());
  EXPECT_EQ(chunker.lines_done(), 0u);
  EXPECT_EQ(chunker.bytes_read(), 0u);
}

// Lines 1-2 short, line 3 oversize, lines 4-6 short.
struct OversizeInput {
  std::string line3;
  std::string before;  // lines 1-2 with newlines
  std::string after;   // lines 4-6 with newlines
  std::string all;
};

OversizeInput MakeOversizeInput(size_t big) {
  OversizeInput in;
  in.before = "{\"item_id\":\"1\"}\n{\"item_id\":\"2\"}\n";
  in.line3 = "{\"item_id\":\"3\",\"pad\":\"" + std::string(big, 'z') + "\"}";
  in.after = "{\"item_id\":\"4\"}\n{\"item_id\":\"5\"}\n{\"item_id\":\"6\"}\n";
  in.all = in.before + in.line3 + "\n" + in.after;
  return in;
}

void ExpectOversizeSkipped(Chunker* chunker, const OversizeInput& in) {
  const Drained d = Drain(chunker);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].line, 3u);
  EXPECT_EQ(d.skipped[0].bytes, in.line3.size());
  EXPECT_EQ(d.skipped[0].prefix, in.line3.substr(0, 16));
  EXPECT_EQ(d.data, in.before + in.after);
  // Line numbers after the skipped line stay right: find the chunk holding
  // line 4 and check its first_line.
  bool found = false;
  for (const Chunk& c : d.chunks) {
    const size_t pos = c.data.find("{\"item_id\":\"4\"}");
    if (pos == std::string::npos) continue;
    found = true;
    EXPECT_EQ(c.first_line + CountNewlines(c.data.substr(0, pos)), 4u);
  }
  EXPECT_TRUE(found);
  for (const Chunk& c : d.chunks) {
    if (!c.skipped.empty() && !c.data.empty()) {
      EXPECT_GT(c.first_line, c.skipped.back().line) << "skipped lines come before the data";
    }
  }
  EXPECT_EQ(chunker->lines_done(), 6u);
}

TEST(ChunkerTest, OversizeLineIsSkippedWithSmallReads) {
  const OversizeInput in = MakeOversizeInput(5000);
  for (size_t max_read : {size_t{1}, size_t{100}, size_t{999}}) {
    SCOPED_TRACE("max_read " + std::to_string(max_read));
    Chunker chunker(std::make_unique<StringSource>(in.all, max_read), 0, Options(64, 1000, 16));
    ExpectOversizeSkipped(&chunker, in);
  }
}

TEST(ChunkerTest, OversizeLineLongerThanOneReadIsSkipped) {
  // 600 KB: more than the chunker reads at once from a file.
  const OversizeInput in = MakeOversizeInput(600 << 10);
  TempDir dir;
  const std::string path = dir.File("big.jsonl");
  ASSERT_TRUE(WriteFile(path, in.all));
  InputFile file;
  file.path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(file);
  ASSERT_TRUE(src.ok()) << src.status().message();
  Chunker chunker(std::move(src.value()), 0, Options(64, 1000, 16));
  ExpectOversizeSkipped(&chunker, in);
}

TEST(ChunkerTest, OversizeLineIsSkippedWhenReadTogetherWithOtherLines) {
  // The header: "A line longer than max_record_bytes is not buffered: the
  // chunker ... reports it in Chunk::skipped". That holds however the source
  // happens to cut its reads, here all at once.
  const OversizeInput in = MakeOversizeInput(5000);
  Chunker chunker(std::make_unique<StringSource>(in.all, 1 << 20), 0, Options(64, 1000, 16));
  ExpectOversizeSkipped(&chunker, in);
}

TEST(ChunkerTest, OversizeLastLineWithoutNewline) {
  const std::string big = "{\"item_id\":\"x\",\"pad\":\"" + std::string(3000, 'q') + "\"}";
  const std::string input = "{\"item_id\":\"1\"}\n" + big;
  Chunker chunker(std::make_unique<StringSource>(input, 100), 0, Options(8, 500, 10));
  const Drained d = Drain(&chunker);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ASSERT_EQ(d.skipped.size(), 1u);
  EXPECT_EQ(d.skipped[0].line, 2u);
  EXPECT_EQ(d.skipped[0].bytes, big.size());
  EXPECT_EQ(d.skipped[0].prefix, big.substr(0, 10));
  EXPECT_EQ(d.data, "{\"item_id\":\"1\"}\n");
  EXPECT_EQ(chunker.lines_done(), 2u);
}

TEST(ChunkerTest, ConsecutiveOversizeLines) {
  const std::string a(800, 'a');
  const std::string b(900, 'b');
  const std::string input = a + "\n" + b + "\nok\n";
  Chunker chunker(std::make_unique<StringSource>(input, 64), 0, Options(16, 100, 4));
  const Drained d = Drain(&chunker);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].line, 1u);
  EXPECT_EQ(d.skipped[0].bytes, 800u);
  EXPECT_EQ(d.skipped[0].prefix, "aaaa");
  EXPECT_EQ(d.skipped[1].line, 2u);
  EXPECT_EQ(d.skipped[1].bytes, 900u);
  EXPECT_EQ(d.skipped[1].prefix, "bbbb");
  EXPECT_EQ(d.data, "ok\n");
  ASSERT_FALSE(d.chunks.empty());
  EXPECT_EQ(d.chunks.back().first_line, 3u);
  EXPECT_EQ(chunker.lines_done(), 3u);
}

TEST(ChunkerTest, SourceErrorIsReturned) {
  const std::string input = VariedLines(50);
  Chunker chunker(std::make_unique<StringSource>(input, 30, InputError("x.zst: truncated zstd")), 0,
                  Options(64));
  const Drained d = Drain(&chunker);
  EXPECT_EQ(d.status.code(), StatusCode::kInput);
  EXPECT_EQ(d.status.message(), "x.zst: truncated zstd");
  // Whatever was handed out before the error is whole lines of the input.
  EXPECT_EQ(d.data, input.substr(0, d.data.size()));
  if (!d.data.empty()) {
    EXPECT_EQ(d.data.back(), '\n');
  }
}

}  // namespace
}  // namespace catscan
