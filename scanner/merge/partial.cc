#include "scanner/merge/partial.h"

#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "scanner/base/json_writer.h"
#include "scanner/base/output_file.h"

namespace catscan {
namespace {

namespace fs = std::filesystem;

double EpochNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void AppendTallyLine(std::string* out, const RulePack& pack, const std::string& merchant,
                     const MerchantCounts& c) {
  JsonWriter w(out);
  w.BeginObject()
      .Key("merchant_id").String(merchant)
      .Key("items_scanned").Uint(c.items_scanned)
      .Key("items_violating").Uint(c.items_violating)
      .Key("violations").Uint(c.violations);
  w.Key("by_rule").BeginObject();
  for (const auto& [rule, n] : c.by_rule) w.Key(pack.rules[rule].id).Uint(n);
  w.EndObject().EndObject();
  out->push_back('\n');
}

void WriteInputReport(JsonWriter* w, const InputReport& r) {
  w->Key("bytes").Uint(r.bytes)
      .Key("decompressed_bytes").Uint(r.decompressed_bytes)
      .Key("compressed").Bool(r.compressed)
      .Key("lines").Uint(r.lines);
}

std::string PartialJson(const ManifestInfo& m, const ShardRun& run, const std::string& finished) {
  const RulePack& p = *m.pack;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("format").String("catscan-partial")
      .Key("format_version").Int(kPartialFormatVersion)
      .Key("tool_version").String(m.tool_version)
      .Key("shard").BeginObject()
      .Key("index").Int(run.shard.index)
      .Key("count").Int(run.shard.count)
      .EndObject()
      .Key("started_at").String(m.started_at)
      .Key("finished_at").String(finished);
  w.Key("plan").BeginArray();
  for (const PlanInput& in : run.plan) {
    w.BeginObject()
        .Key("path").String(in.path)
        .Key("size").Uint(in.size)
        .Key("decompressed_bytes").Uint(in.decompressed_bytes)
        .EndObject();
  }
  w.EndArray();
  w.Key("pieces").BeginArray();
  for (size_t i = 0; i < run.pieces.size(); ++i) {
    const ShardPiece& piece = run.pieces[i];
    w.BeginObject().Key("input").Uint(piece.input).Key("begin").Uint(piece.range.begin);
    if (piece.range.end == LineRange::kToEnd) {
      w.Key("end").Null();
    } else {
      w.Key("end").Uint(piece.range.end);
    }
    WriteInputReport(&w, m.inputs[i]);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rule_pack").BeginObject()
      .Key("id").String(p.id())
      .Key("hash").String(p.hash)
      .Key("pattern_file").Bool(run.pack_source.pattern_file)
      .Key("path").String(run.pack_source.path)
      .Key("load_path").String(run.pack_source.load_path)
      .EndObject();
  w.Key("normalize").Bool(m.normalize)
      .Key("max_record_bytes").Uint(m.max_record_bytes)
      .Key("threads").Int(m.threads);
  WriteStageSeconds(&w, m.seconds);
  const SweepCounts& c = m.counts;
  WriteRecordCounts(&w, c);
  w.Key("violations_by_rule").BeginObject();
  for (const auto& [rule, n] : c.by_rule) w.Key(p.rules[rule].id).Uint(n);
  w.EndObject();
  WriteOutputReports(&w, m.outputs);
  w.EndObject();
  out.push_back('\n');
  return out;
}

// simdjson lookups that turn a missing or mistyped field into one message.
class Fields {
 public:
  Fields(const std::string& file, std::string* error) : file_(file), error_(error) {}

  template <typename T>
  bool Get(simdjson::dom::element e, const char* key, T* out) {
    simdjson::dom::element v;
    bool ok = e[key].get(v) == simdjson::SUCCESS;
    if constexpr (std::is_same_v<T, simdjson::dom::element>) {
      if (ok) *out = v;
    } else {
      ok = ok && v.get(*out) == simdjson::SUCCESS;
    }
    if (!ok) {
      if (error_->empty()) *error_ = file_ + ": missing or malformed \"" + key + "\"";
      return false;
    }
    return true;
  }
  bool String(simdjson::dom::element e, const char* key, std::string* out) {
    std::string_view v;
    if (!Get(e, key, &v)) return false;
    out->assign(v);
    return true;
  }
  bool Int(simdjson::dom::element e, const char* key, int* out) {
    int64_t v = 0;
    if (!Get(e, key, &v)) return false;
    *out = static_cast<int>(v);
    return true;
  }

 private:
  const std::string& file_;
  std::string* error_;
};

}  // namespace

StatusOr<std::vector<std::string>> WritePartial(ScanOutcome outcome, const ShardRun& run) {
  if (run.pieces.size() != outcome.manifest.inputs.size()) {
    return InternalError("shard " + run.shard.ToString() + ": " +
                         std::to_string(outcome.manifest.inputs.size()) + " inputs read for " +
                         std::to_string(run.pieces.size()) + " pieces");
  }
  const RulePack& pack = outcome.pack->pack();
  StatusOr<std::unique_ptr<OutputFile>> tally =
      OutputFile::Create((fs::path(outcome.out_dir) / kMerchantTallyName).string());
  if (!tally.ok()) return tally.status();
  StatusOr<std::unique_ptr<OutputFile>> refs =
      OutputFile::Create((fs::path(outcome.out_dir) / kCatalogRefsName).string());
  if (!refs.ok()) return refs.status();
  if (Status s = refs.value()->Append(outcome.catalog_refs.Serialize()); !s.ok()) return s;
  StatusOr<std::unique_ptr<OutputFile>> manifest =
      OutputFile::Create((fs::path(outcome.out_dir) / kPartialManifestName).string());
  if (!manifest.ok()) return manifest.status();

  std::string lines;
  for (const auto& [merchant, counts] : outcome.merchants.All()) {
    AppendTallyLine(&lines, pack, merchant, *counts);
    if (lines.size() > (1 << 20)) {
      if (Status s = tally.value()->Append(lines); !s.ok()) return s;
      lines.clear();
    }
  }
  if (Status s = tally.value()->Append(lines); !s.ok()) return s;

  // The data files, then partial.json: the order they are published in.
  const std::vector<OutputFile*> all = {outcome.violations.get(), outcome.quarantine.get(),
                                        tally.value().get(), refs.value().get(),
                                        manifest.value().get()};
  ManifestInfo& m = outcome.manifest;
  for (size_t i = 0; i + 1 < all.size(); ++i) {
    OutputFile* f = all[i];
    if (Status s = f->Finish(); !s.ok()) return s;
    m.outputs.push_back({fs::path(f->path()).filename().string(), f->bytes_written(), f->sha256()});
  }
  if (Status s = manifest.value()->Append(PartialJson(m, run, IsoTimeUtc(EpochNow())));
      !s.ok()) {
    return s;
  }
  if (Status s = manifest.value()->Finish(); !s.ok()) return s;
  if (Status s = PublishAll(all); !s.ok()) return s;
  std::vector<std::string> paths;
  for (OutputFile* f : all) paths.push_back(f->path());
  return paths;
}

StatusOr<Partial> ReadPartial(const std::string& dir) {
  const std::string file = (fs::path(dir) / kPartialManifestName).string();
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    if (fs::exists(fs::path(dir) / "manifest.json", ec)) {
      return InputError(dir + ": holds a finished sweep (manifest.json), not a shard partial; "
                              "merge takes the directories of `catscan scan --shard I/N`");
    }
    return InputError(dir + ": not a complete shard partial (no " + kPartialManifestName +
                      "; the shard's scan did not finish, or failed)");
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(file).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
    return InputError(file + ": not a readable partial manifest (not a JSON object)");
  }
  Partial p;
  p.dir = dir;
  std::string error;
  Fields f(file, &error);
  std::string format;
  f.String(doc, "format", &format);
  f.Int(doc, "format_version", &p.format_version);
  if (error.empty() && (format != "catscan-partial" || p.format_version != kPartialFormatVersion)) {
    return InputError(file + ": partial format " + format + " version " +
                      std::to_string(p.format_version) + ", this catscan reads version " +
                      std::to_string(kPartialFormatVersion));
  }
  f.String(doc, "tool_version", &p.tool_version);
  simdjson::dom::element shard;
  if (f.Get(doc, "shard", &shard)) {
    f.Int(shard, "index", &p.run.shard.index);
    f.Int(shard, "count", &p.run.shard.count);
  }
  f.String(doc, "started_at", &p.started_at);
  simdjson::dom::array plan, pieces, outputs;
  if (f.Get(doc, "plan", &plan)) {
    for (simdjson::dom::element e : plan) {
      PlanInput in;
      f.String(e, "path", &in.path);
      f.Get(e, "size", &in.size);
      f.Get(e, "decompressed_bytes", &in.decompressed_bytes);
      p.run.plan.push_back(in);
    }
  }
  if (f.Get(doc, "pieces", &pieces)) {
    for (simdjson::dom::element e : pieces) {
      ShardPiece piece;
      uint64_t input = 0;
      f.Get(e, "input", &input);
      piece.input = static_cast<uint32_t>(input);
      f.Get(e, "begin", &piece.range.begin);
      simdjson::dom::element end;
      if (f.Get(e, "end", &end) && !end.is_null()) f.Get(e, "end", &piece.range.end);
      InputReport r;
      f.Get(e, "bytes", &r.bytes);
      f.Get(e, "decompressed_bytes", &r.decompressed_bytes);
      f.Get(e, "compressed", &r.compressed);
      f.Get(e, "lines", &r.lines);
      if (input < p.run.plan.size()) r.path = p.run.plan[input].path;
      else if (error.empty()) error = file + ": a piece names input " + std::to_string(input) +
                                      " of " + std::to_string(p.run.plan.size());
      p.run.pieces.push_back(piece);
      p.piece_reports.push_back(r);
    }
  }
  simdjson::dom::element pack, seconds, by_rule;
  if (f.Get(doc, "rule_pack", &pack)) {
    f.String(pack, "id", &p.pack_id);
    f.String(pack, "hash", &p.pack_hash);
    f.Get(pack, "pattern_file", &p.run.pack_source.pattern_file);
    f.String(pack, "path", &p.run.pack_source.path);
    f.String(pack, "load_path", &p.run.pack_source.load_path);
  }
  f.Get(doc, "normalize", &p.normalize);
  f.Get(doc, "max_record_bytes", &p.max_record_bytes);
  f.Int(doc, "threads", &p.threads);
  if (f.Get(doc, "stage_seconds", &seconds)) {
    f.Get(seconds, "read_decompress", &p.seconds.read);
    f.Get(seconds, "parse", &p.seconds.parse);
    f.Get(seconds, "match", &p.seconds.match);
    f.Get(seconds, "collect_write", &p.seconds.write);
    f.Get(seconds, "wall", &p.seconds.wall);
  }
  f.Get(doc, "records_read", &p.records_read);
  f.Get(doc, "records_scanned", &p.records_scanned);
  f.Get(doc, "records_quarantined", &p.records_quarantined);
  f.Get(doc, "records_violating", &p.records_violating);
  f.Get(doc, "violations", &p.violations);
  if (f.Get(doc, "violations_by_rule", &by_rule)) {
    simdjson::dom::object rules;
    if (by_rule.get(rules) == simdjson::SUCCESS) {
      for (auto [key, value] : rules) {
        uint64_t n = 0;
        if (value.get(n) == simdjson::SUCCESS) p.violations_by_rule[std::string(key)] = n;
      }
    }
  }
  if (f.Get(doc, "outputs", &outputs)) {
    for (simdjson::dom::element e : outputs) {
      OutputReport o;
      f.String(e, "name", &o.name);
      f.Get(e, "bytes", &o.bytes);
      f.String(e, "sha256", &o.sha256);
      p.outputs.push_back(o);
    }
  }
  if (!error.empty()) return InputError(error);
  return p;
}

}  // namespace catscan
