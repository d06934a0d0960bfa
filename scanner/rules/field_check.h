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
// original_price, stock, min_order_qty, shipping_fee. A check is false when a
// field it names is absent from the record: a missing number proves nothing.
//
// A FieldCheck is an immutable value; Evaluate may run on many threads.

#ifndef CATSCAN_RULES_FIELD_CHECK_H_
#define CATSCAN_RULES_FIELD_CHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/record/record.h"

namespace catscan {

class FieldCheck {
 public:
  // Parses "text"; the error says what is wrong and where.
  static StatusOr<FieldCheck> Parse(std::string_view text);

  bool Evaluate(const Record& record) const;

  // "original_price=999 price=9.9": the fields it reads, with their values.
  std::string DescribeValues(const Record& record) const;

  // Fields in order of first mention; front() names the violation's field.
  const std::vector<NumberField>& fields() const { return fields_; }
  const std::string& source() const { return source_; }

 private:
  enum class Op { kGe, kGt, kLe, kLt, kEq, kNe };
  struct Term {
    double factor = 1;   // constant, or multiplier of the field
    int field = -1;      // NumberField index, -1 for a constant
  };
  struct Comparison {
    Term lhs;
    Op op;
    Term rhs;
  };

  bool Value(const Term& t, const Record& r, double* out) const;

  std::vector<Comparison> comparisons_;
  std::vector<NumberField> fields_;
  std::string source_;
};

}  // namespace catscan

#endif  // CATSCAN_RULES_FIELD_CHECK_H_
