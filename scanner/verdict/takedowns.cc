#include "scanner/verdict/takedowns.h"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <numeric>
#include <unordered_map>

#include "scanner/base/csv_writer.h"
#include "scanner/base/free_list.h"
#include "scanner/base/json_writer.h"
#include "scanner/base/tsan_sync.h"

namespace catscan {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const std::string& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

// "123" into *out, without a temporary string.
void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  out->append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void AppendMarkedContext(std::string* out, const Evidence& e) {
  if (!e.has_offsets) {
    out->append(e.text);
    return;
  }
  out->append(e.before).append("【").append(e.text).append("】").append(e.after);
}

Status FlushIf(OutputFile* f, std::string* buf, bool force) {
  if (buf->empty() || (!force && buf->size() < kFlushBytes)) return Status::OK();
  Status s = f->Append(*buf);
  buf->clear();
  return s;
}

void CountListing(VerdictTotals* t, const FlaggedListing& l, Action action) {
  ++t->listings;
  ++t->listings_by_severity[static_cast<int>(l.severity)];
  ++t->listings_by_action[static_cast<int>(action)];
  for (const std::string& c : l.clauses) ++t->listings_by_clause[c];
  for (const std::string& r : l.rule_ids) ++t->listings_by_rule[r];
}

// Adds the listing counts of "part" (not its merchants) to "t".
void AddListingCounts(VerdictTotals* t, const VerdictTotals& part) {
  t->listings += part.listings;
  for (size_t i = 0; i < t->listings_by_severity.size(); ++i) {
    t->listings_by_severity[i] += part.listings_by_severity[i];
  }
  for (size_t i = 0; i < t->listings_by_action.size(); ++i) {
    t->listings_by_action[i] += part.listings_by_action[i];
  }
  for (const auto& [clause, n] : part.listings_by_clause) t->listings_by_clause[clause] += n;
  for (const auto& [rule, n] : part.listings_by_rule) t->listings_by_rule[rule] += n;
}

}  // namespace

std::string MarkedContext(const Evidence& e) {
  std::string s;
  AppendMarkedContext(&s, e);
  return s;
}

