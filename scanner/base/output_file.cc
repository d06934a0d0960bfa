#include "scanner/base/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace catscan {
namespace {

constexpr size_t kBufferBytes = 1 << 20;
constexpr uint64_t kWritebackBytes = 8 << 20;

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

StatusOr<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string temp = (p.parent_path() / ("." + p.filename().string() + ".tmp-" +
                                               std::to_string(getpid())))
                               .string();
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return OutputError("cannot create " + temp + ": " + ErrnoText());
  return std::unique_ptr<OutputFile>(new OutputFile(path, temp, fd));
}

OutputFile::OutputFile(std::string path, std::string temp_path, int fd)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) close(fd_);
  if (!published_) unlink(temp_path_.c_str());
}

Status OutputFile::Append(std::string_view bytes) {
  if (!error_.ok()) return error_;
  hash_.Update(bytes);
  if (buffer_.size() + bytes.size() < kBufferBytes) {
    buffer_.append(bytes);
    return Status::OK();
  }
  if (Status s = Flush(); !s.ok()) return s;
  if (bytes.size() >= kBufferBytes) return Write(bytes);  // big: no copy into the buffer
  buffer_.append(bytes);
  return Status::OK();
}

Status OutputFile::Flush() {
  Status s = Write(buffer_);
  buffer_.clear();
  return s;
}

Status OutputFile::Write(std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = OutputError("writing " + path_ + ": " + ErrnoText());
      return error_;
    }
    done += static_cast<size_t>(n);
  }
  bytes_written_ += done;
  // Start the disk writing now, without waiting for it, so the fsync in
  // Finish() has little left to wait for (Linux only; harmless if refused).
  if (bytes_written_ - writeback_started_ >= kWritebackBytes) {
    sync_file_range(fd_, static_cast<off_t>(writeback_started_),
                    static_cast<off_t>(bytes_written_ - writeback_started_), SYNC_FILE_RANGE_WRITE);
    writeback_started_ = bytes_written_;
  }
  return Status::OK();
}

Status OutputFile::Finish() {
  if (!error_.ok()) return error_;
  if (Status s = Flush(); !s.ok()) return s;
  if (fsync(fd_) != 0 && errno != EINVAL) {
    error_ = OutputError("syncing " + path_ + ": " + ErrnoText());
    return error_;
  }
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) {
    error_ = OutputError("closing " + path_ + ": " + ErrnoText());
    return error_;
  }
  sha256_ = hash_.HexDigest();
  return Status::OK();
}

Status OutputFile::Publish() {
  if (!error_.ok()) return error_;
  if (fd_ >= 0) return InternalError("Publish() before Finish() for " + path_);
  if (rename(temp_path_.c_str(), path_.c_str()) != 0) {
    error_ = OutputError("renaming into " + path_ + ": " + ErrnoText());
    return error_;
  }
  published_ = true;
  return Status::OK();
}

Status PublishAll(const std::vector<OutputFile*>& files) {
  // Keep each previous version as a hard link: cheap, and a rename back
  // restores it exactly.
  std::vector<std::string> backups(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    const std::filesystem::path p(files[i]->path());
    const std::string backup =
        (p.parent_path() / ("." + p.filename().string() + ".prev-" + std::to_string(getpid())))
            .string();
    unlink(backup.c_str());
    if (link(files[i]->path().c_str(), backup.c_str()) == 0) backups[i] = backup;
  }
  Status failed;
  size_t published = 0;
  for (; published < files.size(); ++published) {
    failed = files[published]->Publish();
    if (!failed.ok()) break;
  }
  if (!failed.ok()) {
    for (size_t i = 0; i < published; ++i) {
      if (!backups[i].empty()) {
        rename(backups[i].c_str(), files[i]->path().c_str());
        backups[i].clear();
      } else {
        unlink(files[i]->path().c_str());
      }
    }
  }
  for (const std::string& b : backups) {
    if (!b.empty()) unlink(b.c_str());
  }
  return failed;
}

Status MakeDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return OutputError("cannot create output directory " + dir + ": " + ec.message());
  return Status::OK();
}

}  // namespace catscan
