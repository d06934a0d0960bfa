#include "scanner/cli/bench_rules.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "scanner/base/json_writer.h"
#include "scanner/base/output_file.h"
#include "scanner/cli/pack_loader.h"
#include "scanner/normalize/normalizer.h"
#include "scanner/record/record.h"
#include "scanner/rules/evaluator.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"

namespace catscan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// One readable record of the sample, owning its strings (the parser's views
// die with the next parse).
struct SampleRecord {
  std::string item_id, merchant_id, title, detail, category, status;
  Record record;  // views into the strings above, set once they stop moving
};

struct Sample {
  std::string path;
  uint64_t jsonl_bytes = 0, text_bytes = 0;
  std::vector<SampleRecord> records;
};

Status LoadSample(const std::string& path, Sample* sample) {
  sample->path = path;
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open({path, 0, false});
  if (!src.ok()) return src.status();
  std::string jsonl;
  std::vector<char> buf(1 << 20);
  for (;;) {
    StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
    if (!n.ok()) return n.status();
    if (n.value() == 0) break;
    jsonl.append(buf.data(), n.value());
  }
  sample->jsonl_bytes = jsonl.size();
  jsonl.reserve(jsonl.size() + kChunkPadding);
  RecordParser parser(16 << 20);
  Record r;
  for (size_t pos = 0; pos < jsonl.size();) {
    size_t nl = jsonl.find('\n', pos);
    if (nl == std::string::npos) nl = jsonl.size();
    std::string_view line(jsonl.data() + pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (IsBlankLine(line)) continue;
    if (!parser.Parse(line, jsonl.capacity() - static_cast<size_t>(line.data() - jsonl.data()), &r)
             .empty()) {
      continue;  // unreadable records are the sweep's business, not the pack's
    }
    SampleRecord s;
    s.item_id = r.item_id;
    s.merchant_id = r.merchant_id;
    s.title = r.text[0];
    s.detail = r.text[1];
    s.category = r.category;
    s.status = r.status;
    s.record.number = r.number;
    s.record.number_present = r.number_present;
    sample->text_bytes += s.title.size() + s.detail.size();
    sample->records.push_back(std::move(s));
  }
  for (SampleRecord& s : sample->records) {
    s.record.item_id = s.item_id;
    s.record.merchant_id = s.merchant_id;
    s.record.text = {s.title, s.detail};
    s.record.category = s.category;
    s.record.status = s.status;
  }
  if (sample->records.empty()) return InputError(path + ": no readable records in the sample");
  return Status::OK();
}

struct RuleCost {
  uint32_t rule;
  double seconds;
};

struct PackFigures {
  std::shared_ptr<const CompiledPack> pack;
  double load_seconds = 0;         // read + validate + compile, fresh
  double compile_seconds = 0;      // the Hyperscan part of it
  double cache_start_seconds = 0;  // read + validate + load from the cache
  size_t database_bytes = 0, scratch_bytes = 0;
  double scan_seconds = 0;         // best whole pass over the sample
  uint64_t violations = 0, listings_hit = 0;
  std::vector<uint64_t> rule_violations, rule_listings;
  std::vector<std::vector<uint32_t>> record_rules;  // per sample record, sorted
  bool profiled = false;
  std::vector<RuleCost> costs;  // per rule with patterns, most expensive first
  double cost_total = 0;
};

// A private cache directory, removed at the end: the compile is always
// measured fresh and the user's cache is left alone.
class TempCacheDir {
 public:
  TempCacheDir() {
    const char* base = std::getenv("TMPDIR");
    std::string t = std::string(base && *base ? base : "/tmp") + "/catscan-bench-rules-XXXXXX";
    if (mkdtemp(t.data()) != nullptr) path_ = t;
  }
  ~TempCacheDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

PackRequest RequestFor(const std::string& path, const BenchRulesFlags& flags) {
  PackRequest req;
  std::error_code ec;
  const std::string ext = fs::path(path).extension().string();
  if (fs::is_directory(path, ec) || ext == ".yaml" || ext == ".yml") {
    req.rules = path;
  } else {
    req.patterns = path;
    req.literal = flags.literal;
  }
  req.skip_bad_patterns = flags.skip_bad_patterns;
  return req;
}

// Times each rule's own database over the texts it would see.
void ProfileRules(const Sample& sample, bool normalize, PackFigures* f) {
  const RulePack& pack = f->pack->pack();
  const Normalizer normalizer;
  std::vector<std::string> raw, norm;  // norm: normalized view of each field
  NormalizedText n;
  for (const SampleRecord& s : sample.records) {
    for (int i = 0; i < kNumTextFields; ++i) {
      const std::string& text = i == 0 ? s.title : s.detail;
      if (text.empty()) continue;
      raw.push_back(text);
      const Normalizer::Kind kind = i == 1 ? Normalizer::Kind::kHtml : Normalizer::Kind::kPlainText;
      if (normalize && normalizer.NeedsNormalization(text, kind)) {
        normalizer.Normalize(text, kind, &n);
        norm.emplace_back(n.text());
      } else {
        norm.push_back(text);
      }
    }
  }
  for (uint32_t r = 0; r < pack.rules.size(); ++r) {
    const Rule& rule = pack.rules[r];
    if (rule.patterns.empty()) continue;
    std::vector<PatternSpec> specs;
    for (const RulePattern& p : rule.patterns) specs.push_back({p.expression, p.caseless, ~0u});
    std::vector<PatternError> errors;
    StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors);
    if (!set.ok()) continue;
    std::unique_ptr<PatternSet::Scratch> scratch = std::move(set.value()->NewScratch().value());
    double best = 1e9;
    volatile size_t sink = 0;
    for (int rep = 0; rep < 3; ++rep) {
      const Clock::time_point t0 = Clock::now();
      size_t hits = 0;
      if (rule.view != TextView::kNormalized || !normalize) {
        for (const std::string& t : raw) hits += set.value()->AnyMatch(t, ~0u, scratch.get());
      }
      if (rule.view != TextView::kRaw && normalize) {
        for (const std::string& t : norm) hits += set.value()->AnyMatch(t, ~0u, scratch.get());
      }
      best = std::min(best, Since(t0));
      sink = sink + hits;  // the scans' results are used, so they cannot be dropped
    }
    f->costs.push_back({r, best});
    f->cost_total += best;
  }
  std::stable_sort(f->costs.begin(), f->costs.end(),
                   [](const RuleCost& a, const RuleCost& b) { return a.seconds > b.seconds; });
  f->profiled = true;
}

Status MeasurePack(const std::string& path, const BenchRulesFlags& flags, const Sample& sample,
                   PackFigures* f) {
  TempCacheDir dir;
  if (dir.path().empty()) return InternalError("cannot create a temporary directory");
  const DatabaseCache cache(dir.path());
  PackRequest req = RequestFor(path, flags);
  req.cache = &cache;
  Clock::time_point t0 = Clock::now();
  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadCompiledPack(req);
  f->load_seconds = Since(t0);
  if (!pack.ok()) return pack.status();
  f->pack = pack.value();
  f->compile_seconds = f->pack->patterns().build_info().seconds;
  f->database_bytes = f->pack->patterns().build_info().database_bytes;
  // Start-up from the cache; the diagnostics were printed once already.
  std::streambuf* saved = std::cerr.rdbuf(nullptr);
  t0 = Clock::now();
  StatusOr<std::shared_ptr<const CompiledPack>> again = LoadCompiledPack(req);
  f->cache_start_seconds = Since(t0);
  std::cerr.rdbuf(saved);
  if (again.ok() && !again.value()->patterns().build_info().from_cache &&
      f->pack->pattern_count() > 0) {
    std::cerr << "catscan: note: " << path << " was not served from the cache ("
              << f->pack->patterns().build_info().cache_error << ")\n";
  }
  {
    StatusOr<std::unique_ptr<PatternSet::Scratch>> s = f->pack->patterns().NewScratch();
    if (!s.ok()) return s.status();
    f->scratch_bytes = f->pack->patterns().ScratchBytes(*s.value());
  }

  StatusOr<std::unique_ptr<Evaluator>> eval = Evaluator::Create(f->pack, !flags.no_normalize);
  if (!eval.ok()) return eval.status();
  const size_t n_rules = f->pack->pack().rules.size();
  f->rule_violations.assign(n_rules, 0);
  f->rule_listings.assign(n_rules, 0);
  std::vector<Violation> v;
  for (const SampleRecord& s : sample.records) {
    if (Status st = eval.value()->Evaluate(s.record, &v); !st.ok()) return st;
    std::vector<uint32_t> rules;
    for (const Violation& x : v) {
      ++f->rule_violations[x.rule];
      rules.push_back(x.rule);
    }
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    for (uint32_t r : rules) ++f->rule_listings[r];
    f->violations += v.size();
    f->listings_hit += !rules.empty();
    f->record_rules.push_back(std::move(rules));
  }
  // Whole-pack throughput: best of repeated passes, at least min_seconds.
  f->scan_seconds = 1e9;
  double spent = 0;
  for (int pass = 0; pass < 3 || spent < flags.min_seconds; ++pass) {
    t0 = Clock::now();
    for (const SampleRecord& s : sample.records) (void)eval.value()->Evaluate(s.record, &v);
    const double t = Since(t0);
    f->scan_seconds = std::min(f->scan_seconds, t);
    spent += t;
    if (pass > 1000) break;
  }
  if (n_rules <= flags.max_profile) ProfileRules(sample, !flags.no_normalize, f);
  return Status::OK();
}

std::string Human(double bytes) {
  char buf[32];
  if (bytes >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.1f MB", bytes / 1e6);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f KB", bytes / 1e3);
  }
  return buf;
}

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// Listings hit by "a" but by no rule of "b".
std::vector<size_t> OnlyIn(const PackFigures& a, const PackFigures& b) {
  std::vector<size_t> out;
  for (size_t i = 0; i < a.record_rules.size(); ++i) {
    if (!a.record_rules[i].empty() && b.record_rules[i].empty()) out.push_back(i);
  }
  return out;
}

