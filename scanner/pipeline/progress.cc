#include "scanner/pipeline/progress.h"

#include <string>

namespace catscan {

Progress::Progress(std::FILE* out, bool enabled, bool terminal, uint64_t total_bytes)
    : out_(out),
      enabled_(enabled),
      terminal_(terminal),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()) {}

void Progress::Update(uint64_t input_bytes_done, uint64_t jsonl_bytes_done,
                      uint64_t records_done) {
  if (!enabled_) return;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double interval = terminal_ ? 0.2 : 5.0;
  if (elapsed - last_print_ < interval) return;
  last_print_ = elapsed;
  Print(input_bytes_done, jsonl_bytes_done, records_done, elapsed);
}

void Progress::Print(uint64_t input_bytes_done, uint64_t jsonl_bytes_done, uint64_t records_done,
                     double elapsed) {
  const double mbps = elapsed > 0 ? static_cast<double>(jsonl_bytes_done) / 1e6 / elapsed : 0;
  const double rps = elapsed > 0 ? static_cast<double>(records_done) / elapsed : 0;
  char eta[32] = "?";
  double fraction = -1;
  if (total_bytes_ > 0) {
    fraction = std::min(1.0, static_cast<double>(input_bytes_done) /
                                   static_cast<double>(total_bytes_));
    if (fraction > 0) {
      const int left = static_cast<int>(elapsed / fraction - elapsed);
      std::snprintf(eta, sizeof eta, "%d:%02d", left / 60, left % 60);
    }
  }
  if (terminal_) {
    std::string bar;
    if (fraction >= 0) {
      const int width = 30, full = static_cast<int>(fraction * width);
      bar = "[" + std::string(full, '#') + std::string(width - full, ' ') + "] ";
      bar += std::to_string(static_cast<int>(fraction * 100)) + "% ";
    }
    std::fprintf(out_, "\r%s%.1f MB JSONL  %.0f MB/s  %.0f rec/s  ETA %s   ", bar.c_str(),
                 static_cast<double>(jsonl_bytes_done) / 1e6, mbps, rps, eta);
  } else {
    std::fprintf(out_, "catscan: %.1f MB JSONL read, %llu records, %.0f MB/s, %.0f rec/s, ETA %s\n",
                 static_cast<double>(jsonl_bytes_done) / 1e6,
                 static_cast<unsigned long long>(records_done), mbps, rps, eta);
  }
  std::fflush(out_);
  printed_ = true;
}

void Progress::Finish() {
  if (enabled_ && terminal_ && printed_) {
    std::fprintf(out_, "\r%80s\r", "");
    std::fflush(out_);
  }
}

}  // namespace catscan
