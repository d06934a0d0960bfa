#include "scanner/rules/rule_pack.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "scanner/base/json_writer.h"
#include "scanner/base/sha256.h"
#include "scanner/match/pattern_set.h"
#include "scanner/rules/rule_reader.h"

namespace catscan {
namespace fs = std::filesystem;

namespace {

int LineOf(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

const char* TextViewName(TextView v) {
  switch (v) {
    case TextView::kNormalized: return "normalized";
    case TextView::kRaw: return "raw";
    case TextView::kBoth: return "both";
  }
  return "normalized";
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kMinor: return "minor";
    case Severity::kGeneral: return "general";
    case Severity::kSerious: return "serious";
    case Severity::kCritical: return "critical";
  }
  return "general";
}

std::string RuleExample::Describe() const {
  if (!is_record) return "\"" + title + "\"";
  std::string out = "{";
  const auto add = [&out](const std::string& k, const std::string& v) {
    if (out.size() > 1) out += ", ";
    out += k + ": " + v;
  };
  if (!title.empty()) add("title", "\"" + title + "\"");
  if (!detail_html.empty()) add("detail_html", "\"" + detail_html + "\"");
  for (int f = 0; f < kNumNumberFields; ++f) {
    if (!(number_present & (1u << f))) continue;
    std::string v;
    AppendJsonNumber(&v, number[f]);
    add(NumberFieldName(static_cast<NumberField>(f)), v);
  }
  return out + "}";
}

std::string RuleDiagnostic::ToString() const {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  s += ": ";
  if (!rule_id.empty()) s += "rule " + rule_id + ": ";
  s += warning ? "warning: " : "error: ";
  s += message;
  return s;
}

StatusOr<RulePack> LoadRulePack(const std::string& path, std::vector<RuleDiagnostic>* diags) {
  RulePack pack;
  pack.path = path;
  std::error_code ec;
  std::vector<std::string> files;  // every file under the pack, for the hash
  std::vector<std::string> rule_file_paths;
  fs::path root;
  if (fs::is_directory(path, ec)) {
    root = fs::path(path);
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec)) continue;
      files.push_back(it->path().string());
      // Rule files sit at the top; word lists may sit in folders.
      if (it.depth() == 0) rule_file_paths.push_back(it->path().string());
    }
    std::sort(rule_file_paths.begin(), rule_file_paths.end());
    pack.name = fs::path(path).lexically_normal().filename().string();
    if (pack.name.empty()) pack.name = fs::path(path).lexically_normal().parent_path().filename().string();
  } else if (fs::is_regular_file(path, ec)) {
    root = fs::path(path).parent_path();
    files.push_back(path);
    rule_file_paths.push_back(path);
    pack.name = fs::path(path).stem().string();
  } else {
    return RulesError("rule pack " + path + ": no such directory or file");
  }

  const auto error_count = [diags] {
    return static_cast<size_t>(std::count_if(diags->begin(), diags->end(),
                                             [](const RuleDiagnostic& d) { return !d.warning; }));
  };
  const size_t errors_before = error_count();
  WordLists words(diags);
  size_t rule_files = 0;
  for (const std::string& file : rule_file_paths) {
    const std::string rel = fs::path(file).filename().string();
    const bool is_yaml = rel.size() > 5 && rel.compare(rel.size() - 5, 5, ".yaml") == 0;
    // policy.yaml is the pack's penalty ladder (scanner/verdict/policy.h): hashed
    // with the pack, read by the verdict stage, not a rule file.
    if (!is_yaml || rel == "policy.yaml") continue;
    std::string bytes;
    if (!ReadFile(file, &bytes)) {
      diags->push_back({file, 0, "", "cannot read file", false});
      continue;
    }
    YAML::Node root_node;
    try {
      root_node = YAML::Load(bytes);
    } catch (const YAML::Exception& e) {
      diags->push_back({file, e.mark.is_null() ? 0 : e.mark.line + 1, "", "invalid YAML: " + e.msg, false});
      continue;
    }
    if (rel == "pack.yaml") {
      if (root_node["name"] && root_node["name"].IsScalar()) pack.name = root_node["name"].Scalar();
      if (root_node["version"]) {
        try {
          pack.version = root_node["version"].as<int>();
        } catch (const YAML::Exception&) {
          diags->push_back({file, LineOf(root_node["version"]), "", "`version:` must be an integer", false});
        }
      }
      continue;
    }
    ++rule_files;
    RuleFileReader(file, &words, diags).Read(root_node, &pack.rules);
  }
  // The hash: every file under the pack plus the word lists read from
  // elsewhere, by name relative to the pack, in name order.
  std::map<std::string, std::string> hashed;  // relative name -> path
  for (const std::string& f : files) hashed[fs::path(f).lexically_relative(root).string()] = f;
  for (const auto& [list, terms] : words.lists()) {
    hashed.emplace(fs::path(list).lexically_relative(root).string(), list);
  }
  Sha256 hash;
  for (const auto& [rel, file] : hashed) {
    std::string bytes;
    if (!ReadFile(file, &bytes)) {
      diags->push_back({file, 0, "", "cannot read file", false});
      continue;
    }
    hash.Update(rel);
    hash.Update(std::string_view("\0", 1));
    hash.Update(std::to_string(bytes.size()));
    hash.Update(std::string_view("\0", 1));
    hash.Update(bytes);
  }
  pack.hash = hash.HexDigest();

  if (rule_files == 0) diags->push_back({path, 0, "", "the pack holds no rule files (*.yaml)", false});
  std::map<std::string, const Rule*> by_id;
  for (const Rule& r : pack.rules) {
    auto [it, fresh] = by_id.emplace(r.id, &r);
    if (!fresh) {
      diags->push_back({r.file, r.line, r.id,
                        "duplicate rule id, first defined at " + it->second->file + ":" +
                            std::to_string(it->second->line),
                        false});
    }
  }
  if (rule_files > 0 && pack.rules.empty() && error_count() == errors_before) {
    diags->push_back({path, 0, "", "the pack holds no rules", false});
  }
  size_t errors = error_count();
  if (errors > errors_before) {
    // Report the patterns that would not compile too, so one run lists every
    // problem (a valid pack's patterns are compiled once, by CompiledPack).
    // A literal in valid UTF-8 is escaped, so it always compiles: leaving
    // out word lists keeps this check to the regexes.
    std::vector<PatternSpec> specs;
    std::vector<std::pair<const Rule*, const RulePattern*>> origin;
    for (const Rule& r : pack.rules) {
      for (const auto* list : {&r.patterns, &r.defined, &r.exceptions}) {
        for (const RulePattern& p : *list) {
          if (p.is_literal && IsValidUtf8(p.literal)) continue;
          specs.push_back({p.expression, p.caseless, ~0u, true});
          origin.emplace_back(&r, &p);
        }
      }
    }
    std::vector<PatternError> pattern_errors;
    if (!specs.empty() && !PatternSet::Compile(specs, &pattern_errors).ok()) {
      for (const PatternError& e : pattern_errors) {
        const auto [r, p] = origin[e.index];
        diags->push_back({p->file.empty() ? r->file : p->file, p->line, r->id,
                          "pattern /" + p->expression + "/ does not compile: " + e.message, false});
      }
    }
    errors = error_count();
    return RulesError("rule pack " + path + ": " + std::to_string(errors - errors_before) + " error(s)");
  }
  return pack;
}

}  // namespace catscan
