// What each stage of a sweep allows, measured alone on one catalog file, one
// thread, and the same stages chained the way a worker runs them. bench/run
// calls it and compares `catscan scan` with these limits.
//
//   build/bench/catscan_stage_limits [--rules PACK | --patterns FILE]
//                                    [--batch-kb N] [--no-normalize] CATALOG
//
// Pass 1 works batch by batch (default 64 MiB of JSONL, so memory stays
// bounded): decompress the batch (timed), parse every line (timed), then,
// untimed, copy the text fields out; normalize the fields that need it
// (timed); scan them with the pack's Hyperscan databases the way the
// evaluator does, fast pass then start offsets only for fields that hit
// (timed). Each stage's time is summed over the file.
// Pass 2 decompresses again and, per line, parses and runs the Evaluator
// (normalize + scan + field checks): the chained limit of one worker, with
// the cache interference between stages that the sum of pass 1 hides.
// Both passes must agree on the records, and every field with a violation
// must have hit in the scan stage (exceptions and conditions only drop hits),
// or the tool fails: a broken stage cannot post a fast number.
//
// Prints one JSON object on stdout; throughputs are bytes of decompressed
// JSONL per second, so every stage is comparable with the whole sweep.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "scanner/normalize/normalizer.h"
#include "scanner/record/record.h"
#include "scanner/rules/evaluator.h"
#include "scanner/rules/pattern_list.h"
#include "scanner/rules/rule_pack.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"

#ifndef CATSCAN_SOURCE_PACK_DIR
#error "CATSCAN_SOURCE_PACK_DIR must be defined"
#endif

namespace catscan {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "catscan_stage_limits: " << why << "\n";
  std::exit(1);
}

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Reads the catalog in batches of whole lines.
class BatchReader {
 public:
  BatchReader(const std::string& path, size_t batch_bytes) : batch_bytes_(batch_bytes) {
    StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open({path, 0, false});
    if (!src.ok()) Die(src.status().message());
    src_ = std::move(src.value());
  }

  // Fills "batch" with whole lines (the last line of the file may lack its
  // newline); returns false at the end. Only the decompression is timed.
  bool Next(std::string* batch, double* seconds) {
    batch->clear();
    batch->reserve(batch_bytes_ + kBlock + kChunkPadding);
    batch->append(carry_);
    carry_.clear();
    const Clock::time_point t0 = Clock::now();
    while (!eof_ && batch->size() < batch_bytes_) {
      const size_t old = batch->size();
      batch->resize(old + kBlock);
      StatusOr<size_t> n = src_->Read(&(*batch)[old], kBlock);
      if (!n.ok()) Die(n.status().message());
      batch->resize(old + n.value());
      if (n.value() == 0) eof_ = true;
    }
    *seconds += Since(t0);
    if (!eof_) {
      const size_t last_nl = batch->rfind('\n');
      if (last_nl == std::string::npos) Die("a line longer than the batch");
      carry_.assign(*batch, last_nl + 1, std::string::npos);
      batch->resize(last_nl + 1);
    }
    batch->reserve(batch->size() + kChunkPadding);
    return !batch->empty();
  }

 private:
  static constexpr size_t kBlock = 256 << 10;
  std::unique_ptr<ByteSource> src_;
  size_t batch_bytes_;
  std::string carry_;
  bool eof_ = false;
};

// Calls fn(line) for every non-blank line of "batch".
template <typename Fn>
void ForEachLine(const std::string& batch, Fn fn) {
  const char* p = batch.data();
  const char* end = p + batch.size();
  while (p < end) {
    const char* nl = static_cast<const char*>(memchr(p, '\n', static_cast<size_t>(end - p)));
    const char* line_end = nl ? nl : end;
    std::string_view line(p, static_cast<size_t>(line_end - p));
    p = nl ? nl + 1 : end;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlankLine(line)) continue;
    fn(line);
  }
}

