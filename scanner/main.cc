// catscan: sweeps a marketplace catalog for listings and merchants that break
// the selling rules. This file only turns flags into calls (see cli/).

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <iostream>

#include "scanner/cli/bench_rules.h"
#include "scanner/cli/commands.h"
#include "scanner/cli/export_patterns.h"

namespace {

// Set by SIGINT/SIGTERM; the pipeline's reader polls it and stops cleanly.
std::atomic<bool> g_cancel{false};

void OnSignal(int) { g_cancel.store(true); }

constexpr const char* kExitCodes =
    "Exit status: 0 success; 1 internal error; 2 usage error; 3 an input cannot be read "
    "(missing file, corrupt or truncated zstd); 4 the rule pack is invalid; 5 an output cannot "
    "be written (permissions, disk full); 130 interrupted. Unreadable records do not fail the "
    "sweep: they go to quarantine.jsonl.";

// The flags that decide and record verdicts: `scan` and `merge` take the same.
void AddFinishOptions(CLI::App* cmd, catscan::FinishFlags* f) {
  cmd->add_option("--policy", f->policy, "Penalty ladder (YAML; default: the pack's policy.yaml)");
  cmd->add_option("--history", f->history,
                  "SQLite database of past sweeps: this sweep is recorded in it, and "
                  "repeat offences count earlier sweeps");
  cmd->add_option("--history-wait", f->history_wait,
                  "Seconds to wait while another sweep writes the history")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--report-max-listings", f->report_max_listings,
                  "Flagged listings embedded in report.html (the rest: takedowns.csv)")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  // With a file-size limit, a write must fail with EFBIG, not kill us.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);

  CLI::App app{"catscan: sweep a marketplace catalog for listings and merchants that break the "
               "selling rules"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", std::string("catscan ") + CATSCAN_VERSION);
  app.require_subcommand(1);

  catscan::ScanFlags scan;
  CLI::App* scan_cmd = app.add_subcommand("scan", "Sweep catalog files (JSONL, optionally zstd)");
  scan_cmd->add_option("--rules", scan.rules, "Rule pack directory (default: the bundled pack)");
  scan_cmd->add_option("--patterns", scan.patterns,
                       "Plain pattern file instead of a pack: one Hyperscan regex per line, "
                       "matched on the raw text (like rg -f)");
  AddFinishOptions(scan_cmd, &scan.finish);
  scan_cmd->add_option("--threads", scan.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  scan_cmd->add_option("--out", scan.out_dir, "Output directory")->capture_default_str();
  scan_cmd->add_flag("--quiet", scan.quiet, "No progress on stderr and no summary on stdout");
  scan_cmd->add_flag("--no-normalize", scan.no_normalize,
                     "Match every rule against the raw text only (benchmarks, diagnosis)");
  scan_cmd->add_option("--max-record-bytes", scan.max_record_bytes,
                       "Longest record read; longer ones are quarantined")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 31));
  scan_cmd->add_option("--shard", scan.shard,
                       "I/N: scan only shard I of N (1-based) and write a partial result for "
                       "`catscan merge`; every shard must get the same inputs and options");
  scan_cmd->add_flag("--literal", scan.literal,
                     "The --patterns file is a word list: each line matched byte for byte");
  scan_cmd->add_flag("--skip-bad-patterns", scan.skip_bad_patterns,
                     "Report and leave out --patterns lines that are not UTF-8 or do not "
                     "compile, instead of refusing the file");
  scan_cmd->add_option("--cache-dir", scan.cache_dir,
                       "Where compiled pattern databases are cached (default "
                       "$XDG_CACHE_HOME/catscan or ~/.cache/catscan)");
  scan_cmd->add_flag("--no-cache", scan.no_cache, "Always compile the patterns; no cache");
  scan_cmd->add_option("INPUT", scan.inputs,
                       "Catalog files, directories of them, or - for stdin")
      ->required();
  scan_cmd->footer(kExitCodes);

  catscan::MergeFlags merge;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Merge the partial results of every shard (scan --shard I/N) into one sweep's outputs");
  merge_cmd->add_option("--out", merge.out_dir, "Output directory")->capture_default_str();
  merge_cmd->add_option("--rules", merge.rules,
                        "Load the shards' rule pack from here (default: where they loaded it; "
                        "its hash must match)");
  AddFinishOptions(merge_cmd, &merge.finish);
  merge_cmd->add_flag("--quiet", merge.quiet, "No summary on stdout");
  merge_cmd->add_option("PARTIAL_DIR", merge.partials, "The --out directory of every shard")
      ->required();
  merge_cmd->footer(kExitCodes);

  CLI::App* rules_cmd = app.add_subcommand("rules", "Check, test and list a rule pack");
  rules_cmd->require_subcommand(1);
  std::string pack;
  CLI::App* check_cmd = rules_cmd->add_subcommand("check", "Validate and compile a pack; list every error");
  CLI::App* test_cmd = rules_cmd->add_subcommand("test", "Run every rule's must_match/must_not_match examples");
  CLI::App* list_cmd = rules_cmd->add_subcommand("list", "List the rules of a pack");
  CLI::App* export_cmd = rules_cmd->add_subcommand(
      "export-patterns", "Print the pack's text patterns as a plain pattern file (for rg -f, --patterns)");
  bool literals_only = false;
  export_cmd->add_flag("--literals", literals_only,
                       "Only the plain literals, unescaped (for grep -F -f)");
  for (CLI::App* c : {check_cmd, test_cmd, list_cmd, export_cmd}) {
    c->add_option("PACK", pack, "Rule pack directory or file (default: the bundled pack)");
  }
  bool strict = false;
  check_cmd->add_flag("--strict", strict, "Fail on warnings (slow, dead or duplicate patterns) too");

