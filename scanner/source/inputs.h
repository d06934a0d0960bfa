// scanner/source/inputs.h
//
// Turns the INPUT arguments of `catscan scan` into the ordered list of catalog
// inputs a sweep reads: files as given, directories expanded to the catalog
// files directly inside them (sorted by name), "-" for standard input.
// Whether a file is zstd is decided later, from its first bytes (ByteSource).

#ifndef CATSCAN_SOURCE_INPUTS_H_
#define CATSCAN_SOURCE_INPUTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/base/status.h"

namespace catscan {

struct InputFile {
  std::string path;     // as given, or dir/name for a directory's files; "-" for stdin
  uint64_t size = 0;    // bytes on disk; 0 for stdin
  bool is_stdin = false;
};

// True for names a directory expansion picks up: *.jsonl, *.ndjson, *.json,
// each optionally followed by .zst or .zstd. Hidden files are skipped.
bool IsCatalogFileName(const std::string& name);

// Expands "args" in order. Fails (kInput) naming the first argument that does
// not exist or is not readable, and for "-" given more than once.
StatusOr<std::vector<InputFile>> ResolveInputs(const std::vector<std::string>& args);

}  // namespace catscan

#endif  // CATSCAN_SOURCE_INPUTS_H_
