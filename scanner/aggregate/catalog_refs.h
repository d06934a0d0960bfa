// scanner/aggregate/catalog_refs.h
//
// CatalogRefs holds the facts clause 3.4 (advertised welfare item not listed)
// needs from the whole catalog: the item ids listings refer to in their text
// ("福利商品ID 12345", "item?id=12345"), each with its referrer and evidence,
// and, for every listed item, whether it can be bought (on shelf, in stock).
// Workers fill one per chunk; the collector merges them in input order
// (Merge); after the scan Join() lists the references to items that are not
// in the catalog, off shelf or without stock, in reference order.
//
// The facts are serializable (Serialize/Parse), so shard results can be
// merged in shard order and joined once, with the same findings as a single
// sweep. An item listed several times is available if any listing of it is,
// which makes the merge of item facts order-independent.
//
// Memory: every listing of the catalog is one 64-bit word (a 62-bit XXH3
// hash of its id and 2 bits of availability), so a 10-million-listing
// catalog costs 80 MB, not the ids themselves. Two ids share a hash with
// probability ~n/2^62 per lookup (1e-12 at 10 million listings); such a
// collision could only hide a finding, never invent one.
//
// The sweep's workers fill it (pipeline/sweep.cc), FinishSweep joins it
// (pipeline/finish.cc). Not thread-safe: one owner at a time, then Merge()
// into another.

#ifndef CATSCAN_AGGREGATE_CATALOG_REFS_H_
#define CATSCAN_AGGREGATE_CATALOG_REFS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/rules/item_ref.h"  // ReferencedId

namespace catscan {

// Whether a listing's status lets buyers order it: absent, or anything but
// off_shelf, offline, deleted, inactive, sold_out.
bool StatusIsOnShelf(std::string_view status);

struct CatalogReference {
  std::string referenced_id;  // the id the text names
  std::string item_id;        // the listing that names it
  std::string merchant_id;
  uint32_t input = 0;         // where that listing is: input index and
  uint64_t line = 0;          // physical line (one record per (input, line))
  bool referrer_violating = false;  // the listing has violations of its own
  uint32_t rule = 0;          // the reference rule's index in the pack
  uint8_t field = 0;          // TextField of the evidence
  uint32_t start = 0;         // evidence bytes in the original field
  uint32_t end = 0;
  std::string text;
  std::string normalized;     // the normalized spelling matched, if it differs
  std::string before, after;  // context around the evidence (report/sweep_outputs.h)
};

class CatalogRefs {
 public:
  enum class Reason : uint8_t { kNotInCatalog, kOffShelf, kNoStock };
  static const char* ReasonName(Reason r);  // "not_in_catalog", "off_shelf", "no_stock"

  struct Finding {
    const CatalogReference* ref;
    Reason reason;
  };

  // One listing: "stock_known" false when the record has no stock field.
  void AddItem(std::string_view item_id, std::string_view status, bool stock_known, double stock);
  void AddReference(CatalogReference ref);
  // Appends "later" (the next chunk or shard in input order).
  void Merge(CatalogRefs&& later);

  // The references to unavailable items, in reference order. Pointers live
  // as long as this object is not changed.
  std::vector<Finding> Join() const;

  std::string Serialize() const;
  static StatusOr<CatalogRefs> Parse(std::string_view bytes);

  size_t reference_count() const { return refs_.size(); }
  const std::vector<CatalogReference>& references() const { return refs_; }
  // Distinct item ids seen.
  size_t item_count() const;

 private:
  // The best state of any listing of an id; merging keeps the maximum.
  enum class Availability : uint8_t { kOffShelf = 0, kNoStock = 1, kAvailable = 2 };
  static uint64_t ItemWord(std::string_view id, Availability a);
  // Sorts items_ and keeps one word per id, the best availability. Runs when
  // the unsorted tail outgrows the sorted part, so appends stay amortized
  // O(log n) and duplicates never pile up.
  void Compact() const;
  void CompactIfDue() const;
  // Sorted, one word per id, up to sorted_; appended words after it.
  mutable std::vector<uint64_t> items_;
  mutable size_t sorted_ = 0;
  std::vector<CatalogReference> refs_;
};

}  // namespace catscan

#endif  // CATSCAN_AGGREGATE_CATALOG_REFS_H_
