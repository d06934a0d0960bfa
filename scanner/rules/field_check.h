// scanner/rules/field_check.h
//
// FieldCheck is a rule's test on a record's numeric fields, written in the
// rule file as a small expression:
//
//   check: "original_price >= 10 * price and price > 0"
//
// Grammar: comparison ("and" comparison)*, where a comparison is
// term OP term with OP one of >= > <= < == !=, and a term is a number, a
// field name, or number "*" field (either order). Fields: price,
// original_price, stock, min_order_qty, shipping_fee, and text_price: the
// number stated in the text hit being judged (only in a rule with patterns;
// the evaluator reads it, see rule_pack.h). A check is false when a field it
// names is absent from the record (or no number is stated): a missing number
// proves nothing.
//
// A FieldCheck is an immutable value; Evaluate may run on many threads.

#ifndef CATSCAN_RULES_FIELD_CHECK_H_
#define CATSCAN_RULES_FIELD_CHECK_H_

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/record/record.h"

namespace catscan {

// No number stated in the text.
inline constexpr double kNoTextPrice = std::numeric_limits<double>::quiet_NaN();

class FieldCheck {
 public:
  // Parses "text"; the error says what is wrong and where.
  static StatusOr<FieldCheck> Parse(std::string_view text);

  // "text_price" is the number stated in the hit, if any (NaN: none).
  bool Evaluate(const Record& record, double text_price = kNoTextPrice) const;

  // "original_price=999 price=9.9": the fields it reads, with their values.
  std::string DescribeValues(const Record& record, double text_price = kNoTextPrice) const;

  // Record fields in order of first mention; front() names the violation's
  // field. May be empty for a check on text_price alone.
  const std::vector<NumberField>& fields() const { return fields_; }
  bool uses_text_price() const { return uses_text_price_; }
  const std::string& source() const { return source_; }

 private:
  enum class Op { kGe, kGt, kLe, kLt, kEq, kNe };
  struct Term {
    double factor = 1;   // constant, or multiplier of the field
    int field = -1;      // NumberField index, kNumNumberFields for text_price, -1 for a constant
  };
  struct Comparison {
    Term lhs;
    Op op;
    Term rhs;
  };

  bool Value(const Term& t, const Record& r, double text_price, double* out) const;

  std::vector<Comparison> comparisons_;
  std::vector<NumberField> fields_;
  std::string source_;
  bool uses_text_price_ = false;
};

}  // namespace catscan

#endif  // CATSCAN_RULES_FIELD_CHECK_H_
