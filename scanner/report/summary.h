// scanner/report/summary.h
//
// The few lines a person reads on stdout when a sweep ends: counts, the top
// rules and merchants, throughput, and where the outputs are.

#ifndef CATSCAN_REPORT_SUMMARY_H_
#define CATSCAN_REPORT_SUMMARY_H_

#include <string>
#include <vector>

#include "scanner/aggregate/merchant_tally.h"
#include "scanner/report/sweep_outputs.h"

namespace catscan {

std::string FormatSummary(const ManifestInfo& manifest, const MerchantTally& merchants,
                          const std::vector<std::string>& outputs, size_t top_n = 5);

}  // namespace catscan

#endif  // CATSCAN_REPORT_SUMMARY_H_
