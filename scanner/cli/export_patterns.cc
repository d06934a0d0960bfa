#include "scanner/cli/export_patterns.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iostream>

#include "scanner/cli/commands.h"
#include "scanner/rules/rule_pack.h"

namespace catscan {

std::optional<std::string> LiteralOfPattern(std::string_view e) {
  std::string out;
  for (size_t i = 0; i < e.size(); ++i) {
    const char c = e[i];
    if (c == '\\') {
      if (i + 3 < e.size() && e[i + 1] == 'x' &&
          std::isxdigit(static_cast<unsigned char>(e[i + 2])) &&
          std::isxdigit(static_cast<unsigned char>(e[i + 3]))) {
        out.push_back(static_cast<char>(std::stoi(std::string(e.substr(i + 2, 2)), nullptr, 16)));
        i += 3;
        continue;
      }
      return std::nullopt;  // \b, \d, \s, ...: not a literal
    }
    if (c != '\0' && std::strchr(".^$*+?()[]{}|", c) != nullptr) return std::nullopt;
    out.push_back(c);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

int RunRulesExportPatterns(const std::string& pack_path, bool literals_only) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(pack_path.empty() ? DefaultPackPath() : pack_path, &diags);
  for (const RuleDiagnostic& d : diags) std::cerr << d.ToString() << "\n";
  if (!pack.ok()) {
    std::cerr << "catscan: " << pack.status().message() << "\n";
    return ExitCodeFor(pack.status().code());
  }
  size_t written = 0, skipped = 0;
  for (const Rule& rule : pack->rules) {
    for (const RulePattern& p : rule.patterns) {
      if (!literals_only) {
        std::cout << (p.caseless ? "(?i)" : "") << p.expression << "\n";
        ++written;
        continue;
      }
      const std::optional<std::string> lit = LiteralOfPattern(p.expression);
      // A caseless literal is still one for grep -F if it has no ASCII letter.
      const bool has_letter =
          lit && std::any_of(lit->begin(), lit->end(), [](char c) {
            return std::isalpha(static_cast<unsigned char>(c)) != 0;
          });
      if (!lit || (p.caseless && has_letter) || lit->find('\n') != std::string::npos) {
        ++skipped;
        continue;
      }
      std::cout << *lit << "\n";
      ++written;
    }
  }
  std::cerr << "catscan: exported " << written << " pattern(s)";
  if (literals_only) std::cerr << "; skipped " << skipped << " that are not plain literals";
  std::cerr << "\n";
  return 0;
}

}  // namespace catscan
