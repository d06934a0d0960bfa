#include "scanner/rules/pattern_list.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "scanner/base/json_writer.h"
#include "scanner/base/sha256.h"
#include "scanner/match/pattern_set.h"

namespace catscan {

StatusOr<RulePack> LoadPatternList(const std::string& path, const PatternListOptions& options,
                                   std::vector<RuleDiagnostic>* diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return RulesError("pattern file " + path + ": cannot read it");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return RulesError("pattern file " + path + ": cannot read it");
  RulePack pack;
  pack.path = path;
  pack.name = std::filesystem::path(path).filename().string();
  Sha256 hash;
  if (options.literal) hash.Update("literal\n");  // the same bytes mean another pack
  hash.Update(bytes);
  pack.hash = hash.HexDigest();
  // Word lists run to 65,000 lines; growing a vector of Rules copies them all.
  pack.rules.reserve(static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1);
  size_t errors = 0;
  int line_no = 0;
  for (size_t pos = 0; pos < bytes.size();) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string::npos) nl = bytes.size();
    std::string line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || (!options.literal && line[0] == '#')) continue;
    const std::string id = "line-" + std::to_string(line_no);
    if (!IsValidUtf8(line)) {
      diagnostics->push_back({path, line_no, id,
                              options.skip_bad_lines
                                  ? "the pattern is not valid UTF-8; skipped"
                                  : "the pattern is not valid UTF-8",
                              options.skip_bad_lines});
      if (!options.skip_bad_lines) ++errors;
      continue;
    }
    Rule rule;
    rule.id = id;
    rule.title = line;
    rule.category = "pattern-file";
    rule.clause = "-";
    rule.view = TextView::kRaw;
    rule.file = path;
    rule.line = line_no;
    RulePattern pattern;
    pattern.expression = options.literal ? EscapeLiteral(line) : line;
    pattern.line = line_no;
    if (options.literal) {
      pattern.literal = line;
      pattern.is_literal = true;
    }
    rule.patterns.push_back(std::move(pattern));
    pack.rules.push_back(std::move(rule));
  }
  if (errors > 0) {
    return RulesError("pattern file " + path + ": " + std::to_string(errors) + " error(s)");
  }
  if (pack.rules.empty()) {
    diagnostics->push_back({path, 0, "", "the pattern file holds no patterns", false});
    return RulesError("pattern file " + path + ": no patterns");
  }
  return pack;
}

}  // namespace catscan
