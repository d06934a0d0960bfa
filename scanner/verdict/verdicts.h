// scanner/verdict/verdicts.h
//
// Verdicts turn what a sweep found into what trust & safety should do about
// it, following a Policy (policy.h):
//
//   violations.jsonl --ReadFlaggedListings--> FlaggedListing (one per record
//   with violations, in input order) --> listing action by severity, and
//   per-merchant MerchantFindings --DecideMerchant--> MerchantVerdict.
//
// Everything is read back from violations.jsonl, never from the catalog, so a
// merge of shard results gets the same verdicts as a single sweep.
//
// Functions here are pure or own their state; nothing is shared between
// threads.

#ifndef CATSCAN_VERDICT_VERDICTS_H_
#define CATSCAN_VERDICT_VERDICTS_H_

#include <array>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/verdict/policy.h"

namespace catscan {

// One violation of a flagged listing, as violations.jsonl gives it.
struct Evidence {
  std::string rule_id;
  std::string clause;
  Severity severity = Severity::kGeneral;
  std::string field;        // "title", "detail_html", or the numeric field of a check
  bool has_offsets = false;  // false for field checks
  uint64_t start = 0;       // byte offsets into the field's decoded UTF-8
  uint64_t end = 0;
  std::string text;         // the matched bytes (or the checked values)
  std::string normalized;   // the normalized spelling, when it differs
  std::string before;       // up to kContextChars characters of context
  std::string after;
};

// A listing with at least one violation: the consecutive lines of
// violations.jsonl that share item_id and merchant_id (one record's hits).
struct FlaggedListing {
  std::string item_id;
  std::string merchant_id;
  Severity severity = Severity::kMinor;  // the highest of its evidence
  std::vector<std::string> clauses;      // distinct, sorted
  std::vector<std::string> rule_ids;     // distinct, sorted
  std::vector<Evidence> evidence;        // in file order
};

// Reads violations.jsonl in blocks of whole lines that never split a listing,
// so blocks can be parsed apart (in parallel) and give the listings a single
// pass would. Not thread-safe: one reader feeds the parsers.
class ViolationBlockReader {
 public:
  // A block is about "block_bytes" long: it ends after the line that passes
  // that size and the lines after it of the same listing.
  static StatusOr<std::unique_ptr<ViolationBlockReader>> Open(const std::string& violations_path,
                                                              size_t block_bytes = 1 << 20);

  // Replaces *lines with the next block (each line ending in '\n') and sets
  // *first_line to the line number of its first line. False at the end.
  StatusOr<bool> Next(std::string* lines, uint64_t* first_line);

 private:
  ViolationBlockReader(std::string path, size_t block_bytes);

  std::string path_;
  size_t block_bytes_;
  std::ifstream in_;
  std::string ahead_;  // a line read past the last block: the next one's first
  bool have_ahead_ = false;
  uint64_t next_line_ = 1;
};

// Parses one block from ViolationBlockReader (whole lines of whole listings;
// the first is line "first_line" of "path") into *out, its listings in
// order. The listings already in *out are replaced, their storage reused: a
// caller that parses block after block into one vector allocates almost
// nothing once it has seen a large block. A line that is not a violation line
// (bad JSON, missing keys) fails with the file, the line number and the
// reason, and leaves *out empty.
Status ParseFlaggedListings(std::string_view lines, const std::string& path, uint64_t first_line,
                            std::vector<FlaggedListing>* out);

// Reads "violations_path" and calls "on_listing" once per flagged listing, in
// file order, failing as ParseFlaggedListings does; a non-OK status returned
// by "on_listing" stops the reading.
Status ReadFlaggedListings(const std::string& violations_path,
                           const std::function<Status(const FlaggedListing&)>& on_listing);

// What one merchant's flagged listings add up to.
struct MerchantFindings {
  std::array<uint64_t, 4> listings_by_severity{};  // by each listing's highest severity
  uint64_t violations = 0;
  std::unordered_map<std::string, uint64_t> listings_by_rule;

  void Add(const FlaggedListing& listing);
  uint64_t ListingsAtLeast(Severity s) const;
  uint64_t listings() const { return ListingsAtLeast(Severity::kMinor); }
};

// Which earlier sweeps (from --history) count for repeat offences.
struct RepeatHistory {
  // Earlier sweeps inside the policy's window (at most repeat_window - 1),
  // newest first. Empty without --history.
  std::vector<int64_t> window_sweep_ids;
  // Merchant -> the sweeps of window_sweep_ids in which it had violations.
  std::unordered_map<std::string, std::vector<int64_t>> violating_sweeps;
};

struct MerchantVerdict {
  std::string merchant_id;
  Action action = Action::kNone;  // the harshest step that held
  std::vector<Action> actions;    // every distinct action that held, in ladder order
  std::vector<std::string> steps;  // ids of the steps that held, in policy order
  std::vector<std::string> reasons;  // one sentence per step that held
  Severity severity = Severity::kMinor;  // the highest of its listings
  uint64_t items_scanned = 0;
  uint64_t listings_violating = 0;
  std::array<uint64_t, 4> listings_by_severity{};
  uint64_t violations = 0;
  double share = 0;  // listings_violating / items_scanned
  uint32_t sweeps_with_violations = 1;  // this one and the earlier ones below
  uint32_t window_sweeps = 1;           // sweeps looked at, this one included
  std::vector<int64_t> earlier_sweeps;  // earlier sweeps with violations, newest first
  std::vector<std::pair<std::string, uint64_t>> rules;  // listings per rule, by rule id
};

// Applies the ladder to one merchant that has at least one flagged listing.
// action stays kNone if no step holds.
MerchantVerdict DecideMerchant(const Policy& policy, const std::string& merchant_id,
                               uint64_t items_scanned, const MerchantFindings& findings,
                               const RepeatHistory& history);

// Harshest first: by action rank, then violating listings, then merchant id.
bool VerdictOrder(const MerchantVerdict& a, const MerchantVerdict& b);

}  // namespace catscan

#endif  // CATSCAN_VERDICT_VERDICTS_H_
