// Normalizer micro-benchmarks on the titles and detail_html of a catalog,
// and the match stage with and without normalization.
//
//   CATSCAN_BENCH_CATALOG=big.jsonl.zst catscan_bench --benchmark_filter=Normaliz
//
// The catalog defaults to data/sample.jsonl.zst. This file has no main(): it
// is meant to be listed beside stage_bench.cc in the catscan_bench target
// (which has BENCHMARK_MAIN), or linked alone with benchmark_main.
//
// Before any timing, Verify() checks on every field that NeedsNormalization
// false means Normalize changes nothing, and that the normalized scan finds
// every (field, pattern) the raw scan finds, with hits mapped back onto the
// field; a broken normalizer cannot post a fast number.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_util.h"
#include "scanner/match/pattern_set.h"
#include "scanner/normalize/normalizer.h"
#include "scanner/record/record.h"
#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"

namespace catscan {
namespace {

using Kind = Normalizer::Kind;

using bench::Die;

// Texts of one kind stored back to back, as a record's fields are in the
// chunk the sweep just parsed (one heap block per text would time cache
// misses instead of the normalizer).
struct Texts {
  std::string bytes;
  std::vector<std::pair<size_t, size_t>> spans;  // offset, length
  std::vector<std::string_view> views;

  void Add(std::string_view t) {
    spans.emplace_back(bytes.size(), t.size());
    bytes.append(t);
  }
  void Seal() {
    for (const auto& [off, len] : spans) views.emplace_back(bytes.data() + off, len);
  }
};

struct Corpus {
  std::vector<std::string> lines;  // each with room for padding
  Texts titles, details;
  Texts clean;  // normalized titles and details: text that needs nothing
};

const Normalizer& Norm() {
  static const Normalizer* normalizer = new Normalizer();
  return *normalizer;
}

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    const std::string jsonl = bench::ReadCatalog();
    RecordParser parser(16 << 20);
    Record r;
    NormalizedText out;
    bench::ForEachPaddedLine(jsonl, [&](std::string&& line) {
      if (parser.Parse(line, line.capacity(), &r).empty()) {
        c->titles.Add(r.text[0]);
        c->details.Add(r.text[1]);
        Norm().Normalize(r.text[0], Kind::kPlainText, &out);
        c->clean.Add(out.text());
        Norm().Normalize(r.text[1], Kind::kHtml, &out);
        c->clean.Add(out.text());
      }
      c->lines.push_back(std::move(line));
    });
    for (Texts* t : {&c->titles, &c->details, &c->clean}) t->Seal();
    return c;
  }();
  return *corpus;
}

const PatternSet& Patterns() { return bench::DefaultPack()->patterns(); }

// The match stage for one field, as the scanner would run it: the fast pass,
// then start offsets only for a field that hits. With "normalizer", a field
// that needs it is normalized first and each hit mapped back. Returns the
// number of hits; appends them, in original offsets, to "hits" if given.
struct Matcher {
  std::unique_ptr<PatternSet::Scratch> scratch = std::move(Patterns().NewScratch().value());
  NormalizedText normalized;
  std::vector<PatternHit> found;

  size_t Scan(std::string_view text, int field, const Normalizer* normalizer,
              std::vector<PatternHit>* hits) {
    const Kind kind = field == 0 ? Kind::kPlainText : Kind::kHtml;
    const bool normalize = normalizer != nullptr && normalizer->NeedsNormalization(text, kind);
    std::string_view scanned = text;
    if (normalize) {
      normalizer->Normalize(text, kind, &normalized);
      scanned = normalized.text();
    }
    // Every pattern on every field: the same work with and without
    // normalization, whatever fields and views the rules ask for.
    const uint32_t all_scopes = ~0u;
    if (scanned.empty() || !Patterns().AnyMatch(scanned, all_scopes, scratch.get())) return 0;
    found.clear();
    if (!Patterns().FindAll(scanned, all_scopes, scratch.get(), &found).ok()) Die("FindAll failed");
    if (normalize) {
      for (PatternHit& h : found) std::tie(h.start, h.end) = normalized.ToOriginal(h.start, h.end);
    }
    if (hits != nullptr) hits->insert(hits->end(), found.begin(), found.end());
    return found.size();
  }
};

void Verify() {
  static bool done = false;
  if (done) return;
  done = true;
  const Corpus& c = GetCorpus();
  NormalizedText out;
  size_t fast = 0, fields = 0, raw_hits = 0, norm_hits = 0;
  Matcher m;
  for (size_t i = 0; i < c.titles.views.size(); ++i) {
    for (int f = 0; f < 2; ++f) {
      const std::string_view text = f == 0 ? c.titles.views[i] : c.details.views[i];
      const Kind kind = f == 0 ? Kind::kPlainText : Kind::kHtml;
      ++fields;
      if (!Norm().NeedsNormalization(text, kind)) {
        ++fast;
        Norm().Normalize(text, kind, &out);
        if (out.text() != text) {
          Die("NeedsNormalization false but Normalize changed: " + std::string(text));
        }
      }
      std::vector<PatternHit> raw, norm;
      m.Scan(text, f, nullptr, &raw);
      m.Scan(text, f, &Norm(), &norm);
      raw_hits += raw.size();
      norm_hits += norm.size();
      for (const PatternHit& r : raw) {
        bool seen = false;
        for (const PatternHit& n : norm) seen = seen || n.pattern == r.pattern;
        if (!seen) Die("normalization lost a raw hit in: " + std::string(text));
      }
      for (const PatternHit& n : norm) {
        if (n.start >= n.end || n.end > text.size())
          Die("hit mapped outside: " + std::string(text));
      }
    }
  }
  std::cerr << "normalize_bench: " << c.titles.views.size() << " records; " << fast << "/" << fields
            << " fields need no normalization; hits raw " << raw_hits << ", normalized "
            << norm_hits << "\n";
}

