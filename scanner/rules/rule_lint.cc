#include "scanner/rules/rule_lint.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <tuple>

#include "scanner/normalize/normalizer.h"

namespace catscan {
namespace {

// Findings of one kind beyond this many are counted, not listed (a careless
// 60,000-term list would otherwise bury everything else).
constexpr int kMaxPerKind = 20;

size_t Utf8Length(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += Utf8Length(static_cast<unsigned char>(s[i]))) ++n;
  return n;
}

bool IsQuantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

// A regex read token by token, just enough to find literal runs, unbounded
// gaps and empty alternatives. Escapes and classes are skipped whole.
struct RegexShape {
  std::vector<std::string> literal_runs;  // plain text between metacharacters
  std::vector<std::string> gaps;          // unbounded gaps after a literal
  bool leading_any = false;               // starts with .* or .+
  bool empty_alternative = false;
};

RegexShape ReadShape(const std::string& re) {
  RegexShape shape;
  std::string run;
  bool seen_literal = false;
  const auto flush = [&] {
    if (!run.empty()) shape.literal_runs.push_back(run);
    run.clear();
  };
  size_t i = 0;
  if (re.compare(0, 2, ".*") == 0 || re.compare(0, 2, ".+") == 0 || re.compare(0, 3, "^.*") == 0 ||
      re.compare(0, 3, "^.+") == 0) {
    shape.leading_any = true;
  }
  if (!re.empty() && (re.front() == '|' || re.back() == '|')) shape.empty_alternative = true;
  while (i < re.size()) {
    const char c = re[i];
    size_t tok_start = i;
    std::string atom;  // what the token is, for gaps
    bool literal = false;
    if (c == '\\') {
      const size_t n = i + 1 < re.size() ? Utf8Length(static_cast<unsigned char>(re[i + 1])) : 0;
      atom = re.substr(i, 1 + n);
      i += 1 + n;
      if (atom.size() == 2 && std::isalnum(static_cast<unsigned char>(atom[1]))) {
        // \s \d \x.. \p{..} ...: a class, not literal text
        if (atom[1] == 'x' || atom[1] == 'p' || atom[1] == 'P') {
          if (i < re.size() && re[i] == '{') i = std::min(re.size(), re.find('}', i) + 1);
          else if (atom[1] == 'x') i = std::min(re.size(), i + 2);
        }
      } else {
        literal = true;  // an escaped punctuation character is itself
        atom = atom.substr(1);
      }
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;
      while (j < re.size() && re[j] != ']') j += re[j] == '\\' ? 2 : 1;
      atom = re.substr(i, j + 1 - i);
      i = std::min(re.size(), j + 1);
    } else if (c == '(' || c == ')' || c == '|' || c == '^' || c == '$') {
      if (c == '|' && i + 1 < re.size() && (re[i + 1] == '|' || re[i + 1] == ')')) {
        shape.empty_alternative = true;
      }
      if (c == '(' && i + 1 < re.size() && re[i + 1] == '|') shape.empty_alternative = true;
      if (c == '(' && i + 2 < re.size() && re[i + 1] == '?' && re[i + 2] == ':') i += 2;
      ++i;
      flush();
      continue;
    } else if (c == '.') {
      atom = ".";
      ++i;
    } else if (IsQuantifier(c)) {
      ++i;  // a quantifier after a group
      if (c == '{') i = std::min(re.size(), re.find('}', i - 1) + 1);
      continue;
    } else {
      const size_t n = Utf8Length(static_cast<unsigned char>(c));
      atom = re.substr(i, n);
      literal = true;
      i += n;
    }
    (void)tok_start;
    // A quantified atom ends the literal run; an unbounded one after a
    // literal is a gap.
    if (i < re.size() && IsQuantifier(re[i])) {
      flush();
      const char q = re[i];
      const bool unbounded = (q == '*' || q == '+') && !literal &&
                             (atom == "." || atom == "\\s" || atom == "\\S" || atom == "\\w" ||
                              atom == "\\W" || (atom.size() > 2 && atom[1] == '^'));
      if (unbounded && seen_literal) shape.gaps.push_back(atom + q);
      ++i;
      if (q == '{') i = std::min(re.size(), re.find('}', i - 1) + 1);
      if (i < re.size() && (re[i] == '?' || re[i] == '+')) ++i;  // lazy/possessive
      continue;
    }
    if (literal) {
      run += atom;
      seen_literal = true;
    } else {
      flush();
    }
  }
  flush();
  // A gap only slows the scan when a literal follows it too.
  if (!shape.gaps.empty() && shape.literal_runs.size() < 2) shape.gaps.clear();
  return shape;
}

class Linter {
 public:
  Linter(const RulePack& pack, std::vector<RuleDiagnostic>* out) : pack_(pack), out_(out) {}

