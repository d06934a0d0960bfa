#include "scanner/eval/eval_report.h"

#include <cstdio>

#include "scanner/base/json_writer.h"

namespace catscan {

namespace {

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string Row(const CategoryScore& c) {
  return Pad(c.category, 28) + PadLeft(std::to_string(c.tp), 6) +
         PadLeft(std::to_string(c.fp), 6) + PadLeft(std::to_string(c.fn), 6) +
         PadLeft(Fixed(c.precision()), 11) + PadLeft(Fixed(c.recall()), 9) + "\n";
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

void AppendMisses(std::string* out, const char* heading, const EvalScore& score, bool fp) {
  size_t n = 0;
  for (const CategoryScore& c : score.categories) n += fp ? c.fp : c.fn;
  *out += std::string(heading) + " (" + std::to_string(n) + "):\n";
  for (const CategoryScore& c : score.categories) {
    for (const ScoredMiss& m : fp ? c.false_positives : c.false_negatives) {
      *out += "  " + Pad(c.category, 26) + " " + Pad(m.item_id, 10) + " " + m.title + "  [" +
              (m.rule_ids.empty() ? "-" : Join(m.rule_ids)) + "]  " + m.file + ":" +
              std::to_string(m.line) + "\n";
    }
  }
}

void WriteCounts(JsonWriter& w, const CategoryScore& c) {
  w.Key("tp").Uint(c.tp).Key("fp").Uint(c.fp).Key("fn").Uint(c.fn);
  w.Key("precision").Double(c.precision()).Key("recall").Double(c.recall());
}

void WriteMisses(JsonWriter& w, const char* key, const std::vector<ScoredMiss>& misses) {
  w.Key(key).BeginArray();
  for (const ScoredMiss& m : misses) {
    w.BeginObject().Key("item_id").String(m.item_id).Key("title").String(m.title);
    w.Key("rule_ids").BeginArray();
    for (const std::string& r : m.rule_ids) w.String(r);
    w.EndArray().Key("file").String(m.file).Key("line").Uint(m.line).EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string FormatEvalText(const EvalScore& score, const EvalContext& context) {
  std::string out = "labeled set " + context.labels + ": " + std::to_string(score.records) +
                    " records, " + std::to_string(score.labeled_positive) +
                    " with a label\nrule pack " + context.pack_id + " sha256:" + context.pack_hash +
                    ", normalization " + (context.normalize ? "on" : "off") + "\n\n";
  out += Pad("category", 28) + PadLeft("TP", 6) + PadLeft("FP", 6) + PadLeft("FN", 6) +
         PadLeft("precision", 11) + PadLeft("recall", 9) + "\n";
  for (const CategoryScore& c : score.categories) out += Row(c);
  out += Row(score.overall) + "\n";
  AppendMisses(&out, "false positives", score, true);
  AppendMisses(&out, "false negatives", score, false);
  for (const std::string& c : score.unknown_label_categories) {
    out += "warning: label category " + c + " has no rule in the pack\n";
  }
  return out;
}

std::string FormatEvalJson(const EvalScore& score, const EvalContext& context) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("labels").String(context.labels).Key("pack").String(context.pack_id);
  w.Key("pack_sha256").String(context.pack_hash).Key("normalize").Bool(context.normalize);
  w.Key("records").Uint(score.records).Key("labeled_positive").Uint(score.labeled_positive);
  w.Key("categories").BeginArray();
  for (const CategoryScore& c : score.categories) {
    w.BeginObject().Key("category").String(c.category);
    WriteCounts(w, c);
    WriteMisses(w, "false_positives", c.false_positives);
    WriteMisses(w, "false_negatives", c.false_negatives);
    w.EndObject();
  }
  w.EndArray();
  w.Key("overall").BeginObject();
  WriteCounts(w, score.overall);
  w.EndObject();
  w.Key("unknown_label_categories").BeginArray();
  for (const std::string& c : score.unknown_label_categories) w.String(c);
  w.EndArray();
  w.EndObject();
  out += "\n";
  return out;
}

}  // namespace catscan