void RunNeeds(benchmark::State& state, const Texts& texts, Kind kind) {
  Verify();
  size_t needed = 0;
  for (auto _ : state) {
    needed = 0;
    for (std::string_view t : texts.views) needed += Norm().NeedsNormalization(t, kind);
    benchmark::DoNotOptimize(needed);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * texts.bytes.size()));
  state.counters["needed"] = static_cast<double>(needed) / static_cast<double>(texts.views.size());
}

void RunNormalize(benchmark::State& state, const Texts& texts, Kind kind) {
  Verify();
  NormalizedText out;
  for (auto _ : state) {
    for (std::string_view t : texts.views) {
      Norm().Normalize(t, kind, &out);
      benchmark::DoNotOptimize(out.text().data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * texts.bytes.size()));
}

void BM_NeedsNormalization_Title(benchmark::State& state) {
  RunNeeds(state, GetCorpus().titles, Kind::kPlainText);
}
BENCHMARK(BM_NeedsNormalization_Title)->Unit(benchmark::kMicrosecond);

// Raw detail_html always starts with a tag, so this stops at once; it is here
// to show that the check costs nothing on the HTML field.
void BM_NeedsNormalization_DetailHtml(benchmark::State& state) {
  RunNeeds(state, GetCorpus().details, Kind::kHtml);
}
BENCHMARK(BM_NeedsNormalization_DetailHtml)->Unit(benchmark::kMicrosecond);

// The whole-text scan speed: normalized fields, which mostly need nothing.
void BM_NeedsNormalization_CleanText(benchmark::State& state) {
  RunNeeds(state, GetCorpus().clean, Kind::kPlainText);
}
BENCHMARK(BM_NeedsNormalization_CleanText)->Unit(benchmark::kMicrosecond);

void BM_Normalize_Title(benchmark::State& state) {
  RunNormalize(state, GetCorpus().titles, Kind::kPlainText);
}
BENCHMARK(BM_Normalize_Title)->Unit(benchmark::kMicrosecond);

void BM_Normalize_DetailHtml(benchmark::State& state) {
  RunNormalize(state, GetCorpus().details, Kind::kHtml);
}
BENCHMARK(BM_Normalize_DetailHtml)->Unit(benchmark::kMicrosecond);

// The fast Hyperscan pass alone over the raw fields and over their normalized
// text (shorter, but denser in Chinese): how much of the difference between
// the two sweeps below is scanning rather than normalizing.
void RunAnyMatch(benchmark::State& state, bool normalized) {
  const Corpus& c = GetCorpus();
  Matcher m;
  uint64_t bytes = 0, fields = 0;
  for (auto _ : state) {
    fields = 0;
    for (size_t i = 0; i < c.titles.views.size(); ++i) {
      for (int f = 0; f < 2; ++f) {
        const std::string_view t =
            normalized ? c.clean.views[2 * i + f] : (f == 0 ? c.titles : c.details).views[i];
        fields += !t.empty() && Patterns().AnyMatch(t, ~0u, m.scratch.get());
      }
    }
    benchmark::DoNotOptimize(fields);
  }
  bytes = c.titles.bytes.size() + c.details.bytes.size();  // raw bytes either way
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["fields_hit"] = static_cast<double>(fields);
}
void BM_AnyMatch_RawText(benchmark::State& state) { RunAnyMatch(state, false); }
BENCHMARK(BM_AnyMatch_RawText)->Unit(benchmark::kMillisecond);
void BM_AnyMatch_NormalizedText(benchmark::State& state) { RunAnyMatch(state, true); }
BENCHMARK(BM_AnyMatch_NormalizedText)->Unit(benchmark::kMillisecond);

// Parse + match every record, without and with normalization: the two
// numbers bound what normalizing costs the sweep (the rest of the sweep,
// I/O, rules and tallies, is the same either way).
void RunSweep(benchmark::State& state, const Normalizer* normalizer) {
  Verify();
  const Corpus& c = GetCorpus();
  RecordParser parser(16 << 20);
  Record r;
  Matcher m;
  size_t hits = 0;
  uint64_t bytes = 0;
  for (const std::string& l : c.lines) bytes += l.size() + 1;
  for (auto _ : state) {
    hits = 0;
    for (const std::string& l : c.lines) {
      if (!parser.Parse(l, l.capacity(), &r).empty()) continue;
      for (int f = 0; f < 2; ++f) hits += m.Scan(r.text[f], f, normalizer, nullptr);
    }
    benchmark::DoNotOptimize(hits);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["hits"] = static_cast<double>(hits);
}

void BM_ParseMatch_Raw(benchmark::State& state) { RunSweep(state, nullptr); }
BENCHMARK(BM_ParseMatch_Raw)->Unit(benchmark::kMillisecond);

void BM_ParseMatch_Normalized(benchmark::State& state) { RunSweep(state, &Norm()); }
BENCHMARK(BM_ParseMatch_Normalized)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace catscan