struct Figures {
  uint64_t jsonl_bytes = 0, records = 0, text_bytes = 0, fields_hit = 0;
  double decompress = 0, parse = 0, normalize = 0, scan = 0;
  double chained_decompress = 0, chained_work = 0;
  uint64_t chained_records = 0, chained_fields_hit = 0;
};

void Run(const std::string& catalog, std::shared_ptr<const CompiledPack> pack, size_t batch_bytes,
         bool normalize, Figures* f) {
  constexpr size_t kMaxRecord = 16 << 20;
  const Normalizer normalizer;
  const PatternSet& set = pack->patterns();
  std::unique_ptr<PatternSet::Scratch> scratch = std::move(set.NewScratch().value());
  bool has_raw_view = false;
  for (const Rule& r : pack->pack().rules) {
    has_raw_view |= r.view != TextView::kNormalized && !r.patterns.empty();
  }
  RecordParser parser(kMaxRecord);
  Record record;
  std::string batch;

  // Pass 1: each stage alone.
  struct Text {
    std::string_view raw;  // into the batch
    int field;
    bool changed;
    size_t norm_begin = 0, norm_end = 0;  // into "normalized"
  };
  std::vector<Text> texts;
  // Reused batch after batch, so their pages are touched once.
  std::string arena, normalized;
  std::vector<std::pair<size_t, size_t>> spans;
  std::vector<int> fields;
  NormalizedText norm;
  std::vector<PatternHit> hits;
  BatchReader reader(catalog, batch_bytes);
  while (reader.Next(&batch, &f->decompress)) {
    f->jsonl_bytes += batch.size();
    const char* limit = batch.data() + batch.capacity();
    uint64_t ok = 0;
    Clock::time_point t0 = Clock::now();
    ForEachLine(batch, [&](std::string_view line) {
      ok += parser.Parse(line, static_cast<size_t>(limit - line.data()), &record).empty();
    });
    f->parse += Since(t0);
    f->records += ok;
    // Untimed: the text fields of the batch. Views into "batch" stay valid:
    // the parser returns views into the line for strings without escapes,
    // so copy them into an arena first.
    arena.clear();
    spans.clear();
    fields.clear();
    ForEachLine(batch, [&](std::string_view line) {
      if (!parser.Parse(line, static_cast<size_t>(limit - line.data()), &record).empty()) return;
      for (int i = 0; i < kNumTextFields; ++i) {
        if (record.text[i].empty()) continue;
        spans.emplace_back(arena.size(), record.text[i].size());
        fields.push_back(i);
        arena.append(record.text[i]);
      }
    });
    texts.clear();
    for (size_t i = 0; i < spans.size(); ++i) {
      texts.push_back({std::string_view(arena).substr(spans[i].first, spans[i].second), fields[i],
                       false});
      f->text_bytes += spans[i].second;
    }
    normalized.clear();
    t0 = Clock::now();
    if (normalize) {
      for (Text& t : texts) {
        const Normalizer::Kind kind =
            t.field == 1 ? Normalizer::Kind::kHtml : Normalizer::Kind::kPlainText;
        if (!normalizer.NeedsNormalization(t.raw, kind)) continue;
        normalizer.Normalize(t.raw, kind, &norm);
        t.changed = true;
        t.norm_begin = normalized.size();
        normalized.append(norm.text());
        t.norm_end = normalized.size();
      }
    }
    f->normalize += Since(t0);
    t0 = Clock::now();
    for (const Text& t : texts) {
      const uint32_t raw_bit = 1u << t.field;
      const uint32_t norm_bit = raw_bit << kNumTextFields;
      bool hit = false;
      const auto scan = [&](std::string_view text, uint32_t mask) {
        if (!set.AnyMatch(text, mask, scratch.get())) return;
        hit = true;
        hits.clear();
        if (!set.FindAll(text, mask, scratch.get(), &hits).ok()) Die("Hyperscan scan failed");
      };
      if (!t.changed) {
        scan(t.raw, normalize ? raw_bit | norm_bit : raw_bit);
      } else {
        if (has_raw_view) scan(t.raw, raw_bit);
        scan(std::string_view(normalized).substr(t.norm_begin, t.norm_end - t.norm_begin),
             norm_bit);
      }
      f->fields_hit += hit;
    }
    f->scan += Since(t0);
  }

  // Pass 2: chained in one thread, as a worker does it.
  StatusOr<std::unique_ptr<Evaluator>> eval = Evaluator::Create(pack, normalize);
  if (!eval.ok()) Die(eval.status().message());
  std::vector<Violation> violations;
  BatchReader reader2(catalog, batch_bytes);
  while (reader2.Next(&batch, &f->chained_decompress)) {
    const char* limit = batch.data() + batch.capacity();
    const Clock::time_point t0 = Clock::now();
    ForEachLine(batch, [&](std::string_view line) {
      if (!parser.Parse(line, static_cast<size_t>(limit - line.data()), &record).empty()) return;
      ++f->chained_records;
      if (!eval.value()->Evaluate(record, &violations).ok()) Die("evaluation failed");
      bool field_hit[kNumTextFields] = {false, false};
      for (const Violation& v : violations) {
        if (v.is_text) field_hit[static_cast<int>(v.field)] = true;
      }
      f->chained_fields_hit += field_hit[0] + field_hit[1];
    });
    f->chained_work += Since(t0);
  }
  if (f->chained_records != f->records) Die("the two passes read different record counts");
  // A rule's exceptions and conditions can only drop a pattern hit, so every
  // field with a violation must have had a hit in the scan stage.
  if (f->chained_fields_hit > f->fields_hit || (f->fields_hit > 0 && f->chained_fields_hit == 0)) {
    Die("the stage pass and the evaluator disagree on which fields hit (" +
        std::to_string(f->fields_hit) + " scanned vs " + std::to_string(f->chained_fields_hit) +
        " with violations)");
  }
}

