#include "scanner/merge/merge.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "scanner/base/output_file.h"
#include "scanner/base/sha256.h"
#include "scanner/merge/partial.h"
#include "scanner/rules/pattern_list.h"
#include "scanner/shard/shard_plan.h"

namespace catscan {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A merge equals a single sweep only if the partial carries everything
// FinishSweep reads. These fire when the scan's outcome gains a field: if the
// scan fills it, carry it in the partial (partial.h) and rebuild it here;
// then update the size.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(MerchantCounts) == 72, "MerchantCounts changed: see above (merchant_tally.jsonl)");
static_assert(sizeof(SweepCounts) == 88, "SweepCounts changed: see above (partial.json counts)");
static_assert(sizeof(ManifestInfo) == 392, "ManifestInfo changed: see above (policy_* are set by FinishSweep)");
static_assert(sizeof(ScanOutcome) == 568, "ScanOutcome changed: see above");
#endif

// The same plan, options and pack, or an error naming both directories.
Status CheckSameSweep(const Partial& a, const Partial& b) {
  const std::string both = a.dir + " and " + b.dir;
  if (a.tool_version != b.tool_version) {
    return InputError(both + " were written by different catscan versions (" + a.tool_version +
                      ", " + b.tool_version + ")");
  }
  if (a.run.shard.count != b.run.shard.count) {
    return InputError(both + " belong to different splits (shard " + a.run.shard.ToString() +
                      " and " + b.run.shard.ToString() + ")");
  }
  if (a.pack_hash != b.pack_hash) {
    return InputError(both + " ran different rule packs (" + a.pack_id + " sha256:" + a.pack_hash +
                      ", " + b.pack_id + " sha256:" + b.pack_hash + ")");
  }
  if (!(a.run.plan == b.run.plan)) {
    std::string what = "a different number of inputs";
    for (size_t i = 0; i < std::min(a.run.plan.size(), b.run.plan.size()); ++i) {
      const PlanInput &x = a.run.plan[i], &y = b.run.plan[i];
      if (!(x == y)) {
        what = "input " + std::to_string(i + 1) + ": " + x.path + " (" + std::to_string(x.size) +
               " bytes) vs " + y.path + " (" + std::to_string(y.size) + " bytes)";
        break;
      }
    }
    return InputError(both + " scanned different inputs: " + what);
  }
  if (a.normalize != b.normalize || a.max_record_bytes != b.max_record_bytes) {
    return InputError(both + " ran with different options (--no-normalize, --max-record-bytes)");
  }
  return Status::OK();
}

const OutputReport* FindOutput(const Partial& p, const std::string& name) {
  for (const OutputReport& o : p.outputs) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// Streams "name" of partial "p" to "sink" (if any) and checks it against the
// size and hash partial.json lists.
template <typename Sink>
Status ReadChecked(const Partial& p, const std::string& name, Sink sink) {
  const std::string path = (fs::path(p.dir) / name).string();
  const OutputReport* want = FindOutput(p, name);
  if (want == nullptr) return InputError(p.dir + "/" + kPartialManifestName + " lists no " + name);
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return InputError(path + ": cannot open it (an incomplete partial?)");
  Sha256 hash;
  uint64_t bytes = 0;
  std::string buf(1 << 20, '\0');
  for (;;) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
    if (n == 0) break;
    const std::string_view block(buf.data(), n);
    hash.Update(block);
    bytes += n;
    if (Status s = sink(block); !s.ok()) return s;
  }
  if (std::ferror(file.get())) return InputError(path + ": read error");
  if (bytes != want->bytes || hash.HexDigest() != want->sha256) {
    return InputError(path + ": does not match " + p.dir + "/" + kPartialManifestName +
                      " (size or SHA-256 differ: a damaged or mixed partial)");
  }
  return Status::OK();
}

StatusOr<std::shared_ptr<const CompiledPack>> LoadPack(const Partial& first,
                                                       const std::string& override_path) {
  const PackSource& src = first.run.pack_source;
  const std::string path = override_path.empty() ? src.load_path : override_path;
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack =
      src.pattern_file ? LoadPatternList(path, {}, &diags) : LoadRulePack(path, &diags);
  if (!pack.ok()) {
    return RulesError("cannot reload the shards' rule pack from " + path + ": " +
                      pack.status().message() + (override_path.empty() ? " (see --rules)" : ""));
  }
  if (pack->hash != first.pack_hash) {
    return RulesError("the rule pack at " + path + " is sha256:" + pack->hash +
                      ", but the shards ran " + first.pack_id + " sha256:" + first.pack_hash +
                      "; pass --rules with the pack they ran");
  }
  pack->path = src.path;  // as the shards' scans were given it, for the manifest
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      CompiledPack::Compile(std::move(pack.value()), &diags);
  if (!compiled.ok()) {
    return RulesError("the shards' rule pack " + path + " does not compile: " +
                      compiled.status().message());
  }
  return compiled;
}

// Adds the merchant tally of "p" to "tally".
Status ReadTally(const Partial& p, const std::map<std::string, uint32_t>& rule_index,
                 MerchantTally* tally) {
  std::string pending;
  simdjson::dom::parser parser;
  uint64_t line_no = 0;
  const std::string file = p.dir + "/" + kMerchantTallyName;
  Status parse_error;
  auto parse_line = [&](std::string_view line) {
    ++line_no;
    const std::string where = file + " line " + std::to_string(line_no);
    simdjson::dom::element e;
    std::string_view merchant;
    MerchantCounts c;
    simdjson::dom::object by_rule;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS ||
        e["merchant_id"].get(merchant) != simdjson::SUCCESS ||
        e["items_scanned"].get(c.items_scanned) != simdjson::SUCCESS ||
        e["items_violating"].get(c.items_violating) != simdjson::SUCCESS ||
        e["violations"].get(c.violations) != simdjson::SUCCESS ||
        e["by_rule"].get(by_rule) != simdjson::SUCCESS) {
      return InputError(where + ": not a merchant tally line");
    }
    for (auto [id, value] : by_rule) {
      const auto it = rule_index.find(std::string(id));
      uint64_t n = 0;
      if (it == rule_index.end() || value.get(n) != simdjson::SUCCESS) {
        return InputError(where + ": unknown rule " + std::string(id));
      }
      c.by_rule[it->second] += n;
    }
    tally->Add(std::string(merchant), c);
    return Status::OK();
  };
  Status s = ReadChecked(p, kMerchantTallyName, [&](std::string_view block) {
    pending.append(block);
    size_t start = 0;
    for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      if (Status e = parse_line(std::string_view(pending).substr(start, nl - start)); !e.ok()) {
        return e;
      }
    }
    pending.erase(0, start);
    return Status::OK();
  });
  if (!s.ok()) return s;
  if (!pending.empty()) return InputError(file + ": ends inside a line");
  return Status::OK();
}

}  // namespace

