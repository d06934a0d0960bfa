#include "scanner/rules/evaluator.h"

#include <algorithm>
#include <tuple>

namespace catscan {

StatusOr<std::shared_ptr<const CompiledPack>> CompiledPack::Compile(
    RulePack pack, std::vector<RuleDiagnostic>* diagnostics, const DatabaseCache* cache) {
  std::shared_ptr<CompiledPack> compiled(new CompiledPack());
  std::vector<PatternSpec> specs;
  std::vector<std::pair<uint32_t, size_t>> origin;  // (rule, pattern index in rule)
  for (uint32_t r = 0; r < pack.rules.size(); ++r) {
    const Rule& rule = pack.rules[r];
    // Scope bits: field f of the raw text is bit f, of the normalized text
    // bit f + kNumTextFields.
    uint32_t scope = 0;
    if (rule.view != TextView::kNormalized) scope |= rule.scope;
    if (rule.view != TextView::kRaw) scope |= rule.scope << kNumTextFields;
    if (rule.view != TextView::kNormalized && !rule.patterns.empty())
      compiled->has_raw_view_ = true;
    if (rule.view != TextView::kRaw && !rule.patterns.empty()) compiled->has_normalized_view_ = true;
    for (size_t p = 0; p < rule.patterns.size(); ++p) {
      specs.push_back({rule.patterns[p].expression, rule.patterns[p].caseless, scope});
      origin.emplace_back(r, p);
      compiled->rule_of_pattern_.push_back(r);
    }
    if (rule.check) compiled->check_rules_.push_back(r);
  }
  std::vector<PatternError> errors;
  StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors, cache);
  if (!set.ok()) {
    for (const PatternError& e : errors) {
      const Rule& rule = pack.rules[origin[e.index].first];
      const RulePattern& pat = rule.patterns[origin[e.index].second];
      diagnostics->push_back({rule.file, pat.line, rule.id,
                              "pattern /" + pat.expression + "/ does not compile: " + e.message,
                              false});
    }
    return RulesError("rule pack " + pack.path + ": " + std::to_string(errors.size()) +
                      " pattern error(s)");
  }
  compiled->patterns_ = set.value();
  compiled->normalizer_ = std::make_shared<const Normalizer>();
  compiled->pack_ = std::move(pack);
  return std::shared_ptr<const CompiledPack>(compiled);
}

Evaluator::Evaluator(std::shared_ptr<const CompiledPack> pack,
                     std::unique_ptr<PatternSet::Scratch> scratch, bool normalize)
    : pack_(std::move(pack)), scratch_(std::move(scratch)), normalize_(normalize) {}

Evaluator::~Evaluator() = default;

StatusOr<std::unique_ptr<Evaluator>> Evaluator::Create(std::shared_ptr<const CompiledPack> pack,
                                                       bool normalize) {
  StatusOr<std::unique_ptr<PatternSet::Scratch>> scratch = pack->patterns().NewScratch();
  if (!scratch.ok()) return scratch.status();
  return std::unique_ptr<Evaluator>(
      new Evaluator(std::move(pack), std::move(scratch.value()), normalize));
}

Status Evaluator::Collect(std::string_view text, uint32_t mask, const NormalizedText* normalized) {
  const PatternSet& set = pack_->patterns();
  if (!set.AnyMatch(text, mask, scratch_.get())) return Status::OK();
  scan_hits_.clear();
  if (Status s = set.FindAll(text, mask, scratch_.get(), &scan_hits_); !s.ok()) return s;
  for (const PatternHit& h : scan_hits_) {
    RuleHit r{pack_->RuleOfPattern(h.pattern), h.start, h.end, 0, 0};
    if (normalized != nullptr) {
      std::tie(r.start, r.end) = normalized->ToOriginal(h.start, h.end);
      r.norm_start = h.start;
      r.norm_end = h.end;
    }
    rule_hits_.push_back(r);
  }
  return Status::OK();
}

