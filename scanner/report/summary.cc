#include "scanner/report/summary.h"

#include <algorithm>
#include <cstdio>

namespace catscan {
namespace {

std::string Format(const char* fmt, double a, double b = 0, double c = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, fmt, a, b, c);
  return buf;
}

}  // namespace

std::string FormatSummary(const ManifestInfo& m, const MerchantTally& merchants,
                          const std::vector<std::string>& outputs, size_t top_n) {
  const SweepCounts& c = m.counts;
  uint64_t bytes = 0;
  for (const InputReport& in : m.inputs) bytes += in.decompressed_bytes;
  const double secs = m.seconds.wall > 0 ? m.seconds.wall : 1e-9;
  std::string s;
  s += "catscan " + m.tool_version + ": swept " + std::to_string(m.inputs.size()) +
       " input(s) with rule pack " + m.pack->id() + " on " + std::to_string(m.threads) +
       " thread(s)\n";
  s += "  records: " + std::to_string(c.records_read) + " read, " +
       std::to_string(c.records_scanned) + " scanned, " + std::to_string(c.records_quarantined) +
       " quarantined\n";
  s += "  violations: " + std::to_string(c.violations) + " in " +
       std::to_string(c.records_violating) + " listing(s) of " +
       std::to_string(m.merchants_violating) + " merchant(s) (of " +
       std::to_string(m.merchants_scanned) + ")\n";
  s += Format("  throughput: %.1f MB of JSONL in %.2f s = %.1f MB/s\n", bytes / 1e6, secs,
              bytes / 1e6 / secs);

  std::vector<std::pair<uint64_t, uint32_t>> rules;
  for (const auto& [rule, n] : c.by_rule) rules.emplace_back(n, rule);
  std::sort(rules.begin(), rules.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return m.pack->rules[a.second].id < m.pack->rules[b.second].id;
  });
  if (!rules.empty()) s += "  top rules:\n";
  for (size_t i = 0; i < rules.size() && i < top_n; ++i) {
    s += "    " + std::to_string(rules[i].first) + "\t" + m.pack->rules[rules[i].second].id + "\n";
  }
  auto violators = merchants.Violators();
  std::stable_sort(violators.begin(), violators.end(), [](const auto& a, const auto& b) {
    return a.second->violations > b.second->violations;
  });
  if (!violators.empty()) s += "  top merchants:\n";
  for (size_t i = 0; i < violators.size() && i < top_n; ++i) {
    const MerchantCounts& mc = *violators[i].second;
    s += "    " + violators[i].first + "\t" + std::to_string(mc.violations) + " violation(s) in " +
         std::to_string(mc.items_violating) + " of " + std::to_string(mc.items_scanned) +
         " listing(s)\n";
  }
  s += "outputs:\n";
  for (const std::string& o : outputs) s += "  " + o + "\n";
  return s;
}

}  // namespace catscan
