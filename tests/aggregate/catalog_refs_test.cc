#include "scanner/aggregate/catalog_refs.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace catscan {
namespace {

CatalogReference Ref(std::string id, std::string from) {
  CatalogReference r;
  r.referenced_id = std::move(id);
  r.item_id = std::move(from);
  r.merchant_id = "M1";
  r.rule = 7;
  r.field = 1;
  r.start = 3;
  r.end = 20;
  r.text = "福利商品ID " + r.referenced_id;
  return r;
}

// "referrer->id:reason" for each finding.
std::vector<std::string> Show(const CatalogRefs& refs) {
  std::vector<std::string> out;
  for (const CatalogRefs::Finding& f : refs.Join()) {
    out.push_back(f.ref->item_id + "->" + f.ref->referenced_id + ":" +
                  CatalogRefs::ReasonName(f.reason));
  }
  return out;
}

TEST(CatalogRefsTest, ReferencedIdIsTheTrailingIdRun) {
  EXPECT_EQ(ReferencedId("福利商品ID:12345"), "12345");
  EXPECT_EQ(ReferencedId("item?id=A-77_x"), "A-77_x");
  EXPECT_EQ(ReferencedId("链接见下方"), "");
}

TEST(CatalogRefsTest, StatusOnShelf) {
  EXPECT_TRUE(StatusIsOnShelf(""));
  EXPECT_TRUE(StatusIsOnShelf("on_sale"));
  EXPECT_FALSE(StatusIsOnShelf("off_shelf"));
  EXPECT_FALSE(StatusIsOnShelf("sold_out"));
}

TEST(CatalogRefsTest, JoinFindsMissingOffShelfAndEmptyItemsInReferenceOrder) {
  CatalogRefs refs;
  refs.AddItem("ok", "on_sale", true, 10);
  refs.AddItem("off", "off_shelf", true, 10);
  refs.AddItem("empty", "on_sale", true, 0);
  refs.AddItem("nostockfield", "on_sale", false, 0);
  refs.AddReference(Ref("missing", "A"));
  refs.AddReference(Ref("ok", "B"));
  refs.AddReference(Ref("empty", "C"));
  refs.AddReference(Ref("off", "D"));
  refs.AddReference(Ref("nostockfield", "E"));
  EXPECT_EQ(Show(refs), (std::vector<std::string>{"A->missing:not_in_catalog", "C->empty:no_stock",
                                                  "D->off:off_shelf"}));
}

TEST(CatalogRefsTest, AnyAvailableListingMakesTheIdAvailableWhateverTheOrder) {
  CatalogRefs a, b;
  a.AddItem("x", "off_shelf", true, 5);
  a.AddReference(Ref("x", "A"));
  b.AddItem("x", "on_sale", true, 5);
  b.AddItem("y", "on_sale", true, 0);
  b.AddReference(Ref("y", "B"));
  CatalogRefs ab = a, ba = b;
  ab.Merge(CatalogRefs(b));
  ba.Merge(CatalogRefs(a));
  EXPECT_EQ(Show(ab), (std::vector<std::string>{"B->y:no_stock"}));
  // References keep merge order; item facts do not depend on it.
  EXPECT_EQ(Show(ba), (std::vector<std::string>{"B->y:no_stock"}));
  EXPECT_EQ(ab.item_count(), 2u);
  EXPECT_EQ(ab.reference_count(), 2u);
}

TEST(CatalogRefsTest, SerializeRoundTripsAndShardsMergeLikeOneSweep) {
  // One sweep over chunks 1 and 2, against two shards serialized and merged.
  CatalogRefs chunk1, chunk2;
  chunk1.AddItem("I1", "on_sale", true, 0);
  chunk1.AddReference(Ref("I2", "I1"));
  chunk2.AddItem("I2", "off_shelf", true, 3);
  chunk2.AddReference(Ref("I9", "I2"));
  chunk2.AddReference(Ref("I1", "I2"));
  CatalogRefs single = chunk1;
  single.Merge(CatalogRefs(chunk2));

  StatusOr<CatalogRefs> s1 = CatalogRefs::Parse(chunk1.Serialize());
  StatusOr<CatalogRefs> s2 = CatalogRefs::Parse(chunk2.Serialize());
  ASSERT_TRUE(s1.ok()) << s1.status().message();
  ASSERT_TRUE(s2.ok()) << s2.status().message();
  CatalogRefs merged = std::move(s1.value());
  merged.Merge(std::move(s2.value()));
  EXPECT_EQ(Show(merged), Show(single));
  EXPECT_EQ(Show(single), (std::vector<std::string>{"I1->I2:off_shelf", "I2->I9:not_in_catalog",
                                                    "I2->I1:no_stock"}));
  EXPECT_EQ(merged.Serialize(), single.Serialize());
  const CatalogRefs::Finding f = merged.Join().at(0);
  EXPECT_EQ(f.ref->rule, 7u);
  EXPECT_EQ(f.ref->field, 1u);
  EXPECT_EQ(f.ref->start, 3u);
  EXPECT_EQ(f.ref->end, 20u);
  EXPECT_EQ(f.ref->text, "福利商品ID I2");
}

TEST(CatalogRefsTest, ParseRefusesDamagedFacts) {
  CatalogRefs refs;
  refs.AddItem("I1", "", true, 1);
  refs.AddReference(Ref("I1", "I1"));
  const std::string bytes = refs.Serialize();
  EXPECT_FALSE(CatalogRefs::Parse("nonsense").ok());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(CatalogRefs::Parse(bytes.substr(0, cut)).ok()) << cut;
  }
  EXPECT_FALSE(CatalogRefs::Parse(bytes + "x").ok());
  EXPECT_TRUE(CatalogRefs::Parse(bytes).ok());
}

TEST(CatalogRefsTest, ManyChunksKeepOneFactPerIdAndTheBestAvailability) {
  // 300 chunks of 100 listings; every id is listed three times in different
  // chunks (off shelf, no stock, then on sale for even ids), so the facts are
  // compacted many times while chunks merge.
  CatalogRefs all;
  for (int round = 0; round < 3; ++round) {
    for (int chunk = 0; chunk < 100; ++chunk) {
      CatalogRefs c;
      for (int i = 0; i < 100; ++i) {
        const int id = chunk * 100 + i;
        const char* status = round == 0 ? "off_shelf" : "on_sale";
        const double stock = round == 2 && id % 2 == 0 ? 5 : 0;
        c.AddItem("item-" + std::to_string(id), status, true, stock);
      }
      all.Merge(std::move(c));
    }
  }
  all.AddReference(Ref("item-42", "a"));
  all.AddReference(Ref("item-43", "b"));
  all.AddReference(Ref("item-10000", "c"));
  EXPECT_EQ(all.item_count(), 10000u);
  EXPECT_EQ(Show(all), (std::vector<std::string>{"b->item-43:no_stock", "c->item-10000:not_in_catalog"}));
  StatusOr<CatalogRefs> again = CatalogRefs::Parse(all.Serialize());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().item_count(), 10000u);
  EXPECT_EQ(Show(again.value()), Show(all));
}

}  // namespace
}  // namespace catscan
