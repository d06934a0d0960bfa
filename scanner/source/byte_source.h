// scanner/source/byte_source.h
//
// ByteSource streams the decompressed bytes of one catalog input. The format
// is decided by the first four bytes, not the file name: a zstd frame magic
// (or a skippable frame) means zstd, anything else is read as plain JSONL.
//
// zstd is decoded with ZSTD_decompressStream through fixed buffers, so memory
// stays bounded whatever the file size; concatenated and multi-frame files
// read as one stream. Frames that need a window above 2^kMaxWindowLog bytes
// are refused rather than allocated. A stream that ends inside a frame is an
// error ("truncated"), never a silent short read.
//
// Not thread-safe: one reader (the pipeline's input stage) owns it.

#ifndef CATSCAN_SOURCE_BYTE_SOURCE_H_
#define CATSCAN_SOURCE_BYTE_SOURCE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "scanner/base/status.h"
#include "scanner/source/inputs.h"

namespace catscan {

class ByteSource {
 public:
  static constexpr int kMaxWindowLog = 27;  // 128 MiB, zstd's own default limit

  // Opens "input" and sniffs its format. When "cancel" becomes true, a read
  // waiting on a pipe or terminal gives up within a quarter second with
  // kCancelled (a signal handler sets it; the read may be on any thread).
  static StatusOr<std::unique_ptr<ByteSource>> Open(const InputFile& input,
                                                    const std::atomic<bool>* cancel = nullptr);

  virtual ~ByteSource() = default;

  // Reads up to "n" decompressed bytes into "buf". Returns 0 at the clean end
  // of the input; an error names the file and what is wrong.
  virtual StatusOr<size_t> Read(char* buf, size_t n) = 0;

  // Whether the input is zstd-compressed.
  virtual bool compressed() const = 0;

  // Raw (on-disk) bytes consumed so far: progress against InputFile::size.
  virtual uint64_t raw_bytes_consumed() const = 0;
};

}  // namespace catscan

#endif  // CATSCAN_SOURCE_BYTE_SOURCE_H_
