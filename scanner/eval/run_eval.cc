#include "scanner/eval/run_eval.h"

#include <simdjson.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scanner/eval/labeled_set.h"
#include "scanner/pipeline/sweep.h"

namespace catscan {
namespace fs = std::filesystem;
namespace dom = simdjson::dom;

namespace {

// Removes the directory when it goes out of scope, whatever happened.
class TempDir {
 public:
  static StatusOr<std::unique_ptr<TempDir>> Create() {
    std::error_code ec;
    fs::path base = fs::temp_directory_path(ec);
    if (ec) base = "/tmp";
    std::string pattern = (base / "catscan-eval-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return OutputError("cannot create a temporary directory in " + base.string());
    }
    return std::unique_ptr<TempDir>(new TempDir(pattern));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

StatusOr<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InternalError("cannot read the sweep's " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The sweep's quarantine as one error naming every unreadable labeled record.
Status QuarantineError(std::string_view jsonl) {
  dom::parser parser;
  std::string message = "the labeled set has records the sweep cannot read:";
  size_t pos = 0, shown = 0, total = 0;
  while (pos < jsonl.size()) {
    size_t end = jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) continue;
    ++total;
    dom::element doc;
    std::string_view file, reason;
    int64_t n = 0;
    if (shown < 10 && !parser.parse(line.data(), line.size(), true).get(doc) &&
        !doc["file"].get_string().get(file) && !doc["line"].get_int64().get(n) &&
        !doc["reason"].get_string().get(reason)) {
      message += "\n  " + std::string(file) + ":" + std::to_string(n) + ": " + std::string(reason);
      ++shown;
    }
  }
  if (total > shown) message += "\n  ... " + std::to_string(total - shown) + " more";
  return InputError(message);
}

}  // namespace

Status ParseViolations(std::string_view jsonl, std::vector<FiredRule>* out) {
  dom::parser parser;
  size_t pos = 0, line_no = 0;
  while (pos < jsonl.size()) {
    size_t end = jsonl.find('\n', pos);
    if (end == std::string_view::npos) end = jsonl.size();
    std::string_view line = jsonl.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (line.empty()) continue;
    dom::element doc;
    FiredRule f;
    std::string_view item, rule, category;
    if (parser.parse(line.data(), line.size(), true).get(doc) ||
        doc["item_id"].get_string().get(item) || doc["rule_id"].get_string().get(rule) ||
        doc["category"].get_string().get(category)) {
      return InternalError("violations line " + std::to_string(line_no) +
                           " lacks item_id, rule_id or category");
    }
    out->push_back({std::string(item), std::string(rule), std::string(category)});
  }
  return Status::OK();
}

StatusOr<EvalScore> RunEval(const EvalOptions& options) {
  StatusOr<LabeledSet> set = LoadLabeledSet(options.labels);
  if (!set.ok()) return set.status();
  StatusOr<std::unique_ptr<TempDir>> dir = TempDir::Create();
  if (!dir.ok()) return dir.status();

  SweepOptions sweep;
  sweep.inputs = options.labels;
  sweep.pack = options.pack;
  sweep.out_dir = dir.value()->path();
  sweep.threads = options.threads;
  sweep.progress = false;
  sweep.normalize = options.normalize;
  sweep.cancel = options.cancel;
  StatusOr<SweepResult> result = RunSweep(sweep);
  if (!result.ok()) return result.status();

  StatusOr<std::string> quarantine = ReadWhole(dir.value()->path() + "/quarantine.jsonl");
  if (!quarantine.ok()) return quarantine.status();
  if (!quarantine.value().empty()) return QuarantineError(quarantine.value());

  StatusOr<std::string> violations = ReadWhole(dir.value()->path() + "/violations.jsonl");
  if (!violations.ok()) return violations.status();
  std::vector<FiredRule> fired;
  Status s = ParseViolations(violations.value(), &fired);
  if (!s.ok()) return s;

  std::set<std::string> categories;
  for (const Rule& r : options.pack->pack().rules) categories.insert(r.category);
  return Score(set.value(), fired, {categories.begin(), categories.end()});
}

}  // namespace catscan
