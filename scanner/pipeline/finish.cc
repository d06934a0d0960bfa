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

StatusOr<SweepResult> FinishSweep(ScanOutcome outcome) {
  const Clock::time_point t0 = Clock::now();
  const RulePack& pack = outcome.pack->pack();
  StatusOr<std::unique_ptr<OutputFile>> merchants_out =
      CreateOutput(outcome.out_dir, "merchants.jsonl");
  if (!merchants_out.ok()) return merchants_out.status();
  StatusOr<std::unique_ptr<OutputFile>> manifest_out =
      CreateOutput(outcome.out_dir, "manifest.json");
  if (!manifest_out.ok()) return manifest_out.status();

  std::string lines;
  for (const auto& [merchant, c] : outcome.merchants.Violators()) {
    AppendMerchantLine(&lines, pack, merchant, *c);
    if (lines.size() > (1 << 20)) {
      if (Status s = merchants_out.value()->Append(lines); !s.ok()) return s;
      lines.clear();
    }
  }
  if (Status s = merchants_out.value()->Append(lines); !s.ok()) return s;

  // The data files, in the order the manifest lists them.
  const std::vector<OutputFile*> data = {outcome.violations.get(), outcome.quarantine.get(),
                                         merchants_out.value().get()};
  for (OutputFile* f : data) {
    if (Status s = f->Finish(); !s.ok()) return s;
  }
  ManifestInfo& m = outcome.manifest;
  m.merchants_scanned = outcome.merchants.merchant_count();
  m.merchants_violating = outcome.merchants.violator_count();
  for (OutputFile* f : data) {
    m.outputs.push_back({fs::path(f->path()).filename().string(), f->bytes_written(), f->sha256()});
  }
  const double finish_s = std::chrono::duration<double>(Clock::now() - t0).count();
  m.seconds.write += finish_s;
  m.seconds.wall += finish_s;
  m.finished_at = IsoTimeUtc(EpochNow());
  if (Status s = manifest_out.value()->Append(ManifestJson(m)); !s.ok()) return s;
  if (Status s = manifest_out.value()->Finish(); !s.ok()) return s;
  // The manifest goes last: its presence says the set is complete.
  const std::vector<OutputFile*> all = {outcome.violations.get(), outcome.quarantine.get(),
                                        merchants_out.value().get(), manifest_out.value().get()};
  if (Status s = PublishAll(all); !s.ok()) return s;

  SweepResult result;
  for (OutputFile* f : all) result.outputs.push_back(f->path());
  result.pack = outcome.pack;
  result.manifest = std::move(m);
  result.merchants = std::move(outcome.merchants);
  return result;
}

}  // namespace catscan
