#include "scanner/shard/shard_plan.h"

#include <gtest/gtest.h>
#include <zstd.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"
#include "scanner/source/line_range.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;

// (input, physical line number, line text) of one record line.
using Line = std::tuple<uint32_t, uint64_t, std::string>;

// Every line handed out for "range" of "in", as the sweep's reader would get
// them: ByteSource -> LineRangeSource -> Chunker (tiny chunks, so lines also
// cross chunk boundaries). Blank lines are kept: they count as lines too.
std::vector<Line> ReadRange(const InputFile& in, uint32_t index, LineRange range) {
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  EXPECT_TRUE(src.ok()) << src.status().message();
  ChunkerOptions opt{7, 1 << 20, 64};
  if (!range.whole()) {
    StatusOr<std::unique_ptr<LineRangeSource>> ranged =
        LineRangeSource::Open(std::move(src.value()), range);
    EXPECT_TRUE(ranged.ok()) << ranged.status().message();
    opt.first_line = ranged.value()->first_line();
    src = std::unique_ptr<ByteSource>(std::move(ranged.value()));
  }
  Chunker chunker(std::move(src.value()), index, opt);
  std::vector<Line> lines;
  Chunk chunk;
  for (;;) {
    StatusOr<bool> more = chunker.Next(&chunk);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !more.value()) break;
    uint64_t no = chunk.first_line;
    size_t start = 0;
    while (start < chunk.data.size()) {
      size_t nl = chunk.data.find('\n', start);
      if (nl == std::string::npos) nl = chunk.data.size();
      lines.emplace_back(index, no++, chunk.data.substr(start, nl - start));
      start = nl + 1;
    }
  }
  return lines;
}

std::string Zstd(const std::string& text, bool record_size) {
  std::string out(ZSTD_compressBound(text.size()) + 64, '\0');
  if (record_size) {
    out.resize(ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3));
    return out;
  }
  // Streamed without a pledged size: the frame does not record its size.
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_inBuffer in{text.data(), text.size(), 0};
  ZSTD_outBuffer o{out.data(), out.size(), 0};
  while (ZSTD_compressStream2(cctx, &o, &in, ZSTD_e_end) != 0) {
  }
  ZSTD_freeCCtx(cctx);
  out.resize(o.pos);
  return out;
}

std::string Records(int first, int count, const char* eol = "\n") {
  std::string s;
  for (int i = first; i < first + count; ++i) {
    s += "{\"item_id\":\"" + std::to_string(i) + "\",\"title\":\"" + std::string(i % 13, 'x') +
         "\"}" + eol;
  }
  return s;
}

TEST(ParseShardSpecTest, AcceptsIOverN) {
  StatusOr<ShardSpec> s = ParseShardSpec("2/3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 3);
  EXPECT_EQ(s->ToString(), "2/3");
  for (const char* bad : {"0/3", "4/3", "3", "/3", "1/", "a/b", "1/0", "-1/3", "1/3x", ""}) {
    StatusOr<ShardSpec> b = ParseShardSpec(bad);
    EXPECT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), StatusCode::kUsage) << bad;
  }
}

// Each input's pieces, in shard order, must tile it: the first starts at 0,
// each next one where the last ended, exactly the last one reads to the end.
void ExpectTiles(const std::vector<uint64_t>& sizes, int n) {
  const auto plan = PlanShards(sizes, n);
  ASSERT_EQ(plan.size(), static_cast<size_t>(n));
  std::map<uint32_t, std::vector<LineRange>> by_input;
  for (const auto& shard : plan) {
    for (size_t i = 1; i < shard.size(); ++i) EXPECT_LT(shard[i - 1].input, shard[i].input);
    for (const ShardPiece& p : shard) by_input[p.input].push_back(p.range);
  }
  ASSERT_EQ(by_input.size(), sizes.size()) << "every input is in some shard";
  for (const auto& [input, ranges] : by_input) {
    SCOPED_TRACE("input " + std::to_string(input) + " of n=" + std::to_string(n));
    EXPECT_EQ(ranges.front().begin, 0u);
    EXPECT_EQ(ranges.back().end, LineRange::kToEnd);
    for (size_t i = 1; i < ranges.size(); ++i) {
      EXPECT_EQ(ranges[i].begin, ranges[i - 1].end);
      EXPECT_LT(ranges[i - 1].begin, ranges[i - 1].end);
    }
  }
}

