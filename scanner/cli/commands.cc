#include "scanner/cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "scanner/cli/pack_loader.h"
#include "scanner/merge/merge.h"
#include "scanner/merge/partial.h"
#include "scanner/pipeline/finish.h"
#include "scanner/pipeline/sweep.h"
#include "scanner/shard/shard_plan.h"
#include "scanner/report/summary.h"
#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_lint.h"
#include "scanner/source/inputs.h"
#include "scanner/verdict/policy.h"

namespace catscan {
namespace fs = std::filesystem;

namespace {

int Fail(const Status& s) {
  std::cerr << "catscan: " << s.message() << "\n";
  return ExitCodeFor(s.code());
}

// Loads and compiles a pack, printing every diagnostic to stderr; counts the
// warnings into "warnings" if given.
StatusOr<std::shared_ptr<const CompiledPack>> LoadPack(const std::string& flag,
                                                       size_t* warnings = nullptr) {
  PackRequest request;
  request.rules = flag;
  return LoadCompiledPack(request, warnings);
}

std::string Pad(std::string s, size_t width) {
  // Width in display columns is not bytes for CJK; ids are ASCII, so pad bytes.
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// Adds the note every failed run ends with.
Status NothingWritten(Status s, const std::string& out_dir) {
  if (s.code() == StatusCode::kCancelled) return s;
  return Status(s.code(), s.message() + " (no outputs written; previous outputs in " + out_dir +
                              " are unchanged)");
}

// The policy (checked now, printing its diagnostics) and the history settings.
StatusOr<FinishOptions> ResolveFinishOptions(const FinishFlags& flags, const RulePack& pack) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<std::shared_ptr<const Policy>> policy = ResolvePolicy(flags.policy, pack, &diags);
  for (const RuleDiagnostic& d : diags) std::cerr << d.ToString() << "\n";
  if (!policy.ok()) return policy.status();
  FinishOptions finish;
  finish.policy = policy.value();
  finish.history_path = flags.history;
  finish.history_wait_ms = static_cast<int>(flags.history_wait * 1000);
  finish.report_max_listings = flags.report_max_listings;
  return finish;
}

// The summary a person reads after a sweep or a merge, verdicts before the
// output list.
void PrintSweepSummary(const SweepResult& result, const std::string& history) {
  std::string summary = FormatSummary(result.manifest, result.merchants, result.outputs);
  std::string verdicts = "  verdicts: " + std::to_string(result.verdicts.listings) +
                         " listing(s) to act on (takedowns.csv); merchants:";
  bool any = false;
  for (int a = static_cast<int>(Action::kTakedownListings); a < kNumActions; ++a) {
    const uint64_t n = result.verdicts.merchants_by_action[a];
    if (n == 0) continue;
    verdicts += std::string(any ? "," : "") + " " + std::to_string(n) + " " +
                ActionId(static_cast<Action>(a));
    any = true;
  }
  if (!any) verdicts += " none";
  verdicts += "\n";
  if (result.history_sweep_id > 0) {
    verdicts += "  history: sweep #" + std::to_string(result.history_sweep_id) + " recorded in " +
                history + "\n";
  }
  const size_t at = summary.find("outputs:\n");
  summary.insert(at == std::string::npos ? summary.size() : at, verdicts);
  std::cout << summary;
}

// Plans the split, scans shard "spec" of it and writes its partial result.
int RunShardScan(const ScanFlags& flags, const ShardSpec& spec, SweepOptions opt) {
  ShardRun run;
  run.shard = spec;
  std::vector<uint64_t> sizes;
  for (const InputFile& in : opt.inputs) {
    StatusOr<uint64_t> size = MeasureDecompressedBytes(in);
    if (!size.ok()) return Fail(size.status());
    sizes.push_back(size.value());
    run.plan.push_back({in.path, in.size, size.value()});
  }
  run.pieces = PlanShards(sizes, spec.count)[static_cast<size_t>(spec.index - 1)];
  opt.pieces = run.pieces;
  run.pack_source.pattern_file = !flags.patterns.empty();
  run.pack_source.path = opt.pack->pack().path;
  std::error_code ec;
  run.pack_source.load_path = fs::absolute(run.pack_source.path, ec).lexically_normal().string();
  StatusOr<ScanOutcome> scanned = ScanCatalog(opt);
  if (!scanned.ok()) return Fail(NothingWritten(scanned.status(), flags.out_dir));
  const SweepCounts counts = scanned->manifest.counts;
  const double wall = scanned->manifest.seconds.wall;
  StatusOr<std::vector<std::string>> written = WritePartial(std::move(scanned.value()), run);
  if (!written.ok()) return Fail(NothingWritten(written.status(), flags.out_dir));
  if (!flags.quiet) {
    std::cout << "shard " << spec.ToString() << ": " << run.pieces.size() << " input piece(s), "
              << counts.records_read << " records read, " << counts.records_quarantined
              << " quarantined, " << counts.violations << " violations in " << wall
              << " s\npartial result in " << flags.out_dir << " (merge with: catscan merge --out DIR "
              << "PARTIAL_DIR...)\n";
  }
  return 0;
}

}  // namespace

std::string DefaultPackPath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share/catscan/patterns/default";
    if (fs::is_directory(installed, ec)) return installed.string();
  }
  return CATSCAN_SOURCE_PACK_DIR;
}

