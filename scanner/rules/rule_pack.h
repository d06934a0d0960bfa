// scanner/rules/rule_pack.h
//
// A rule pack is a directory of YAML rule files (every *.yaml but pack.yaml,
// which names the pack: `name:` and `version:`). Each rule file holds a
// top-level `rules:` list; README.md documents every key. LoadRulePack reads
// and validates them all and reports every problem it finds, each naming the
// file, the line and the rule id, instead of stopping at the first.
//
// The pack's hash is the SHA-256 of every file in the directory (names and
// bytes, in name order), so the manifest pins exactly what rules ran.
//
// A loaded RulePack is a plain immutable value.

#ifndef CATSCAN_RULES_RULE_PACK_H_
#define CATSCAN_RULES_RULE_PACK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/rules/field_check.h"

namespace catscan {

// The seed policy's four levels (轻微/一般/严重/特别严重).
enum class Severity : uint8_t { kMinor = 0, kGeneral, kSerious, kCritical };
const char* SeverityName(Severity s);

// Scope bits of a rule's `fields:` (bit i = TextField i).
constexpr uint32_t kScopeTitle = 1u << 0;
constexpr uint32_t kScopeDetail = 1u << 1;
constexpr uint32_t kScopeAny = kScopeTitle | kScopeDetail;

// Which spelling of a field a rule's patterns match (`view:`): the text as
// the merchant wrote it, the normalized text (normalize/: HTML, width, case,
// traditional characters, fillers and look-alikes undone), or both.
enum class TextView : uint8_t { kNormalized = 0, kRaw, kBoth };
const char* TextViewName(TextView v);

struct RulePattern {
  std::string expression;  // the Hyperscan regex (a literal is escaped)
  bool caseless = false;
  int line = 0;
};

struct Rule {
  std::string id;
  std::string title;
  std::string category;
  std::string clause;
  Severity severity = Severity::kGeneral;
  uint32_t scope = kScopeAny;
  TextView view = TextView::kNormalized;
  std::vector<RulePattern> patterns;
  std::optional<FieldCheck> check;
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
  std::string file;  // path of the rule file
  int line = 0;      // line of the rule's `- id:` entry
};

struct RulePack {
  std::string name;
  int version = 0;
  std::string hash;  // SHA-256 hex over the pack's files
  std::string path;
  std::vector<Rule> rules;

  std::string id() const { return name + "@" + std::to_string(version); }
};

// One problem found in a pack.
struct RuleDiagnostic {
  std::string file;
  int line = 0;
  std::string rule_id;  // empty when not inside a rule
  std::string message;
  bool warning = false;

  // "file:line: rule ID: error: message"
  std::string ToString() const;
};

// Loads the pack at "path" (a directory, or a single rule file). Appends
// every problem to "diagnostics"; returns kRules if any is an error.
StatusOr<RulePack> LoadRulePack(const std::string& path, std::vector<RuleDiagnostic>* diagnostics);

// Loads a plain pattern file as an ad-hoc pack, like `rg -f`: every line that
// is not empty and does not start with '#' is one Hyperscan regex, matched
// against the raw text of title and detail_html. Rule ids are "line-N" (the
// line number), category "pattern-file", severity general. Lines that are not
// valid UTF-8 are reported with their line number.
StatusOr<RulePack> LoadPatternFile(const std::string& path,
                                   std::vector<RuleDiagnostic>* diagnostics);

}  // namespace catscan

#endif  // CATSCAN_RULES_RULE_PACK_H_
