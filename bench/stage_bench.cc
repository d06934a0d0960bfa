// Per-stage micro-benchmarks: each stage alone on the same catalog, so the
// sweep can be compared with what its parts allow.
//
//   build/bench/catscan_bench [--benchmark_min_time=0.5]
//   CATSCAN_BENCH_CATALOG=big.jsonl.zst build/bench/catscan_bench
//
// The catalog defaults to data/sample.jsonl.zst. Every benchmark verifies its
// result against a reference before timing (simdjson's habit), so a broken
// stage cannot post a fast number.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "scanner/aggregate/merchant_tally.h"
#include "scanner/record/record.h"
#include "scanner/rules/evaluator.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"

namespace catscan {
namespace {

using bench::CatalogPath;
using bench::DefaultPack;
using bench::Die;

// The catalog, decompressed, with its lines and parsed text fields.
struct Corpus {
  std::string jsonl;
  std::vector<std::string> lines;         // each with room for padding
  std::vector<std::string> titles, details;
  std::vector<Record> numbers;            // numeric fields only (no text views)
  std::vector<std::string> merchants;     // merchant id of each parsed record
  std::vector<std::vector<uint32_t>> rules_hit;  // rule of each violation, per record
  uint64_t text_bytes = 0;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    c->jsonl = bench::ReadCatalog();
    RecordParser parser(16 << 20);
    Record r;
    std::unique_ptr<Evaluator> eval = std::move(Evaluator::Create(DefaultPack()).value());
    std::vector<Violation> violations;
    bench::ForEachPaddedLine(c->jsonl, [&](std::string&& line) {
      if (parser.Parse(line, line.capacity(), &r).empty()) {
        c->titles.emplace_back(r.text[0]);
        c->details.emplace_back(r.text[1]);
        c->text_bytes += r.text[0].size() + r.text[1].size();
        Record numbers;
        numbers.number = r.number;
        numbers.number_present = r.number_present;
        c->numbers.push_back(numbers);
        c->merchants.emplace_back(r.merchant_id);
        if (!eval->Evaluate(r, &violations).ok()) Die("evaluation failed");
        std::vector<uint32_t> rules;
        for (const Violation& v : violations) rules.push_back(v.rule);
        c->rules_hit.push_back(std::move(rules));
      }
      c->lines.push_back(std::move(line));
    });
    return c;
  }();
  return *corpus;
}

void BM_Decompress_Stream(benchmark::State& state) {
  const uint64_t expected = GetCorpus().jsonl.size();
  std::vector<char> buf(256 << 10);
  for (auto _ : state) {
    StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open({CatalogPath(), 0, false});
    uint64_t total = 0;
    for (;;) {
      StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
      if (!n.ok() || n.value() == 0) break;
      total += n.value();
    }
    if (total != expected) Die("decompressed size differs");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * expected));
}
BENCHMARK(BM_Decompress_Stream)->Unit(benchmark::kMillisecond);

void BM_Chunk_Lines(benchmark::State& state) {
  const uint64_t expected = GetCorpus().jsonl.size();
  for (auto _ : state) {
    StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open({CatalogPath(), 0, false});
    Chunker chunker(std::move(src.value()), 0, ChunkerOptions{});
    Chunk chunk;
    uint64_t total = 0;
    while (chunker.Next(&chunk).value()) total += chunk.data.size();
    if (total != expected) Die("chunked size differs");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * expected));
}
BENCHMARK(BM_Chunk_Lines)->Unit(benchmark::kMillisecond);

void BM_Parse_Records(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  RecordParser parser(16 << 20);
  Record r;
  uint64_t bytes = 0;
  for (const std::string& l : c.lines) bytes += l.size() + 1;
  for (auto _ : state) {
    size_t ok = 0;
    for (const std::string& l : c.lines) ok += parser.Parse(l, l.capacity(), &r).empty();
    if (ok != c.titles.size()) Die("parsed record count differs");
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_Parse_Records)->Unit(benchmark::kMillisecond);

// Counts (field, hit) pairs both ways once, so the two match strategies are
// known to agree before either is timed. Only hits of trigger patterns
// count: an exception alone does not make a field worth rescanning (it only
// cancels hits), so the fast pass rightly skips fields it alone matches.
size_t CountHits(bool fast_pass_first) {
  const Corpus& c = GetCorpus();
  const PatternSet& set = DefaultPack()->patterns();
  std::unique_ptr<PatternSet::Scratch> scratch = std::move(set.NewScratch().value());
  std::vector<PatternHit> hits;
  size_t n = 0;
  for (int f = 0; f < 2; ++f) {
    for (const std::string& text : f == 0 ? c.titles : c.details) {
      const uint32_t bit = (1u << f) | (1u << (f + kNumTextFields));  // raw and normalized views
      if (fast_pass_first && !set.AnyMatch(text, bit, scratch.get())) continue;
      hits.clear();
      (void)set.FindAll(text, bit, scratch.get(), &hits);
      for (const PatternHit& h : hits) n += set.is_trigger(h.pattern);
    }
  }
  return n;
}

// What the scanner does: a fast scan without start offsets on every field,
// and a start-of-match scan only of fields that hit.
void BM_Match_FastPassThenSom(benchmark::State& state) {
  const size_t expected = CountHits(false);
  if (CountHits(true) != expected) Die("fast pass + SOM disagrees with SOM for all");
  for (auto _ : state) benchmark::DoNotOptimize(CountHits(true));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * GetCorpus().text_bytes));
  state.counters["hits"] = static_cast<double>(expected);
}
BENCHMARK(BM_Match_FastPassThenSom)->Unit(benchmark::kMillisecond);

