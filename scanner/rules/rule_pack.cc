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

namespace catscan {
namespace fs = std::filesystem;

namespace {

const std::set<std::string> kRuleKeys = {"id",       "title",      "category", "clause",
                                         "severity", "fields",     "view",     "patterns",
                                         "caseless", "check",      "must_match",
                                         "must_not_match"};

int LineOf(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Reads one rule file's rules, reporting problems into "diags".
class RuleFileReader {
 public:
  RuleFileReader(std::string file, std::vector<RuleDiagnostic>* diags)
      : file_(std::move(file)), diags_(diags) {}

  void Read(const YAML::Node& root, std::vector<Rule>* rules) {
    if (!root.IsMap() || !root["rules"]) {
      Error(LineOf(root), "", "a rule file needs a top-level `rules:` list");
      return;
    }
    const YAML::Node list = root["rules"];
    if (!list.IsSequence()) {
      Error(LineOf(list), "", "`rules:` must be a list");
      return;
    }
    for (const YAML::Node& node : list) {
      Rule rule;
      if (ReadRule(node, &rule)) rules->push_back(std::move(rule));
    }
  }

 private:
  void Error(int line, const std::string& rule, const std::string& msg) {
    diags_->push_back({file_, line, rule, msg, false});
  }

  bool Scalar(const YAML::Node& n, const std::string& rule, const char* key, std::string* out) {
    if (!n.IsScalar()) {
      Error(LineOf(n), rule, std::string("`") + key + "` must be a single value");
      return false;
    }
    *out = n.Scalar();
    return true;
  }

  bool Bool(const YAML::Node& n, const std::string& rule, const char* key, bool* out) {
    if (!n.IsScalar() || (n.Scalar() != "true" && n.Scalar() != "false")) {
      Error(LineOf(n), rule, std::string("`") + key + "` must be true or false");
      return false;
    }
    *out = n.Scalar() == "true";
    return true;
  }

  void StringList(const YAML::Node& n, const std::string& rule, const char* key,
                  std::vector<std::string>* out) {
    if (n.IsScalar()) {
      out->push_back(n.Scalar());
      return;
    }
    if (!n.IsSequence()) {
      Error(LineOf(n), rule, std::string("`") + key + "` must be a list of strings");
      return;
    }
    for (const YAML::Node& item : n) {
      std::string s;
      if (Scalar(item, rule, key, &s)) out->push_back(s);
    }
  }

  bool ReadRule(const YAML::Node& node, Rule* rule) {
    rule->file = file_;
    rule->line = LineOf(node);
    if (!node.IsMap()) {
      Error(LineOf(node), "", "each entry of `rules:` must be a map with an `id:`");
      return false;
    }
    bool ok = true;
    if (node["id"] && node["id"].IsScalar()) rule->id = node["id"].Scalar();
    const std::string& id = rule->id;
    if (id.empty()) {
      Error(rule->line, "", "rule without an `id:`");
      ok = false;
    } else if (!std::all_of(id.begin(), id.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
               })) {
      Error(rule->line, id, "rule id may hold only letters, digits, '_', '.' and '-'");
      ok = false;
    }
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (!kRuleKeys.count(key)) {
        Error(LineOf(kv.first), id, "unknown key `" + key + "`");
        ok = false;
      }
    }
    for (const char* required : {"category", "clause", "severity"}) {
      if (!node[required]) {
        Error(rule->line, id, std::string("missing `") + required + ":`");
        ok = false;
      }
    }
    if (node["title"]) ok &= Scalar(node["title"], id, "title", &rule->title);
    if (node["category"]) ok &= Scalar(node["category"], id, "category", &rule->category);
    if (node["clause"]) ok &= Scalar(node["clause"], id, "clause", &rule->clause);
    if (node["severity"]) {
      std::string s;
      if (Scalar(node["severity"], id, "severity", &s)) {
        static const std::map<std::string, Severity> kLevels = {{"minor", Severity::kMinor},
                                                                {"general", Severity::kGeneral},
                                                                {"serious", Severity::kSerious},
                                                                {"critical", Severity::kCritical}};
        auto it = kLevels.find(s);
        if (it == kLevels.end()) {
          Error(LineOf(node["severity"]), id,
                "unknown severity `" + s + "` (minor, general, serious, critical)");
          ok = false;
        } else {
          rule->severity = it->second;
        }
      } else {
        ok = false;
      }
    }
    if (node["fields"]) {
      std::vector<std::string> fields;
      StringList(node["fields"], id, "fields", &fields);
      rule->scope = 0;
      for (const std::string& f : fields) {
        if (f == "title") rule->scope |= kScopeTitle;
        else if (f == "detail") rule->scope |= kScopeDetail;
        else if (f == "any") rule->scope |= kScopeAny;
        else {
          Error(LineOf(node["fields"]), id, "unknown field `" + f + "` (title, detail, any)");
          ok = false;
        }
      }
    }
    if (node["view"]) {
      std::string v;
      if (Scalar(node["view"], id, "view", &v) && (v == "normalized" || v == "raw" || v == "both")) {
        rule->view = v == "raw" ? TextView::kRaw : v == "both" ? TextView::kBoth : TextView::kNormalized;
      } else {
        Error(LineOf(node["view"]), id, "`view` must be normalized, raw or both");
        ok = false;
      }
    }
    bool caseless = false;
    if (node["caseless"]) ok &= Bool(node["caseless"], id, "caseless", &caseless);
    if (node["patterns"]) ok &= ReadPatterns(node["patterns"], id, caseless, rule);
    if (node["check"]) {
      std::string text;
      if (Scalar(node["check"], id, "check", &text)) {
        StatusOr<FieldCheck> check = FieldCheck::Parse(text);
        if (check.ok()) {
          rule->check = check.value();
        } else {
          Error(LineOf(node["check"]), id, check.status().message());
          ok = false;
        }
      } else {
        ok = false;
      }
    }
    if (node["must_match"]) StringList(node["must_match"], id, "must_match", &rule->must_match);
    if (node["must_not_match"]) {
      StringList(node["must_not_match"], id, "must_not_match", &rule->must_not_match);
    }
    if (!node["patterns"] && !node["check"]) {
      Error(rule->line, id, "rule has neither `patterns:` nor `check:`");
      ok = false;
    }
    return ok;
  }

