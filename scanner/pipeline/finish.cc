#include "scanner/pipeline/finish.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

#include "scanner/base/output_file.h"
#include "scanner/history/sweep_recorder.h"
#include "scanner/report/html_report.h"

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

// Clause 3.4: joins the references against the catalog and appends one
// violation per reference to an unavailable item, after the in-scan
// violations, in reference (= input) order. Counts them in the manifest and
// the merchant tally; a listing counts as violating once, whether it had
// in-scan violations or several findings.
Status AppendCatalogFindings(ScanOutcome* outcome) {
  const RulePack& pack = outcome->pack->pack();
  std::string lines;
  bool have_last = false;
  uint32_t last_input = 0;
  uint64_t last_line = 0;
  for (const CatalogRefs::Finding& f : outcome->catalog_refs.Join()) {
    const CatalogReference& r = *f.ref;
    const bool same_listing = have_last && r.input == last_input && r.line == last_line;
    const bool newly_violating = !r.referrer_violating && !same_listing;
    have_last = true;
    last_input = r.input;
    last_line = r.line;
    outcome->manifest.counts.AddLateViolation(r.rule, newly_violating);
    outcome->merchants.AddLateViolation(r.merchant_id, r.rule, newly_violating);
    AppendReferenceViolationLine(&lines, pack, r, f.reason);
    if (lines.size() > (1 << 20)) {
      if (Status s = outcome->violations->Append(lines); !s.ok()) return s;
      lines.clear();
    }
  }
  return outcome->violations->Append(lines);
}

// merchants.jsonl: every merchant with a violation, by id.
Status WriteMerchants(const ScanOutcome& outcome, OutputFile* out) {
  const RulePack& pack = outcome.pack->pack();
  std::string lines;
  for (const auto& [merchant, c] : outcome.merchants.Violators()) {
    AppendMerchantLine(&lines, pack, merchant, *c);
    if (lines.size() > (1 << 20)) {
      if (Status s = out->Append(lines); !s.ok()) return s;
      lines.clear();
    }
  }
  return out->Append(lines);
}

SweepRow SweepRowOf(const ManifestInfo& m) {
  SweepRow row;
  row.started_at = m.started_at;
  row.rule_pack = m.pack->id();
  row.policy_sha256 = m.policy_sha256;
  row.records_read = m.counts.records_read;
  row.records_scanned = m.counts.records_scanned;
  row.records_quarantined = m.counts.records_quarantined;
  row.records_violating = m.counts.records_violating;
  row.violations = m.counts.violations;
  row.merchants_scanned = m.merchants_scanned;
  row.merchants_violating = m.merchants_violating;
  return row;
}

}  // namespace

