#include "scanner/cli/pack_loader.h"

#include <iostream>
#include <set>
#include <vector>

#include "scanner/cli/commands.h"
#include "scanner/rules/pattern_list.h"

namespace catscan {

StatusOr<std::shared_ptr<const CompiledPack>> LoadCompiledPack(const PackRequest& req,
                                                               size_t* warnings) {
  std::vector<RuleDiagnostic> diags;
  size_t warned = 0;
  const auto print = [&diags, &warned, warnings] {
    for (const RuleDiagnostic& d : diags) {
      std::cerr << d.ToString() << "\n";
      warned += d.warning;
    }
    diags.clear();
    if (warnings != nullptr) *warnings = warned;
  };
  const bool is_list = !req.patterns.empty();
  StatusOr<RulePack> pack =
      is_list ? LoadPatternList(req.patterns, {req.literal, req.skip_bad_patterns}, &diags)
              : LoadRulePack(req.rules.empty() ? DefaultPackPath() : req.rules, &diags);
  print();
  if (!pack.ok()) return pack.status();
  const bool may_skip = is_list && req.skip_bad_patterns;
  RulePack copy;
  if (may_skip) copy = pack.value();  // Compile consumes the pack
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags, req.cache);
  if (compiled.ok() || !may_skip || compiled.status().code() != StatusCode::kRules) {
    print();
    return compiled;
  }
  // Leave out every rule (line) Hyperscan rejected, say so, compile the rest.
  // A pattern can pass the fast database and fail only with start-of-match
  // tracking, which is compiled second, so this may take a few rounds.
  size_t skipped = 0;
  for (int round = 0; round < 4; ++round) {
    std::set<std::string> bad;
    size_t whole_set_errors = 0;  // "does not compile as a whole": nothing to skip
    for (RuleDiagnostic& d : diags) {
      if (d.warning) continue;
      if (d.rule_id.empty()) {
        ++whole_set_errors;
        continue;
      }
      bad.insert(d.rule_id);
      d.warning = true;
      d.message += "; skipped";
    }
    print();
    if (bad.empty() || whole_set_errors > 0) return compiled.status();
    std::vector<Rule> kept;
    for (Rule& r : copy.rules) {
      if (bad.count(r.id) == 0) kept.push_back(std::move(r));
    }
    if (kept.empty()) return RulesError("pattern file " + req.patterns + ": no pattern compiles");
    skipped += bad.size();
    copy.rules = std::move(kept);
    RulePack attempt = copy;
    compiled = CompiledPack::Compile(std::move(attempt), &diags, req.cache);
    if (compiled.ok()) {
      print();
      std::cerr << "catscan: " << req.patterns << ": skipped " << skipped
                << " pattern(s) Hyperscan rejects; compiled the other " << copy.rules.size()
                << "\n";
      return compiled;
    }
  }
  print();
  return compiled.status();
}

std::unique_ptr<DatabaseCache> MakeCache(const std::string& dir, bool disabled) {
  if (disabled) return nullptr;
  const std::string d = dir.empty() ? DatabaseCache::DefaultDir() : dir;
  if (d.empty()) return nullptr;
  return std::make_unique<DatabaseCache>(d);
}

}  // namespace catscan
