// scanner/pipeline/sweep.h
//
// ScanCatalog is the scan: the only place that sees every stage. It wires
// them into one tbb::parallel_pipeline:
//
//   in-order reader     ByteSource (zstd or plain) -> Chunker -> Chunk
//   parallel workers    RecordParser -> Evaluator -> formatted output lines,
//                       per-chunk MerchantTally, SweepCounts and CatalogRefs
//                       (reference hits and listing availability, clause 3.4)
//   in-order collector  appends lines to the outputs, merges the tallies
//
// with at most 4 chunks per thread in flight, so memory is bounded by the
// chunk size and the record limit, not by the input. Because the collector
// takes chunks in input order, outputs are byte-identical at any thread count.
//
// The scan hands a ScanOutcome to FinishSweep (scanner/pipeline/finish.h),
// which writes every output derived from the whole catalog and publishes the
// set. RunSweep does both. A merge of shard results builds the same
// ScanOutcome from the partials and calls the same FinishSweep, so a sharded
// sweep and a single one cannot drift apart.
//
// Outputs are written through OutputFile: all of them appear (manifest.json
// last) only when the sweep succeeds; on any error, or on cancellation, the
// previous outputs in the directory stay as they were.

#ifndef CATSCAN_PIPELINE_SWEEP_H_
#define CATSCAN_PIPELINE_SWEEP_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "scanner/aggregate/catalog_refs.h"
#include "scanner/aggregate/merchant_tally.h"
#include "scanner/base/output_file.h"
#include "scanner/base/status.h"
#include "scanner/report/sweep_outputs.h"
#include "scanner/rules/evaluator.h"
#include "scanner/shard/shard_plan.h"
#include "scanner/source/inputs.h"
#include "scanner/verdict/policy.h"
#include "scanner/verdict/takedowns.h"

namespace catscan {

// What FinishSweep needs beyond the scan: how to judge (policy), where the
// sweep history lives, and the report's limits.
struct FinishOptions {
  // The penalty ladder; null: the pack's policy.yaml, else Policy::Builtin().
  std::shared_ptr<const Policy> policy;
  std::string history_path;          // "": no history
  int history_wait_ms = 60000;       // how long to wait for another sweep's write lock
  size_t report_max_listings = 200000;  // flagged listings embedded in report.html
  int threads = 0;  // for the verdicts; 0: all cores (RunSweep passes the scan's)
};

struct SweepOptions {
  std::vector<InputFile> inputs;
  // What to read of the inputs, in order: one shard's pieces (see
  // scanner/shard/shard_plan.h). Empty: every input, whole. The manifest's
  // inputs then list one entry per piece.
  std::vector<ShardPiece> pieces;
  std::shared_ptr<const CompiledPack> pack;
  std::string out_dir = "catscan-out";
  int threads = 0;                      // 0: all cores
  size_t chunk_bytes = 1 << 20;
  size_t max_record_bytes = 16 << 20;
  bool progress = true;
  bool normalize = true;                // false: rules see only the raw text
  const std::atomic<bool>* cancel = nullptr;  // set by a signal handler
  FinishOptions finish;
};

// What the scan found, before anything is published. violations and
// quarantine are complete in input order but not yet finished or published;
// the finish step may still append to them.
struct ScanOutcome {
  std::shared_ptr<const CompiledPack> pack;  // keeps manifest.pack alive
  std::string out_dir;
  ManifestInfo manifest;   // inputs, counts, options, scan times
  MerchantTally merchants;  // every merchant seen, violating or not
  // Clause 3.4 facts, in input order: every reference hit and, if the pack
  // has reference rules, every listing's availability. manifest.counts and
  // merchants count only the in-scan violations; FinishSweep adds the join's.
  CatalogRefs catalog_refs;
  std::unique_ptr<OutputFile> violations;
  std::unique_ptr<OutputFile> quarantine;
};

StatusOr<ScanOutcome> ScanCatalog(const SweepOptions& options);

struct SweepResult {
  std::shared_ptr<const CompiledPack> pack;  // keeps manifest.pack alive
  ManifestInfo manifest;
  MerchantTally merchants;
  VerdictTotals verdicts;
  int64_t history_sweep_id = 0;      // the sweep's id in --history, 0 without
  std::vector<std::string> outputs;  // paths written
};

// ScanCatalog, then FinishSweep.
StatusOr<SweepResult> RunSweep(const SweepOptions& options);

}  // namespace catscan

#endif  // CATSCAN_PIPELINE_SWEEP_H_