TEST(PlanShardsTest, PiecesTileEveryInput) {
  const std::vector<std::vector<uint64_t>> cases = {
      {1000}, {0}, {1}, {5, 0, 7}, {10, 10, 10, 10, 10, 10, 10, 10, 10, 10},
      {1 << 20, 3, 4, 1 << 19, 0, 17}, {3, 1u << 30, 2}, {0, 0, 0}};
  for (const auto& sizes : cases) {
    for (int n = 1; n <= 7; ++n) ExpectTiles(sizes, n);
  }
  ExpectTiles({uint64_t{1} << 62, uint64_t{1} << 62}, 99999);  // no overflow
}

TEST(PlanShardsTest, ManySmallFilesStayWhole) {
  std::vector<uint64_t> sizes(40, 100);
  for (const auto& shard : PlanShards(sizes, 4)) {
    EXPECT_EQ(shard.size(), 10u);
    for (const ShardPiece& p : shard) EXPECT_TRUE(p.range.whole());
  }
}

TEST(PlanShardsTest, OneLargeFileIsCutEvenly) {
  const auto plan = PlanShards({3000}, 3);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0], (std::vector<ShardPiece>{{0, {0, 1000}}}));
  EXPECT_EQ(plan[1], (std::vector<ShardPiece>{{0, {1000, 2000}}}));
  EXPECT_EQ(plan[2], (std::vector<ShardPiece>{{0, {2000, LineRange::kToEnd}}}));
}

TEST(LineRangeSourceTest, EveryCutPointHandsOutEachLineOnce) {
  TempDir dir;
  const std::string text = "\xEF\xBB\xBF{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{\"c\":3}\n\n{\"d\":4}";
  ASSERT_TRUE(WriteFile(dir.File("t.jsonl"), text));
  const InputFile in{dir.File("t.jsonl"), text.size(), false};
  const std::vector<Line> whole = ReadRange(in, 0, LineRange{});
  ASSERT_EQ(whole.size(), 7u);
  for (uint64_t a = 0; a <= text.size() + 1; ++a) {
    for (uint64_t b = a; b <= text.size() + 1; ++b) {
      std::vector<Line> got = ReadRange(in, 0, {0, a == 0 ? 0 : a});
      for (const Line& l : ReadRange(in, 0, {a, b})) got.push_back(l);
      for (const Line& l : ReadRange(in, 0, {b, LineRange::kToEnd})) got.push_back(l);
      ASSERT_EQ(got, whole) << "cuts at " << a << " and " << b;
    }
  }
}

// Prefixes longer than one read of the underlying source (256 KiB), cut
// around read boundaries, in a plain and a zstd file.
TEST(LineRangeSourceTest, LongPrefixesAcrossReadBoundaries) {
  TempDir dir;
  const std::string text = Records(0, 30000);
  ASSERT_GT(text.size(), 1000000u);
  ASSERT_TRUE(WriteFile(dir.File("big.jsonl"), text));
  ASSERT_TRUE(WriteFile(dir.File("big.jsonl.zst"), Zstd(text, false)));
  const uint64_t k = 256 << 10;
  const std::vector<uint64_t> cuts = {1, k - 1, k, k + 1, 2 * k, 2 * k + 37, text.size() - 1};
  for (const char* name : {"big.jsonl", "big.jsonl.zst"}) {
    const InputFile in{dir.File(name), 0, false};
    const std::vector<Line> whole = ReadRange(in, 0, LineRange{});
    ASSERT_EQ(whole.size(), 30000u);
    std::vector<Line> got = ReadRange(in, 0, {0, cuts.front()});
    for (size_t i = 0; i < cuts.size(); ++i) {
      const uint64_t end = i + 1 < cuts.size() ? cuts[i + 1] : LineRange::kToEnd;
      for (const Line& l : ReadRange(in, 0, {cuts[i], end})) got.push_back(l);
    }
    EXPECT_EQ(got, whole) << name;
  }
}

