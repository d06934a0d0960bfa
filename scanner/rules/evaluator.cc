#include "scanner/rules/evaluator.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "scanner/rules/item_ref.h"
#include "scanner/rules/text_price.h"

namespace catscan {

StatusOr<std::shared_ptr<const CompiledPack>> CompiledPack::Compile(
    RulePack pack, std::vector<RuleDiagnostic>* diagnostics, const DatabaseCache* cache) {
  std::shared_ptr<CompiledPack> compiled(new CompiledPack());
  std::vector<PatternSpec> specs;
  std::vector<const RulePattern*> origin;  // per spec
  compiled->logic_.resize(pack.rules.size());
  for (uint32_t r = 0; r < pack.rules.size(); ++r) {
    const Rule& rule = pack.rules[r];
    // Scope bits: field f of the raw text is bit f, of the normalized text
    // bit f + kNumTextFields.
    uint32_t scope = 0;
    if (rule.view != TextView::kNormalized) scope |= rule.scope;
    if (rule.view != TextView::kRaw) scope |= rule.scope << kNumTextFields;
    if (rule.view != TextView::kNormalized && (!rule.patterns.empty() || !rule.defined.empty()))
      compiled->has_raw_view_ = true;
    if (rule.view != TextView::kRaw &&
        (!rule.patterns.empty() || !rule.defined.empty() || !rule.exceptions.empty()))
      compiled->has_normalized_view_ = true;
    std::map<std::string, int32_t> slots;  // this rule's names
    const auto slot_of = [&](const std::string& name) -> int32_t {
      if (name.empty()) return -1;
      auto [it, fresh] = slots.emplace(name, static_cast<int32_t>(compiled->name_slots_));
      if (fresh) ++compiled->name_slots_;
      return it->second;
    };
    const auto add = [&](const std::vector<RulePattern>& pats, Role role) {
      for (const RulePattern& p : pats) {
        specs.push_back({p.expression, p.caseless, scope, role != Role::kException});
        if (p.is_literal) specs.back().literal_bytes = FixedLiteralBytes(p.literal, p.caseless);
        origin.push_back(&p);
        compiled->roles_.push_back({r, role, slot_of(p.name)});
      }
    };
    add(rule.patterns, Role::kEvidence);
    add(rule.defined, Role::kCondition);
    add(rule.exceptions, Role::kException);
    RuleLogic& logic = compiled->logic_[r];
    const auto conditions = [&](const std::vector<RuleCondition>& in, std::vector<Condition>* out) {
      for (const RuleCondition& c : in) {
        out->push_back({c.name.empty() ? -1 : slot_of(c.name), c.check ? &*c.check : nullptr});
      }
    };
    conditions(rule.all_of, &logic.all_of);
    conditions(rule.any_of, &logic.any_of);
    conditions(rule.none_of, &logic.none_of);
    logic.has_conditions = !rule.all_of.empty() || !rule.any_of.empty() || !rule.none_of.empty();
    if (rule.check && rule.patterns.empty()) compiled->check_rules_.push_back(r);
    if (rule.extract == RuleExtract::kItemRef) compiled->has_reference_rules_ = true;
  }
  std::vector<PatternError> errors;
  StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors, cache);
  if (!set.ok()) {
    for (const PatternError& e : errors) {
      const Rule& rule = pack.rules[compiled->roles_[e.index].rule];
      const RulePattern& pat = *origin[e.index];
      diagnostics->push_back({pat.file.empty() ? rule.file : pat.file, pat.line, rule.id,
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
  exception_hits_.clear();
  for (const PatternHit& h : scan_hits_) {
    const CompiledPack::PatternRole& role = pack_->roles_[h.pattern];
    if (role.role == CompiledPack::Role::kException) {
      exception_hits_.push_back({role.rule, h.start, h.end});
    }
  }
  for (const PatternHit& h : scan_hits_) {
    const CompiledPack::PatternRole& role = pack_->roles_[h.pattern];
    if (role.role == CompiledPack::Role::kException) continue;
    // An exception match [s, e) of the same rule covering the hit cancels it.
    const bool cancelled =
        std::any_of(exception_hits_.begin(), exception_hits_.end(), [&](const Span& e) {
          return e.rule == role.rule && e.start <= h.start && h.end <= e.end;
        });
    if (cancelled) continue;
    if (role.slot >= 0) name_seen_[role.slot] = 1;
    if (role.role != CompiledPack::Role::kEvidence) continue;
    RuleHit r{role.rule, h.start, h.end, 0, 0};
    if (normalized != nullptr) {
      std::tie(r.start, r.end) = normalized->ToOriginal(h.start, h.end);
      r.norm_start = h.start;
      r.norm_end = h.end;
    }
    rule_hits_.push_back(r);
  }
  return Status::OK();
}

Status Evaluator::ScanField(std::string_view text, TextField field) {
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
    PendingHit p{h.rule, field, h.start, h.end, std::string(), kNoTextPrice};
    if (h.norm_end != 0) {
      const std::string_view n = normalized_.text().substr(h.norm_start, h.norm_end - h.norm_start);
      if (n != text.substr(h.start, h.end - h.start)) p.normalized = std::string(n);
    }
    if (pack_->pack().rules[h.rule].check) {
      // The number is read where the hit was found: the normalized text has
      // ASCII digits where the merchant may have written full-width ones.
      p.text_price = h.norm_end != 0 ? ReadStatedPrice(normalized_.text(), h.norm_start, h.norm_end)
                                     : ReadStatedPrice(text, h.start, h.end);
    }
    pending_.push_back(std::move(p));
  }
  return Status::OK();
}

bool Evaluator::ConditionsHold(uint32_t rule, const Record& record) {
  int8_t& state = rule_state_[rule];
  if (state >= 0) return state == 1;
  const CompiledPack::RuleLogic& logic = pack_->logic_[rule];
  const auto holds = [&](const CompiledPack::Condition& c) {
    return c.check != nullptr ? c.check->Evaluate(record) : name_seen_[c.slot] != 0;
  };
  bool ok = std::all_of(logic.all_of.begin(), logic.all_of.end(), holds) &&
            (logic.any_of.empty() || std::any_of(logic.any_of.begin(), logic.any_of.end(), holds)) &&
            std::none_of(logic.none_of.begin(), logic.none_of.end(), holds);
  state = ok ? 1 : 0;
  return ok;
}

Status Evaluator::Evaluate(const Record& record, std::vector<Violation>* out) {
  out->clear();
  pending_.clear();
  name_seen_.assign(pack_->name_slots_, 0);
  rule_state_.assign(pack_->logic_.size(), -1);
  for (int f = 0; f < kNumTextFields; ++f) {
    if (Status s = ScanField(record.text[f], static_cast<TextField>(f)); !s.ok()) return s;
  }
  const std::vector<Rule>& rules = pack_->pack().rules;
  for (PendingHit& h : pending_) {
    const Rule& rule = rules[h.rule];
    if (pack_->logic_[h.rule].has_conditions && !ConditionsHold(h.rule, record)) continue;
    if (rule.check && !rule.check->Evaluate(record, h.text_price)) continue;
    Violation v;
    v.rule = h.rule;
    v.field = h.field;
    v.start = h.start;
    v.end = h.end;
    v.text = record.text[static_cast<int>(h.field)].substr(h.start, h.end - h.start);
    if (rule.extract == RuleExtract::kItemRef) {
      // The id as the merchant wrote it: the normalized spelling is case-folded.
      v.referenced_id = ReferencedId(v.text);
      if (v.referenced_id.empty()) continue;
    }
    v.normalized = std::move(h.normalized);
    out->push_back(std::move(v));
  }
  for (uint32_t r : pack_->check_rules_) {
    const FieldCheck& check = *rules[r].check;
    if (!check.Evaluate(record)) continue;
    if (pack_->logic_[r].has_conditions && !ConditionsHold(r, record)) continue;
    Violation v;
    v.rule = r;
    v.is_text = false;
    v.check_values = check.DescribeValues(record);
    out->push_back(std::move(v));
  }
  return Status::OK();
}

StatusOr<bool> Evaluator::RuleMatchesText(uint32_t rule, std::string_view text) {
  RuleExample example;
  example.title = std::string(text);
  return RuleMatchesExample(rule, example);
}

StatusOr<bool> Evaluator::RuleMatchesExample(uint32_t rule, const RuleExample& example) {
  std::vector<Violation> found;
  const auto fires = [&](const Record& record) -> StatusOr<bool> {
    if (Status s = Evaluate(record, &found); !s.ok()) return s;
    return std::any_of(found.begin(), found.end(),
                       [rule](const Violation& v) { return v.rule == rule; });
  };
  Record record;
  record.item_id = "example";
  record.merchant_id = "example";
  record.number = example.number;
  record.number_present = example.number_present;
  if (example.is_record) {
    record.text[static_cast<int>(TextField::kTitle)] = example.title;
    record.text[static_cast<int>(TextField::kDetailHtml)] = example.detail_html;
    return fires(record);
  }
  for (TextField f : {TextField::kTitle, TextField::kDetailHtml}) {
    record.text = {};
    record.text[static_cast<int>(f)] = example.title;
    StatusOr<bool> hit = fires(record);
    if (!hit.ok() || hit.value()) return hit;
  }
  return false;
}

}  // namespace catscan
