// scanner/rules/evaluator.h
//
// CompiledPack is a RulePack with its text patterns compiled into one
// PatternSet; immutable and shared by all workers. Evaluator applies it to one
// record at a time and yields the record's Violations; each worker thread owns
// one Evaluator (it holds the Hyperscan scratch).
//
// Per record, title and detail_html are scanned separately, so every hit names
// its field. A field that normalization would change is also normalized
// (detail_html as HTML), and rules see the view they ask for (`view:`); hits
// in the normalized text are mapped back to the original bytes, so evidence
// always points into the field as the merchant wrote it. A field that needs no
// normalization is scanned once, as it is, for both views. The fast database
// runs first; only a text that matches is rescanned for start offsets.
// A hit covered by one of its rule's exceptions (same field, same view) is
// dropped; overlapping hits of one rule in one field merge into one
// violation. A rule's conditions (all_of/any_of/none_of) and its check are
// judged once both fields are scanned, so a hit in the title may depend on a
// named pattern in the detail or on the stock. Violations come out in a fixed
// order: title hits, then detail_html hits (each by start, end, rule), then
// field checks in rule order. The order is part of the output contract
// (byte-identical outputs).
//
// A hit of a reference rule (`extract: item_ref`) comes out as a Violation
// with referenced_id set (the id it names; hits naming none are dropped).
// It is not a violation yet: the sweep collects it and judges it against the
// whole catalog after the scan (scanner/aggregate/catalog_refs.h).

#ifndef CATSCAN_RULES_EVALUATOR_H_
#define CATSCAN_RULES_EVALUATOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/match/pattern_set.h"
#include "scanner/normalize/normalizer.h"
#include "scanner/record/record.h"
#include "scanner/rules/rule_pack.h"

namespace catscan {

class CompiledPack {
 public:
  // Compiles the pack's patterns (or loads them from "cache", if given).
  // Pattern errors become diagnostics naming the file, line and rule.
  static StatusOr<std::shared_ptr<const CompiledPack>> Compile(
      RulePack pack, std::vector<RuleDiagnostic>* diagnostics,
      const DatabaseCache* cache = nullptr);

  const RulePack& pack() const { return pack_; }
  const PatternSet& patterns() const { return *patterns_; }
  uint32_t RuleOfPattern(uint32_t pattern) const { return roles_[pattern].rule; }
  // Compiled patterns: evidence, exceptions and condition patterns.
  size_t pattern_count() const { return roles_.size(); }
  // Some rule is a reference rule (`extract: item_ref`): the sweep must then
  // collect every listing's availability for the join.
  bool has_reference_rules() const { return has_reference_rules_; }

 private:
  CompiledPack() = default;

  // What a compiled pattern is for.
  enum class Role : uint8_t { kEvidence, kException, kCondition };
  struct PatternRole {
    uint32_t rule;
    Role role;
    int32_t slot;  // index of its name in the record's name flags, -1: unnamed
  };
  // A condition, compiled: a name slot or a check.
  struct Condition {
    int32_t slot = -1;
    const FieldCheck* check = nullptr;
  };
  struct RuleLogic {
    std::vector<Condition> all_of, any_of, none_of;
    bool has_conditions = false;
  };

  RulePack pack_;
  std::shared_ptr<const PatternSet> patterns_;
  std::shared_ptr<const Normalizer> normalizer_;
  bool has_raw_view_ = false;  // some rule matches the raw text of a changed field
  bool has_reference_rules_ = false;
  bool has_normalized_view_ = false;  // some rule matches normalized text at all
  std::vector<PatternRole> roles_;
  std::vector<RuleLogic> logic_;       // per rule
  size_t name_slots_ = 0;              // (rule, pattern name) pairs
  std::vector<uint32_t> check_rules_;  // rules with a check and no patterns, in order
  friend class Evaluator;
};

// One rule broken by one record.
struct Violation {
  uint32_t rule = 0;          // index into pack().rules
  bool is_text = true;        // text hit, else a field check
  TextField field = TextField::kTitle;  // for text hits
  uint32_t start = 0;         // byte offsets in the original field text
  uint32_t end = 0;
  std::string_view text;      // the matched bytes (a view into the record)
  std::string normalized;     // the normalized spelling matched, if it differs from text
  std::string check_values;   // for field checks: "original_price=999 price=9.9"
  std::string_view referenced_id;  // reference rules only: the id in "text"
  bool is_reference() const { return !referenced_id.empty(); }
};

class Evaluator {
 public:
  ~Evaluator();
  // Fails only if Hyperscan cannot allocate scratch space. With "normalize"
  // false every rule sees only the raw text (for benchmarks and diagnosis).
  static StatusOr<std::unique_ptr<Evaluator>> Create(std::shared_ptr<const CompiledPack> pack,
                                                     bool normalize = true);

  // Replaces "out" with the record's violations. Views in "out" live as long
  // as the record's.
  Status Evaluate(const Record& record, std::vector<Violation>* out);

  // Whether "rule" fires on "text" given as a title and as a detail (for
  // `rules test`).
  StatusOr<bool> RuleMatchesText(uint32_t rule, std::string_view text);

  // Whether "rule" fires on "example": a record example as it is, a string
  // as a title and as a detail.
  StatusOr<bool> RuleMatchesExample(uint32_t rule, const RuleExample& example);

 private:
  Evaluator(std::shared_ptr<const CompiledPack> pack, std::unique_ptr<PatternSet::Scratch> scratch,
            bool normalize);

  // Scans one field: its rule hits go to pending_, its names to name_seen_.
  Status ScanField(std::string_view text, TextField field);
  // Appends the hits of "text" for the scope bits in "mask" to rule_hits_,
  // less those an exception covers; maps them to original offsets through
  // "normalized" when it is given.
  Status Collect(std::string_view text, uint32_t mask, const NormalizedText* normalized);
  // Whether the record meets the rule's all_of/any_of/none_of.
  bool ConditionsHold(uint32_t rule, const Record& record);

  std::shared_ptr<const CompiledPack> pack_;
  std::unique_ptr<PatternSet::Scratch> scratch_;
  bool normalize_;
  // A rule's hit in original offsets; norm_* locate it in the normalized
  // text when it was found there (norm_end == 0: found in the raw text).
  struct RuleHit {
    uint32_t rule, start, end, norm_start, norm_end;
  };
  // A merged hit of one field, waiting for the record-level judgement.
  struct PendingHit {
    uint32_t rule;
    TextField field;
    uint32_t start, end;
    std::string normalized;  // the normalized spelling, if it differs
    double text_price;       // for rules with a check
  };
  struct Span {
    uint32_t rule, start, end;
  };
  NormalizedText normalized_;         // reused field after field
  std::vector<RuleHit> rule_hits_;    // reused
  std::vector<PatternHit> scan_hits_; // reused
  std::vector<Span> exception_hits_;  // reused
  std::vector<PendingHit> pending_;   // the record's hits, field by field
  std::vector<uint8_t> name_seen_;    // per name slot: seen in this record
  std::vector<int8_t> rule_state_;    // per rule: -1 not judged yet, else 0/1
};

}  // namespace catscan

#endif  // CATSCAN_RULES_EVALUATOR_H_
