// scanner/cli/export_patterns.h
//
// `catscan rules export-patterns [--literals] [PACK]`: writes a pack's text
// patterns as a plain pattern file, one per line, so other tools (rg -f,
// grep -F -f) and `catscan scan --patterns` can run exactly the same set.
// A caseless pattern gets an inline "(?i)" (Hyperscan and ripgrep both read
// it). With --literals only the patterns that are plain literals are written,
// unescaped (for grep -F; a caseless one only if it has no ASCII letter); the count of skipped regexes goes to stderr.

#ifndef CATSCAN_CLI_EXPORT_PATTERNS_H_
#define CATSCAN_CLI_EXPORT_PATTERNS_H_

#include <optional>
#include <string>
#include <string_view>

namespace catscan {

// The bytes "expression" matches if it is a plain literal (only ordinary
// characters and \xHH escapes, as EscapeLiteral writes them); else nullopt.
std::optional<std::string> LiteralOfPattern(std::string_view expression);

int RunRulesExportPatterns(const std::string& pack_path, bool literals_only);

}  // namespace catscan

#endif  // CATSCAN_CLI_EXPORT_PATTERNS_H_
