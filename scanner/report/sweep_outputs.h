// scanner/report/sweep_outputs.h
//
// The sweep's machine-readable outputs, one JSON object per line. These
// functions only format: the pipeline decides what goes where and writes the
// bytes through OutputFile. Formatting is pure and thread-safe, so workers
// format their chunk's lines in parallel and the collector only appends.
//
//   violations.jsonl  one line per violation: the in-scan violations in input
//                     order, then the whole-catalog findings (clause 3.4,
//                     references to unlisted items) in input order
//   quarantine.jsonl  one line per unreadable record, in input order
//   merchants.jsonl   one line per merchant with a violation, by merchant_id
//   manifest.json     what ran on what, with the counts and times
// README.md shows an example line of each.

#ifndef CATSCAN_REPORT_SWEEP_OUTPUTS_H_
#define CATSCAN_REPORT_SWEEP_OUTPUTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/aggregate/catalog_refs.h"
#include "scanner/aggregate/merchant_tally.h"
#include "scanner/base/json_writer.h"
#include "scanner/record/record.h"
#include "scanner/rules/evaluator.h"

namespace catscan {

// Characters of context kept on each side of a text hit ("before", "after"
// in violations.jsonl), so takedowns and the report can show the match in
// its sentence without reading the catalog again.
constexpr size_t kContextChars = 20;

// The up to kContextChars characters of "field" before byte "start" and
// after byte "end", cut at character boundaries.
std::string_view ContextBefore(std::string_view field, size_t start);
std::string_view ContextAfter(std::string_view field, size_t end);

// Longest raw record kept in quarantine.jsonl.
constexpr size_t kQuarantineRawBytes = 4096;

void AppendViolationLine(std::string* out, const RulePack& pack, const Record& record,
                         const Violation& v);

// A clause 3.4 finding: the same keys as AppendViolationLine, with the
// evidence at the reference in the referrer's text, plus "referenced_id" and
// "reason" (not_in_catalog, off_shelf, no_stock).
void AppendReferenceViolationLine(std::string* out, const RulePack& pack,
                                  const CatalogReference& ref, CatalogRefs::Reason reason);

void AppendQuarantineLine(std::string* out, std::string_view file, uint64_t line,
                          std::string_view reason, std::string_view raw, uint64_t raw_bytes);

void AppendMerchantLine(std::string* out, const RulePack& pack, const std::string& merchant_id,
                        const MerchantCounts& counts);

struct InputReport {
  std::string path;
  uint64_t bytes = 0;               // bytes read from disk (compressed size for zstd)
  uint64_t decompressed_bytes = 0;  // bytes of JSONL
  bool compressed = false;
  uint64_t lines = 0;
};

struct StageSeconds {
  double read = 0;   // reading + decompressing + cutting chunks (input stage)
  double parse = 0;  // simdjson, summed over workers
  double match = 0;  // Hyperscan + field checks, summed over workers
  double write = 0;  // collector: merging and writing
  double wall = 0;
};

struct OutputReport {
  std::string name;  // file name in the output directory
  uint64_t bytes = 0;
  std::string sha256;
};

struct ManifestInfo {
  std::string tool_version;
  std::string started_at;   // ISO 8601 UTC
  std::string finished_at;
  std::vector<InputReport> inputs;
  const RulePack* pack = nullptr;
  size_t pattern_count = 0;
  int threads = 0;
  int shards = 0;  // > 0: merged from this many shard partials (catscan merge)
  bool normalize = true;
  uint64_t max_record_bytes = 0;
  StageSeconds seconds;
  SweepCounts counts;
  uint64_t merchants_scanned = 0;
  uint64_t merchants_violating = 0;
  std::vector<OutputReport> outputs;  // the data files the manifest vouches for
  std::string policy_path;    // the penalty ladder used ("" = built in)
  std::string policy_sha256;
};

std::string ManifestJson(const ManifestInfo& info);

// Pieces of the manifest that a shard's partial.json writes the same way.
void WriteStageSeconds(JsonWriter* w, const StageSeconds& seconds);
void WriteRecordCounts(JsonWriter* w, const SweepCounts& counts);  // records_* and violations
void WriteOutputReports(JsonWriter* w, const std::vector<OutputReport>& outputs);

// Seconds since the epoch as "2026-11-23T03:55:59Z".
std::string IsoTimeUtc(double epoch_seconds);

}  // namespace catscan

#endif  // CATSCAN_REPORT_SWEEP_OUTPUTS_H_
