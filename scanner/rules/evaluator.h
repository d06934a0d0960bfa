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
// runs first; only a text that matches is rescanned for start offsets. Overlapping hits of one rule in one field merge
// into one violation. Violations come out in a fixed order: title hits, then
// detail_html hits (each by start, end, rule), then field checks in rule
// order. The order is part of the output contract (byte-identical outputs).

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
  uint32_t RuleOfPattern(uint32_t pattern) const { return rule_of_pattern_[pattern]; }
  size_t pattern_count() const { return rule_of_pattern_.size(); }

 private:
  CompiledPack() = default;
  RulePack pack_;
  std::shared_ptr<const PatternSet> patterns_;
  std::shared_ptr<const Normalizer> normalizer_;
  bool has_raw_view_ = false;  // some rule matches the raw text of a changed field
  bool has_normalized_view_ = false;  // some rule matches normalized text at all
  std::vector<uint32_t> rule_of_pattern_;
  std::vector<uint32_t> check_rules_;  // rules with a field check, in order
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

 private:
  Evaluator(std::shared_ptr<const CompiledPack> pack, std::unique_ptr<PatternSet::Scratch> scratch,
            bool normalize);

  Status ScanField(std::string_view text, TextField field, std::vector<Violation>* out);
  // Appends the hits of "text" for the scope bits in "mask" to hits_; maps
  // them to original offsets through "normalized" when it is given.
  Status Collect(std::string_view text, uint32_t mask, const NormalizedText* normalized);

  std::shared_ptr<const CompiledPack> pack_;
  std::unique_ptr<PatternSet::Scratch> scratch_;
  bool normalize_;
  // A rule's hit in original offsets; norm_* locate it in the normalized
  // text when it was found there (norm_end == 0: found in the raw text).
  struct RuleHit {
    uint32_t rule, start, end, norm_start, norm_end;
  };
  NormalizedText normalized_;         // reused field after field
  std::vector<RuleHit> rule_hits_;    // reused
  std::vector<PatternHit> scan_hits_; // reused
};

}  // namespace catscan

#endif  // CATSCAN_RULES_EVALUATOR_H_
