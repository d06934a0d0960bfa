// The verdict stage's per-listing work, alone: violations.jsonl lines parsed
// back into flagged listings and formatted as takedown rows (JSONL and CSV).
// The sweep runs it on every violating listing after the scan; at one
// thread it was ~5 % of a sweep of the benchmark catalog.
//
//   build/bench/catscan_bench --benchmark_filter=Verdicts

#include <benchmark/benchmark.h>

#include <string>

#include "bench/bench_util.h"
#include "scanner/record/record.h"
#include "scanner/report/sweep_outputs.h"
#include "scanner/rules/evaluator.h"
#include "scanner/verdict/takedowns.h"
#include "scanner/verdict/verdicts.h"

namespace catscan {
namespace {

using bench::Die;

// violations.jsonl as the sweep writes it for the catalog, and the number of
// listings in it (runs of lines with the same item and merchant).
struct ViolationFile {
  std::string lines;
  size_t listings = 0;
};

const ViolationFile& GetViolationFile() {
  static const ViolationFile* file = [] {
    auto* f = new ViolationFile;
    const std::string jsonl = bench::ReadCatalog();
    RecordParser parser(16 << 20);
    Record r;
    std::unique_ptr<Evaluator> eval = std::move(Evaluator::Create(bench::DefaultPack()).value());
    const RulePack& pack = bench::DefaultPack()->pack();
    std::vector<Violation> violations;
    std::string last_item, last_merchant;
    bench::ForEachPaddedLine(jsonl, [&](std::string&& line) {
      if (!parser.Parse(line, line.capacity(), &r).empty()) return;
      if (!eval->Evaluate(r, &violations).ok()) Die("evaluation failed");
      if (violations.empty()) return;
      if (r.item_id != last_item || r.merchant_id != last_merchant) ++f->listings;
      last_item = r.item_id;
      last_merchant = r.merchant_id;
      for (const Violation& v : violations) AppendViolationLine(&f->lines, pack, r, v);
    });
    if (f->listings == 0) Die("the catalog has no violations to give verdicts on");
    return f;
  }();
  return *file;
}

void BM_Verdicts_ParseFormat(benchmark::State& state) {
  const ViolationFile& f = GetViolationFile();
  // simdjson may read SIMDJSON_PADDING bytes past the last line.
  std::string padded = f.lines;
  padded.reserve(padded.size() + 64);
  const std::string_view lines(padded.data(), f.lines.size());
  std::vector<FlaggedListing> listings;
  std::string jsonl, csv;
  for (auto _ : state) {
    jsonl.clear();
    csv.clear();
    if (!ParseFlaggedListings(lines, "violations.jsonl", 1, &listings).ok()) Die("parse failed");
    if (listings.size() != f.listings) Die("listing count differs");
    for (const FlaggedListing& l : listings) {
      AppendTakedownJson(&jsonl, l, Action::kTakedownListing);
      AppendTakedownCsv(&csv, l, Action::kTakedownListing);
    }
    benchmark::DoNotOptimize(jsonl.data());
    benchmark::DoNotOptimize(csv.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.lines.size()));
  state.counters["listings"] = static_cast<double>(f.listings);
}
BENCHMARK(BM_Verdicts_ParseFormat)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace catscan