// A rule's id, and for a pattern-list rule ("line-N") the pattern itself.
std::string RuleLabel(const Rule& r) {
  if (r.category != "pattern-file") return r.id;
  return r.id + " " + std::string(Utf8Prefix(r.title, 28));
}

void PrintPack(const char* label, const PackFigures& f, const Sample& sample, int top) {
  const RulePack& p = f.pack->pack();
  std::cout << label << ": " << p.id() << " (" << p.path << ") sha256:" << p.hash.substr(0, 16)
            << "\n  " << p.rules.size() << " rules, " << f.pack->pattern_count()
            << " patterns; load+compile " << Fixed(f.load_seconds, 3) << " s (Hyperscan "
            << Fixed(f.compile_seconds, 3) << " s); start from cache "
            << Fixed(f.cache_start_seconds, 3) << " s; database " << Human(f.database_bytes)
            << ", scratch " << Human(f.scratch_bytes) << "\n  scan: " << sample.records.size()
            << " records, " << Human(sample.jsonl_bytes) << " JSONL in "
            << Fixed(f.scan_seconds, 4) << " s = "
            << Fixed(sample.jsonl_bytes / 1e9 / f.scan_seconds, 3) << " GB/s of JSONL ("
            << Fixed(sample.text_bytes / 1e9 / f.scan_seconds, 3)
            << " GB/s of title+detail text, parse excluded)\n  hits: " << f.listings_hit
            << " listings, " << f.violations << " violations\n";
  std::vector<uint32_t> order;
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    if (f.rule_violations[r] > 0) order.push_back(r);
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return f.rule_listings[a] > f.rule_listings[b];
  });
  std::cout << "  " << Pad("rule (most listings hit first)", 44) << " listings  violations\n";
  for (size_t i = 0; i < order.size() && i < static_cast<size_t>(top); ++i) {
    std::cout << "  " << Pad(RuleLabel(p.rules[order[i]]), 44) << " "
              << Pad(std::to_string(f.rule_listings[order[i]]), 9)
              << " " << f.rule_violations[order[i]] << "\n";
  }
  if (order.size() > static_cast<size_t>(top)) {
    std::cout << "  ... " << order.size() - top << " more rules with hits\n";
  }
  std::cout << "  " << p.rules.size() - order.size() << " rules hit nothing\n";
  if (!f.profiled) {
    std::cout << "  most expensive rules: not profiled (more rules than --max-profile)\n";
    return;
  }
  std::cout << "  " << Pad("most expensive rules (each alone)", 44) << " share  ms\n";
  for (size_t i = 0; i < f.costs.size() && i < static_cast<size_t>(top); ++i) {
    const RuleCost& c = f.costs[i];
    std::cout << "  " << Pad(RuleLabel(p.rules[c.rule]), 44) << " "
              << Pad(Fixed(100 * c.seconds / f.cost_total, 1) + "%", 6) << " "
              << Fixed(c.seconds * 1e3, 2) << "\n";
  }
}

