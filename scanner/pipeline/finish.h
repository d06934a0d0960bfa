// scanner/pipeline/finish.h
//
// FinishSweep turns what a scan found (ScanOutcome) into the published set of
// outputs: it writes everything that needs the whole catalog first (the
// clause 3.4 join of outcome.catalog_refs, whose findings are appended to
// violations.jsonl and counted; merchants.jsonl; the verdicts:
// takedowns.jsonl, takedowns.csv, merchant_actions.csv; report.html),
// finishes every file, writes manifest.json last and publishes the set
// atomically. The verdicts use the sweep's threads; with more than one, the
// report (one thread's work) is written while merchants.jsonl is written and
// the other files are synced. With options.history_path it also records the
// sweep in the history database, in one transaction that commits only once
// the outputs are published (and holds the database's write lock from before
// the verdicts, so repeat-offence counts see every earlier sweep).
//
// It is the one place outputs are derived, for a single sweep (RunSweep) and
// for a merge of shard results alike, so both give the same bytes. It reads
// only the ScanOutcome: the violations it needs again it reads back from
// outcome.violations (finished, at temp_path()), never from the catalog.

#ifndef CATSCAN_PIPELINE_FINISH_H_
#define CATSCAN_PIPELINE_FINISH_H_

#include "scanner/base/status.h"
#include "scanner/pipeline/sweep.h"

namespace catscan {

StatusOr<SweepResult> FinishSweep(ScanOutcome outcome, const FinishOptions& options = {});

}  // namespace catscan

#endif  // CATSCAN_PIPELINE_FINISH_H_