int RunScan(const ScanFlags& flags, const std::atomic<bool>* cancel) {
  StatusOr<std::vector<InputFile>> inputs = ResolveInputs(flags.inputs);
  if (!inputs.ok()) return Fail(inputs.status());
  if (!flags.rules.empty() && !flags.patterns.empty()) {
    return Fail(UsageError("give --rules or --patterns, not both"));
  }
  if (flags.literal && flags.patterns.empty()) {
    return Fail(UsageError("--literal applies to a --patterns file"));
  }
  const std::unique_ptr<DatabaseCache> cache = MakeCache(flags.cache_dir, flags.no_cache);
  PackRequest request;
  request.rules = flags.rules;
  request.patterns = flags.patterns;
  request.literal = flags.literal;
  request.skip_bad_patterns = flags.skip_bad_patterns;
  request.cache = cache.get();
  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadCompiledPack(request);
  if (!pack.ok()) return Fail(pack.status());
  if (const std::string& e = pack.value()->patterns().build_info().cache_error;
      !e.empty() && !flags.quiet) {
    std::cerr << "catscan: note: compiled patterns not cached (" << e << ")\n";
  }
  SweepOptions opt;
  // The policy is checked before the scan, so a bad ladder costs no sweep.
  StatusOr<FinishOptions> finish = ResolveFinishOptions(flags.finish, pack.value()->pack());
  if (!finish.ok()) return Fail(finish.status());
  opt.finish = finish.value();
  opt.inputs = inputs.value();
  opt.pack = pack.value();
  opt.out_dir = flags.out_dir;
  opt.threads = flags.threads;
  opt.max_record_bytes = flags.max_record_bytes;
  opt.progress = !flags.quiet;
  opt.normalize = !flags.no_normalize;
  opt.cancel = cancel;
  if (!flags.shard.empty()) {
    StatusOr<ShardSpec> spec = ParseShardSpec(flags.shard);
    if (!spec.ok()) return Fail(spec.status());
    return RunShardScan(flags, spec.value(), std::move(opt));
  }
  StatusOr<SweepResult> result = RunSweep(opt);
  if (!result.ok()) return Fail(NothingWritten(result.status(), flags.out_dir));
  if (!flags.quiet) PrintSweepSummary(result.value(), flags.finish.history);
  return 0;
}

int RunMerge(const MergeFlags& flags) {
  MergeOptions opt;
  opt.partial_dirs = flags.partials;
  opt.out_dir = flags.out_dir;
  opt.rules = flags.rules;
  StatusOr<ScanOutcome> merged = MergePartials(opt);
  if (!merged.ok()) return Fail(NothingWritten(merged.status(), flags.out_dir));
  StatusOr<FinishOptions> finish = ResolveFinishOptions(flags.finish, merged->pack->pack());
  if (!finish.ok()) return Fail(finish.status());
  StatusOr<SweepResult> result = FinishSweep(std::move(merged.value()), finish.value());
  if (!result.ok()) return Fail(NothingWritten(result.status(), flags.out_dir));
  if (!flags.quiet) PrintSweepSummary(result.value(), flags.finish.history);
  return 0;
}

