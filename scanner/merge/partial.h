// scanner/merge/partial.h
//
// A partial result: what one shard of a sweep (`catscan scan --shard I/N`)
// writes instead of final outputs. Verdicts and merchant lines need every
// listing of a merchant, and a merchant's listings are spread over shards, so
// a shard publishes only what merges exactly:
//
//   violations.jsonl      its violations, in input order (final format)
//   quarantine.jsonl      its unreadable records, in input order (final format)
//   merchant_tally.jsonl  every merchant it saw, sorted by id: items scanned,
//                         items violating, violations, hits per rule id
//   catalog_refs.bin      the clause 3.4 facts (CatalogRefs::Serialize): its
//                         reference hits in input order and the availability
//                         of every listing it read; the merge joins them once
//   partial.json          written last: format version, tool version, shard
//                         I/N, the plan (every input's path, size and
//                         decompressed size), this shard's pieces with what
//                         was read of each, the rule pack (name, version,
//                         hash, where to load it), the options, the counts,
//                         times, and the size and SHA-256 of each file above
//
// partial.json is deliberately not named manifest.json: a partial is not a
// result, and nothing should read it as one. The set is published atomically
// like a sweep's outputs, so a directory with partial.json holds a complete
// partial; one without it holds none.
//
// Plain functions; thread-safe as long as calls use different directories.

#ifndef CATSCAN_MERGE_PARTIAL_H_
#define CATSCAN_MERGE_PARTIAL_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/pipeline/sweep.h"
#include "scanner/report/sweep_outputs.h"
#include "scanner/shard/shard_plan.h"

namespace catscan {

constexpr int kPartialFormatVersion = 1;
constexpr char kPartialManifestName[] = "partial.json";
constexpr char kMerchantTallyName[] = "merchant_tally.jsonl";
constexpr char kCatalogRefsName[] = "catalog_refs.bin";

// One input of the whole sweep, as the plan saw it.
struct PlanInput {
  std::string path;
  uint64_t size = 0;                // bytes on disk
  uint64_t decompressed_bytes = 0;  // what the plan split

  bool operator==(const PlanInput& o) const {
    return path == o.path && size == o.size && decompressed_bytes == o.decompressed_bytes;
  }
};

// Where the merge loads the rule pack from, and what it must hash to.
struct PackSource {
  bool pattern_file = false;  // --patterns FILE rather than a pack
  std::string path;           // as the scan was given it (the manifest shows this)
  std::string load_path;      // absolute, so a merge from another directory finds it
};

// What a shard scan knows beyond its ScanOutcome.
struct ShardRun {
  ShardSpec shard;
  std::vector<PlanInput> plan;
  std::vector<ShardPiece> pieces;  // this shard's; the ScanOutcome's inputs, one each
  PackSource pack_source;
};

// Writes the partial for "outcome" into outcome.out_dir and publishes it
// (partial.json last). Returns the paths written.
StatusOr<std::vector<std::string>> WritePartial(ScanOutcome outcome, const ShardRun& run);

// A partial read back from its directory.
struct Partial {
  std::string dir;
  int format_version = 0;
  std::string tool_version;
  ShardRun run;
  std::vector<InputReport> piece_reports;  // one per run.pieces entry
  std::string pack_id;                     // name@version
  std::string pack_hash;                   // hex, without "sha256:"
  bool normalize = true;
  uint64_t max_record_bytes = 0;
  int threads = 0;
  std::string started_at;
  StageSeconds seconds;
  // SweepCounts with rules by id (indexes belong to a loaded pack).
  uint64_t records_read = 0, records_scanned = 0, records_quarantined = 0;
  uint64_t records_violating = 0, violations = 0;
  std::map<std::string, uint64_t> violations_by_rule;
  std::vector<OutputReport> outputs;  // violations, quarantine, merchant tally
};

// Reads "dir"/partial.json. Fails (kInput, naming the directory) if it is
// missing (an unfinished or failed shard, or not a partial at all) or
// malformed. The data files are checked against it when they are read.
StatusOr<Partial> ReadPartial(const std::string& dir);

}  // namespace catscan

#endif  // CATSCAN_MERGE_PARTIAL_H_