  bool ReadPatterns(const YAML::Node& list, const std::string& id, bool caseless, Rule* rule) {
    if (!list.IsSequence() || list.size() == 0) {
      Error(LineOf(list), id, "`patterns:` must be a non-empty list");
      return false;
    }
    bool ok = true;
    for (const YAML::Node& p : list) {
      RulePattern pat;
      pat.line = LineOf(p);
      pat.caseless = caseless;
      if (p.IsScalar()) {
        pat.expression = p.Scalar();
      } else if (p.IsMap() && (p["regex"] || p["literal"])) {
        for (const auto& kv : p) {
          const std::string key = kv.first.Scalar();
          if (key != "regex" && key != "literal" && key != "caseless") {
            Error(LineOf(kv.first), id, "unknown pattern key `" + key + "` (regex, literal, caseless)");
            ok = false;
          }
        }
        if (p["regex"] && p["literal"]) {
          Error(pat.line, id, "a pattern is either `regex:` or `literal:`, not both");
          ok = false;
          continue;
        }
        std::string text;
        if (!Scalar(p["regex"] ? p["regex"] : p["literal"], id, "regex", &text)) {
          ok = false;
          continue;
        }
        pat.expression = p["literal"] ? EscapeLiteral(text) : text;
        if (p["caseless"]) ok &= Bool(p["caseless"], id, "caseless", &pat.caseless);
      } else {
        Error(pat.line, id, "a pattern is a regex string or a map with `regex:` or `literal:`");
        ok = false;
        continue;
      }
      if (pat.expression.empty()) {
        Error(pat.line, id, "empty pattern");
        ok = false;
        continue;
      }
      rule->patterns.push_back(std::move(pat));
    }
    return ok;
  }

