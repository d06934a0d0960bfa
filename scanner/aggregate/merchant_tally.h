// scanner/aggregate/merchant_tally.h
//
// MerchantTally counts, per merchant, the listings scanned, the listings that
// broke a rule, and the violations per rule. SweepCounts holds the run-wide
// totals. Both are built per chunk by a worker and merged in input order by
// the pipeline's collector (Merge), as ripgrep adds up its per-thread Stats.
//
// Not thread-safe: one owner at a time, then Merge() into another.

#ifndef CATSCAN_AGGREGATE_MERCHANT_TALLY_H_
#define CATSCAN_AGGREGATE_MERCHANT_TALLY_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scanner/rules/evaluator.h"

namespace catscan {

struct MerchantCounts {
  uint64_t items_scanned = 0;
  uint64_t items_violating = 0;
  uint64_t violations = 0;
  std::map<uint32_t, uint64_t> by_rule;  // rule index -> hits

  void Merge(const MerchantCounts& other);
};

class MerchantTally {
 public:
  // Counts one scanned record of "merchant" with its violations.
  void AddRecord(std::string_view merchant, const std::vector<Violation>& violations);

  void Merge(const MerchantTally& other);

  // Counts a violation of "rule" found after the scan (a whole-catalog
  // check) on a listing of "merchant" already counted by AddRecord;
  // "newly_violating": the listing had no violation before.
  void AddLateViolation(std::string_view merchant, uint32_t rule, bool newly_violating);

  // Adds "counts" to "merchant" (a tally read back from a shard's partial).
  void Add(const std::string& merchant, const MerchantCounts& counts);

  // Every merchant, sorted by merchant id (bytes).
  std::vector<std::pair<std::string, const MerchantCounts*>> All() const;

  // Merchants with at least one violation, sorted by merchant id (bytes).
  std::vector<std::pair<std::string, const MerchantCounts*>> Violators() const;

  size_t merchant_count() const { return merchants_.size(); }
  size_t violator_count() const;

 private:
  std::unordered_map<std::string, MerchantCounts> merchants_;
};

struct SweepCounts {
  uint64_t records_read = 0;
  uint64_t records_scanned = 0;
  uint64_t records_quarantined = 0;
  uint64_t records_violating = 0;
  uint64_t violations = 0;
  std::map<uint32_t, uint64_t> by_rule;  // rule index -> hits

  // Counts a scanned record (records_read is counted by the caller, which
  // also sees the records that end in quarantine).
  void AddScanned(const std::vector<Violation>& violations);
  // A violation found after the scan, as MerchantTally::AddLateViolation.
  void AddLateViolation(uint32_t rule, bool newly_violating);
  void Merge(const SweepCounts& other);
};

}  // namespace catscan

#endif  // CATSCAN_AGGREGATE_MERCHANT_TALLY_H_
