#include "scanner/source/byte_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;
using ::testing::HasSubstr;

// Some JSONL that compresses well but not trivially.
std::string SampleJsonl(int lines) {
  std::string out;
  for (int i = 0; i < lines; ++i) {
    out += "{\"item_id\":\"i" + std::to_string(i) + "\",\"merchant_id\":\"m" +
           std::to_string(i % 17) + "\",\"title\":\"商品" + std::to_string(i * 7919 % 1000) +
           "\",\"price\":" + std::to_string(i % 100) + ".5}\n";
  }
  return out;
}

std::string Compress(const std::string& data, int level = 3, bool checksum = false) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const size_t n = ZSTD_compress2(cctx, out.data(), out.size(), data.data(), data.size());
  ZSTD_freeCCtx(cctx);
  EXPECT_FALSE(ZSTD_isError(n)) << ZSTD_getErrorName(n);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

// A skippable frame (magic 0x184D2A50..5F) carrying "payload".
std::string SkippableFrame(const std::string& payload) {
  std::string f = "\x50\x2A\x4D\x18";
  const uint32_t n = static_cast<uint32_t>(payload.size());
  for (int i = 0; i < 4; ++i) f.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return f + payload;
}

// Size of the zstd frame header at the start of "z" (RFC 8878, 3.1.1.1):
// magic, frame header descriptor, window descriptor, dictionary id, content size.
size_t FrameHeaderSize(const std::string& z) {
  const uint8_t fhd = static_cast<uint8_t>(z[4]);
  const int fcs_flag = fhd >> 6;
  const bool single_segment = (fhd >> 5) & 1;
  const int did_flag = fhd & 3;
  const size_t did_bytes[] = {0, 1, 2, 4};
  const size_t fcs_bytes[] = {single_segment ? size_t{1} : size_t{0}, 2, 4, 8};
  return 4 + 1 + (single_segment ? 0 : 1) + did_bytes[did_flag] + fcs_bytes[fcs_flag];
}

struct ReadResult {
  Status status;
  std::string data;
  bool compressed = false;
  uint64_t raw_bytes = 0;
};

// Opens "path" and reads it to the end (or the first error) in reads of
// "buf_size" bytes.
ReadResult ReadAll(const std::string& path, size_t buf_size = 4096) {
  ReadResult r;
  InputFile in;
  in.path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  if (!src.ok()) {
    r.status = src.status();
    return r;
  }
  ByteSource& s = *src.value();
  r.compressed = s.compressed();
  std::string buf(buf_size, '\0');
  for (;;) {
    StatusOr<size_t> n = s.Read(buf.data(), buf.size());
    if (!n.ok()) {
      r.status = n.status();
      break;
    }
    if (n.value() == 0) break;
    EXPECT_LE(n.value(), buf_size);
    r.data.append(buf.data(), n.value());
  }
  r.raw_bytes = s.raw_bytes_consumed();
  return r;
}

class ByteSourceTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.File(name);
    EXPECT_TRUE(WriteFile(path, bytes));
    return path;
  }
  TempDir dir_;
};

TEST_F(ByteSourceTest, PlainFile) {
  const std::string data = SampleJsonl(500);
  const std::string path = Write("catalog.jsonl", data);
  for (size_t buf : {size_t{1}, size_t{3}, size_t{4}, size_t{5}, size_t{4096}, size_t{1} << 20}) {
    const ReadResult r = ReadAll(path, buf);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.data, data) << "buffer " << buf;
    EXPECT_FALSE(r.compressed);
    EXPECT_EQ(r.raw_bytes, data.size());
  }
}

TEST_F(ByteSourceTest, ZstdFile) {
  const std::string data = SampleJsonl(20000);  // > 1 MB: many blocks
  const std::string z = Compress(data);
  ASSERT_LT(z.size(), data.size() / 4);
  const std::string path = Write("catalog.jsonl.zst", z);
  for (size_t buf : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
    const ReadResult r = ReadAll(path, buf);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_TRUE(r.data == data) << "buffer " << buf << ": got " << r.data.size() << " bytes";
    EXPECT_TRUE(r.compressed);
    EXPECT_EQ(r.raw_bytes, z.size());
  }
}

TEST_F(ByteSourceTest, ZstdIsDetectedByContentNotName) {
  const std::string data = SampleJsonl(100);
  const std::string path = Write("catalog.jsonl", Compress(data));
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.compressed);
  EXPECT_EQ(r.data, data);

  // And a plain file named .zst is read as plain.
  const std::string plain = Write("plain.jsonl.zst", data);
  const ReadResult p = ReadAll(plain);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_FALSE(p.compressed);
  EXPECT_EQ(p.data, data);
}

TEST_F(ByteSourceTest, ConcatenatedFramesReadAsOneStream) {
  const std::string a = SampleJsonl(300);
  const std::string b = "{\"item_id\":\"second frame\"}\n";
  const std::string c = SampleJsonl(7);
  const std::string path = Write("multi.jsonl.zst", Compress(a) + Compress(b, 19) + Compress(c, 1));
  for (size_t buf : {size_t{5}, size_t{4096}}) {
    const ReadResult r = ReadAll(path, buf);
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.data, a + b + c);
  }
}

