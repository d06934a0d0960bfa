// scanner/cli/commands.h
//
// The subcommands behind main.cc's flag parsing. Each returns the process
// exit status (see ExitCodeFor) and prints what a person needs: results on
// stdout, errors on stderr as one line naming the problem.

#ifndef CATSCAN_CLI_COMMANDS_H_
#define CATSCAN_CLI_COMMANDS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace catscan {

// What decides and records the verdicts, for a sweep and a merge alike.
struct FinishFlags {
  std::string policy;   // empty: the pack's policy.yaml (else the built-in ladder)
  std::string history;  // SQLite history database; empty: none
  double history_wait = 60;  // seconds to wait for another sweep's lock on it
  size_t report_max_listings = 200000;
};

struct ScanFlags {
  std::vector<std::string> inputs;
  std::string rules;     // empty: the default pack
  std::string patterns;  // a plain pattern file instead of a pack (like rg -f)
  std::string out_dir = "catscan-out";
  FinishFlags finish;
  int threads = 0;
  bool quiet = false;
  bool no_normalize = false;
  size_t max_record_bytes = 16 << 20;
  std::string cache_dir;  // compiled databases; empty: DatabaseCache::DefaultDir()
  bool no_cache = false;
  bool literal = false;            // the --patterns file holds words, not regexes
  bool skip_bad_patterns = false;  // leave out (and report) lines that do not compile
  std::string shard;  // "I/N": scan only shard I of N and write a partial result
};

struct MergeFlags {
  std::vector<std::string> partials;
  std::string out_dir = "catscan-out";
  std::string rules;  // reload the pack from here (its hash must match the shards')
  FinishFlags finish;
  bool quiet = false;
};

// The default pack: <exe>/../share/catscan/patterns/default when installed,
// else the source tree the binary was built from.
std::string DefaultPackPath();

int RunScan(const ScanFlags& flags, const std::atomic<bool>* cancel);
// `rules check` etc. take a pack path (empty: the default pack).
// `catscan merge`: the partials of every shard -> the outputs of one sweep.
int RunMerge(const MergeFlags& flags);
// `rules check` etc. take a pack path; with "pattern_file" set they load that
// plain pattern file instead.
// With "strict", warnings (lint findings) fail the check too.
int RunRulesCheck(const std::string& pack_path, bool strict = false);
int RunRulesTest(const std::string& pack_path);
int RunRulesList(const std::string& pack_path);

struct HistoryFlags {
  std::string history;   // the database (--history FILE)
  bool json = false;
  int limit = 0;         // rows per list; 0: all (sweeps) / default set by main
  int64_t a = 0, b = 0;  // diff: sweep ids; 0: the last two
  std::string merchant;
};

// `history sweeps`, `history diff [A] [B]`, `history merchant ID`.
int RunHistorySweeps(const HistoryFlags& flags);
int RunHistoryDiff(const HistoryFlags& flags);
int RunHistoryMerchant(const HistoryFlags& flags);

struct EvalFlags {
  std::vector<std::string> labels;  // labeled JSONL files or directories of them
  std::string pack;                 // empty: the default pack
  std::string json_out;             // --json FILE; empty: none
  double min_precision = 0;         // exit 1 when a category is below
  double min_recall = 0;
  bool no_normalize = false;
  int threads = 0;
};

// `catscan eval`: precision and recall of a pack on a labeled set
// (eval/run_eval.h). Exit 1 when a category falls below a minimum.
int RunEvalCommand(const EvalFlags& flags, const std::atomic<bool>* cancel);

}  // namespace catscan

#endif  // CATSCAN_CLI_COMMANDS_H_
