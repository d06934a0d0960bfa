#include "scanner/rules/evaluator.h"

#include <algorithm>

namespace catscan {

StatusOr<std::shared_ptr<const CompiledPack>> CompiledPack::Compile(
    RulePack pack, std::vector<RuleDiagnostic>* diagnostics) {
  std::shared_ptr<CompiledPack> compiled(new CompiledPack());
  std::vector<PatternSpec> specs;
  std::vector<std::pair<uint32_t, size_t>> origin;  // (rule, pattern index in rule)
  for (uint32_t r = 0; r < pack.rules.size(); ++r) {
    const Rule& rule = pack.rules[r];
    for (size_t p = 0; p < rule.patterns.size(); ++p) {
      specs.push_back({rule.patterns[p].expression, rule.patterns[p].caseless, rule.scope});
      origin.emplace_back(r, p);
      compiled->rule_of_pattern_.push_back(r);
    }
    if (rule.check) compiled->check_rules_.push_back(r);
  }
  std::vector<PatternError> errors;
  StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors);
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
  compiled->pack_ = std::move(pack);
  return std::shared_ptr<const CompiledPack>(compiled);
}

Evaluator::Evaluator(std::shared_ptr<const CompiledPack> pack,
                     std::unique_ptr<PatternSet::Scratch> scratch)
    : pack_(std::move(pack)), scratch_(std::move(scratch)) {}

Evaluator::~Evaluator() = default;

StatusOr<std::unique_ptr<Evaluator>> Evaluator::Create(std::shared_ptr<const CompiledPack> pack) {
  StatusOr<std::unique_ptr<PatternSet::Scratch>> scratch = pack->patterns().NewScratch();
  if (!scratch.ok()) return scratch.status();
  return std::unique_ptr<Evaluator>(new Evaluator(std::move(pack), std::move(scratch.value())));
}

Status Evaluator::ScanField(std::string_view text, TextField field, std::vector<Violation>* out) {
  const uint32_t scope_bit = 1u << static_cast<int>(field);
  const PatternSet& set = pack_->patterns();
  if (text.empty() || !set.AnyMatch(text, scope_bit, scratch_.get())) return Status::OK();
  hits_.clear();
  if (Status s = set.FindAll(text, scope_bit, scratch_.get(), &hits_); !s.ok()) return s;
  // Rule level: overlapping hits of different patterns of one rule are one
  // violation. Sort by (rule, start, end), merge, then restore text order.
  for (PatternHit& h : hits_) h.pattern = pack_->RuleOfPattern(h.pattern);
  std::sort(hits_.begin(), hits_.end(), [](const PatternHit& a, const PatternHit& b) {
    if (a.pattern != b.pattern) return a.pattern < b.pattern;
    if (a.start != b.start) return a.start < b.start;
    return a.end < b.end;
  });
  const size_t first = out->size();
  for (const PatternHit& h : hits_) {
    if (out->size() > first && out->back().rule == h.pattern && h.start < out->back().end) {
      out->back().end = std::max(out->back().end, h.end);
      continue;
    }
    Violation v;
    v.rule = h.pattern;
    v.field = field;
    v.start = h.start;
    v.end = h.end;
    out->push_back(std::move(v));
  }
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const Violation& a, const Violation& b) {
              if (a.start != b.start) return a.start < b.start;
              if (a.end != b.end) return a.end < b.end;
              return a.rule < b.rule;
            });
  for (size_t i = first; i < out->size(); ++i) {
    Violation& v = (*out)[i];
    v.text = text.substr(v.start, v.end - v.start);
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