  catscan::BenchRulesFlags bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench-rules", "What a rule pack costs and finds on a sample; given two packs, what differs");
  bench_cmd->add_option("--input", bench.input, "Sample catalog (default: data/sample.jsonl.zst)");
  bench_cmd->add_option("--json", bench.json_out, "Also write the figures as JSON to this file");
  bench_cmd->add_flag("--literal", bench.literal, "Pattern lists are word lists (byte for byte)");
  bench_cmd->add_flag("--skip-bad-patterns", bench.skip_bad_patterns,
                      "Report and leave out pattern-list lines that do not compile");
  bench_cmd->add_flag("--no-normalize", bench.no_normalize, "Match the raw text only");
  bench_cmd->add_option("--top", bench.top, "Rules listed per table")->capture_default_str();
  bench_cmd->add_option("--max-profile", bench.max_profile,
                        "Time each rule alone only for packs with at most this many rules")
      ->capture_default_str();
  bench_cmd->add_option("PACK", bench.packs,
                        "One or two rule packs (directory or .yaml) or pattern lists")
      ->required()
      ->expected(1, 2);
  bench_cmd->footer(kExitCodes);
  CLI::App* history_cmd =
      app.add_subcommand("history", "Past sweeps recorded with scan --history (SQLite)");
  history_cmd->require_subcommand(1);
  catscan::HistoryFlags hist;
  CLI::App* sweeps_cmd =
      history_cmd->add_subcommand("sweeps", "List the recorded sweeps, newest first");
  CLI::App* diff_cmd = history_cmd->add_subcommand(
      "diff", "Listings new, resolved and persisting between two sweeps (default: the last two)");
  CLI::App* merchant_cmd =
      history_cmd->add_subcommand("merchant", "One merchant's record over the sweeps");
  diff_cmd->add_option("A", hist.a, "Earlier sweep id");
  diff_cmd->add_option("B", hist.b, "Later sweep id (default: the newest)");
  merchant_cmd->add_option("ID", hist.merchant, "Merchant id")->required();
  for (CLI::App* c : {sweeps_cmd, diff_cmd, merchant_cmd}) {
    c->add_option("--history", hist.history, "The history database")->required();
    c->add_flag("--json", hist.json, "JSON on stdout instead of a table");
  }
  sweeps_cmd->add_option("--limit", hist.limit, "Newest N sweeps (default all)");
  diff_cmd->add_option("--limit", hist.limit, "Listings shown per list (0: all)")
      ->default_val(50);

  catscan::EvalFlags eval;
  CLI::App* eval_cmd = app.add_subcommand(
      "eval", "Precision and recall of a rule pack per category on a labeled set");
  eval_cmd->add_option("--labels", eval.labels,
                       "Labeled catalog (JSONL with a \"labels\" list per record), or a "
                       "directory of them (repeat --labels for more)")
      ->required()
      ->allow_extra_args(false);  // one value per --labels: a following PACK stays the pack
  eval_cmd->add_option("--json", eval.json_out, "Also write the results as JSON to FILE");
  eval_cmd->add_option("--min-precision", eval.min_precision,
                       "Exit 1 when a category's precision is below this")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_option("--min-recall", eval.min_recall,
                       "Exit 1 when a category's recall is below this")
      ->check(CLI::Range(0.0, 1.0));
  eval_cmd->add_flag("--no-normalize", eval.no_normalize,
                     "Match every rule against the raw text only (to measure normalization)");
  eval_cmd->add_option("--threads", eval.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  eval_cmd->add_option("PACK", eval.pack, "Rule pack directory or file (default: the bundled pack)");
  eval_cmd->footer(std::string(kExitCodes) +
                   " eval also exits 1 when a category is below --min-precision or --min-recall.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "catscan: " << e.what() << "\nRun 'catscan --help' for usage.\n";
    return 2;
  }

  if (*scan_cmd) return catscan::RunScan(scan, &g_cancel);
  if (*merge_cmd) return catscan::RunMerge(merge);
  if (*bench_cmd) return catscan::RunBenchRules(bench);
  if (*check_cmd) return catscan::RunRulesCheck(pack, strict);
  if (*test_cmd) return catscan::RunRulesTest(pack);
  if (*list_cmd) return catscan::RunRulesList(pack);
  if (*export_cmd) return catscan::RunRulesExportPatterns(pack, literals_only);
  if (*sweeps_cmd) return catscan::RunHistorySweeps(hist);
  if (*diff_cmd) return catscan::RunHistoryDiff(hist);
  if (*merchant_cmd) return catscan::RunHistoryMerchant(hist);
  if (*eval_cmd) return catscan::RunEvalCommand(eval, &g_cancel);
  return 2;
}
