#include "scanner/rules/rule_reader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "scanner/base/json_writer.h"
#include "scanner/match/pattern_set.h"

namespace catscan {
namespace fs = std::filesystem;

namespace {

const std::set<std::string> kRuleKeys = {
    "id",         "title",   "category",       "clause",     "severity",  "fields",
    "view",       "patterns", "caseless",      "words",      "words_caseless", "exceptions",
    "define",     "all_of",  "any_of",         "none_of",    "check",     "must_match",
    "must_not_match"};

// Only the first few duplicate terms of a list are named; the rest are counted.
constexpr int kMaxDuplicateWarnings = 10;

int LineOf(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

std::string CodePointName(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", cp);
  return buf;
}

// Decodes the UTF-8 sequence at s[i] (the text is valid UTF-8); advances i.
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (int k = 1; k < len && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

// Why a term cannot be matched as written, or "" if it can.
std::string TermProblem(std::string_view term) {
  if (!IsValidUtf8(term)) return "the line is not valid UTF-8";
  for (size_t i = 0; i < term.size();) {
    const uint32_t cp = NextCodePoint(term, &i);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return "control character " + CodePointName(cp) + " in the term";
    }
    if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000) {
      return "private-use character " + CodePointName(cp) +
             " in the term (no listing text holds it; remove it)";
    }
  }
  return "";
}

bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return static_cast<bool>(in) || in.eof();
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

// ---------------------------------------------------------------------------
// WordLists

const std::vector<WordTerm>* WordLists::Get(const std::string& path, const std::string& from_file,
                                            int from_line, const std::string& rule) {
  if (auto it = lists_.find(path); it != lists_.end()) return &it->second;
  if (unreadable_.count(path)) return nullptr;
  std::string bytes;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || !ReadWholeFile(path, &bytes)) {
    diags_->push_back({from_file, from_line, rule, "cannot read word list " + path, false});
    unreadable_[path] = true;
    return nullptr;
  }
  std::vector<WordTerm>& terms = lists_[path];
  std::unordered_map<std::string, int> first_line;
  int line_no = 0, duplicates = 0;
  for (size_t pos = 0; pos < bytes.size();) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string::npos) nl = bytes.size();
    std::string_view line(bytes.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    if (const std::string why = TermProblem(line); !why.empty()) {
      diags_->push_back({path, line_no, rule, why, false});
      continue;
    }
    auto [it, fresh] = first_line.emplace(std::string(line), line_no);
    if (!fresh) {
      if (++duplicates <= kMaxDuplicateWarnings) {
        diags_->push_back({path, line_no, rule,
                           "duplicate term \"" + std::string(line) + "\", first at line " +
                               std::to_string(it->second),
                           true});
      }
      continue;
    }
    terms.push_back({std::string(line), line_no});
  }
  if (duplicates > kMaxDuplicateWarnings) {
    diags_->push_back({path, 0, rule,
                       std::to_string(duplicates - kMaxDuplicateWarnings) +
                           " more duplicate term(s) not listed",
                       true});
  }
  return &terms;
}

std::string WordLists::Normalize(const std::string& term) {
  if (normalizer_ == nullptr) normalizer_ = std::make_unique<Normalizer>();
  normalizer_->Normalize(term, Normalizer::Kind::kPlainText, &scratch_);
  return std::string(scratch_.text());
}

// ---------------------------------------------------------------------------
// RuleFileReader

