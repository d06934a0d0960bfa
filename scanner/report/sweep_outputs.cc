#include "scanner/report/sweep_outputs.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "scanner/base/json_writer.h"

namespace catscan {
namespace {

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string_view ContextBefore(std::string_view field, size_t start) {
  size_t from = std::min(start, field.size());
  for (size_t chars = 0; from > 0 && chars < kContextChars; ++chars) {
    --from;
    while (from > 0 && IsUtf8Continuation(field[from])) --from;
  }
  return field.substr(from, std::min(start, field.size()) - from);
}

std::string_view ContextAfter(std::string_view field, size_t end) {
  if (end >= field.size()) return {};
  size_t to = end;
  for (size_t chars = 0; to < field.size() && chars < kContextChars; ++chars) {
    ++to;
    while (to < field.size() && IsUtf8Continuation(field[to])) ++to;
  }
  return field.substr(end, to - end);
}

void AppendViolationLine(std::string* out, const RulePack& pack, const Record& record,
                         const Violation& v) {
  const Rule& rule = pack.rules[v.rule];
  JsonWriter w(out);
  w.BeginObject()
      .Key("item_id").String(record.item_id)
      .Key("merchant_id").String(record.merchant_id)
      .Key("rule_id").String(rule.id)
      .Key("category").String(rule.category)
      .Key("clause").String(rule.clause)
      .Key("severity").String(SeverityName(rule.severity));
  if (v.is_text) {
    w.Key("field").String(TextFieldName(v.field))
        .Key("start").Uint(v.start)
        .Key("end").Uint(v.end)
        .Key("text").String(v.text);
    if (!v.normalized.empty()) w.Key("normalized").String(v.normalized);
    const std::string_view field = record.text[static_cast<int>(v.field)];
    w.Key("before").String(ContextBefore(field, v.start))
        .Key("after").String(ContextAfter(field, v.end));
  } else {
    w.Key("field").String(NumberFieldName(rule.check->fields().front()))
        .Key("start").Null()
        .Key("end").Null()
        .Key("text").String(v.check_values)
        .Key("check").String(rule.check->source());
  }
  w.EndObject();
  out->push_back('\n');
}

void AppendReferenceViolationLine(std::string* out, const RulePack& pack,
                                  const CatalogReference& ref, CatalogRefs::Reason reason) {
  const Rule& rule = pack.rules[ref.rule];
  JsonWriter w(out);
  w.BeginObject()
      .Key("item_id").String(ref.item_id)
      .Key("merchant_id").String(ref.merchant_id)
      .Key("rule_id").String(rule.id)
      .Key("category").String(rule.category)
      .Key("clause").String(rule.clause)
      .Key("severity").String(SeverityName(rule.severity))
      .Key("field").String(TextFieldName(static_cast<TextField>(ref.field)))
      .Key("start").Uint(ref.start)
      .Key("end").Uint(ref.end)
      .Key("text").String(ref.text);
  if (!ref.normalized.empty()) w.Key("normalized").String(ref.normalized);
  w.Key("before").String(ref.before).Key("after").String(ref.after);
  w.Key("referenced_id").String(ref.referenced_id)
      .Key("reason").String(CatalogRefs::ReasonName(reason))
      .EndObject();
  out->push_back('\n');
}

void AppendQuarantineLine(std::string* out, std::string_view file, uint64_t line,
                          std::string_view reason, std::string_view raw, uint64_t raw_bytes) {
  const std::string_view kept = Utf8Prefix(raw, kQuarantineRawBytes);
  JsonWriter w(out);
  w.BeginObject()
      .Key("file").String(file)
      .Key("line").Uint(line)
      .Key("reason").String(reason)
      .Key("raw").String(kept)
      .Key("raw_bytes").Uint(raw_bytes)
      .Key("raw_truncated").Bool(kept.size() < raw_bytes)
      .EndObject();
  out->push_back('\n');
}

void AppendMerchantLine(std::string* out, const RulePack& pack, const std::string& merchant_id,
                        const MerchantCounts& c) {
  std::map<std::string, uint64_t> by_category, by_rule;
  for (const auto& [rule, n] : c.by_rule) {
    by_category[pack.rules[rule].category] += n;
    by_rule[pack.rules[rule].id] += n;
  }
  JsonWriter w(out);
  w.BeginObject()
      .Key("merchant_id").String(merchant_id)
      .Key("items_scanned").Uint(c.items_scanned)
      .Key("items_violating").Uint(c.items_violating)
      .Key("violations").Uint(c.violations);
  w.Key("by_category").BeginObject();
  for (const auto& [k, n] : by_category) w.Key(k).Uint(n);
  w.EndObject();
  w.Key("by_rule").BeginObject();
  for (const auto& [k, n] : by_rule) w.Key(k).Uint(n);
  w.EndObject();
  w.EndObject();
  out->push_back('\n');
}

std::string IsoTimeUtc(double epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void WriteStageSeconds(JsonWriter* w, const StageSeconds& s) {
  w->Key("stage_seconds").BeginObject()
      .Key("read_decompress").Double(s.read)
      .Key("parse").Double(s.parse)
      .Key("match").Double(s.match)
      .Key("collect_write").Double(s.write)
      .Key("wall").Double(s.wall)
      .EndObject();
}

void WriteRecordCounts(JsonWriter* w, const SweepCounts& c) {
  w->Key("records_read").Uint(c.records_read)
      .Key("records_scanned").Uint(c.records_scanned)
      .Key("records_quarantined").Uint(c.records_quarantined)
      .Key("records_violating").Uint(c.records_violating)
      .Key("violations").Uint(c.violations);
}

void WriteOutputReports(JsonWriter* w, const std::vector<OutputReport>& outputs) {
  w->Key("outputs").BeginArray();
  for (const OutputReport& o : outputs) {
    w->BeginObject()
        .Key("name").String(o.name)
        .Key("bytes").Uint(o.bytes)
        .Key("sha256").String(o.sha256)
        .EndObject();
  }
  w->EndArray();
}

std::string ManifestJson(const ManifestInfo& m) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Key("tool").String("catscan")
      .Key("tool_version").String(m.tool_version)
      .Key("started_at").String(m.started_at)
      .Key("finished_at").String(m.finished_at);
  w.Key("inputs").BeginArray();
  for (const InputReport& in : m.inputs) {
    w.BeginObject()
        .Key("path").String(in.path)
        .Key("bytes").Uint(in.bytes)
        .Key("decompressed_bytes").Uint(in.decompressed_bytes)
        .Key("compressed").Bool(in.compressed)
        .Key("lines").Uint(in.lines)
        .EndObject();
  }
  w.EndArray();
  const RulePack& p = *m.pack;
  w.Key("rule_pack").BeginObject()
      .Key("id").String(p.id())
      .Key("name").String(p.name)
      .Key("version").Int(p.version)
      .Key("hash").String("sha256:" + p.hash)
      .Key("path").String(p.path)
      .Key("rules").Uint(p.rules.size())
      .Key("patterns").Uint(m.pattern_count)
      .EndObject();
  w.Key("policy").BeginObject()
      .Key("path").String(m.policy_path.empty() ? "builtin" : m.policy_path)
      .Key("sha256").String(m.policy_sha256)
      .EndObject();
  w.Key("threads").Int(m.threads);
  if (m.shards > 0) w.Key("shards").Int(m.shards);
  w.Key("normalize").Bool(m.normalize);
  w.Key("max_record_bytes").Uint(m.max_record_bytes);
  WriteStageSeconds(&w, m.seconds);
  const SweepCounts& c = m.counts;
  WriteRecordCounts(&w, c);
  w.Key("merchants_scanned").Uint(m.merchants_scanned)
      .Key("merchants_violating").Uint(m.merchants_violating);
  WriteOutputReports(&w, m.outputs);
  w.Key("violations_by_rule").BeginObject();
  for (const auto& [rule, n] : c.by_rule) w.Key(p.rules[rule].id).Uint(n);
  w.EndObject();
  w.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace catscan