TEST_F(ByteSourceTest, EmptyFrameBetweenFrames) {
  const std::string a = "{\"a\":1}\n";
  const std::string path = Write("empty_frame.zst", Compress(a) + Compress("") + Compress(a));
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.data, a + a);
}

TEST_F(ByteSourceTest, SkippableFrameBeforeData) {
  const std::string data = SampleJsonl(50);
  const std::string path =
      Write("skippable.jsonl.zst", SkippableFrame("metadata, not catalog") + Compress(data));
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.compressed);
  EXPECT_EQ(r.data, data);
}

TEST_F(ByteSourceTest, SkippableFrameBetweenAndAfterData) {
  const std::string a = SampleJsonl(5);
  const std::string b = SampleJsonl(9);
  const std::string path = Write("skippable2.jsonl.zst", Compress(a) + SkippableFrame("xyz") +
                                                             Compress(b) + SkippableFrame(""));
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.data, a + b);
}

TEST_F(ByteSourceTest, TruncatedZstdIsAnError) {
  const std::string data = SampleJsonl(5000);
  const std::string z = Compress(data);
  // Cut at several places, including right after the magic.
  for (size_t keep : {z.size() - 1, z.size() - 10, z.size() / 2, size_t{4}, size_t{6}}) {
    const std::string path = Write("truncated.jsonl.zst", z.substr(0, keep));
    const ReadResult r = ReadAll(path);
    ASSERT_FALSE(r.status.ok()) << "kept " << keep << " of " << z.size() << " bytes";
    EXPECT_EQ(r.status.code(), StatusCode::kInput);
    EXPECT_THAT(r.status.message(), HasSubstr("truncated"));
    EXPECT_THAT(r.status.message(), HasSubstr(path));
    EXPECT_TRUE(r.compressed);
    EXPECT_LT(r.data.size(), data.size());
    EXPECT_EQ(r.data, data.substr(0, r.data.size())) << "what was read is a true prefix";
  }
}

TEST_F(ByteSourceTest, TruncatedSecondFrameIsAnError) {
  const std::string a = SampleJsonl(100);
  const std::string zb = Compress(SampleJsonl(200));
  const std::string path = Write("truncated2.zst", Compress(a) + zb.substr(0, zb.size() - 3));
  const ReadResult r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), StatusCode::kInput);
  EXPECT_THAT(r.status.message(), HasSubstr("truncated"));
}

TEST_F(ByteSourceTest, CorruptBytesInTheMiddleAreAnError) {
  const std::string data = SampleJsonl(3000);
  std::string z = Compress(data, 3, /*checksum=*/true);
  // Flip bytes in the middle of the first block's payload (not its header,
  // which would change its size).
  const size_t header = FrameHeaderSize(z);
  const uint32_t block_header = static_cast<uint8_t>(z[header]) |
                                (static_cast<uint8_t>(z[header + 1]) << 8) |
                                (static_cast<uint8_t>(z[header + 2]) << 16);
  const size_t block_size = block_header >> 3;
  ASSERT_GT(block_size, 100u);
  ASSERT_LT(header + 3 + block_size, z.size());
  const size_t mid = header + 3 + block_size / 2;
  for (size_t i = 0; i < 8; ++i) z[mid + i] = static_cast<char>(~z[mid + i]);
  const std::string path = Write("corrupt.jsonl.zst", z);
  const ReadResult r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), StatusCode::kInput);
  EXPECT_THAT(r.status.message(), HasSubstr("corrupt"));
  EXPECT_THAT(r.status.message(), HasSubstr(path));
}

TEST_F(ByteSourceTest, GarbageAfterAFrameIsAnError) {
  const std::string a = SampleJsonl(10);
  const std::string path = Write("trailing_garbage.zst", Compress(a) + "this is not zstd\n");
  const ReadResult r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), StatusCode::kInput);
  EXPECT_THAT(r.status.message(), HasSubstr("corrupt"));
}

TEST_F(ByteSourceTest, HugeWindowIsRefusedWithoutAllocating) {
  // Frame header: magic, descriptor 0x00 (window descriptor present, no
  // content size, no dictionary, no checksum), window descriptor
  // (31 - 10) << 3 = 0xA8: a 2 GiB window. Then a last raw block of 1 byte.
  const std::string frame("\x28\xB5\x2F\xFD\x00\xA8\x09\x00\x00x", 10);
  const std::string path = Write("huge_window.zst", frame);
  const ReadResult r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), StatusCode::kInput);
  EXPECT_THAT(r.status.message(), HasSubstr("window"));
  EXPECT_EQ(r.data, "");
}

TEST_F(ByteSourceTest, WindowAtTheLimitIsAccepted) {
  // Same frame with a 2^27 window (the limit): (27 - 10) << 3 = 0x88. The raw
  // block holds one byte, so the decoder needs no big buffer.
  const std::string frame("\x28\xB5\x2F\xFD\x00\x88\x09\x00\x00x", 10);
  const std::string path = Write("limit_window.zst", frame);
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.data, "x");
}