int RunRulesCheck(const std::string& pack_path, bool strict) {
  size_t warnings = 0;
  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadPack(pack_path, &warnings);
  if (!pack.ok()) return Fail(pack.status());
  const RulePack& p = pack.value()->pack();
  // The pack's penalty ladder is checked with it.
  std::vector<RuleDiagnostic> policy_diags;
  StatusOr<std::shared_ptr<const Policy>> policy = ResolvePolicy("", p, &policy_diags);
  for (const RuleDiagnostic& d : policy_diags) std::cerr << d.ToString() << "\n";
  if (!policy.ok()) return Fail(policy.status());
  std::vector<RuleDiagnostic> lint;
  LintRulePack(p, &lint);
  for (const RuleDiagnostic& d : lint) std::cerr << d.ToString() << "\n";
  warnings += lint.size();
  std::cout << "rule pack " << p.id() << " (" << p.path << "): " << p.rules.size() << " rules, "
            << pack.value()->pattern_count() << " patterns, sha256:" << p.hash << ": "
            << (warnings == 0 ? std::string("OK")
                              : std::to_string(warnings) + " warning(s)" +
                                    (strict ? ", refused (--strict)" : ""))
            << "\n";
  std::cout << "policy " << (policy.value()->path.empty() ? "built-in" : policy.value()->path)
            << ": " << policy.value()->merchant_steps.size() << " merchant steps, repeat window "
            << policy.value()->repeat_window << ": OK\n";
  if (strict && warnings > 0) {
    return ExitCodeFor(StatusCode::kRules);
  }
  return 0;
}

int RunRulesTest(const std::string& pack_path) {
  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadPack(pack_path);
  if (!pack.ok()) return Fail(pack.status());
  StatusOr<std::unique_ptr<Evaluator>> eval = Evaluator::Create(pack.value());
  if (!eval.ok()) return Fail(eval.status());
  const RulePack& p = pack.value()->pack();
  size_t passed = 0, failed = 0;
  std::cout << Pad("rule", 40) << " examples  passed  failed\n";
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    const Rule& rule = p.rules[r];
    size_t ok = 0, bad = 0;
    std::vector<std::string> failures;
    for (int want = 1; want >= 0; --want) {
      for (const RuleExample& example : want ? rule.must_match : rule.must_not_match) {
        StatusOr<bool> hit = eval.value()->RuleMatchesExample(r, example);
        if (!hit.ok()) return Fail(hit.status());
        if (hit.value() == static_cast<bool>(want)) {
          ++ok;
        } else {
          ++bad;
          failures.push_back(std::to_string(example.line) + ": " +
                             (want ? "must_match " : "must_not_match ") + example.Describe() + " " +
                             (want ? "did not match" : "matched"));
        }
      }
    }
    passed += ok;
    failed += bad;
    std::cout << Pad(rule.id, 40) << " " << Pad(std::to_string(ok + bad), 9) << " "
              << Pad(std::to_string(ok), 7) << " " << bad << "\n";
    for (const std::string& f : failures) {
      std::cout << "  FAIL " << rule.file << ":" << f << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}

int RunRulesList(const std::string& pack_path) {
  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadPack(pack_path);
  if (!pack.ok()) return Fail(pack.status());
  const RulePack& p = pack.value()->pack();
  std::cout << "# " << p.id() << " sha256:" << p.hash << "\n";
  std::cout << Pad("id", 40) << " " << Pad("category", 24) << " " << Pad("clause", 16) << " "
            << Pad("severity", 9) << " patterns check\n";
  for (const Rule& r : p.rules) {
    std::cout << Pad(r.id, 40) << " " << Pad(r.category, 24) << " " << Pad(r.clause, 16) << " "
              << Pad(SeverityName(r.severity), 9) << " " << Pad(std::to_string(r.patterns.size()), 8)
              << " " << (r.check ? r.check->source() : "-") << "\n";
  }
  return 0;
}

}  // namespace catscan
