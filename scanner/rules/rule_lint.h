// scanner/rules/rule_lint.h
//
// LintRulePack looks for patterns that load and compile but are probably
// wrong, as YARA-X's linter does, and appends one warning per finding, each
// naming the file and line of the pattern (a word list's own line for a
// term) and the rule id:
//   * slow: a leading `.*`/`.+`; an unbounded gap (`.*`, `.+`, `\s*`, `\s+`,
//     `[^...]*`, `[^...]+`) between literals; a pattern that is a single
//     character (one CJK character hits nearly every listing);
//   * never matches: in a rule that matches the normalized text, literal
//     text the normalizer would change (upper-case or full-width letters,
//     traditional characters, spaces between Han characters, zero-width
//     characters), unless the pattern is caseless and only the case differs;
//     an empty alternative (`(|a)`, `a||b`), which matches everywhere;
//   * duplicates: the same pattern twice in a rule or in two rules; the same
//     word in two word lists. (Duplicates inside one list are reported at
//     load.)
// Warnings never make a pack invalid; `catscan rules check --strict` fails on
// them. A pure function of the pack; safe from any thread.

#ifndef CATSCAN_RULES_RULE_LINT_H_
#define CATSCAN_RULES_RULE_LINT_H_

#include <vector>

#include "scanner/rules/rule_pack.h"

namespace catscan {

void LintRulePack(const RulePack& pack, std::vector<RuleDiagnostic>* warnings);

}  // namespace catscan

#endif  // CATSCAN_RULES_RULE_LINT_H_
