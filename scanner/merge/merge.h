// scanner/merge/merge.h
//
// MergePartials turns the partial results of every shard of one sweep
// (scanner/merge/partial.h) back into the ScanOutcome a single sweep of the
// same inputs would have produced: violations and quarantine concatenated in
// shard order (which is input order), merchant tallies and counts added up,
// the inputs reassembled from their pieces, the rule pack reloaded and
// checked against the hash the shards ran with. FinishSweep then derives and
// publishes the outputs exactly as for a single sweep, so the two cannot
// drift apart: only manifest.json differs (times, stage seconds, threads, the
// rule pack path if it was given relative, and "shards": N).
//
// Refused, with an error naming the directories (kInput, exit status 3; a
// pack that no longer matches is kRules, 4):
//   - a directory without partial.json (an unfinished or failed shard);
//   - partials of different plans: other inputs, shard counts, options, rule
//     pack hashes or catscan versions;
//   - the same shard twice, or a shard missing;
//   - a data file that does not match the size and SHA-256 partial.json lists.
//
// Thread-compatible: one call per output directory.

#ifndef CATSCAN_MERGE_MERGE_H_
#define CATSCAN_MERGE_MERGE_H_

#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/pipeline/sweep.h"

namespace catscan {

struct MergeOptions {
  std::vector<std::string> partial_dirs;  // every shard's, in any order
  std::string out_dir = "catscan-out";
  // Load the rule pack from here instead of where the shards recorded it
  // (e.g. the merge runs on another machine); its hash must still match.
  std::string rules;
};

// Checks the partials and rebuilds the outcome, writing the unpublished
// violations and quarantine into options.out_dir. Pass it to FinishSweep.
StatusOr<ScanOutcome> MergePartials(const MergeOptions& options);

}  // namespace catscan

#endif  // CATSCAN_MERGE_MERGE_H_
