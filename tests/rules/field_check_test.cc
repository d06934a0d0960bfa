#include "scanner/rules/field_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace catscan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Record WithNumbers(std::initializer_list<std::pair<NumberField, double>> values) {
  Record r;
  r.item_id = "i";
  r.merchant_id = "m";
  for (const auto& [field, value] : values) {
    r.number[static_cast<int>(field)] = value;
    r.number_present |= static_cast<uint8_t>(1u << static_cast<int>(field));
  }
  return r;
}

FieldCheck MustParse(const std::string& text) {
  StatusOr<FieldCheck> c = FieldCheck::Parse(text);
  EXPECT_TRUE(c.ok()) << text << ": " << c.status().message();
  return c.ok() ? c.value() : FieldCheck::Parse("price > 0").value();
}

TEST(FieldCheckTest, InflatedOriginalPrice) {
  const FieldCheck c = MustParse("original_price >= 10 * price and price > 0");
  EXPECT_EQ(c.source(), "original_price >= 10 * price and price > 0");
  EXPECT_THAT(c.fields(), ElementsAre(NumberField::kOriginalPrice, NumberField::kPrice));

  const Record hit = WithNumbers({{NumberField::kOriginalPrice, 199}, {NumberField::kPrice, 9.9}});
  EXPECT_TRUE(c.Evaluate(hit));
  EXPECT_EQ(c.DescribeValues(hit), "original_price=199 price=9.9");

  EXPECT_TRUE(
      c.Evaluate(WithNumbers({{NumberField::kOriginalPrice, 99}, {NumberField::kPrice, 9.9}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kOriginalPrice, 98.9}, {NumberField::kPrice, 9.9}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kOriginalPrice, 199}, {NumberField::kPrice, 0}})));
}

TEST(FieldCheckTest, FactorOnEitherSide) {
  const FieldCheck a = MustParse("10 * price <= original_price");
  const FieldCheck b = MustParse("price * 10 <= original_price");
  const FieldCheck c = MustParse("original_price >= price*10");
  EXPECT_THAT(a.fields(), ElementsAre(NumberField::kPrice, NumberField::kOriginalPrice));
  EXPECT_THAT(c.fields(), ElementsAre(NumberField::kOriginalPrice, NumberField::kPrice));
  for (double original : {49.0, 50.0, 51.0}) {
    const Record r =
        WithNumbers({{NumberField::kOriginalPrice, original}, {NumberField::kPrice, 5}});
    const bool expected = original >= 50;
    EXPECT_EQ(a.Evaluate(r), expected) << original;
    EXPECT_EQ(b.Evaluate(r), expected) << original;
    EXPECT_EQ(c.Evaluate(r), expected) << original;
  }
}

TEST(FieldCheckTest, EveryOperator) {
  struct Case {
    const char* op;
    bool below;  // price 4
    bool equal;  // price 5
    bool above;  // price 6
  };
  const Case cases[] = {
      {">=", false, true, true}, {">", false, false, true},  {"<=", true, true, false},
      {"<", true, false, false}, {"==", false, true, false}, {"!=", true, false, true},
  };
  for (const Case& k : cases) {
    const FieldCheck c = MustParse(std::string("price ") + k.op + " 5");
    EXPECT_EQ(c.Evaluate(WithNumbers({{NumberField::kPrice, 4}})), k.below) << k.op;
    EXPECT_EQ(c.Evaluate(WithNumbers({{NumberField::kPrice, 5}})), k.equal) << k.op;
    EXPECT_EQ(c.Evaluate(WithNumbers({{NumberField::kPrice, 6}})), k.above) << k.op;
    // The constant on the left mirrors the operator.
    const FieldCheck mirrored = MustParse(std::string("5 ") + k.op + " price");
    EXPECT_EQ(mirrored.Evaluate(WithNumbers({{NumberField::kPrice, 4}})), k.above) << k.op;
    EXPECT_EQ(mirrored.Evaluate(WithNumbers({{NumberField::kPrice, 5}})), k.equal) << k.op;
    EXPECT_EQ(mirrored.Evaluate(WithNumbers({{NumberField::kPrice, 6}})), k.below) << k.op;
  }
}

TEST(FieldCheckTest, AndNeedsEveryComparison) {
  const FieldCheck c = MustParse("shipping_fee >= price and shipping_fee >= 20");
  EXPECT_THAT(c.fields(), ElementsAre(NumberField::kShippingFee, NumberField::kPrice));
  EXPECT_TRUE(
      c.Evaluate(WithNumbers({{NumberField::kShippingFee, 25}, {NumberField::kPrice, 10}})));
  EXPECT_TRUE(
      c.Evaluate(WithNumbers({{NumberField::kShippingFee, 20}, {NumberField::kPrice, 20}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kShippingFee, 15}, {NumberField::kPrice, 10}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kShippingFee, 25}, {NumberField::kPrice, 30}})));
  EXPECT_EQ(
      c.DescribeValues(WithNumbers({{NumberField::kShippingFee, 25}, {NumberField::kPrice, 10}})),
      "shipping_fee=25 price=10");
}