// The fast database alone (no start offsets, stops at the first hit of a
// field): the cost every field pays; the SOM database runs only on hits.
void BM_Match_FastDbOnly(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  const PatternSet& set = DefaultPack()->patterns();
  std::unique_ptr<PatternSet::Scratch> scratch = std::move(set.NewScratch().value());
  for (auto _ : state) {
    size_t fields_hit = 0;
    for (int f = 0; f < 2; ++f) {
      const uint32_t bit = (1u << f) | (1u << (f + kNumTextFields));
      for (const std::string& text : f == 0 ? c.titles : c.details) {
        fields_hit += set.AnyMatch(text, bit, scratch.get());
      }
    }
    benchmark::DoNotOptimize(fields_hit);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.text_bytes));
}
BENCHMARK(BM_Match_FastDbOnly)->Unit(benchmark::kMillisecond);

// The alternative: start-of-match tracking on every field.
void BM_Match_SomForAll(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(CountHits(false));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * GetCorpus().text_bytes));
}
BENCHMARK(BM_Match_SomForAll)->Unit(benchmark::kMillisecond);

// Every field check of the default pack (rule checks and checks inside
// conditions) on every record's numbers. Items/s: records.
void BM_FieldChecks(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  std::vector<const FieldCheck*> checks;
  for (const Rule& rule : DefaultPack()->pack().rules) {
    if (rule.check && !rule.check->uses_text_price()) checks.push_back(&*rule.check);
    for (const auto* list : {&rule.all_of, &rule.any_of, &rule.none_of}) {
      for (const RuleCondition& cond : *list) {
        if (cond.check && !cond.check->uses_text_price()) checks.push_back(&*cond.check);
      }
    }
  }
  if (checks.empty()) Die("the default pack has no field checks");
  for (auto _ : state) {
    size_t true_checks = 0;
    for (const Record& r : c.numbers) {
      for (const FieldCheck* check : checks) true_checks += check->Evaluate(r);
    }
    benchmark::DoNotOptimize(true_checks);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.numbers.size()));
  state.counters["checks"] = static_cast<double>(checks.size());
}
BENCHMARK(BM_FieldChecks)->Unit(benchmark::kMicrosecond);

// Per-merchant aggregation alone: each record's merchant and the rules it
// broke, as the evaluator found them. Items/s: records.
void BM_Aggregate_MerchantTally(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  std::vector<std::vector<Violation>> violations(c.rules_hit.size());
  uint64_t expected = 0;
  for (size_t i = 0; i < c.rules_hit.size(); ++i) {
    for (uint32_t rule : c.rules_hit[i]) {
      Violation v;
      v.rule = rule;
      violations[i].push_back(std::move(v));
    }
    expected += c.rules_hit[i].size();
  }
  for (auto _ : state) {
    MerchantTally tally;
    for (size_t i = 0; i < c.merchants.size(); ++i) tally.AddRecord(c.merchants[i], violations[i]);
    uint64_t total = 0;
    for (const auto& [id, counts] : tally.All()) total += counts->violations;
    if (total != expected) Die("tallied violation count differs");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * c.merchants.size()));
}
BENCHMARK(BM_Aggregate_MerchantTally)->Unit(benchmark::kMicrosecond);

// Parse + evaluate (patterns and field checks) + tally: one worker's job.
void BM_ParseEvaluateTally(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  RecordParser parser(16 << 20);
  Record r;
  std::unique_ptr<Evaluator> eval = std::move(Evaluator::Create(DefaultPack()).value());
  std::vector<Violation> violations;
  uint64_t bytes = 0;
  for (const std::string& l : c.lines) bytes += l.size() + 1;
  for (auto _ : state) {
    MerchantTally tally;
    SweepCounts counts;
    for (const std::string& l : c.lines) {
      if (!parser.Parse(l, l.capacity(), &r).empty()) continue;
      (void)eval->Evaluate(r, &violations);
      counts.AddScanned(violations);
      tally.AddRecord(r.merchant_id, violations);
    }
    if (counts.records_scanned != c.titles.size()) Die("scanned count differs");
    benchmark::DoNotOptimize(counts.violations);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseEvaluateTally)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace catscan

BENCHMARK_MAIN();
