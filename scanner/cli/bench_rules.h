// scanner/cli/bench_rules.h
//
// `catscan bench-rules [--input SAMPLE] PACK [PACK2]`: what a pattern set
// costs and what it finds, for a rule author deciding on a change.
//
// For each pack: load and compile time (always a fresh compile, into a
// private temporary cache), the time to start from that cache, database and
// scratch sizes, scan throughput of the whole pack on the sample (parse
// excluded: the sample's records are parsed once up front), hits per rule,
// and the most expensive rules: each rule compiled into its own database and
// timed alone over the same texts, with its share of the sum of those times.
// Given two packs, the listings hit by only one of them, with examples.
//
// A PACK is a rule pack (a directory or a .yaml file) or, otherwise, a plain
// pattern list (regexes; words with --literal). Output: a table on stdout and,
// with --json FILE, the same figures as one JSON object (README: "Benchmarking
// a rule pack").

#ifndef CATSCAN_CLI_BENCH_RULES_H_
#define CATSCAN_CLI_BENCH_RULES_H_

#include <string>
#include <vector>

namespace catscan {

struct BenchRulesFlags {
  std::vector<std::string> packs;  // one or two
  std::string input;               // empty: the bundled sample, data/sample.jsonl.zst
  std::string json_out;
  bool literal = false;            // pattern lists are word lists
  bool skip_bad_patterns = false;
  bool no_normalize = false;
  int top = 10;                    // expensive rules listed
  size_t max_profile = 2000;       // per-rule timing only for packs up to this many rules
  double min_seconds = 0.3;        // repeat the whole-pack scan at least this long
};

int RunBenchRules(const BenchRulesFlags& flags);

}  // namespace catscan

#endif  // CATSCAN_CLI_BENCH_RULES_H_