Status Evaluator::ScanField(std::string_view text, TextField field, std::vector<Violation>* out) {
  if (text.empty()) return Status::OK();
  const uint32_t raw_bit = 1u << static_cast<int>(field);
  const uint32_t normalized_bit = raw_bit << kNumTextFields;
  const Normalizer::Kind kind =
      field == TextField::kDetailHtml ? Normalizer::Kind::kHtml : Normalizer::Kind::kPlainText;
  const Normalizer& normalizer = *pack_->normalizer_;
  rule_hits_.clear();
  // A pattern list reads only raw text: normalizing for it would be wasted.
  const bool changes =
      normalize_ && pack_->has_normalized_view_ && normalizer.NeedsNormalization(text, kind);
  if (!changes) {
    // The fast path: the normalized text would be the text itself.
    if (Status s = Collect(text, raw_bit | normalized_bit, nullptr); !s.ok()) return s;
  } else {
    if (pack_->has_raw_view_) {
      if (Status s = Collect(text, raw_bit, nullptr); !s.ok()) return s;
    }
    normalizer.Normalize(text, kind, &normalized_);
    if (Status s = Collect(normalized_.text(), normalized_bit, &normalized_); !s.ok()) return s;
  }
  if (rule_hits_.empty()) return Status::OK();
  // Rule level: overlapping hits of one rule (several patterns, or both
  // views) are one violation. Sort by (rule, start, end), merge, then
  // restore text order.
  std::sort(rule_hits_.begin(), rule_hits_.end(), [](const RuleHit& a, const RuleHit& b) {
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.start != b.start) return a.start < b.start;
    return a.end < b.end;
  });
  std::vector<RuleHit> merged;
  for (const RuleHit& h : rule_hits_) {
    if (!merged.empty() && merged.back().rule == h.rule && h.start < merged.back().end) {
      RuleHit& m = merged.back();
      m.end = std::max(m.end, h.end);
      if (h.norm_end != 0) {
        m.norm_start = m.norm_end == 0 ? h.norm_start : std::min(m.norm_start, h.norm_start);
        m.norm_end = std::max(m.norm_end, h.norm_end);
      }
      continue;
    }
    merged.push_back(h);
  }
  std::sort(merged.begin(), merged.end(), [](const RuleHit& a, const RuleHit& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end < b.end;
    return a.rule < b.rule;
  });
  for (const RuleHit& h : merged) {
    Violation v;
    v.rule = h.rule;
    v.field = field;
    v.start = h.start;
    v.end = h.end;
    v.text = text.substr(h.start, h.end - h.start);
    if (h.norm_end != 0) {
      const std::string_view n = normalized_.text().substr(h.norm_start, h.norm_end - h.norm_start);
      if (n != v.text) v.normalized = std::string(n);
    }
    out->push_back(std::move(v));
  }
  return Status::OK();
}

Status Evaluator::Evaluate(const Record& record, std::vector<Violation>* out) {
  out->clear();
  for (int f = 0; f < kNumTextFields; ++f) {
    if (Status s = ScanField(record.text[f], static_cast<TextField>(f), out); !s.ok()) return s;
  }
  for (uint32_t r : pack_->check_rules_) {
    const FieldCheck& check = *pack_->pack().rules[r].check;
    if (!check.Evaluate(record)) continue;
    Violation v;
    v.rule = r;
    v.is_text = false;
    v.check_values = check.DescribeValues(record);
    out->push_back(std::move(v));
  }
  return Status::OK();
}

StatusOr<bool> Evaluator::RuleMatchesText(uint32_t rule, std::string_view text) {
  std::vector<Violation> found;
  for (TextField f : {TextField::kTitle, TextField::kDetailHtml}) {
    found.clear();
    if (Status s = ScanField(text, f, &found); !s.ok()) return s;
    for (const Violation& v : found) {
      if (v.rule == rule) return true;
    }
  }
  return false;
}

}  // namespace catscan
