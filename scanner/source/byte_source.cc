#include "scanner/source/byte_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace catscan {
namespace {

// Reads from a file descriptor, first handing back the bytes sniffed for the
// format check.
class RawFile {
 public:
  RawFile(std::string path, int fd, bool owned, const std::atomic<bool>* cancel)
      : path_(std::move(path)), fd_(fd), owned_(owned), cancel_(cancel) {
    struct stat st;
    may_block_ = fstat(fd, &st) != 0 || !S_ISREG(st.st_mode);
  }
  ~RawFile() {
    if (owned_ && fd_ >= 0) close(fd_);
  }

  StatusOr<size_t> Read(char* buf, size_t n) {
    if (sniff_pos_ < sniffed_.size()) {
      const size_t k = std::min(n, sniffed_.size() - sniff_pos_);
      std::memcpy(buf, sniffed_.data() + sniff_pos_, k);
      sniff_pos_ += k;
      return k;
    }
    return ReadFd(buf, n);
  }

  // Reads up to 4 bytes ahead without consuming them.
  StatusOr<std::string> Sniff() {
    sniffed_.resize(4);
    size_t got = 0;
    while (got < 4) {
      StatusOr<size_t> n = ReadFd(&sniffed_[got], 4 - got);
      if (!n.ok()) return n.status();
      if (n.value() == 0) break;
      got += n.value();
    }
    sniffed_.resize(got);
    return sniffed_;
  }

  const std::string& path() const { return path_; }

 private:
  StatusOr<size_t> ReadFd(char* buf, size_t n) {
    // A pipe may stay silent for ever: wait in short polls so a signal's
    // cancel flag is seen, whichever thread the signal interrupted.
    while (may_block_ && cancel_ != nullptr) {
      if (cancel_->load()) return Status(StatusCode::kCancelled, "interrupted while reading " + path_);
      pollfd p{fd_, POLLIN, 0};
      const int ready = poll(&p, 1, 250);
      if (ready > 0 || (ready < 0 && errno != EINTR)) break;  // read() reports any error
    }
    for (;;) {
      const ssize_t k = read(fd_, buf, n);
      if (k >= 0) return static_cast<size_t>(k);
      if (errno != EINTR) return InputError(path_ + ": read error: " + std::strerror(errno));
    }
  }

  std::string path_;
  int fd_;
  bool owned_;
  const std::atomic<bool>* cancel_;
  bool may_block_ = false;
  std::string sniffed_;
  size_t sniff_pos_ = 0;
};

class PlainSource : public ByteSource {
 public:
  explicit PlainSource(std::unique_ptr<RawFile> raw) : raw_(std::move(raw)) {}
  StatusOr<size_t> Read(char* buf, size_t n) override {
    StatusOr<size_t> r = raw_->Read(buf, n);
    if (r.ok()) consumed_ += r.value();
    return r;
  }
  bool compressed() const override { return false; }
  uint64_t raw_bytes_consumed() const override { return consumed_; }

 private:
  std::unique_ptr<RawFile> raw_;
  uint64_t consumed_ = 0;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<RawFile> raw)
      : raw_(std::move(raw)), dctx_(ZSTD_createDCtx()), in_buf_(ZSTD_DStreamInSize()) {
    ZSTD_DCtx_setParameter(dctx_, ZSTD_d_windowLogMax, kMaxWindowLog);
  }
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  StatusOr<size_t> Read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        if (eof_) {
          if (frame_open_) {
            return InputError(raw_->path() +
                              ": truncated zstd stream: unexpected end of input inside a frame");
          }
          return size_t{0};
        }
        StatusOr<size_t> got = raw_->Read(in_buf_.data(), in_buf_.size());
        if (!got.ok()) return got.status();
        consumed_ += got.value();
        in_ = ZSTD_inBuffer{in_buf_.data(), got.value(), 0};
        if (got.value() == 0) {
          eof_ = true;
          continue;
        }
      }
      const size_t ret = ZSTD_decompressStream(dctx_, &out, &in_);
      if (ZSTD_isError(ret)) {
        std::string why = ZSTD_getErrorName(ret);
        if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge) {
          why += " (frame needs a window above " + std::to_string(1u << (kMaxWindowLog - 20)) +
                 " MiB; refused to bound memory)";
        }
        return InputError(raw_->path() + ": corrupt zstd data after " +
                          std::to_string(consumed_) + " compressed bytes: " + why);
      }
      // ret == 0 means a frame just ended; any other value means one is open.
      frame_open_ = ret != 0;
    }
    return out.pos;
  }
  bool compressed() const override { return true; }
  uint64_t raw_bytes_consumed() const override { return consumed_ - (in_.size - in_.pos); }

 private:
  std::unique_ptr<RawFile> raw_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool eof_ = false;
  bool frame_open_ = false;
  uint64_t consumed_ = 0;
};

bool LooksLikeZstd(const std::string& head) {
  if (head.size() < 4) return false;
  uint32_t magic;
  std::memcpy(&magic, head.data(), 4);  // zstd magics are little-endian
  return magic == ZSTD_MAGICNUMBER || (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START;
}

}  // namespace

StatusOr<std::unique_ptr<ByteSource>> ByteSource::Open(const InputFile& input,
                                                      const std::atomic<bool>* cancel) {
  std::unique_ptr<RawFile> raw;
  if (input.is_stdin) {
    raw = std::make_unique<RawFile>("<stdin>", STDIN_FILENO, false, cancel);
  } else {
    const int fd = open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return InputError(input.path + ": cannot open: " + std::strerror(errno));
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    raw = std::make_unique<RawFile>(input.path, fd, true, cancel);
  }
  StatusOr<std::string> head = raw->Sniff();
  if (!head.ok()) return head.status();
  if (LooksLikeZstd(head.value())) return std::unique_ptr<ByteSource>(new ZstdSource(std::move(raw)));
  return std::unique_ptr<ByteSource>(new PlainSource(std::move(raw)));
}

}  // namespace catscan