int Main(int argc, char** argv) {
  std::string rules, patterns, catalog;
  size_t batch_kb = 1024;
  bool normalize = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) {
      rules = argv[++i];
    } else if (a == "--patterns" && i + 1 < argc) {
      patterns = argv[++i];
    } else if (a == "--batch-kb" && i + 1 < argc) {
      batch_kb = std::stoul(argv[++i]);
    } else if (a == "--no-normalize") {
      normalize = false;
    } else if (!a.empty() && a[0] != '-' && catalog.empty()) {
      catalog = a;
    } else {
      Die("usage: catscan_stage_limits [--rules PACK | --patterns FILE] [--batch-kb N] "
          "[--no-normalize] CATALOG");
    }
  }
  if (catalog.empty()) Die("no catalog given");
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = patterns.empty()
                                ? LoadRulePack(rules.empty() ? CATSCAN_SOURCE_PACK_DIR : rules, &diags)
                                : LoadPatternList(patterns, {}, &diags);
  if (!pack.ok()) Die(pack.status().message());
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags);
  if (!compiled.ok()) Die(compiled.status().message());
  Figures f;
  Run(catalog, compiled.value(), batch_kb << 10, normalize, &f);
  std::printf(
      "{\"jsonl_bytes\":%llu,\"records\":%llu,\"text_bytes\":%llu,\"fields_hit\":%llu,"
      "\"fields_with_violations\":%llu,"
      "\"seconds\":{\"decompress\":%.6f,\"parse\":%.6f,\"normalize\":%.6f,\"scan\":%.6f,"
      "\"chained\":%.6f,\"chained_decompress\":%.6f,\"chained_parse_evaluate\":%.6f}}\n",
      static_cast<unsigned long long>(f.jsonl_bytes), static_cast<unsigned long long>(f.records),
      static_cast<unsigned long long>(f.text_bytes),
      static_cast<unsigned long long>(f.fields_hit),
      static_cast<unsigned long long>(f.chained_fields_hit), f.decompress, f.parse, f.normalize, f.scan,
      f.chained_decompress + f.chained_work, f.chained_decompress, f.chained_work);
  return 0;
}

}  // namespace
}  // namespace catscan

int main(int argc, char** argv) { return catscan::Main(argc, argv); }
