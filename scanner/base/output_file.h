// scanner/base/output_file.h
//
// OutputFile writes one output atomically: the bytes go to a hidden temporary
// file beside the destination, and only Publish() renames it into place. A
// crash, a full disk or an early return leaves the previous file untouched and
// no half-written file under the real name; the destructor removes the
// temporary unless it was published.
//
// Use it in two phases so a set of outputs appears together or not at all:
// Finish() every file (flush, fsync, close: where disk-full shows up), then
// PublishAll() the set, which puts the previous files back if a rename fails
// half-way. Not thread-safe: one writer per file.

#ifndef CATSCAN_BASE_OUTPUT_FILE_H_
#define CATSCAN_BASE_OUTPUT_FILE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/sha256.h"
#include "scanner/base/status.h"

namespace catscan {

class OutputFile {
 public:
  // Creates the temporary file for "path". Fails if the directory is not
  // writable.
  static StatusOr<std::unique_ptr<OutputFile>> Create(const std::string& path);

  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Buffers "bytes"; writes when the buffer fills. The first error sticks:
  // later calls return it without writing.
  Status Append(std::string_view bytes);

  // Flushes, fsyncs and closes the temporary file.
  Status Finish();

  // Renames the finished temporary file to the destination.
  Status Publish();

  const std::string& path() const { return path_; }
  // Where the bytes are until Publish(): complete after Finish(), so a later
  // stage can read an output back before the set is published.
  const std::string& temp_path() const { return temp_path_; }
  uint64_t bytes_written() const { return bytes_written_; }
  // SHA-256 of everything appended; valid after a successful Finish().
  const std::string& sha256() const { return sha256_; }

 private:
  OutputFile(std::string path, std::string temp_path, int fd);
  Status Flush();
  Status Write(std::string_view bytes);  // straight to the file

  std::string path_;
  std::string temp_path_;
  int fd_;
  std::string buffer_;
  uint64_t bytes_written_ = 0;
  uint64_t writeback_started_ = 0;  // bytes handed to the disk early
  Sha256 hash_;
  std::string sha256_;
  Status error_;
  bool published_ = false;
};

// Publishes finished "files" in order. If one rename fails, the files
// already published are rolled back to their previous versions (or removed
// if there were none), so the directory keeps its old, consistent set.
// A crash in the middle can still leave a mix: readers that must know should
// compare the sizes and hashes the manifest lists.
Status PublishAll(const std::vector<OutputFile*>& files);

// Creates "dir" and its parents if missing.
Status MakeDirectories(const std::string& dir);

}  // namespace catscan

#endif  // CATSCAN_BASE_OUTPUT_FILE_H_
