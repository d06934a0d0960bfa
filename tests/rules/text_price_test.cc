#include "scanner/rules/text_price.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace catscan {
namespace {

// The price stated at the first occurrence of "hit" in "text".
double At(const std::string& text, const std::string& hit) {
  const size_t start = text.find(hit);
  return ReadStatedPrice(text, start, start + hit.size());
}

TEST(TextPriceTest, NumberInsideTheHit) {
  EXPECT_EQ(At("原价999元", "原价999"), 999);
  EXPECT_EQ(At("原价¥999", "原价¥999"), 999);
  EXPECT_EQ(At("原价1,299", "原价1,299"), 1299);
  EXPECT_EQ(At("原价12,345,678.5", "原价12"), 12345678.5);
  EXPECT_DOUBLE_EQ(At("原价99.90", "原价"), 99.9);
}

TEST(TextPriceTest, NumberRightAfterTheHit) {
  EXPECT_EQ(At("专柜价 2980元", "专柜价"), 2980);
  EXPECT_EQ(At("原价:1,299", "原价"), 1299);
  EXPECT_EQ(At("原价：¥ 88", "原价"), 88);
  EXPECT_EQ(At("原价￥66", "原价"), 66);
  EXPECT_EQ(At("原价RMB 500", "原价"), 500);
  EXPECT_EQ(At("原价1.2万", "原价"), 12000);
}

TEST(TextPriceTest, CommasThatDoNotGroupThousandsEndTheNumber) {
  EXPECT_EQ(At("原价1,29", "原价"), 1);
  EXPECT_EQ(At("原价1,2999", "原价"), 1);
  EXPECT_EQ(At("原价12.", "原价"), 12);
}

TEST(TextPriceTest, NoNumberIsNaN) {
  EXPECT_TRUE(std::isnan(At("原价优惠", "原价")));
  EXPECT_TRUE(std::isnan(At("原价", "原价")));
  EXPECT_TRUE(std::isnan(At("原价 是 99", "原价")));  // too far: "是" is no separator
  EXPECT_TRUE(std::isnan(ReadStatedPrice("abc", 10, 12)));
}

}  // namespace
}  // namespace catscan