void PackJson(JsonWriter& w, const PackFigures& f, const Sample& sample, int top) {
  const RulePack& p = f.pack->pack();
  w.BeginObject();
  w.Key("path").String(p.path).Key("id").String(p.id()).Key("sha256").String(p.hash);
  w.Key("rules").Uint(p.rules.size()).Key("patterns").Uint(f.pack->pattern_count());
  w.Key("load_seconds").Double(f.load_seconds).Key("compile_seconds").Double(f.compile_seconds);
  w.Key("cache_start_seconds").Double(f.cache_start_seconds);
  w.Key("database_bytes").Uint(f.database_bytes).Key("scratch_bytes").Uint(f.scratch_bytes);
  w.Key("scan_seconds").Double(f.scan_seconds);
  w.Key("jsonl_gb_per_s").Double(sample.jsonl_bytes / 1e9 / f.scan_seconds);
  w.Key("text_gb_per_s").Double(sample.text_bytes / 1e9 / f.scan_seconds);
  w.Key("listings_hit").Uint(f.listings_hit).Key("violations").Uint(f.violations);
  w.Key("hits_per_rule").BeginObject();  // rules with a hit, in pack order
  uint64_t silent = 0;
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    if (f.rule_violations[r] == 0) {
      ++silent;
      continue;
    }
    w.Key(p.rules[r].id).BeginObject().Key("listings").Uint(f.rule_listings[r]);
    w.Key("violations").Uint(f.rule_violations[r]).EndObject();
  }
  w.EndObject();
  w.Key("rules_without_hits").Uint(silent);
  w.Key("profiled").Bool(f.profiled);
  w.Key("expensive_rules").BeginArray();
  for (size_t i = 0; i < f.costs.size() && i < static_cast<size_t>(top); ++i) {
    w.BeginObject().Key("id").String(p.rules[f.costs[i].rule].id);
    w.Key("seconds").Double(f.costs[i].seconds);
    w.Key("share").Double(f.costs[i].seconds / f.cost_total).EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void DiffJson(JsonWriter& w, const char* key, const std::vector<size_t>& only,
              const PackFigures& f, const Sample& sample) {
  w.Key(key).BeginObject().Key("listings").Uint(only.size()).Key("examples").BeginArray();
  for (size_t i = 0; i < only.size() && i < 5; ++i) {
    const SampleRecord& s = sample.records[only[i]];
    w.BeginObject().Key("item_id").String(s.item_id);
    w.Key("title").String(Utf8Prefix(s.title, 120)).Key("rules").BeginArray();
    for (uint32_t r : f.record_rules[only[i]]) w.String(f.pack->pack().rules[r].id);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
}

void PrintDiff(const char* label, const std::vector<size_t>& only, const PackFigures& f,
               const Sample& sample) {
  std::cout << "  listings hit only by " << label << ": " << only.size() << "\n";
  for (size_t i = 0; i < only.size() && i < 5; ++i) {
    const SampleRecord& s = sample.records[only[i]];
    std::cout << "    " << s.item_id << "  " << Utf8Prefix(s.title, 60) << "  [";
    const std::vector<uint32_t>& rules = f.record_rules[only[i]];
    for (size_t j = 0; j < rules.size(); ++j) {
      std::cout << (j ? " " : "") << f.pack->pack().rules[rules[j]].id;
    }
    std::cout << "]\n";
  }
}

}  // namespace

int RunBenchRules(const BenchRulesFlags& flags) {
  const auto fail = [](const Status& s) {
    std::cerr << "catscan: " << s.message() << "\n";
    return ExitCodeFor(s.code());
  };
  if (flags.packs.empty() || flags.packs.size() > 2) {
    return fail(UsageError("bench-rules takes one or two packs"));
  }
  Sample sample;
  const std::string input = flags.input.empty()
                                ? (fs::path(CATSCAN_SOURCE_PACK_DIR) / "../../data/sample.jsonl.zst")
                                      .lexically_normal()
                                      .string()
                                : flags.input;
  if (Status s = LoadSample(input, &sample); !s.ok()) return fail(s);
  std::vector<PackFigures> figs(flags.packs.size());
  for (size_t i = 0; i < flags.packs.size(); ++i) {
    if (Status s = MeasurePack(flags.packs[i], flags, sample, &figs[i]); !s.ok()) return fail(s);
  }
  std::cout << "sample: " << sample.path << ": " << sample.records.size() << " records, "
            << Human(sample.jsonl_bytes) << " JSONL, " << Human(sample.text_bytes)
            << " of title+detail text; normalization " << (flags.no_normalize ? "off" : "on")
            << "\n";
  const char* labels[] = {"A", "B"};
  for (size_t i = 0; i < figs.size(); ++i) PrintPack(labels[i], figs[i], sample, flags.top);
  std::vector<size_t> only_a, only_b;
  if (figs.size() == 2) {
    only_a = OnlyIn(figs[0], figs[1]);
    only_b = OnlyIn(figs[1], figs[0]);
    std::cout << "diff (A = " << figs[0].pack->pack().id() << ", B = " << figs[1].pack->pack().id()
              << ")\n";
    PrintDiff("A", only_a, figs[0], sample);
    PrintDiff("B", only_b, figs[1], sample);
  }
  if (flags.json_out.empty()) return 0;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("sample").BeginObject().Key("path").String(sample.path);
  w.Key("records").Uint(sample.records.size()).Key("jsonl_bytes").Uint(sample.jsonl_bytes);
  w.Key("text_bytes").Uint(sample.text_bytes).EndObject();
  w.Key("normalize").Bool(!flags.no_normalize);
  w.Key("packs").BeginArray();
  for (const PackFigures& f : figs) PackJson(w, f, sample, flags.top);
  w.EndArray();
  if (figs.size() == 2) {
    w.Key("diff").BeginObject();
    DiffJson(w, "only_a", only_a, figs[0], sample);
    DiffJson(w, "only_b", only_b, figs[1], sample);
    w.EndObject();
  }
  w.EndObject();
  out += "\n";
  StatusOr<std::unique_ptr<OutputFile>> file = OutputFile::Create(flags.json_out);
  if (!file.ok()) return fail(file.status());
  for (Status s : {file.value()->Append(out), file.value()->Finish()}) {
    if (!s.ok()) return fail(s);
  }
  if (Status s = PublishAll({file.value().get()}); !s.ok()) return fail(s);
  return 0;
}

}  // namespace catscan