  void Run() {
    std::map<std::tuple<std::string, bool, uint32_t, int>, std::pair<const Rule*, const RulePattern*>>
        seen_pattern;  // (expression, caseless, scope, view) -> first
    std::map<std::string, std::pair<const Rule*, const RulePattern*>> seen_word;  // term -> first
    for (const Rule& rule : pack_.rules) {
      for (const std::vector<RulePattern>* list : {&rule.patterns, &rule.defined, &rule.exceptions}) {
        for (const RulePattern& p : *list) {
          LintPattern(rule, p, list == &rule.exceptions);
          if (list == &rule.exceptions) continue;
          if (!p.file.empty()) {
            // A word: duplicates across lists (inside one list: at load).
            auto [it, fresh] = seen_word.emplace(p.literal, std::make_pair(&rule, &p));
            if (!fresh && it->second.second->file != p.file) {
              Warn("duplicate_word", rule, p,
                   "the word \"" + p.literal + "\" is also in " + Where(*it->second.first, *it->second.second) +
                       " (rule " + it->second.first->id + ")");
            }
            continue;
          }
          auto key = std::make_tuple(p.expression, p.caseless, rule.scope, static_cast<int>(rule.view));
          auto [it, fresh] = seen_pattern.emplace(key, std::make_pair(&rule, &p));
          if (!fresh) {
            Warn("duplicate_pattern", rule, p,
                 "pattern /" + p.expression + "/ duplicates the one at " +
                     Where(*it->second.first, *it->second.second) +
                     (it->second.first == &rule ? "" : " (rule " + it->second.first->id + ")"));
          }
        }
      }
    }
    for (const auto& [kind, n] : counts_) {
      if (n > kMaxPerKind) {
        out_->push_back({pack_.path, 0, "",
                         std::to_string(n - kMaxPerKind) + " more " + kind + " warning(s) not listed",
                         true});
      }
    }
  }

 private:
  static std::string Where(const Rule& rule, const RulePattern& p) {
    return (p.file.empty() ? rule.file : p.file) + ":" + std::to_string(p.line);
  }

  void Warn(const std::string& kind, const Rule& rule, const RulePattern& p, const std::string& msg) {
    if (++counts_[kind] > kMaxPerKind) return;
    out_->push_back({p.file.empty() ? rule.file : p.file, p.line, rule.id, msg, true});
  }

  std::string Normalized(const std::string& s) {
    normalizer_.Normalize(s, Normalizer::Kind::kPlainText, &scratch_);
    return std::string(scratch_.text());
  }

  static std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  void LintPattern(const Rule& rule, const RulePattern& p, bool exception) {
    const bool normalized_view = rule.view == TextView::kNormalized;
    if (p.is_literal) {
      if (!exception && CodePoints(p.literal) == 1) {
        Warn("short_pattern", rule, p,
             "the one-character pattern \"" + p.literal + "\" hits nearly every listing");
      }
      // Word-list terms are normalized at load; a `literal:` is not.
      if (normalized_view && p.file.empty()) CheckNormalized(rule, p, p.literal);
      return;
    }
    const RegexShape shape = ReadShape(p.expression);
    if (shape.leading_any) {
      Warn("slow_pattern", rule, p,
           "pattern /" + p.expression + "/ starts with .* or .+: it only slows the scan; drop it");
    }
    for (const std::string& gap : shape.gaps) {
      Warn("slow_pattern", rule, p,
           "pattern /" + p.expression + "/ has an unbounded gap `" + gap +
               "` between literals: slow, and it matches across the whole field; bound it, e.g. "
               ".{0,10}");
    }
    if (shape.empty_alternative) {
      Warn("empty_alternative", rule, p,
           "pattern /" + p.expression + "/ has an empty alternative: it matches everywhere");
    }
    if (!exception && shape.literal_runs.size() == 1 && CodePoints(shape.literal_runs[0]) == 1 &&
        p.expression == shape.literal_runs[0]) {
      Warn("short_pattern", rule, p,
           "the one-character pattern /" + p.expression + "/ hits nearly every listing");
    }
    if (normalized_view) {
      for (const std::string& run : shape.literal_runs) CheckNormalized(rule, p, run);
    }
  }

  // Literal text a normalized-view pattern holds must survive normalization.
  void CheckNormalized(const Rule& rule, const RulePattern& p, const std::string& text) {
    const std::string n = Normalized(text);
    if (n == text || (p.caseless && n == Lower(text))) return;
    // Edges: the normalizer drops fillers only between word characters, so
    // a run's leading or trailing space may survive in context.
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    while (!trimmed.empty() && trimmed.front() == ' ') trimmed.erase(0, 1);
    const std::string nt = Normalized(trimmed);
    if (nt == trimmed || (p.caseless && nt == Lower(trimmed))) return;
    Warn("never_matches", rule, p,
         "\"" + text + "\" never occurs in the normalized text this rule matches (it reads \"" + n +
             "\"); write the normalized spelling or use view: raw");
  }

  const RulePack& pack_;
  std::vector<RuleDiagnostic>* out_;
  std::map<std::string, int> counts_;
  Normalizer normalizer_;
  NormalizedText scratch_;
};

}  // namespace

void LintRulePack(const RulePack& pack, std::vector<RuleDiagnostic>* warnings) {
  Linter(pack, warnings).Run();
}

}  // namespace catscan
