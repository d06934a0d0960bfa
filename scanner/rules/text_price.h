// scanner/rules/text_price.h
//
// ReadStatedPrice reads the number a listing states at a text hit, for a
// rule's `text_price` (e.g. 999 in "原价¥999", 2980 in "专柜价 2980元",
// 1299 in "原价:1,299", 12000 in "原价1.2万"). The number is the first one
// inside the hit; if the hit holds none, the one right after it, past at most
// a few separators (spaces, colons, currency signs). Digits are ASCII (the
// normalizer folds full-width ones); a comma followed by exactly three digits
// groups thousands; a '.' followed by a digit starts the decimals; a 万 right
// after the number multiplies it by 10,000.
//
// A pure function; safe from any thread.

#ifndef CATSCAN_RULES_TEXT_PRICE_H_
#define CATSCAN_RULES_TEXT_PRICE_H_

#include <cstddef>
#include <string_view>

namespace catscan {

// The number stated at hit [start, end) of "text", or kNoTextPrice (NaN) if
// there is none.
double ReadStatedPrice(std::string_view text, size_t start, size_t end);

}  // namespace catscan

#endif  // CATSCAN_RULES_TEXT_PRICE_H_
