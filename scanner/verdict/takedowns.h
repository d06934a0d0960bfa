// scanner/verdict/takedowns.h
//
// The lists people act on, written from violations.jsonl by a Policy:
//
//   takedowns.jsonl       one line per flagged listing: ids, action, severity,
//                         clauses, rule ids and every piece of evidence
//   takedowns.csv         the same rows for a spreadsheet (UTF-8 BOM, RFC 4180)
//   merchant_actions.csv  one row per merchant the ladder acts on, harshest
//                         first: action, severity, counts, repeat sweeps, reasons
//
// Rows are in violations.jsonl's order (takedowns) and VerdictOrder
// (merchant actions), so the files are byte-identical at any thread count and
// for a merge of shards. README.md shows an example row of each.
//
// WriteVerdicts only appends to the OutputFiles it is given; the caller
// finishes and publishes them. Not thread-safe (one call at a time per set of
// files).

#ifndef CATSCAN_VERDICT_TAKEDOWNS_H_
#define CATSCAN_VERDICT_TAKEDOWNS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "scanner/aggregate/merchant_tally.h"
#include "scanner/base/output_file.h"
#include "scanner/verdict/verdicts.h"

namespace catscan {

// What the verdicts add up to, for the summary, the report and the history.
struct VerdictTotals {
  uint64_t listings = 0;  // flagged listings (rows of takedowns.*)
  std::array<uint64_t, 4> listings_by_severity{};
  std::array<uint64_t, kNumActions> listings_by_action{};
  std::map<std::string, uint64_t> listings_by_clause;  // a listing counts once per clause
  std::map<std::string, uint64_t> listings_by_rule;    // ... and once per rule
  // Every merchant with a flagged listing, in VerdictOrder (those the ladder
  // does not act on, action kNone, last; merchant_actions.csv leaves them out).
  std::vector<MerchantVerdict> merchants;
  std::array<uint64_t, kNumActions> merchants_by_action{};
};

struct VerdictFiles {
  OutputFile* takedowns_jsonl = nullptr;
  OutputFile* takedowns_csv = nullptr;
  OutputFile* merchant_actions_csv = nullptr;
};

// Called once per flagged listing with its action (e.g. to record it in the
// history); a non-OK status stops the writing.
using ListingSink = std::function<Status(const FlaggedListing&, Action)>;

// Reads the finished violations at "violations_path", decides every listing's
// and merchant's action under "policy" and appends the three files. "tally"
// gives each merchant's scanned listings (for the share), "history" the
// earlier sweeps that count for repeat offences. Blocks of listings are
// parsed and formatted on "threads" threads (0: all cores); the rows, the
// totals and the calls to "on_listing" stay in file order.
StatusOr<VerdictTotals> WriteVerdicts(const std::string& violations_path, const Policy& policy,
                                      const MerchantTally& tally, const RepeatHistory& history,
                                      const VerdictFiles& files,
                                      const ListingSink& on_listing = nullptr, int threads = 0);

// Row formatters, exposed for tests.
void AppendTakedownJson(std::string* out, const FlaggedListing& listing, Action action);
void AppendTakedownCsvHeader(std::string* out);  // starts with the BOM
void AppendTakedownCsv(std::string* out, const FlaggedListing& listing, Action action);
void AppendMerchantActionsCsvHeader(std::string* out);  // starts with the BOM
void AppendMerchantActionCsv(std::string* out, const MerchantVerdict& verdict);

// "before【text】after": the matched text marked in its context.
std::string MarkedContext(const Evidence& e);

}  // namespace catscan

#endif  // CATSCAN_VERDICT_TAKEDOWNS_H_