void RuleFileReader::Read(const YAML::Node& root, std::vector<Rule>* rules) {
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

void RuleFileReader::Error(int line, const std::string& rule, const std::string& msg) {
  diags_->push_back({file_, line, rule, msg, false});
}

bool RuleFileReader::Scalar(const YAML::Node& n, const std::string& rule, const char* key,
                            std::string* out) {
  if (!n.IsScalar()) {
    Error(LineOf(n), rule, std::string("`") + key + "` must be a single value");
    return false;
  }
  *out = n.Scalar();
  return true;
}

bool RuleFileReader::Bool(const YAML::Node& n, const std::string& rule, const char* key,
                          bool* out) {
  if (!n.IsScalar() || (n.Scalar() != "true" && n.Scalar() != "false")) {
    Error(LineOf(n), rule, std::string("`") + key + "` must be true or false");
    return false;
  }
  *out = n.Scalar() == "true";
  return true;
}

void RuleFileReader::StringList(const YAML::Node& n, const std::string& rule, const char* key,
                                std::vector<std::string>* out, std::vector<int>* lines) {
  if (n.IsScalar()) {
    out->push_back(n.Scalar());
    if (lines) lines->push_back(LineOf(n));
    return;
  }
  if (!n.IsSequence()) {
    Error(LineOf(n), rule, std::string("`") + key + "` must be a list of strings");
    return;
  }
  for (const YAML::Node& item : n) {
    std::string s;
    if (Scalar(item, rule, key, &s)) {
      out->push_back(s);
      if (lines) lines->push_back(LineOf(item));
    }
  }
}

bool RuleFileReader::ReadRule(const YAML::Node& node, Rule* rule) {
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
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                      c == '-';
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
    StringList(node["fields"], id, "fields", &fields, nullptr);
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
  // The view first: word-list terms are normalized for it.
  if (node["view"]) {
    std::string v;
    if (Scalar(node["view"], id, "view", &v) && (v == "normalized" || v == "raw" || v == "both")) {
      rule->view = v == "raw"    ? TextView::kRaw
                   : v == "both" ? TextView::kBoth
                                 : TextView::kNormalized;
    } else {
      Error(LineOf(node["view"]), id, "`view` must be normalized, raw or both");
      ok = false;
    }
  }
  bool caseless = false;
  if (node["caseless"]) ok &= Bool(node["caseless"], id, "caseless", &caseless);
  if (node["patterns"]) {
    ok &= ReadPatternList(node["patterns"], "patterns", *rule, caseless, &rule->patterns);
  }
  if (node["words"]) {
    bool words_caseless = caseless;
    if (node["words_caseless"]) {
      ok &= Bool(node["words_caseless"], id, "words_caseless", &words_caseless);
    }
    ok &= AddWords(node["words"], *rule, words_caseless, "", &rule->patterns);
  } else if (node["words_caseless"]) {
    Error(LineOf(node["words_caseless"]), id, "`words_caseless` without `words:`");
    ok = false;
  }
  if (node["exceptions"]) {
    ok &= ReadPatternList(node["exceptions"], "exceptions", *rule, caseless, &rule->exceptions);
    for (const RulePattern& p : rule->exceptions) {
      if (!p.name.empty()) {
        Error(p.line, id, "an exception has no `name:` (conditions cannot use it)");
        ok = false;
      }
    }
  }
  if (node["define"]) ok &= ReadDefine(node["define"], rule);
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
  if (node["all_of"]) ok &= ReadConditions(node["all_of"], "all_of", *rule, &rule->all_of);
  if (node["any_of"]) ok &= ReadConditions(node["any_of"], "any_of", *rule, &rule->any_of);
  if (node["none_of"]) ok &= ReadConditions(node["none_of"], "none_of", *rule, &rule->none_of);
  if (node["must_match"]) ok &= ReadExamples(node["must_match"], "must_match", id, &rule->must_match);
  if (node["must_not_match"]) {
    ok &= ReadExamples(node["must_not_match"], "must_not_match", id, &rule->must_not_match);
  }
  if (!node["patterns"] && !node["words"] && !node["check"]) {
    Error(rule->line, id, "rule has neither `patterns:`, `words:` nor `check:`");
    ok = false;
  }
  if (rule->check && rule->check->uses_text_price() && !node["patterns"] && !node["words"]) {
    Error(LineOf(node["check"]), id,
          "`text_price` is read from a text hit: the rule needs `patterns:` or `words:`");
    ok = false;
  }
  if (rule->check && rule->check->fields().empty() && !rule->check->uses_text_price()) {
    Error(LineOf(node["check"]), id, "the check names no field");
    ok = false;
  }
  return ok;
}

bool RuleFileReader::ReadPatternList(const YAML::Node& list, const char* key, const Rule& rule,
                                     bool caseless, std::vector<RulePattern>* out) {
  if (!list.IsSequence() || list.size() == 0) {
    Error(LineOf(list), rule.id, std::string("`") + key + ":` must be a non-empty list");
    return false;
  }
  bool ok = true;
  for (const YAML::Node& p : list) ok &= ReadPattern(p, rule, caseless, out);
  return ok;
}

bool RuleFileReader::ReadPattern(const YAML::Node& p, const Rule& rule, bool caseless,
                                 std::vector<RulePattern>* out) {
  const std::string& id = rule.id;
  RulePattern pat;
  pat.line = LineOf(p);
  pat.caseless = caseless;
  if (p.IsScalar()) {
    pat.expression = p.Scalar();
  } else if (p.IsMap()) {
    bool ok = true;
    int kinds = 0;
    for (const auto& kv : p) {
      const std::string key = kv.first.Scalar();
      if (key == "regex" || key == "literal" || key == "words") {
        ++kinds;
      } else if (key != "caseless" && key != "name") {
        Error(LineOf(kv.first), id,
              "unknown pattern key `" + key + "` (regex, literal, words, caseless, name)");
        ok = false;
      }
    }
    if (kinds != 1) {
      Error(pat.line, id, "a pattern has exactly one of `regex:`, `literal:` or `words:` (not both)");
      return false;
    }
    if (p["caseless"]) ok &= Bool(p["caseless"], id, "caseless", &pat.caseless);
    if (p["name"]) {
      if (!Scalar(p["name"], id, "name", &pat.name) || !IsIdentifier(pat.name)) {
        Error(LineOf(p["name"]), id, "a pattern name is letters, digits and '_'");
        ok = false;
      }
    }
    if (!ok) return false;
    if (p["words"]) return AddWords(p["words"], rule, pat.caseless, pat.name, out);
    std::string text;
    if (!Scalar(p["regex"] ? p["regex"] : p["literal"], id, "regex", &text)) return false;
    if (p["literal"]) {
      pat.expression = EscapeLiteral(text);
      pat.literal = text;
      pat.is_literal = true;
    } else {
      pat.expression = text;
    }
  } else {
    Error(pat.line, id, "a pattern is a regex string or a map with `regex:`, `literal:` or `words:`");
    return false;
  }
  if (pat.expression.empty()) {
    Error(pat.line, id, "empty pattern");
    return false;
  }
  out->push_back(std::move(pat));
  return true;
}

bool RuleFileReader::AddWords(const YAML::Node& files, const Rule& rule, bool caseless,
                              const std::string& name, std::vector<RulePattern>* out) {
  std::vector<std::string> paths;
  std::vector<int> lines;
  const size_t errors_before = diags_->size();
  StringList(files, rule.id, "words", &paths, &lines);
  bool ok = diags_->size() == errors_before;
  if (ok && paths.empty()) {
    Error(LineOf(files), rule.id, "`words:` names no file");
    return false;
  }
  const fs::path dir = fs::path(file_).parent_path();
  for (size_t i = 0; i < paths.size(); ++i) {
    const std::string path = (dir / paths[i]).lexically_normal().string();
    const size_t before = diags_->size();
    const std::vector<WordTerm>* terms = words_->Get(path, file_, lines[i], rule.id);
    for (size_t d = before; d < diags_->size(); ++d) ok &= (*diags_)[d].warning;
    if (terms == nullptr) continue;
    if (terms->empty()) {
      Error(lines[i], rule.id, "word list " + paths[i] + " holds no terms");
      ok = false;
    }
    for (const WordTerm& t : *terms) {
      std::vector<std::string> spellings;
      if (rule.view != TextView::kNormalized) spellings.push_back(t.text);
      if (rule.view != TextView::kRaw) {
        std::string n = words_->Normalize(t.text);
        if (n.empty()) {
          diags_->push_back({path, t.line, rule.id,
                             "the term \"" + t.text + "\" is empty once normalized", false});
          ok = false;
          continue;
        }
        if (spellings.empty() || spellings[0] != n) spellings.push_back(std::move(n));
      }
      for (std::string& s : spellings) {
        RulePattern pat;
        pat.expression = EscapeLiteral(s);
        pat.literal = std::move(s);
        pat.is_literal = true;
        pat.caseless = caseless;
        pat.file = path;
        pat.line = t.line;
        pat.name = name;
        out->push_back(std::move(pat));
      }
    }
  }
  return ok;
}

bool RuleFileReader::ReadDefine(const YAML::Node& map, Rule* rule) {
  if (!map.IsMap()) {
    Error(LineOf(map), rule->id, "`define:` must map names to patterns");
    return false;
  }
  bool ok = true;
  for (const auto& kv : map) {
    const std::string name = kv.first.Scalar();
    if (!IsIdentifier(name)) {
      Error(LineOf(kv.first), rule->id, "a pattern name is letters, digits and '_'");
      ok = false;
      continue;
    }
    std::vector<RulePattern> pats;
    if (kv.second.IsSequence()) {
      ok &= ReadPatternList(kv.second, "define", *rule, false, &pats);
    } else {
      ok &= ReadPattern(kv.second, *rule, false, &pats);
    }
    for (RulePattern& p : pats) {
      if (!p.name.empty() && p.name != name) {
        Error(p.line, rule->id, "pattern named `" + p.name + "` inside `define: " + name + "`");
        ok = false;
      }
      p.name = name;
      rule->defined.push_back(std::move(p));
    }
  }
  return ok;
}

bool RuleFileReader::ReadConditions(const YAML::Node& list, const char* key, const Rule& rule,
                                    std::vector<RuleCondition>* out) {
  std::vector<std::string> items;
  std::vector<int> lines;
  const size_t before = diags_->size();
  StringList(list, rule.id, key, &items, &lines);
  bool ok = diags_->size() == before;
  if (ok && items.empty()) {
    Error(LineOf(list), rule.id, std::string("`") + key + ":` is empty");
    return false;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    RuleCondition c;
    c.line = lines[i];
    if (IsIdentifier(items[i])) {
      const auto named = [&](const std::vector<RulePattern>& v) {
        return std::any_of(v.begin(), v.end(),
                           [&](const RulePattern& p) { return p.name == items[i]; });
      };
      if (!named(rule.patterns) && !named(rule.defined)) {
        Error(c.line, rule.id,
              "`" + items[i] + "` in `" + key + ":` names no pattern (name one with `name:` or "
              "`define:`; a field check needs an operator, e.g. \"stock == 0\")");
        ok = false;
        continue;
      }
      c.name = items[i];
    } else {
      StatusOr<FieldCheck> check = FieldCheck::Parse(items[i]);
      if (!check.ok()) {
        Error(c.line, rule.id, check.status().message());
        ok = false;
        continue;
      }
      if (check->uses_text_price()) {
        Error(c.line, rule.id, "`text_price` belongs in the rule's `check:`, read per hit");
        ok = false;
        continue;
      }
      c.check = std::move(check.value());
    }
    out->push_back(std::move(c));
  }
  return ok;
}

bool RuleFileReader::ReadExamples(const YAML::Node& list, const char* key, const std::string& id,
                                  std::vector<RuleExample>* out) {
  const auto one = [&](const YAML::Node& n) {
    RuleExample ex;
    ex.line = LineOf(n);
    if (n.IsScalar()) {
      ex.title = n.Scalar();
      out->push_back(std::move(ex));
      return true;
    }
    if (!n.IsMap()) {
      Error(ex.line, id, std::string("a `") + key + "` entry is a string or a record map");
      return false;
    }
    ex.is_record = true;
    bool ok = true;
    for (const auto& kv : n) {
      const std::string k = kv.first.Scalar();
      NumberField f;
      if (k == "title" || k == "detail_html" || k == "detail") {
        std::string v;
        if (!Scalar(kv.second, id, k.c_str(), &v)) {
          ok = false;
          continue;
        }
        (k == "title" ? ex.title : ex.detail_html) = v;
      } else if (ParseNumberField(k, &f)) {
        double v = 0;
        try {
          v = kv.second.as<double>();
        } catch (const YAML::Exception&) {
          Error(LineOf(kv.second), id, "`" + k + "` in an example must be a number");
          ok = false;
          continue;
        }
        ex.number[static_cast<int>(f)] = v;
        ex.number_present |= static_cast<uint8_t>(1u << static_cast<int>(f));
      } else {
        Error(LineOf(kv.first), id,
              "unknown example key `" + k +
                  "` (title, detail_html, price, original_price, stock, min_order_qty, "
                  "shipping_fee)");
        ok = false;
      }
    }
    if (ok) out->push_back(std::move(ex));
    return ok;
  };
  if (list.IsSequence()) {
    bool ok = true;
    for (const YAML::Node& n : list) ok &= one(n);
    return ok;
  }
  return one(list);
}

}  // namespace catscan
