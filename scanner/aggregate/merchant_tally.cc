#include "scanner/aggregate/merchant_tally.h"

#include <algorithm>

namespace catscan {

void MerchantCounts::Merge(const MerchantCounts& other) {
  items_scanned += other.items_scanned;
  items_violating += other.items_violating;
  violations += other.violations;
  for (const auto& [rule, n] : other.by_rule) by_rule[rule] += n;
}

void MerchantTally::AddRecord(std::string_view merchant, const std::vector<Violation>& violations) {
  auto it = merchants_.find(std::string(merchant));
  if (it == merchants_.end()) it = merchants_.emplace(std::string(merchant), MerchantCounts()).first;
  MerchantCounts& c = it->second;
  ++c.items_scanned;
  if (violations.empty()) return;
  ++c.items_violating;
  c.violations += violations.size();
  for (const Violation& v : violations) ++c.by_rule[v.rule];
}

void MerchantTally::AddLateViolation(std::string_view merchant, uint32_t rule,
                                     bool newly_violating) {
  MerchantCounts& c = merchants_[std::string(merchant)];
  if (newly_violating) ++c.items_violating;
  ++c.violations;
  ++c.by_rule[rule];
}

void MerchantTally::Merge(const MerchantTally& other) {
  for (const auto& [id, counts] : other.merchants_) merchants_[id].Merge(counts);
}

void MerchantTally::Add(const std::string& merchant, const MerchantCounts& counts) {
  merchants_[merchant].Merge(counts);
}

std::vector<std::pair<std::string, const MerchantCounts*>> MerchantTally::All() const {
  std::vector<std::pair<std::string, const MerchantCounts*>> out;
  out.reserve(merchants_.size());
  for (const auto& [id, counts] : merchants_) out.emplace_back(id, &counts);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::vector<std::pair<std::string, const MerchantCounts*>> MerchantTally::Violators() const {
  std::vector<std::pair<std::string, const MerchantCounts*>> out;
  for (const auto& [id, counts] : merchants_) {
    if (counts.violations > 0) out.emplace_back(id, &counts);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

size_t MerchantTally::violator_count() const {
  return static_cast<size_t>(std::count_if(merchants_.begin(), merchants_.end(),
                                           [](const auto& kv) { return kv.second.violations > 0; }));
}

void SweepCounts::AddScanned(const std::vector<Violation>& violations) {
  ++records_scanned;
  if (violations.empty()) return;
  ++records_violating;
  this->violations += violations.size();
  for (const Violation& v : violations) ++by_rule[v.rule];
}

void SweepCounts::AddLateViolation(uint32_t rule, bool newly_violating) {
  if (newly_violating) ++records_violating;
  ++violations;
  ++by_rule[rule];
}

void SweepCounts::Merge(const SweepCounts& o) {
  records_read += o.records_read;
  records_scanned += o.records_scanned;
  records_quarantined += o.records_quarantined;
  records_violating += o.records_violating;
  violations += o.violations;
  for (const auto& [rule, n] : o.by_rule) by_rule[rule] += n;
}

}  // namespace catscan
