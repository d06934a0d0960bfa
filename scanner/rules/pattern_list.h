// scanner/rules/pattern_list.h
//
// A plain list of patterns, one per line, loaded as an ad-hoc rule pack: the
// `--patterns FILE` of `catscan scan` and the PACK arguments of
// `catscan bench-rules` that are not rule packs. Each line is one rule,
// "line-N" (N = the line number), category "pattern-file", severity general,
// matched against the raw text of title and detail_html, like `rg -f`.
//
//   regex mode (default): each line is a Hyperscan regex; empty lines and
//     lines starting with '#' are skipped.
//   literal mode: each line is matched byte for byte (a word list); only
//     empty lines are skipped ('#' may start a word).
//
// A line that is not valid UTF-8 is an error naming its line. By default
// every such error is reported and the load fails; with skip_bad_lines the
// errors become warnings and those lines are left out (for benchmarking real,
// messy lists). Patterns Hyperscan rejects are found later, when the pack is
// compiled (CompiledPack::Compile), and handled the same way by the caller.
// The result is a plain value; loading has no shared state.

#ifndef CATSCAN_RULES_PATTERN_LIST_H_
#define CATSCAN_RULES_PATTERN_LIST_H_

#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/rules/rule_pack.h"

namespace catscan {

struct PatternListOptions {
  bool literal = false;
  bool skip_bad_lines = false;
};

StatusOr<RulePack> LoadPatternList(const std::string& path, const PatternListOptions& options,
                                   std::vector<RuleDiagnostic>* diagnostics);

}  // namespace catscan

#endif  // CATSCAN_RULES_PATTERN_LIST_H_
