#include "scanner/history/sweep_recorder.h"

#include <algorithm>

namespace catscan {

std::string ListingKey(const std::string& merchant_id, const std::string& item_id) {
  std::string key = merchant_id;
  key.push_back('\x1f');
  key += item_id;
  return key;
}

StatusOr<std::unique_ptr<SweepRecorder>> SweepRecorder::Start(const std::string& path,
                                                              int busy_timeout_ms,
                                                              uint32_t repeat_window,
                                                              const SweepRow& row) {
  StatusOr<std::unique_ptr<HistoryDb>> db = HistoryDb::Open(path, true, busy_timeout_ms);
  if (!db.ok()) return db.status();
  std::unique_ptr<SweepRecorder> r(new SweepRecorder(std::move(db.value())));
  // The lock comes before the read, so the repeat counts see every sweep
  // committed before this one.
  if (Status s = r->db_->BeginWrite(); !s.ok()) return s;
  StatusOr<RepeatHistory> repeat = r->db_->RepeatHistoryFor(repeat_window);
  if (!repeat.ok()) return repeat.status();
  r->repeat_ = std::move(repeat.value());
  StatusOr<int64_t> id = r->db_->AddSweep(row);
  if (!id.ok()) return id.status();
  r->sweep_id_ = id.value();
  return r;
}

Status SweepRecorder::OnListing(const FlaggedListing& listing, Action action) {
  return db_->AddListing(sweep_id_, listing, action);
}

Status SweepRecorder::AddMerchants(const std::vector<MerchantVerdict>& verdicts) {
  for (const MerchantVerdict& v : verdicts) {
    if (Status s = db_->AddMerchant(sweep_id_, v); !s.ok()) return s;
  }
  return Status::OK();
}

StatusOr<HistoryView> SweepRecorder::View(uint64_t listings_flagged) {
  HistoryView view;
  view.sweep_id = sweep_id_;
  StatusOr<std::vector<SweepRow>> trend = db_->Sweeps(30);
  if (!trend.ok()) return trend.status();
  view.trend = std::move(trend.value());
  std::reverse(view.trend.begin(), view.trend.end());
  if (!view.trend.empty() && view.trend.back().id == sweep_id_) {
    view.trend.back().listings_flagged = listings_flagged;  // not yet in the row
  }
  if (view.trend.size() >= 2) {
    view.previous_id = view.trend[view.trend.size() - 2].id;
    StatusOr<SweepDiff> diff = db_->Diff(view.previous_id, sweep_id_);
    if (!diff.ok()) return diff.status();
    view.added = diff->added.size();
    view.resolved = diff->resolved.size();
    view.persisting = diff->persisting;
    for (const ListingRow& l : diff->added) {
      view.new_listings.insert(ListingKey(l.merchant_id, l.item_id));
    }
  }
  return view;
}

Status SweepRecorder::Finish(const std::string& finished_at, uint64_t listings_flagged,
                             const std::string& manifest_json) {
  return db_->FinishSweepRow(sweep_id_, finished_at, listings_flagged, manifest_json);
}

}  // namespace catscan
