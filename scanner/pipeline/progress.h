// scanner/pipeline/progress.h
//
// Progress reports a running sweep on stderr. On a terminal it redraws one
// line (a bar of input bytes done, MB/s of JSONL, records/s, ETA) a few times a
// second; otherwise (a log file, CI) it prints a plain line every few
// seconds. Disabled, it prints nothing (--quiet).
//
// Not thread-safe: only the pipeline's serial collector calls it.

#ifndef CATSCAN_PIPELINE_PROGRESS_H_
#define CATSCAN_PIPELINE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace catscan {

class Progress {
 public:
  // "total_bytes" is the input size on disk; 0 when unknown (stdin).
  Progress(std::FILE* out, bool enabled, bool terminal, uint64_t total_bytes);

  // Input bytes consumed so far (on disk, for the bar and ETA), JSONL bytes
  // finished (for MB/s) and records finished.
  void Update(uint64_t input_bytes_done, uint64_t jsonl_bytes_done, uint64_t records_done);

  // Ends the live line (on a terminal) so later output starts clean.
  void Finish();

 private:
  void Print(uint64_t input_bytes_done, uint64_t jsonl_bytes_done, uint64_t records_done,
             double elapsed);

  std::FILE* out_;
  bool enabled_;
  bool terminal_;
  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  double last_print_ = 0;
  bool printed_ = false;
};

}  // namespace catscan

#endif  // CATSCAN_PIPELINE_PROGRESS_H_