void AppendTakedownJson(std::string* out, const FlaggedListing& l, Action action) {
  JsonWriter w(out);
  w.BeginObject()
      .Key("item_id").String(l.item_id)
      .Key("merchant_id").String(l.merchant_id)
      .Key("action").String(ActionId(action))
      .Key("action_zh").String(ActionChinese(action))
      .Key("severity").String(SeverityName(l.severity));
  w.Key("clauses").BeginArray();
  for (const std::string& c : l.clauses) w.String(c);
  w.EndArray();
  w.Key("rule_ids").BeginArray();
  for (const std::string& r : l.rule_ids) w.String(r);
  w.EndArray();
  w.Key("evidence").BeginArray();
  for (const Evidence& e : l.evidence) {
    w.BeginObject()
        .Key("rule_id").String(e.rule_id)
        .Key("clause").String(e.clause)
        .Key("severity").String(SeverityName(e.severity))
        .Key("field").String(e.field);
    if (e.has_offsets) {
      w.Key("start").Uint(e.start).Key("end").Uint(e.end);
    } else {
      w.Key("start").Null().Key("end").Null();
    }
    w.Key("text").String(e.text);
    if (!e.normalized.empty()) w.Key("normalized").String(e.normalized);
    if (e.has_offsets) w.Key("before").String(e.before).Key("after").String(e.after);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out->push_back('\n');
}

void AppendTakedownCsvHeader(std::string* out) {
  out->append(kCsvBom);
  AppendCsvRow(out, {"item_id", "merchant_id", "action", "action_zh", "severity", "severity_zh",
                     "clauses", "rule_ids", "field", "start", "end", "matched_text", "context",
                     "evidence_count", "all_evidence"});
}

void AppendTakedownCsv(std::string* out, const FlaggedListing& l, Action action) {
  // The first piece of evidence of the listing's highest severity leads.
  const Evidence* lead = &l.evidence.front();
  for (const Evidence& e : l.evidence) {
    if (e.severity > lead->severity) lead = &e;
  }
  // Built by appending: this runs for every flagged listing, and temporary
  // strings were most of its cost.
  std::string all;
  for (const Evidence& e : l.evidence) {
    if (!all.empty()) all += '\n';
    all.append(e.rule_id).append(" ").append(e.field);
    if (e.has_offsets) {
      all += '[';
      AppendUint(&all, e.start);
      all += ':';
      AppendUint(&all, e.end);
      all += ']';
    }
    all.append(": ");
    AppendMarkedContext(&all, e);
  }
  std::string start, end, count, lead_context;
  if (lead->has_offsets) {
    AppendUint(&start, lead->start);
    AppendUint(&end, lead->end);
  }
  AppendUint(&count, l.evidence.size());
  AppendMarkedContext(&lead_context, *lead);
  AppendCsvRow(out, {l.item_id, l.merchant_id, ActionId(action), ActionChinese(action),
                     SeverityName(l.severity), SeverityChinese(l.severity), Join(l.clauses, ";"),
                     Join(l.rule_ids, ";"), lead->field, start, end, lead->text, lead_context,
                     count, all});
}

void AppendMerchantActionsCsvHeader(std::string* out) {
  out->append(kCsvBom);
  AppendCsvRow(out, {"merchant_id", "action", "action_zh", "all_actions", "severity",
                     "severity_zh", "listings_scanned", "listings_violating", "share_violating",
                     "violations", "listings_minor", "listings_general", "listings_serious",
                     "listings_critical", "sweeps_with_violations", "window_sweeps",
                     "earlier_sweeps", "rules", "reasons"});
}

void AppendMerchantActionCsv(std::string* out, const MerchantVerdict& v) {
  std::vector<std::string> actions, rules, earlier;
  for (Action a : v.actions) actions.push_back(ActionId(a));
  for (const auto& [rule, n] : v.rules) rules.push_back(rule + "=" + std::to_string(n));
  for (int64_t id : v.earlier_sweeps) earlier.push_back(std::to_string(id));
  char share[32];
  std::snprintf(share, sizeof share, "%.4f", v.share);
  const auto& s = v.listings_by_severity;
  AppendCsvRow(out, {v.merchant_id, ActionId(v.action), ActionChinese(v.action),
                     Join(actions, ";"), SeverityName(v.severity), SeverityChinese(v.severity),
                     std::to_string(v.items_scanned), std::to_string(v.listings_violating), share,
                     std::to_string(v.violations), std::to_string(s[0]), std::to_string(s[1]),
                     std::to_string(s[2]), std::to_string(s[3]),
                     std::to_string(v.sweeps_with_violations), std::to_string(v.window_sweeps),
                     Join(earlier, ";"), Join(rules, ";"), Join(v.reasons, "\n")});
}

StatusOr<VerdictTotals> WriteVerdicts(const std::string& violations_path, const Policy& policy,
                                      const MerchantTally& tally, const RepeatHistory& history,
                                      const VerdictFiles& files, const ListingSink& on_listing,
                                      int threads) {
  StatusOr<std::unique_ptr<ViolationBlockReader>> reader =
      ViolationBlockReader::Open(violations_path);
  if (!reader.ok()) return reader.status();
  VerdictTotals totals;
  std::unordered_map<std::string, MerchantFindings> findings;
  std::string header;
  AppendTakedownCsvHeader(&header);
  Status status = files.takedowns_csv->Append(header);
  std::atomic<bool> failed{!status.ok()};

  // Blocks of whole listings are parsed and formatted in parallel; the
  // counting, the sink and the writing stay in file order.
  struct Block {
    std::string lines;
    uint64_t first_line = 0;
    std::vector<FlaggedListing> listings;
    VerdictTotals counts;  // the listing counts of this block
    std::string jsonl, csv;
    Status status;
  };
  // Blocks are reused (FreeList) with their buffers; the parallel stage
  // parses into the old listings' storage (ParseFlaggedListings).
  FreeList<Block> free_blocks;
  auto action_of = [&policy](const FlaggedListing& l) {
    return policy.listing_action[static_cast<int>(l.severity)];
  };
  const int concurrency = threads > 0 ? threads : tbb::info::default_concurrency();
  tbb::task_arena arena(concurrency);
  CATSCAN_HAPPENS_BEFORE();
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<size_t>(concurrency) * 2,
        tbb::make_filter<void, Block*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> Block* {
              CATSCAN_HAPPENS_AFTER();
              std::unique_ptr<Block> block = free_blocks.Get();
              block->status = Status::OK();
              StatusOr<bool> more = failed.load()
                                        ? StatusOr<bool>(false)
                                        : reader.value()->Next(&block->lines, &block->first_line);
              if (!more.ok()) block->status = more.status();
              if (more.ok() && !more.value()) {
                fc.stop();
                free_blocks.Put(std::move(block));
              }
              CATSCAN_HAPPENS_BEFORE();
              return block.release();
            }) &
            tbb::make_filter<Block*, Block*>(
                tbb::filter_mode::parallel,
                [&](Block* b) -> Block* {
                  CATSCAN_HAPPENS_AFTER();
                  b->counts = VerdictTotals();
                  b->jsonl.clear();
                  b->csv.clear();
                  if (b->status.ok()) {
                    // Replaces the block's listings from its last use, reusing their storage.
                    b->status =
                        ParseFlaggedListings(b->lines, violations_path, b->first_line, &b->listings);
                  } else {
                    b->listings.clear();
                  }
                  if (b->status.ok()) {
                    for (const FlaggedListing& l : b->listings) {
                      CountListing(&b->counts, l, action_of(l));
                      AppendTakedownJson(&b->jsonl, l, action_of(l));
                      AppendTakedownCsv(&b->csv, l, action_of(l));
                    }
                  }
                  CATSCAN_HAPPENS_BEFORE();
                  return b;
                }) &
            tbb::make_filter<Block*, void>(
                tbb::filter_mode::serial_in_order, [&](Block* raw) {
                  std::unique_ptr<Block> b(raw);
                  CATSCAN_HAPPENS_AFTER();
                  Status s = b->status;
                  if (s.ok() && status.ok()) AddListingCounts(&totals, b->counts);
                  for (const FlaggedListing& l : b->listings) {
                    if (!s.ok() || !status.ok()) break;
                    findings[l.merchant_id].Add(l);
                    if (on_listing) s = on_listing(l, action_of(l));
                  }
                  if (s.ok() && status.ok()) s = files.takedowns_jsonl->Append(b->jsonl);
                  if (s.ok() && status.ok()) s = files.takedowns_csv->Append(b->csv);
                  if (!s.ok() && status.ok()) {
                    status = s;  // the first failure in file order wins
                    failed = true;
                  }
                  free_blocks.Put(std::move(b));
                  CATSCAN_HAPPENS_BEFORE();
                }));
  });
  CATSCAN_HAPPENS_AFTER();
  if (!status.ok()) return status;
  const std::vector<std::pair<std::string, const MerchantCounts*>> violators = tally.Violators();
  std::vector<MerchantVerdict> decided;
  decided.reserve(violators.size());
  for (const auto& [merchant, counts] : violators) {
    auto it = findings.find(merchant);
    if (it == findings.end()) continue;  // violations.jsonl is the evidence; trust it
    decided.push_back(DecideMerchant(policy, merchant, counts->items_scanned, it->second, history));
  }
  // Sorted by index: a MerchantVerdict is too big to shuffle around.
  std::vector<size_t> order(decided.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&decided](size_t a, size_t b) { return VerdictOrder(decided[a], decided[b]); });
  totals.merchants.reserve(order.size());
  for (size_t i : order) {
    MerchantVerdict& v = decided[i];
    if (v.action != Action::kNone) ++totals.merchants_by_action[static_cast<int>(v.action)];
    totals.merchants.push_back(std::move(v));
  }
  std::string rows;
  AppendMerchantActionsCsvHeader(&rows);
  for (const MerchantVerdict& v : totals.merchants) {
    if (v.action == Action::kNone) continue;  // the ladder does not act on it
    AppendMerchantActionCsv(&rows, v);
    if (Status s = FlushIf(files.merchant_actions_csv, &rows, false); !s.ok()) return s;
  }
  if (Status s = FlushIf(files.merchant_actions_csv, &rows, true); !s.ok()) return s;
  return totals;
}

}  // namespace catscan
