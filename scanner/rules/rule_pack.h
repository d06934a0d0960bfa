// scanner/rules/rule_pack.h
//
// A rule pack is a directory of YAML rule files (every *.yaml but pack.yaml,
// which names the pack: `name:` and `version:`). Each rule file holds a
// top-level `rules:` list. LoadRulePack reads and validates them all and
// reports every problem it finds, each naming the file, the line and the rule
// id, instead of stopping at the first. README.md ("Rule packs") is the full
// reference; in short, a rule is
//
//   - id: conditions.welfare_no_stock       # stable: letters, digits, _ . -
//     title: 福利 wording on an item without stock
//     category: unreasonable_conditions
//     clause: "3.5"                         # the policy clause it enforces
//     severity: general                     # minor | general | serious | critical
//     fields: [any]                         # title | detail | any
//     view: normalized                      # normalized | raw | both
//     caseless: false                       # default for its patterns
//     patterns:                             # evidence: each hit is reported
//       - '福利(款|品)'                      # a Hyperscan regex (UTF-8)
//       - {literal: "免费送", name: gift}    # a byte-exact literal, named
//       - {words: words/gifts.txt}          # a word list: one literal a line
//     words: [a.txt, b.txt]                 # the same, as rule keys
//     words_caseless: true
//     exceptions:                           # a hit inside one of these is dropped
//       - {literal: "福利院"}
//     define:                               # condition-only patterns, by name
//       live: '直播间'
//     all_of: [live, "stock == 0"]          # conditions on the whole record:
//     any_of: [...]                         #   a pattern name, or a check
//     none_of: [...]
//     check: "text_price >= 3 * price"      # numeric fields (field_check.h)
//     must_match: ["福利款", {title: "福利款", stock: 0}]
//     must_not_match: ["福利院"]
//     extract: item_ref                     # hits are references (clause 3.4)
//
// Semantics:
//   * A word list file (path relative to the rule file) holds one term per
//     line; blank lines and lines starting with '#' are skipped; a term must
//     be valid UTF-8 without control or private-use characters (each bad line
//     is an error naming the list's file and line). In a normalized-view rule
//     each term is normalized at load exactly as field text is (so "ＶＸ"
//     in a list matches "vx"); a raw-view rule uses it as written; a
//     both-view rule uses both spellings. Terms are literals.
//   * Exceptions: a hit [hs, he) of the rule's patterns is cancelled when an
//     exception match [s, e) in the same field and the same view covers it:
//     s <= hs and he <= e. Exceptions never fire on their own.
//   * A rule with patterns reports each (non-cancelled) hit when its
//     conditions hold for the record and, if it has a `check:`, the check
//     holds (evaluated per hit: `text_price` is the number stated in that
//     hit, e.g. 999 in "原价¥999", or right after it). A rule without
//     patterns reports one field violation when its check and conditions
//     hold. A named pattern holds when it (or, for a `define:` name, any of
//     its patterns) hits anywhere in the rule's fields of the record.
//   * A rule with `extract: item_ref` (it needs patterns and no check) does
//     not report its hits by themselves: each hit is a reference to another
//     listing, and the id it names is the hit's trailing run of ASCII letters,
//     digits, '_' and '-' in the original text (Hyperscan has no capture
//     groups, so the pattern must end on the id: "商品ID[:：]?\s*[A-Za-z0-9_-]+").
//     A hit that ends in no such run is dropped. After the scan the sweep
//     joins every reference against the whole catalog and reports one
//     violation of the rule per reference to an item that is not in the
//     catalog, off shelf or without stock (scanner/aggregate/catalog_refs.h).
//     Its examples test the reference, not the join: a must_match string
//     must hold a hit that names an id.
//   * Examples are title strings, or small records ({title, detail_html,
//     price, original_price, stock, min_order_qty, shipping_fee}); a string
//     matches if the rule fires with it as the title or as the detail.
//
// The pack's hash is the SHA-256 of every file under the directory and every
// word list it reads from elsewhere (relative names and bytes, in name
// order), so the manifest pins exactly what rules ran.
//
// A loaded RulePack is a plain immutable value.

#ifndef CATSCAN_RULES_RULE_PACK_H_
#define CATSCAN_RULES_RULE_PACK_H_

#include <array>
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

// One text pattern: a regex, a literal, or one term of a word list.
struct RulePattern {
  std::string expression;  // the Hyperscan regex (a literal is escaped)
  bool caseless = false;
  int line = 0;
  std::string file;        // where it was written, if not the rule's file (a word list)
  std::string literal;     // the literal text, for literals and words (for lint)
  bool is_literal = false;
  std::string name;        // optional name, usable in conditions
};

// One entry of all_of / any_of / none_of: a named pattern of the rule, or a
// check on the record's numeric fields.
struct RuleCondition {
  std::string name;                // a pattern name (empty for a check)
  std::optional<FieldCheck> check;
  int line = 0;
};

// One must_match / must_not_match example: a title string or a small record.
struct RuleExample {
  std::string title;
  std::string detail_html;
  bool is_record = false;          // false: try the text as title, then as detail
  std::array<double, kNumNumberFields> number{};
  uint8_t number_present = 0;
  int line = 0;

  std::string Describe() const;    // "\"text\"" or "{title: ..., stock: 0}"
};

// What a rule's hits are (`extract:`): evidence by themselves, or
// references to other listings, judged after the scan against the catalog.
enum class RuleExtract : uint8_t { kNone = 0, kItemRef };

struct Rule {
  std::string id;
  std::string title;
  std::string category;
  std::string clause;
  Severity severity = Severity::kGeneral;
  uint32_t scope = kScopeAny;
  TextView view = TextView::kNormalized;
  std::vector<RulePattern> patterns;    // evidence
  std::vector<RulePattern> exceptions;  // cancel hits they cover
  std::vector<RulePattern> defined;     // condition-only patterns (`define:`), all named
  std::vector<RuleCondition> all_of, any_of, none_of;
  std::optional<FieldCheck> check;
  RuleExtract extract = RuleExtract::kNone;
  std::vector<RuleExample> must_match;
  std::vector<RuleExample> must_not_match;
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

// Plain pattern files (`--patterns`, like `rg -f`): see pattern_list.h.

}  // namespace catscan

#endif  // CATSCAN_RULES_RULE_PACK_H_
