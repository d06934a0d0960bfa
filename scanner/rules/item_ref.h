// scanner/rules/item_ref.h
//
// How a reference rule (`extract: item_ref`, clause 3.4) reads the item id
// out of its hit. Hyperscan reports no capture groups, so the id is the hit's
// trailing run of ASCII letters, digits, '_' and '-': a reference pattern
// ends on the id ("商品ID[:：]?\s*[A-Za-z0-9_-]+", "/item/[A-Za-z0-9_-]+").
// Pure functions; thread-safe.

#ifndef CATSCAN_RULES_ITEM_REF_H_
#define CATSCAN_RULES_ITEM_REF_H_

#include <string_view>

namespace catscan {

// The item id at the end of a reference hit ("福利商品ID:12345" -> "12345");
// empty if the hit ends in no id character.
std::string_view ReferencedId(std::string_view hit_text);

}  // namespace catscan

#endif  // CATSCAN_RULES_ITEM_REF_H_