  std::string file_;
  std::vector<RuleDiagnostic>* diags_;
};

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
  std::vector<std::string> files;  // every file, for the hash
  if (fs::is_directory(path, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file(ec) && !name.empty() && name[0] != '.') files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    pack.name = fs::path(path).lexically_normal().filename().string();
    if (pack.name.empty()) pack.name = fs::path(path).lexically_normal().parent_path().filename().string();
  } else if (fs::is_regular_file(path, ec)) {
    files.push_back(path);
    pack.name = fs::path(path).stem().string();
  } else {
    return RulesError("rule pack " + path + ": no such directory or file");
  }

  const auto error_count = [diags] {
    return static_cast<size_t>(std::count_if(diags->begin(), diags->end(),
                                             [](const RuleDiagnostic& d) { return !d.warning; }));
  };
  const size_t errors_before = error_count();
  Sha256 hash;
  size_t rule_files = 0;
  for (const std::string& file : files) {
    std::string bytes;
    if (!ReadFile(file, &bytes)) {
      diags->push_back({file, 0, "", "cannot read file", false});
      continue;
    }
    const std::string rel = fs::path(file).filename().string();
    hash.Update(rel);
    hash.Update(std::string_view("\0", 1));
    hash.Update(std::to_string(bytes.size()));
    hash.Update(std::string_view("\0", 1));
    hash.Update(bytes);
    const bool is_yaml = rel.size() > 5 && rel.compare(rel.size() - 5, 5, ".yaml") == 0;
    // policy.yaml is the pack's penalty ladder (scanner/verdict/policy.h): hashed
    // with the pack, read by the verdict stage, not a rule file.
    if (!is_yaml || rel == "policy.yaml") continue;
    YAML::Node root;
    try {
      root = YAML::Load(bytes);
    } catch (const YAML::Exception& e) {
      diags->push_back({file, e.mark.is_null() ? 0 : e.mark.line + 1, "", "invalid YAML: " + e.msg, false});
      continue;
    }
    if (rel == "pack.yaml") {
      if (root["name"] && root["name"].IsScalar()) pack.name = root["name"].Scalar();
      if (root["version"]) {
        try {
          pack.version = root["version"].as<int>();
        } catch (const YAML::Exception&) {
          diags->push_back({file, LineOf(root["version"]), "", "`version:` must be an integer", false});
        }
      }
      continue;
    }
    ++rule_files;
    RuleFileReader(file, diags).Read(root, &pack.rules);
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
  const size_t errors = error_count();
  if (errors > errors_before) {
    return RulesError("rule pack " + path + ": " + std::to_string(errors - errors_before) + " error(s)");
  }
  return pack;
}

StatusOr<RulePack> LoadPatternFile(const std::string& path,
                                   std::vector<RuleDiagnostic>* diagnostics) {
  std::string bytes;
  if (!ReadFile(path, &bytes)) return RulesError("pattern file " + path + ": cannot read it");
  RulePack pack;
  pack.path = path;
  pack.name = fs::path(path).filename().string();
  Sha256 hash;
  hash.Update(bytes);
  pack.hash = hash.HexDigest();
  size_t errors = 0;
  int line_no = 0;
  for (size_t pos = 0; pos < bytes.size();) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string::npos) nl = bytes.size();
    std::string line = bytes.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string id = "line-" + std::to_string(line_no);
    if (!IsValidUtf8(line)) {
      diagnostics->push_back({path, line_no, id, "the pattern is not valid UTF-8", false});
      ++errors;
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
    rule.patterns.push_back({line, false, line_no});
    pack.rules.push_back(std::move(rule));
  }
  if (errors > 0) return RulesError("pattern file " + path + ": " + std::to_string(errors) + " error(s)");
  if (pack.rules.empty()) {
    diagnostics->push_back({path, 0, "", "the pattern file holds no patterns", false});
    return RulesError("pattern file " + path + ": no patterns");
  }
  return pack;
}

}  // namespace catscan