TEST_F(ByteSourceTest, EmptyFile) {
  const std::string path = Write("empty.jsonl", "");
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.data, "");
  EXPECT_FALSE(r.compressed);
  EXPECT_EQ(r.raw_bytes, 0u);
}

TEST_F(ByteSourceTest, FileShorterThanAMagic) {
  const std::string path = Write("short.jsonl", "{}\n");
  const ReadResult r = ReadAll(path, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.data, "{}\n");
  EXPECT_FALSE(r.compressed);
  EXPECT_EQ(r.raw_bytes, 3u);

  // The first three bytes of a zstd magic alone are plain bytes.
  const std::string partial = Write("partial_magic.jsonl", "\x28\xB5\x2F");
  const ReadResult p = ReadAll(partial);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.data, "\x28\xB5\x2F");
  EXPECT_FALSE(p.compressed);
}

TEST_F(ByteSourceTest, OnlySkippableFramesReadAsEmpty) {
  const std::string path = Write("only_skippable.zst", SkippableFrame("abc") + SkippableFrame(""));
  const ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.compressed);
  EXPECT_EQ(r.data, "");
}

TEST_F(ByteSourceTest, FrameWithChecksum) {
  const std::string data = SampleJsonl(3000);
  const std::string path = Write("checksum.jsonl.zst", Compress(data, 5, /*checksum=*/true));
  const ReadResult r = ReadAll(path, 1000);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_TRUE(r.data == data);
}

// Reads standard input through a pipe holding "bytes".
ReadResult ReadStdin(const std::string& bytes) {
  ReadResult r;
  int fds[2];
  if (pipe(fds) != 0) {
    r.status = InternalError("pipe");
    return r;
  }
  const int saved = dup(STDIN_FILENO);
  dup2(fds[0], STDIN_FILENO);
  close(fds[0]);
  // Write from a thread: the data may not fit the pipe buffer.
  std::thread writer([&] {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = write(fds[1], bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  InputFile in;
  in.path = "-";
  in.is_stdin = true;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  if (src.ok()) {
    r.compressed = src.value()->compressed();
    std::string buf(3000, '\0');
    for (;;) {
      StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
      if (!n.ok()) {
        r.status = n.status();
        break;
      }
      if (n.value() == 0) break;
      r.data.append(buf.data(), n.value());
    }
  } else {
    r.status = src.status();
  }
  // Drain whatever is left so the writer can finish, then restore stdin.
  char sink[4096];
  while (read(STDIN_FILENO, sink, sizeof sink) > 0) {
  }
  writer.join();
  dup2(saved, STDIN_FILENO);
  close(saved);
  return r;
}

TEST(ByteSourceStdinTest, PlainAndZstdFromAPipe) {
  const std::string data = SampleJsonl(4000);  // larger than a pipe buffer
  const ReadResult plain = ReadStdin(data);
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_FALSE(plain.compressed);
  EXPECT_TRUE(plain.data == data);

  const ReadResult z = ReadStdin(Compress(data));
  ASSERT_TRUE(z.status.ok()) << z.status.message();
  EXPECT_TRUE(z.compressed);
  EXPECT_TRUE(z.data == data);

  const std::string compressed = Compress(data);
  const ReadResult truncated = ReadStdin(compressed.substr(0, compressed.size() / 2));
  EXPECT_EQ(truncated.status.code(), StatusCode::kInput);
  EXPECT_THAT(truncated.status.message(), HasSubstr("<stdin>"));
  EXPECT_THAT(truncated.status.message(), HasSubstr("truncated"));

  const ReadResult empty = ReadStdin("");
  ASSERT_TRUE(empty.status.ok()) << empty.status.message();
  EXPECT_EQ(empty.data, "");
}

TEST_F(ByteSourceTest, MissingFileIsAnInputError) {
  const std::string path = dir_.File("nope.jsonl");
  const ReadResult r = ReadAll(path);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), StatusCode::kInput);
  EXPECT_THAT(r.status.message(), HasSubstr(path));
}

TEST_F(ByteSourceTest, RawBytesConsumedGrowsToTheCompressedSize) {
  const std::string data = SampleJsonl(20000);
  const std::string z = Compress(data);
  const std::string path = Write("progress.jsonl.zst", z);
  InputFile in;
  in.path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open(in);
  ASSERT_TRUE(src.ok()) << src.status().message();
  std::string buf(64 << 10, '\0');
  uint64_t last = 0;
  uint64_t total = 0;
  for (;;) {
    StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
    ASSERT_TRUE(n.ok()) << n.status().message();
    if (n.value() == 0) break;
    total += n.value();
    const uint64_t now = src.value()->raw_bytes_consumed();
    EXPECT_GE(now, last);
    EXPECT_LE(now, z.size());
    last = now;
  }
  EXPECT_EQ(total, data.size());
  EXPECT_EQ(src.value()->raw_bytes_consumed(), z.size());
}

}  // namespace
}  // namespace catscan
