#include "scanner/source/inputs.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace catscan {
namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool IsCatalogFileName(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (const char* ext : {".jsonl", ".ndjson", ".json"}) {
    for (const char* zext : {"", ".zst", ".zstd"}) {
      if (EndsWith(name, std::string(ext) + zext)) return true;
    }
  }
  return false;
}

StatusOr<std::vector<InputFile>> ResolveInputs(const std::vector<std::string>& args) {
  std::vector<InputFile> inputs;
  bool saw_stdin = false;
  for (const std::string& arg : args) {
    if (arg == "-") {
      if (saw_stdin) return InputError("standard input (-) given more than once");
      saw_stdin = true;
      inputs.push_back({"-", 0, true});
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::status(arg, ec);
    if (ec || !fs::exists(st)) return InputError(arg + ": no such file or directory");
    if (fs::is_directory(st)) {
      std::vector<std::string> names;
      for (const fs::directory_entry& e : fs::directory_iterator(arg, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file(ec) && IsCatalogFileName(name)) names.push_back(name);
      }
      if (ec) return InputError(arg + ": cannot list directory: " + ec.message());
      std::sort(names.begin(), names.end());
      if (names.empty()) return InputError(arg + ": directory holds no catalog files (*.jsonl, *.jsonl.zst, ...)");
      for (const std::string& name : names) {
        const std::string path = (fs::path(arg) / name).string();
        inputs.push_back({path, static_cast<uint64_t>(fs::file_size(path, ec)), false});
      }
      continue;
    }
    if (access(arg.c_str(), R_OK) != 0) return InputError(arg + ": not readable");
    const uint64_t size = fs::is_regular_file(st) ? fs::file_size(arg, ec) : 0;
    inputs.push_back({arg, size, false});
  }
  if (inputs.empty()) return UsageError("no input given");
  return inputs;
}

}  // namespace catscan
