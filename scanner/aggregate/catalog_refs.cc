#include "scanner/aggregate/catalog_refs.h"

#include <xxhash.h>

#include <algorithm>

namespace catscan {
namespace {

// A little-endian varint per integer and a length-prefixed string per
// string; a magic header and a version.
constexpr std::string_view kMagic = "catscan-refs-3\n";

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
  bool Word(uint64_t* w) {
    if (in_.size() - pos_ < 8) return false;
    *w = 0;
    for (int i = 0; i < 8; ++i) {
      *w |= static_cast<uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    }
    pos_ += 8;
    return true;
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

constexpr uint64_t kAvailabilityBits = 3;

uint64_t CatalogRefs::ItemWord(std::string_view id, Availability a) {
  // XXH3's 64-bit output is stable across versions and machines (0.8+), so
  // shards hashed on different nodes merge.
  return (XXH3_64bits(id.data(), id.size()) & ~kAvailabilityBits) | static_cast<uint64_t>(a);
}

void CatalogRefs::Compact() const {
  if (sorted_ == items_.size()) return;
  // Only the tail is unsorted: sort it and merge (linear) with the rest.
  std::sort(items_.begin() + static_cast<std::ptrdiff_t>(sorted_), items_.end());
  std::inplace_merge(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(sorted_),
                     items_.end());
  // Equal ids are adjacent, their availability rising: keep the last.
  size_t out = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (out > 0 && (items_[out - 1] & ~kAvailabilityBits) == (items_[i] & ~kAvailabilityBits)) {
      items_[out - 1] = items_[i];
    } else {
      items_[out++] = items_[i];
    }
  }
  items_.resize(out);
  sorted_ = out;
}

void CatalogRefs::CompactIfDue() const {
  if (items_.size() - sorted_ > std::max<size_t>(sorted_, 4096)) Compact();
}

size_t CatalogRefs::item_count() const {
  Compact();
  return items_.size();
}

void CatalogRefs::AddItem(std::string_view item_id, std::string_view status, bool stock_known,
                          double stock) {
  const Availability a = !StatusIsOnShelf(status)       ? Availability::kOffShelf
                         : (stock_known && stock <= 0) ? Availability::kNoStock
                                                       : Availability::kAvailable;
  items_.push_back(ItemWord(item_id, a));
}

void CatalogRefs::AddReference(CatalogReference ref) { refs_.push_back(std::move(ref)); }

void CatalogRefs::Merge(CatalogRefs&& later) {
  items_.insert(items_.end(), later.items_.begin(), later.items_.end());
  CompactIfDue();
  refs_.insert(refs_.end(), std::make_move_iterator(later.refs_.begin()),
               std::make_move_iterator(later.refs_.end()));
  later.refs_.clear();
  later.items_.clear();
}

std::vector<CatalogRefs::Finding> CatalogRefs::Join() const {
  Compact();
  std::vector<Finding> out;
  for (const CatalogReference& r : refs_) {
    const uint64_t key = ItemWord(r.referenced_id, Availability::kOffShelf);
    // The first word >= key is the id's, if listed (availability in its low bits).
    auto it = std::lower_bound(items_.begin(), items_.end(), key);
    if (it == items_.end() || (*it & ~kAvailabilityBits) != key) {
      out.push_back({&r, Reason::kNotInCatalog});
    } else if (static_cast<Availability>(*it & kAvailabilityBits) == Availability::kOffShelf) {
      out.push_back({&r, Reason::kOffShelf});
    } else if (static_cast<Availability>(*it & kAvailabilityBits) == Availability::kNoStock) {
      out.push_back({&r, Reason::kNoStock});
    }
  }
  return out;
}

std::string CatalogRefs::Serialize() const {
  std::string out(kMagic);
  // Items sorted and distinct, so equal facts serialize to equal bytes.
  Compact();
  PutVarint(&out, items_.size());
  for (uint64_t word : items_) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(word >> (8 * i)));
  }
  PutVarint(&out, refs_.size());
  for (const CatalogReference& r : refs_) {
    PutString(&out, r.referenced_id);
    PutString(&out, r.item_id);
    PutString(&out, r.merchant_id);
    PutVarint(&out, r.input);
    PutVarint(&out, r.line);
    PutVarint(&out, r.referrer_violating ? 1 : 0);
    PutVarint(&out, r.rule);
    PutVarint(&out, r.field);
    PutVarint(&out, r.start);
    PutVarint(&out, r.end);
    PutString(&out, r.text);
    PutString(&out, r.normalized);
    PutString(&out, r.before);
    PutString(&out, r.after);
  }
  return out;
}

StatusOr<CatalogRefs> CatalogRefs::Parse(std::string_view bytes) {
  const auto bad = [](const std::string& why) {
    return Status(StatusCode::kInput, "catalog reference facts: " + why);
  };
  if (bytes.substr(0, kMagic.size()) != kMagic) return bad("not a catscan-refs-2 file");
  Reader in(bytes.substr(kMagic.size()));
  CatalogRefs refs;
  uint64_t n;
  if (!in.Varint(&n)) return bad("truncated item count");
  if (n > bytes.size() / 8) return bad("truncated item list");
  refs.items_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t word;
    if (!in.Word(&word) || (word & kAvailabilityBits) > 2) return bad("bad item entry");
    if (i > 0 && word <= refs.items_.back()) return bad("item list out of order");
    refs.items_.push_back(word);
  }
  refs.sorted_ = refs.items_.size();
  if (!in.Varint(&n)) return bad("truncated reference count");
  for (uint64_t i = 0; i < n; ++i) {
    CatalogReference r;
    uint64_t input, violating, rule, field, start, end;
    if (!in.String(&r.referenced_id) || !in.String(&r.item_id) || !in.String(&r.merchant_id) ||
        !in.Varint(&input) || !in.Varint(&r.line) || !in.Varint(&violating) ||
        !in.Varint(&rule) || !in.Varint(&field) || !in.Varint(&start) || !in.Varint(&end) ||
        !in.String(&r.text) || !in.String(&r.normalized) ||
        !in.String(&r.before) || !in.String(&r.after) || input > UINT32_MAX ||
        violating > 1 || rule > UINT32_MAX || field > 255 || start > UINT32_MAX ||
        end > UINT32_MAX) {
      return bad("bad reference entry " + std::to_string(i));
    }
    r.input = static_cast<uint32_t>(input);
    r.referrer_violating = violating == 1;
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