StatusOr<SweepResult> FinishSweep(ScanOutcome outcome, const FinishOptions& options) {
  const Clock::time_point t0 = Clock::now();
  const RulePack& pack = outcome.pack->pack();
  // The whole-catalog check first: its findings are violations that the
  // counts, merchants.jsonl and the verdicts below must all see.
  if (Status s = AppendCatalogFindings(&outcome); !s.ok()) return s;
  std::shared_ptr<const Policy> policy = options.policy;
  if (!policy) {
    std::vector<RuleDiagnostic> diags;
    StatusOr<std::shared_ptr<const Policy>> resolved = ResolvePolicy("", pack, &diags);
    if (!resolved.ok()) return resolved.status();
    policy = resolved.value();
  }
  ManifestInfo& m = outcome.manifest;
  m.merchants_scanned = outcome.merchants.merchant_count();
  m.merchants_violating = outcome.merchants.violator_count();
  m.policy_path = policy->path;
  m.policy_sha256 = policy->sha256;

  std::unique_ptr<OutputFile> merchants_out, takedowns_jsonl, takedowns_csv, actions_csv,
      report_out, manifest_out;
  for (auto [slot, name] : {std::pair{&merchants_out, "merchants.jsonl"},
                            {&takedowns_jsonl, "takedowns.jsonl"},
                            {&takedowns_csv, "takedowns.csv"},
                            {&actions_csv, "merchant_actions.csv"},
                            {&report_out, "report.html"},
                            {&manifest_out, "manifest.json"}}) {
    StatusOr<std::unique_ptr<OutputFile>> f = CreateOutput(outcome.out_dir, name);
    if (!f.ok()) return f.status();
    *slot = std::move(f.value());
  }

  // History first: its write lock is held from before the repeat-offence
  // read until the outputs are published (see finish.h).
  std::unique_ptr<SweepRecorder> recorder;
  if (!options.history_path.empty()) {
    SweepRow row = SweepRowOf(m);
    std::error_code ec;
    row.out_dir = fs::absolute(outcome.out_dir, ec).string();
    StatusOr<std::unique_ptr<SweepRecorder>> r = SweepRecorder::Start(
        options.history_path, options.history_wait_ms, policy->repeat_window, row);
    if (!r.ok()) return r.status();
    recorder = std::move(r.value());
  }

  // Verdicts read the violations back, so they need the file finished first.
  if (Status s = outcome.violations->Finish(); !s.ok()) return s;
  const RepeatHistory no_history;
  ListingSink record_listing;
  if (recorder) {
    record_listing = [&recorder](const FlaggedListing& l, Action a) {
      return recorder->OnListing(l, a);
    };
  }
  StatusOr<VerdictTotals> verdicts = WriteVerdicts(
      outcome.violations->temp_path(), *policy, outcome.merchants,
      recorder ? recorder->repeat() : no_history,
      {takedowns_jsonl.get(), takedowns_csv.get(), actions_csv.get()}, record_listing,
      options.threads);
  if (!verdicts.ok()) return verdicts.status();
  std::optional<HistoryView> history;
  if (recorder) {
    if (Status s = recorder->AddMerchants(verdicts->merchants); !s.ok()) return s;
    StatusOr<HistoryView> view = recorder->View(verdicts->listings);
    if (!view.ok()) return view.status();
    history = std::move(view.value());
  }

  // The report embeds takedowns.jsonl, so it is finished first.
  if (Status s = takedowns_jsonl->Finish(); !s.ok()) return s;
  ReportInput report;
  report.manifest = &m;
  report.policy = policy.get();
  report.verdicts = &verdicts.value();
  report.takedowns_path = takedowns_jsonl->temp_path();
  report.history = history ? &*history : nullptr;
  report.max_listings = options.report_max_listings;
  report.generated_at = IsoTimeUtc(EpochNow());
  // The report is the longest step left and one thread's work: with two
  // threads or more, the other files are written and synced beside it. A
  // plain thread, not a TBB task: ThreadSanitizer sees its hand-offs.
  Status report_status, files_status;
  auto write_report = [&] {
    report_status = WriteHtmlReport(report, report_out.get());
    if (report_status.ok()) report_status = report_out->Finish();
  };
  std::thread beside;
  if (options.threads != 1) {
    try {
      beside = std::thread(write_report);
    } catch (const std::system_error&) {
      // No thread to be had: write it in turn below.
    }
  }
  files_status = WriteMerchants(outcome, merchants_out.get());
  for (OutputFile* f :
       {outcome.quarantine.get(), merchants_out.get(), takedowns_csv.get(), actions_csv.get()}) {
    if (files_status.ok()) files_status = f->Finish();
  }
  if (beside.joinable()) {
    beside.join();
  } else {
    write_report();
  }
  for (const Status& s : {report_status, files_status}) {
    if (!s.ok()) return s;
  }

  // The data files, in the order the manifest lists them.
  const std::vector<OutputFile*> data = {
      outcome.violations.get(), outcome.quarantine.get(), merchants_out.get(),
      takedowns_jsonl.get(),    takedowns_csv.get(),      actions_csv.get(),
      report_out.get()};
  for (OutputFile* f : data) {
    m.outputs.push_back({fs::path(f->path()).filename().string(), f->bytes_written(), f->sha256()});
  }
  const double finish_s = std::chrono::duration<double>(Clock::now() - t0).count();
  m.seconds.write += finish_s;
  m.seconds.wall += finish_s;
  m.finished_at = IsoTimeUtc(EpochNow());
  const std::string manifest_json = ManifestJson(m);
  if (Status s = manifest_out->Append(manifest_json); !s.ok()) return s;
  if (Status s = manifest_out->Finish(); !s.ok()) return s;
  if (recorder) {
    if (Status s = recorder->Finish(m.finished_at, verdicts->listings, manifest_json); !s.ok()) {
      return s;
    }
  }
  // The manifest goes last: its presence says the set is complete.
  std::vector<OutputFile*> all(data.begin(), data.end());
  all.push_back(manifest_out.get());
  if (Status s = PublishAll(all); !s.ok()) return s;  // the recorder rolls back
  if (recorder) {
    if (Status s = recorder->Commit(); !s.ok()) {
      return Status(s.code(), s.message() + " (the outputs in " + outcome.out_dir +
                                  " are published; this sweep is not in the history)");
    }
  }

  SweepResult result;
  for (OutputFile* f : all) result.outputs.push_back(f->path());
  result.pack = outcome.pack;
  result.manifest = std::move(m);
  result.merchants = std::move(outcome.merchants);
  result.verdicts = std::move(verdicts.value());
  result.history_sweep_id = recorder ? recorder->sweep_id() : 0;
  return result;
}

}  // namespace catscan