// Appends the shard's clause 3.4 facts (shards come in input order, so the
// references stay in input order). Rule indexes are the pack's: the merge
// loaded the pack the shards ran, verified by its hash.
Status ReadCatalogRefs(const Partial& p, const RulePack& rules, CatalogRefs* refs) {
  std::string bytes;
  Status s = ReadChecked(p, kCatalogRefsName, [&](std::string_view block) {
    bytes.append(block);
    return Status::OK();
  });
  if (!s.ok()) return s;
  StatusOr<CatalogRefs> parsed = CatalogRefs::Parse(bytes);
  if (!parsed.ok()) return InputError(p.dir + "/" + kCatalogRefsName + ": " + parsed.status().message());
  for (const CatalogReference& r : parsed.value().references()) {
    if (r.rule >= rules.rules.size() || r.field >= kNumTextFields) {
      return InputError(p.dir + "/" + kCatalogRefsName + ": a reference names rule " +
                        std::to_string(r.rule) + " or field " + std::to_string(r.field) +
                        ", which the pack does not have");
    }
  }
  refs->Merge(std::move(parsed.value()));
  return Status::OK();
}

StatusOr<ScanOutcome> MergePartials(const MergeOptions& options) {
  const Clock::time_point t0 = Clock::now();
  if (options.partial_dirs.empty()) return UsageError("merge: no partial directories given");
  std::vector<Partial> parts;
  for (const std::string& dir : options.partial_dirs) {
    StatusOr<Partial> p = ReadPartial(dir);
    if (!p.ok()) return p.status();
    parts.push_back(std::move(p.value()));
  }
  for (const Partial& p : parts) {
    if (Status s = CheckSameSweep(parts.front(), p); !s.ok()) return s;
  }
  if (parts.front().tool_version != CATSCAN_VERSION) {
    return InputError(parts.front().dir + " was written by catscan " + parts.front().tool_version +
                      "; this is catscan " + CATSCAN_VERSION + " (merge with the same version)");
  }
  const int count = parts.front().run.shard.count;
  std::vector<const Partial*> by_index(static_cast<size_t>(count), nullptr);
  for (const Partial& p : parts) {
    const int i = p.run.shard.index;
    if (i < 1 || i > count) return InputError(p.dir + ": shard index out of range");
    const Partial*& slot = by_index[static_cast<size_t>(i - 1)];
    if (slot != nullptr) {
      return InputError(slot->dir + " and " + p.dir + " are both shard " + p.run.shard.ToString() +
                        " (a shard given twice)");
    }
    slot = &p;
  }
  std::string missing;
  for (int i = 1; i <= count; ++i) {
    if (by_index[static_cast<size_t>(i - 1)] == nullptr) {
      missing += (missing.empty() ? "" : ", ") + ShardSpec{i, count}.ToString();
    }
  }
  if (!missing.empty()) {
    return InputError("missing shard(s) " + missing + ": merge needs every shard's partial (got " +
                      std::to_string(parts.size()) + " of " + std::to_string(count) + ")");
  }
  // The pieces must be the plan's: then together they read every line once.
  std::vector<uint64_t> sizes;
  for (const PlanInput& in : parts.front().run.plan) sizes.push_back(in.decompressed_bytes);
  const std::vector<std::vector<ShardPiece>> plan = PlanShards(sizes, count);
  for (const Partial* p : by_index) {
    if (p->run.pieces != plan[static_cast<size_t>(p->run.shard.index - 1)]) {
      return InputError(p->dir + ": its pieces are not those of shard " + p->run.shard.ToString() +
                        " of its plan");
    }
  }

  StatusOr<std::shared_ptr<const CompiledPack>> pack = LoadPack(parts.front(), options.rules);
  if (!pack.ok()) return pack.status();
  const RulePack& rules = pack.value()->pack();
  std::map<std::string, uint32_t> rule_index;
  for (uint32_t r = 0; r < rules.rules.size(); ++r) rule_index[rules.rules[r].id] = r;

  if (Status s = MakeDirectories(options.out_dir); !s.ok()) return s;
  ScanOutcome out;
  out.pack = pack.value();
  out.out_dir = options.out_dir;
  for (auto [file, name] : {std::pair{&out.violations, "violations.jsonl"},
                            std::pair{&out.quarantine, "quarantine.jsonl"}}) {
    StatusOr<std::unique_ptr<OutputFile>> f =
        OutputFile::Create((fs::path(options.out_dir) / name).string());
    if (!f.ok()) return f.status();
    *file = std::move(f.value());
    for (const Partial* p : by_index) {  // shard order is input order
      OutputFile* dest = file->get();
      if (Status s = ReadChecked(*p, name, [dest](std::string_view b) { return dest->Append(b); });
          !s.ok()) {
        return s;
      }
    }
  }

  ManifestInfo& m = out.manifest;
  const Partial& first = *by_index.front();
  m.tool_version = first.tool_version;
  m.started_at = first.started_at;
  m.pack = &rules;
  m.pattern_count = pack.value()->pattern_count();
  m.threads = first.threads;
  m.shards = count;
  m.normalize = first.normalize;
  m.max_record_bytes = first.max_record_bytes;
  for (const PlanInput& in : first.run.plan) {
    InputReport r;
    r.path = in.path;
    m.inputs.push_back(r);
  }
  for (const Partial* p : by_index) {
    if (Status s = ReadTally(*p, rule_index, &out.merchants); !s.ok()) return s;
    if (Status s = ReadCatalogRefs(*p, rules, &out.catalog_refs); !s.ok()) return s;
    m.started_at = std::min(m.started_at, p->started_at);
    for (size_t i = 0; i < p->run.pieces.size(); ++i) {
      const ShardPiece& piece = p->run.pieces[i];
      const InputReport& read = p->piece_reports[i];
      InputReport& r = m.inputs[piece.input];
      r.decompressed_bytes += read.decompressed_bytes;
      r.lines += read.lines;
      if (piece.range.end == LineRange::kToEnd) {  // the piece that read to the end
        r.bytes = read.bytes;
        r.compressed = read.compressed;
      }
    }
    SweepCounts c;
    c.records_read = p->records_read;
    c.records_scanned = p->records_scanned;
    c.records_quarantined = p->records_quarantined;
    c.records_violating = p->records_violating;
    c.violations = p->violations;
    for (const auto& [id, n] : p->violations_by_rule) {
      const auto it = rule_index.find(id);
      if (it == rule_index.end()) return InputError(p->dir + ": unknown rule " + id);
      c.by_rule[it->second] += n;
    }
    m.counts.Merge(c);
    // Stage seconds add up the shards' (CPU-like totals); wall is their sum
    // too, i.e. task time, to which the merge adds its own.
    m.seconds.read += p->seconds.read;
    m.seconds.parse += p->seconds.parse;
    m.seconds.match += p->seconds.match;
    m.seconds.write += p->seconds.write;
    m.seconds.wall += p->seconds.wall;
  }
  const double merge_s = std::chrono::duration<double>(Clock::now() - t0).count();
  m.seconds.write += merge_s;
  m.seconds.wall += merge_s;
  return out;
}

}  // namespace catscan
