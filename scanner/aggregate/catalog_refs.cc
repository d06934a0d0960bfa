#include "scanner/aggregate/catalog_refs.h"

#include <algorithm>
#include <map>

namespace catscan {
namespace {

bool IsIdChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '-';
}

// A little-endian varint per integer and a length-prefixed string per
// string; a magic header and a version.
constexpr std::string_view kMagic = "catscan-refs-1\n";

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s.data(), s.size());
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return false;
      const auto b = static_cast<unsigned char>(in_[pos_++]);
      *v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (b < 0x80) return true;
    }
    return false;
  }
  bool String(std::string* s) {
    uint64_t n;
    if (!Varint(&n) || n > in_.size() - pos_) return false;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string_view ReferencedId(std::string_view hit) {
  size_t start = hit.size();
  while (start > 0 && IsIdChar(hit[start - 1])) --start;
  return hit.substr(start);
}

bool StatusIsOnShelf(std::string_view status) {
  static constexpr std::string_view kOff[] = {"off_shelf", "offline", "deleted", "inactive",
                                              "sold_out"};
  return std::find(std::begin(kOff), std::end(kOff), status) == std::end(kOff);
}

const char* CatalogRefs::ReasonName(Reason r) {
  switch (r) {
    case Reason::kNotInCatalog: return "not_in_catalog";
    case Reason::kOffShelf: return "off_shelf";
    case Reason::kNoStock: return "no_stock";
  }
  return "not_in_catalog";
}

void CatalogRefs::Note(const std::string& id, Availability a) {
  auto [it, fresh] = items_.emplace(id, a);
  if (!fresh) it->second = std::max(it->second, a);
}

void CatalogRefs::AddItem(std::string_view item_id, std::string_view status, bool stock_known,
                          double stock) {
  const Availability a = !StatusIsOnShelf(status)       ? Availability::kOffShelf
                         : (stock_known && stock <= 0) ? Availability::kNoStock
                                                       : Availability::kAvailable;
  Note(std::string(item_id), a);
}

void CatalogRefs::AddReference(CatalogReference ref) { refs_.push_back(std::move(ref)); }

void CatalogRefs::Merge(CatalogRefs&& later) {
  for (const auto& [id, a] : later.items_) Note(id, a);
  refs_.insert(refs_.end(), std::make_move_iterator(later.refs_.begin()),
               std::make_move_iterator(later.refs_.end()));
  later.refs_.clear();
  later.items_.clear();
}

std::vector<CatalogRefs::Finding> CatalogRefs::Join() const {
  std::vector<Finding> out;
  for (const CatalogReference& r : refs_) {
    auto it = items_.find(r.referenced_id);
    if (it == items_.end()) {
      out.push_back({&r, Reason::kNotInCatalog});
    } else if (it->second == Availability::kOffShelf) {
      out.push_back({&r, Reason::kOffShelf});
    } else if (it->second == Availability::kNoStock) {
      out.push_back({&r, Reason::kNoStock});
    }
  }
  return out;
}

std::string CatalogRefs::Serialize() const {
  std::string out(kMagic);
  // Items in id order, so equal facts serialize to equal bytes.
  std::map<std::string_view, Availability> sorted(items_.begin(), items_.end());
  PutVarint(&out, sorted.size());
  for (const auto& [id, a] : sorted) {
    PutString(&out, id);
    PutVarint(&out, static_cast<uint64_t>(a));
  }
  PutVarint(&out, refs_.size());
  for (const CatalogReference& r : refs_) {
    PutString(&out, r.referenced_id);
    PutString(&out, r.item_id);
    PutString(&out, r.merchant_id);
    PutVarint(&out, r.rule);
    PutVarint(&out, r.field);
    PutVarint(&out, r.start);
    PutVarint(&out, r.end);
    PutString(&out, r.text);
  }
  return out;
}

StatusOr<CatalogRefs> CatalogRefs::Parse(std::string_view bytes) {
  const auto bad = [](const std::string& why) {
    return Status(StatusCode::kInput, "catalog reference facts: " + why);
  };
  if (bytes.substr(0, kMagic.size()) != kMagic) return bad("not a catscan-refs-1 file");
  Reader in(bytes.substr(kMagic.size()));
  CatalogRefs refs;
  uint64_t n;
  if (!in.Varint(&n)) return bad("truncated item count");
  for (uint64_t i = 0; i < n; ++i) {
    std::string id;
    uint64_t flags;
    if (!in.String(&id) || !in.Varint(&flags) || flags > 2) return bad("bad item entry");
    refs.Note(id, static_cast<Availability>(flags));
  }
  if (!in.Varint(&n)) return bad("truncated reference count");
  for (uint64_t i = 0; i < n; ++i) {
    CatalogReference r;
    uint64_t rule, field, start, end;
    if (!in.String(&r.referenced_id) || !in.String(&r.item_id) || !in.String(&r.merchant_id) ||
        !in.Varint(&rule) || !in.Varint(&field) || !in.Varint(&start) || !in.Varint(&end) ||
        !in.String(&r.text) || rule > UINT32_MAX || field > 255 || start > UINT32_MAX ||
        end > UINT32_MAX) {
      return bad("bad reference entry " + std::to_string(i));
    }
    r.rule = static_cast<uint32_t>(rule);
    r.field = static_cast<uint8_t>(field);
    r.start = static_cast<uint32_t>(start);
    r.end = static_cast<uint32_t>(end);
    refs.refs_.push_back(std::move(r));
  }
  if (!in.done()) return bad("trailing bytes");
  return refs;
}

}  // namespace catscan