// The brief's property: N tasks cover every record exactly once, in order,
// with the original line numbers, for N = 1..7 over mixed input sets.
TEST(ShardCoverageTest, EveryLineExactlyOnceForOneToSevenShards) {
  TempDir dir;
  struct File {
    std::string name, bytes;
  };
  const std::vector<std::vector<File>> sets = {
      {{"one.jsonl.zst", Zstd(Records(0, 500), true)}},
      {{"streamed.jsonl.zst", Zstd(Records(0, 300, "\r\n"), false)}},
      {{"a.jsonl", Records(0, 2)},
       {"b.jsonl.zst", Zstd(Records(2, 400), false)},
       {"empty.jsonl", ""},
       {"c.jsonl", Records(402, 1) + "{\"no\":\"newline\"}"},
       {"d.jsonl.zst", Zstd(Records(404, 3), true)},
       {"e.jsonl", Records(407, 250) + "\n\n"}},
  };
  int set_no = 0;
  for (const auto& files : sets) {
    std::vector<InputFile> inputs;
    std::vector<uint64_t> sizes;
    std::vector<Line> whole;
    for (const File& f : files) {
      const std::string path = dir.File(std::to_string(set_no) + "-" + f.name);
      ASSERT_TRUE(WriteFile(path, f.bytes));
      inputs.push_back({path, f.bytes.size(), false});
      StatusOr<uint64_t> size = MeasureDecompressedBytes(inputs.back());
      ASSERT_TRUE(size.ok()) << size.status().message();
      sizes.push_back(size.value());
      const uint32_t index = static_cast<uint32_t>(inputs.size() - 1);
      const std::vector<Line> lines = ReadRange(inputs.back(), index, LineRange{});
      whole.insert(whole.end(), lines.begin(), lines.end());
    }
    for (int n = 1; n <= 7; ++n) {
      std::vector<Line> got;
      for (const auto& shard : PlanShards(sizes, n)) {
        for (const ShardPiece& p : shard) {
          for (const Line& l : ReadRange(inputs[p.input], p.input, p.range)) got.push_back(l);
        }
      }
      EXPECT_EQ(got, whole) << "set " << set_no << ", " << n << " shards";
    }
    ++set_no;
  }
}

TEST(MeasureDecompressedBytesTest, ZstdWithAndWithoutRecordedSize) {
  TempDir dir;
  const std::string text = Records(0, 1000);
  for (bool recorded : {true, false}) {
    const std::string path = dir.File(recorded ? "r.zst" : "s.zst");
    const std::string z = Zstd(text, recorded);
    ASSERT_TRUE(WriteFile(path, z + z));  // two frames
    StatusOr<uint64_t> n = MeasureDecompressedBytes({path, z.size() * 2, false});
    ASSERT_TRUE(n.ok()) << n.status().message();
    EXPECT_EQ(n.value(), text.size() * 2);
  }
  ASSERT_TRUE(WriteFile(dir.File("plain"), text));
  EXPECT_EQ(MeasureDecompressedBytes({dir.File("plain"), text.size(), false}).value(), text.size());
  ASSERT_TRUE(WriteFile(dir.File("bad.zst"), Zstd(text, true).substr(0, 100)));
  StatusOr<uint64_t> bad = MeasureDecompressedBytes({dir.File("bad.zst"), 100, false});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInput);
  EXPECT_FALSE(MeasureDecompressedBytes({"-", 0, true}).ok());
}

}  // namespace
}  // namespace catscan
