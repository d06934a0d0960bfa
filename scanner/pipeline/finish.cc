#include "scanner/pipeline/finish.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <vector>

#include "scanner/base/output_file.h"

namespace catscan {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double EpochNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

StatusOr<std::unique_ptr<OutputFile>> CreateOutput(const std::string& dir, const char* name) {
  return OutputFile::Create((fs::path(dir) / name).string());
}

}  // namespace

StatusOr<SweepResult> FinishSweep(ScanOutcome outcome, const FinishOptions& options) {
  const Clock::time_point t0 = Clock::now();
  const RulePack& pack = outcome.pack->pack();
  std::shared_ptr<const Policy> policy = options.policy;
  if (!policy) {
    std::vector<RuleDiagnostic> diags;
    StatusOr<std::shared_ptr<const Policy>> resolved = ResolvePolicy("", pack, &diags);
    if (!resolved.ok()) return resolved.status();
    policy = resolved.value();
  }
  std::unique_ptr<OutputFile> merchants_out, takedowns_jsonl, takedowns_csv, actions_csv,
      manifest_out;
  for (auto [slot, name] : {std::pair{&merchants_out, "merchants.jsonl"},
                            {&takedowns_jsonl, "takedowns.jsonl"},
                            {&takedowns_csv, "takedowns.csv"},
                            {&actions_csv, "merchant_actions.csv"},
                            {&manifest_out, "manifest.json"}}) {
    StatusOr<std::unique_ptr<OutputFile>> f = CreateOutput(outcome.out_dir, name);
    if (!f.ok()) return f.status();
    *slot = std::move(f.value());
  }

  std::string lines;
  for (const auto& [merchant, c] : outcome.merchants.Violators()) {
    AppendMerchantLine(&lines, pack, merchant, *c);
    if (lines.size() > (1 << 20)) {
      if (Status s = merchants_out->Append(lines); !s.ok()) return s;
      lines.clear();
    }
  }
  if (Status s = merchants_out->Append(lines); !s.ok()) return s;

  // Verdicts read the violations back, so they need the file finished first.
  if (Status s = outcome.violations->Finish(); !s.ok()) return s;
  RepeatHistory repeat;
  StatusOr<VerdictTotals> verdicts =
      WriteVerdicts(outcome.violations->temp_path(), *policy, outcome.merchants, repeat,
                    {takedowns_jsonl.get(), takedowns_csv.get(), actions_csv.get()});
  if (!verdicts.ok()) return verdicts.status();

  // The data files, in the order the manifest lists them.
  const std::vector<OutputFile*> data = {
      outcome.violations.get(), outcome.quarantine.get(), merchants_out.get(),
      takedowns_jsonl.get(),    takedowns_csv.get(),      actions_csv.get()};
  for (OutputFile* f : data) {
    if (f == outcome.violations.get()) continue;  // finished above
    if (Status s = f->Finish(); !s.ok()) return s;
  }
  ManifestInfo& m = outcome.manifest;
  m.merchants_scanned = outcome.merchants.merchant_count();
  m.merchants_violating = outcome.merchants.violator_count();
  m.policy_path = policy->path;
  m.policy_sha256 = policy->sha256;
  for (OutputFile* f : data) {
    m.outputs.push_back({fs::path(f->path()).filename().string(), f->bytes_written(), f->sha256()});
  }
  const double finish_s = std::chrono::duration<double>(Clock::now() - t0).count();
  m.seconds.write += finish_s;
  m.seconds.wall += finish_s;
  m.finished_at = IsoTimeUtc(EpochNow());
  if (Status s = manifest_out->Append(ManifestJson(m)); !s.ok()) return s;
  if (Status s = manifest_out->Finish(); !s.ok()) return s;
  // The manifest goes last: its presence says the set is complete.
  std::vector<OutputFile*> all = data;
  all.push_back(manifest_out.get());
  if (Status s = PublishAll(all); !s.ok()) return s;

  SweepResult result;
  for (OutputFile* f : all) result.outputs.push_back(f->path());
  result.pack = outcome.pack;
  result.manifest = std::move(m);
  result.merchants = std::move(outcome.merchants);
  result.verdicts = std::move(verdicts.value());
  return result;
}

}  // namespace catscan
