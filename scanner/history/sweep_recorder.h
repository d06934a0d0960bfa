// scanner/history/sweep_recorder.h
//
// SweepRecorder records one sweep in the history database, for FinishSweep:
//
//   Start        open (create, migrate), take the write lock, read the
//                repeat-offence history, insert the sweep's row
//   OnListing    each flagged listing (a ListingSink for WriteVerdicts)
//   AddMerchants every merchant verdict
//   View         the trend and what is new since the previous sweep, for
//                report.html (this sweep included: the rows are visible
//                inside the transaction)
//   Finish       finished_at, the flagged-listing count and the manifest
//   Commit       after the outputs are published
//
// Everything between Start and Commit is one transaction: an error, or
// destroying the recorder before Commit, rolls it back, so a failed sweep
// leaves nothing half-recorded. Not thread-safe.

#ifndef CATSCAN_HISTORY_SWEEP_RECORDER_H_
#define CATSCAN_HISTORY_SWEEP_RECORDER_H_

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "scanner/history/history_db.h"
#include "scanner/verdict/takedowns.h"

namespace catscan {

// What report.html shows from the history.
struct HistoryView {
  std::vector<SweepRow> trend;  // up to the last 30 sweeps, oldest first, this one last
  int64_t sweep_id = 0;         // this sweep
  int64_t previous_id = 0;      // 0: this is the first sweep
  uint64_t added = 0;           // listings flagged now and not in the previous sweep
  uint64_t resolved = 0;        // flagged then, not now
  uint64_t persisting = 0;
  std::unordered_set<std::string> new_listings;  // ListingKey() of the added ones
};

// merchant_id and item_id joined by U+001F, which ids do not hold in practice
// and which no key collision can hide (both parts are kept whole).
std::string ListingKey(const std::string& merchant_id, const std::string& item_id);

class SweepRecorder {
 public:
  static StatusOr<std::unique_ptr<SweepRecorder>> Start(const std::string& path,
                                                        int busy_timeout_ms,
                                                        uint32_t repeat_window,
                                                        const SweepRow& row);

  const RepeatHistory& repeat() const { return repeat_; }
  int64_t sweep_id() const { return sweep_id_; }

  Status OnListing(const FlaggedListing& listing, Action action);
  Status AddMerchants(const std::vector<MerchantVerdict>& verdicts);
  StatusOr<HistoryView> View(uint64_t listings_flagged);
  Status Finish(const std::string& finished_at, uint64_t listings_flagged,
                const std::string& manifest_json);
  Status Commit() { return db_->Commit(); }

 private:
  explicit SweepRecorder(std::unique_ptr<HistoryDb> db) : db_(std::move(db)) {}

  std::unique_ptr<HistoryDb> db_;
  RepeatHistory repeat_;
  int64_t sweep_id_ = 0;
};

}  // namespace catscan

#endif  // CATSCAN_HISTORY_SWEEP_RECORDER_H_
