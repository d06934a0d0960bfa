#include "scanner/rules/item_ref.h"

namespace catscan {
namespace {

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-';
}

}  // namespace

std::string_view ReferencedId(std::string_view hit) {
  size_t start = hit.size();
  while (start > 0 && IsIdChar(hit[start - 1])) --start;
  return hit.substr(start);
}

}  // namespace catscan
