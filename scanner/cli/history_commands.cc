// `catscan history ...`: the sweep history as readable tables or JSON.

#include <iostream>
#include <string>

#include "scanner/base/json_writer.h"
#include "scanner/cli/commands.h"
#include "scanner/history/history_db.h"

namespace catscan {
namespace {

// Readers wait for a writer's checkpoint at most this long.
constexpr int kReadWaitMs = 10000;

int Fail(const Status& s) {
  std::cerr << "catscan: " << s.message() << "\n";
  return ExitCodeFor(s.code());
}

std::string Pad(std::string s, size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string N(uint64_t n) { return std::to_string(n); }

StatusOr<std::unique_ptr<HistoryDb>> OpenForReading(const HistoryFlags& f) {
  if (f.history.empty()) return UsageError("give the database with --history FILE");
  return HistoryDb::Open(f.history, /*create=*/false, kReadWaitMs);
}

void SweepJson(JsonWriter& w, const SweepRow& s) {
  w.BeginObject()
      .Key("id").Int(s.id)
      .Key("started_at").String(s.started_at)
      .Key("finished_at").String(s.finished_at)
      .Key("out_dir").String(s.out_dir)
      .Key("rule_pack").String(s.rule_pack)
      .Key("policy_sha256").String(s.policy_sha256)
      .Key("records_read").Uint(s.records_read)
      .Key("records_scanned").Uint(s.records_scanned)
      .Key("records_quarantined").Uint(s.records_quarantined)
      .Key("records_violating").Uint(s.records_violating)
      .Key("violations").Uint(s.violations)
      .Key("listings_flagged").Uint(s.listings_flagged)
      .Key("merchants_scanned").Uint(s.merchants_scanned)
      .Key("merchants_violating").Uint(s.merchants_violating)
      .EndObject();
}

void ListingJson(JsonWriter& w, const ListingRow& l) {
  w.BeginObject()
      .Key("merchant_id").String(l.merchant_id)
      .Key("item_id").String(l.item_id)
      .Key("severity").String(l.severity)
      .Key("action").String(l.action)
      .Key("rule_ids").String(l.rule_ids)
      .EndObject();
}

void PrintListings(const char* title, const std::vector<ListingRow>& rows, int limit) {
  std::cout << "\n" << title << " (" << rows.size() << ")\n";
  if (rows.empty()) return;
  std::cout << "  " << Pad("merchant", 16) << " " << Pad("item", 20) << " " << Pad("severity", 9)
            << " rules\n";
  int shown = 0;
  for (const ListingRow& l : rows) {
    if (limit > 0 && shown++ == limit) {
      std::cout << "  ... " << rows.size() - limit << " more (--limit 0 or --json for all)\n";
      break;
    }
    std::cout << "  " << Pad(l.merchant_id, 16) << " " << Pad(l.item_id, 20) << " "
              << Pad(l.severity, 9) << " " << l.rule_ids << "\n";
  }
}

}  // namespace

int RunHistorySweeps(const HistoryFlags& f) {
  StatusOr<std::unique_ptr<HistoryDb>> db = OpenForReading(f);
  if (!db.ok()) return Fail(db.status());
  StatusOr<std::vector<SweepRow>> sweeps = db.value()->Sweeps(f.limit);
  if (!sweeps.ok()) return Fail(sweeps.status());
  if (f.json) {
    std::string out;
    JsonWriter w(&out);
    w.BeginArray();
    for (const SweepRow& s : sweeps.value()) SweepJson(w, s);
    w.EndArray();
    std::cout << out << "\n";
    return 0;
  }
  std::cout << Pad("sweep", 6) << " " << Pad("started", 21) << " " << Pad("scanned", 10, true)
            << " " << Pad("quarant.", 8, true) << " " << Pad("flagged", 8, true) << " "
            << Pad("violations", 10, true) << " " << Pad("merchants", 10, true) << "  rules\n";
  for (const SweepRow& s : sweeps.value()) {
    std::cout << Pad("#" + std::to_string(s.id), 6) << " " << Pad(s.started_at, 21) << " "
              << Pad(N(s.records_scanned), 10, true) << " "
              << Pad(N(s.records_quarantined), 8, true) << " "
              << Pad(N(s.listings_flagged), 8, true) << " " << Pad(N(s.violations), 10, true)
              << " " << Pad(N(s.merchants_violating) + "/" + N(s.merchants_scanned), 10, true)
              << "  " << s.rule_pack << "\n";
  }
  if (sweeps->empty()) std::cout << "(no sweeps recorded yet)\n";
  return 0;
}

int RunHistoryDiff(const HistoryFlags& f) {
  StatusOr<std::unique_ptr<HistoryDb>> db = OpenForReading(f);
  if (!db.ok()) return Fail(db.status());
  int64_t a = f.a, b = f.b;
  if (a == 0 || b == 0) {
    StatusOr<std::vector<SweepRow>> last = db.value()->Sweeps(2);
    if (!last.ok()) return Fail(last.status());
    if (a == 0 && b == 0) {
      if (last->size() < 2) {
        std::cout << "only " << last->size()
                  << " sweep recorded: nothing to compare yet (a diff needs two)\n";
        return 0;
      }
      a = last.value()[1].id;
      b = last.value()[0].id;
    } else if (b == 0) {  // one sweep given: compare it with the newest
      b = last->empty() ? 0 : last.value()[0].id;
    }
  }
  StatusOr<SweepDiff> d = db.value()->Diff(a, b);
  if (!d.ok()) return Fail(d.status());
  if (f.json) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("a").Int(d->a).Key("b").Int(d->b);
    w.Key("new").BeginArray();
    for (const ListingRow& l : d->added) ListingJson(w, l);
    w.EndArray().Key("resolved").BeginArray();
    for (const ListingRow& l : d->resolved) ListingJson(w, l);
    w.EndArray().Key("persisting").Uint(d->persisting).EndObject();
    std::cout << out << "\n";
    return 0;
  }
  std::cout << "sweep #" << d->a << " -> #" << d->b << ": " << d->added.size() << " new, "
            << d->resolved.size() << " resolved, " << d->persisting << " persisting\n";
  PrintListings("new (flagged in the later sweep only)", d->added, f.limit);
  PrintListings("resolved (flagged in the earlier sweep only)", d->resolved, f.limit);
  return 0;
}

int RunHistoryMerchant(const HistoryFlags& f) {
  StatusOr<std::unique_ptr<HistoryDb>> db = OpenForReading(f);
  if (!db.ok()) return Fail(db.status());
  StatusOr<std::vector<MerchantSweepRow>> rows = db.value()->MerchantRecord(f.merchant);
  if (!rows.ok()) return Fail(rows.status());
  if (f.json) {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject().Key("merchant_id").String(f.merchant).Key("sweeps").BeginArray();
    for (const MerchantSweepRow& r : rows.value()) {
      w.BeginObject().Key("sweep").Int(r.sweep_id).Key("finished_at").String(r.finished_at);
      w.Key("flagged").Bool(r.flagged);
      if (r.flagged) {
        w.Key("items_scanned").Uint(r.items_scanned)
            .Key("listings_violating").Uint(r.listings_violating)
            .Key("violations").Uint(r.violations)
            .Key("severity").String(r.severity)
            .Key("action").String(r.action)
            .Key("reasons").String(r.reasons);
      }
      w.EndObject();
    }
    w.EndArray().EndObject();
    std::cout << out << "\n";
    return 0;
  }
  size_t flagged = 0;
  for (const MerchantSweepRow& r : rows.value()) flagged += r.flagged;
  std::cout << "merchant " << f.merchant << ": flagged in " << flagged << " of "
            << rows->size() << " recorded sweeps\n";
  std::cout << Pad("sweep", 6) << " " << Pad("finished", 21) << " " << Pad("flagged", 8, true)
            << " " << Pad("scanned", 8, true) << " " << Pad("violations", 10, true) << "  "
            << Pad("severity", 9) << " action\n";
  for (const MerchantSweepRow& r : rows.value()) {
    std::cout << Pad("#" + std::to_string(r.sweep_id), 6) << " " << Pad(r.finished_at, 21) << " ";
    if (!r.flagged) {
      std::cout << Pad("-", 8, true) << "  (no violations)\n";
      continue;
    }
    std::cout << Pad(N(r.listings_violating), 8, true) << " " << Pad(N(r.items_scanned), 8, true)
              << " " << Pad(N(r.violations), 10, true) << "  " << Pad(r.severity, 9) << " "
              << r.action << "\n";
  }
  return 0;
}

}  // namespace catscan