TEST(FieldCheckTest, ThreeComparisonsAndAllFields) {
  const FieldCheck c = MustParse("stock > 0 and min_order_qty >= 5 and stock < 2 * min_order_qty");
  EXPECT_THAT(c.fields(), ElementsAre(NumberField::kStock, NumberField::kMinOrderQty));
  EXPECT_TRUE(c.Evaluate(WithNumbers({{NumberField::kStock, 9}, {NumberField::kMinOrderQty, 5}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kStock, 10}, {NumberField::kMinOrderQty, 5}})));
  EXPECT_FALSE(c.Evaluate(WithNumbers({{NumberField::kStock, 0}, {NumberField::kMinOrderQty, 5}})));
}

TEST(FieldCheckTest, FieldAgainstField) {
  const FieldCheck c = MustParse("price==original_price");
  EXPECT_TRUE(
      c.Evaluate(WithNumbers({{NumberField::kPrice, 3.5}, {NumberField::kOriginalPrice, 3.5}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kPrice, 3.5}, {NumberField::kOriginalPrice, 4}})));
}

TEST(FieldCheckTest, DecimalConstants) {
  const FieldCheck c = MustParse("price < 0.5 * original_price and price >= .25");
  EXPECT_TRUE(
      c.Evaluate(WithNumbers({{NumberField::kPrice, 0.25}, {NumberField::kOriginalPrice, 1}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kPrice, 0.5}, {NumberField::kOriginalPrice, 1}})));
  EXPECT_FALSE(
      c.Evaluate(WithNumbers({{NumberField::kPrice, 0.2}, {NumberField::kOriginalPrice, 1}})));
}

TEST(FieldCheckTest, AbsentFieldMakesTheCheckFalse) {
  const FieldCheck c = MustParse("shipping_fee >= price and shipping_fee >= 20");
  const Record no_fee = WithNumbers({{NumberField::kPrice, 5}});
  EXPECT_FALSE(c.Evaluate(no_fee));
  EXPECT_EQ(c.DescribeValues(no_fee), "shipping_fee=absent price=5");
  EXPECT_FALSE(c.Evaluate(WithNumbers({{NumberField::kShippingFee, 50}})));
  // Even a comparison that "absent" would trivially satisfy.
  EXPECT_FALSE(MustParse("price != 5").Evaluate(WithNumbers({})));
  EXPECT_FALSE(MustParse("stock < 1").Evaluate(WithNumbers({{NumberField::kPrice, 0}})));
  EXPECT_EQ(MustParse("stock < 1").DescribeValues(WithNumbers({})), "stock=absent");
}

TEST(FieldCheckTest, DescribeValuesUsesShortestNumbers) {
  const FieldCheck c = MustParse("min_order_qty >= 5");
  EXPECT_EQ(c.DescribeValues(WithNumbers({{NumberField::kMinOrderQty, 5}})), "min_order_qty=5");
  EXPECT_EQ(c.DescribeValues(WithNumbers({{NumberField::kMinOrderQty, 0.1 + 0.2}})),
            "min_order_qty=0.30000000000000004");
}

TEST(FieldCheckTest, FieldMentionedTwiceIsListedOnce) {
  const FieldCheck c = MustParse("price > 1 and price < 100 and 2 * price != stock");
  EXPECT_THAT(c.fields(), ElementsAre(NumberField::kPrice, NumberField::kStock));
}

struct BadCheck {
  const char* text;
  const char* says;  // a piece of the error message
};

TEST(FieldCheckTest, ParseErrors) {
  const BadCheck cases[] = {
      {"foo > 1", "foo"},                 // unknown field
      {"price >= 10 * cost", "cost"},     // unknown field after '*'
      {"Price > 1", "Price"},             // field names are case-sensitive
      {"price = 1", "="},                 // bad operator
      {"price => 1", "="},                // bad operator
      {"price ! 1", "!"},                 // bad operator
      {"price > 1 xyz", "and"},           // trailing junk
      {"price > 1 and", "column 14"},     // nothing after "and"
      {"price > 1 or stock > 1", "and"},  // no "or"
      {"price > 1;", ";"},                // stray character
      {"5 > 3", "field"},                 // no field
      {"", "column 1"},                   // empty
      {"price", "comparison"},            // no operator
      {"price >", "column 8"},            // no right side
      {"10 * 5 > price", "'*'"},          // number * number
      {"price * stock > 1", "'*'"},       // field * field
      {"1.2.3 < price", "1.2.3"},         // bad number
      {"price > 1 > 2", "and"},           // chained comparison
  };
  for (const BadCheck& k : cases) {
    StatusOr<FieldCheck> c = FieldCheck::Parse(k.text);
    ASSERT_FALSE(c.ok()) << "accepted: " << k.text;
    EXPECT_EQ(c.status().code(), StatusCode::kRules) << k.text;
    EXPECT_THAT(c.status().message(), HasSubstr(k.says)) << k.text;
  }
}

TEST(FieldCheckTest, ErrorNamesTheColumn) {
  StatusOr<FieldCheck> c = FieldCheck::Parse("price > 0 and cost < 5");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("cost"));
  EXPECT_THAT(c.status().message(), HasSubstr("column 15"));
}

}  // namespace
}  // namespace catscan
