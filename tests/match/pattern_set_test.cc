#include "scanner/match/pattern_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace catscan {

// For readable failures.
void PrintTo(const PatternHit& h, std::ostream* os) {
  *os << "{pattern " << h.pattern << ", [" << h.start << ", " << h.end << ")}";
}

namespace {

using Hits = std::vector<PatternHit>;

constexpr uint32_t kTitleBit = 1u << 0;
constexpr uint32_t kDetailBit = 1u << 1;

PatternSpec Spec(std::string expression, bool caseless = false, uint32_t scope = ~0u) {
  PatternSpec s;
  s.expression = std::move(expression);
  s.caseless = caseless;
  s.scope = scope;
  return s;
}

// A compiled set with its scratch, failing the test if either fails.
class Compiled {
 public:
  explicit Compiled(const std::vector<PatternSpec>& specs) {
    std::vector<PatternError> errors;
    StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors);
    EXPECT_TRUE(set.ok()) << set.status().message();
    EXPECT_TRUE(errors.empty());
    if (!set.ok()) return;
    set_ = set.value();
    StatusOr<std::unique_ptr<PatternSet::Scratch>> scratch = set_->NewScratch();
    EXPECT_TRUE(scratch.ok()) << scratch.status().message();
    if (scratch.ok()) scratch_ = std::move(scratch.value());
  }

  bool ok() const { return set_ != nullptr && scratch_ != nullptr; }

  bool Any(std::string_view text, uint32_t bit = kTitleBit) {
    return set_->AnyMatch(text, bit, scratch_.get());
  }

  Hits Find(std::string_view text, uint32_t bit = kTitleBit) {
    Hits hits;
    const Status s = set_->FindAll(text, bit, scratch_.get(), &hits);
    EXPECT_TRUE(s.ok()) << s.message();
    return hits;
  }

  const PatternSet& set() const { return *set_; }

 private:
  std::shared_ptr<const PatternSet> set_;
  std::unique_ptr<PatternSet::Scratch> scratch_;
};

TEST(PatternSetTest, AnyMatch) {
  Compiled c({Spec("原价\\d+"), Spec("免费送")});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.set().size(), 2u);
  EXPECT_TRUE(c.Any("今天原价999"));
  EXPECT_TRUE(c.Any("免费送一份"));
  EXPECT_FALSE(c.Any("原价"));
  EXPECT_FALSE(c.Any("免费安装"));
  EXPECT_FALSE(c.Any(""));
}

TEST(PatternSetTest, FindAllGivesUtf8ByteOffsets) {
  Compiled c({Spec("原价\\d+"), Spec(EscapeLiteral("现在"))});
  ASSERT_TRUE(c.ok());
  // "今天" is 6 bytes, "原价999" 9 bytes, "现在" 6 bytes.
  EXPECT_THAT(c.Find("今天原价999现在只要9元"),
              ::testing::ElementsAre(PatternHit{0, 6, 15}, PatternHit{1, 15, 21}));
}

TEST(PatternSetTest, GrowingMatchIsMergedIntoOneHit) {
  Compiled c({Spec("原价\\d+")});
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c.Find("原价999"), ::testing::ElementsAre(PatternHit{0, 0, 9}));
  EXPECT_THAT(c.Find("a原价12b原价3"),
              ::testing::ElementsAre(PatternHit{0, 1, 9}, PatternHit{0, 10, 17}));
}

TEST(PatternSetTest, HitsAreSortedByStartEndPattern) {
  Compiled c({Spec("bcd"), Spec("abc"), Spec("b"), Spec("bc")});
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c.Find("xabcd"), ::testing::ElementsAre(PatternHit{1, 1, 4}, PatternHit{2, 2, 3},
                                                      PatternHit{3, 2, 4}, PatternHit{0, 2, 5}));
}

TEST(PatternSetTest, AdjacentMatchesStaySeparate) {
  Compiled c({Spec("ab")});
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c.Find("ababxab"), ::testing::ElementsAre(PatternHit{0, 0, 2}, PatternHit{0, 2, 4},
                                                        PatternHit{0, 5, 7}));
}

TEST(PatternSetTest, FindAllAppendsToExistingHits) {
  Compiled c({Spec("b")});
  ASSERT_TRUE(c.ok());
  Hits hits = {PatternHit{7, 100, 200}};
  StatusOr<std::unique_ptr<PatternSet::Scratch>> scratch = c.set().NewScratch();
  ASSERT_TRUE(scratch.ok());
  ASSERT_TRUE(c.set().FindAll("abcb", kTitleBit, scratch.value().get(), &hits).ok());
  EXPECT_THAT(hits, ::testing::ElementsAre(PatternHit{7, 100, 200}, PatternHit{0, 1, 2},
                                           PatternHit{0, 3, 4}));
}

TEST(PatternSetTest, ScopeFiltersHits) {
  Compiled c({Spec("标题词", false, kTitleBit), Spec("详情词", false, kDetailBit),
              Spec("任意", false, kTitleBit | kDetailBit)});
  ASSERT_TRUE(c.ok());
  const std::string text = "标题词 详情词 任意";
  EXPECT_TRUE(c.Any("标题词", kTitleBit));
  EXPECT_FALSE(c.Any("标题词", kDetailBit));
  EXPECT_FALSE(c.Any("详情词", kTitleBit));
  EXPECT_TRUE(c.Any("详情词", kDetailBit));
  EXPECT_THAT(c.Find(text, kTitleBit),
              ::testing::ElementsAre(PatternHit{0, 0, 9}, PatternHit{2, 20, 26}));
  EXPECT_THAT(c.Find(text, kDetailBit),
              ::testing::ElementsAre(PatternHit{1, 10, 19}, PatternHit{2, 20, 26}));
  EXPECT_THAT(c.Find("标题词", kDetailBit), ::testing::IsEmpty());
  EXPECT_THAT(c.Find(text, 1u << 5), ::testing::IsEmpty());
}

TEST(PatternSetTest, AnyMatchLooksPastOutOfScopeHits) {
  // The first hit in the text is out of scope; a later one is in scope.
  Compiled c({Spec("aaa", false, kTitleBit), Spec("zzz", false, kDetailBit)});
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c.Any("aaa zzz", kDetailBit));
  EXPECT_TRUE(c.Any("aaa zzz aaa", kTitleBit));
  EXPECT_FALSE(c.Any("aaa aaa", kDetailBit));
}

TEST(PatternSetTest, Caseless) {
  Compiled c({Spec("vx\\s*\\d+", true), Spec("QQ", false)});
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c.Find("VX 123"), ::testing::ElementsAre(PatternHit{0, 0, 6}));
  EXPECT_THAT(c.Find("Vx1"), ::testing::ElementsAre(PatternHit{0, 0, 3}));
  EXPECT_THAT(c.Find("qq"), ::testing::IsEmpty());
  EXPECT_THAT(c.Find("QQ"), ::testing::ElementsAre(PatternHit{1, 0, 2}));
}

TEST(PatternSetTest, CompileErrorsAreAllReportedWithTheirIndices) {
  std::vector<PatternError> errors;
  StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(
      {Spec("(unclosed"), Spec("fine"), Spec("a{2,1}"), Spec("也可以"), Spec("[z-a]")}, &errors);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kRules);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].index, 0u);
  EXPECT_EQ(errors[1].index, 2u);
  EXPECT_EQ(errors[2].index, 4u);
  for (const PatternError& e : errors) EXPECT_NE(e.message, "") << e.index;
}

TEST(PatternSetTest, LiteralsWithoutStartTrackingFindTheSameHits) {
  // Literals marked with their byte length skip Hyperscan's start-of-match
  // tracking; every hit (overlapping repeats, caseless ASCII, CJK, beside
  // regexes) must equal what SOM tracking finds.
  const std::vector<std::pair<std::string, bool>> literals = {
      {"aa", false}, {"VX", true}, {"微信", false}, {"加v", true}, {"a.b", false}, {"信信", false}};
  std::vector<PatternSpec> tracked, untracked;
  for (const auto& [text, caseless] : literals) {
    tracked.push_back(Spec(EscapeLiteral(text), caseless));
    untracked.push_back(tracked.back());
    untracked.back().literal_bytes = FixedLiteralBytes(text, caseless);
  }
  tracked.push_back(Spec("原价\\d+"));
  untracked.push_back(tracked.back());
  EXPECT_EQ(untracked[3].literal_bytes, 0u);  // caseless with non-ASCII: tracked
  EXPECT_EQ(untracked[2].literal_bytes, 6u);
  Compiled a(tracked), b(untracked);
  ASSERT_TRUE(a.ok() && b.ok());
  const std::vector<std::string> texts = {
      "aaaa", "vxVXvX", "微信微信号 加V 加v", "a.b a-b aa.bb", "信信信", "原价999元aaa", "", "x",
      "<b>微</b>信 VX:abc aaa.b"};
  for (const std::string& t : texts) EXPECT_EQ(a.Find(t), b.Find(t)) << t;
  EXPECT_THAT(b.Find("aaaa"), ::testing::ElementsAre(PatternHit{0, 0, 4}));
  EXPECT_THAT(b.Find("信信信"), ::testing::ElementsAre(PatternHit{5, 0, 9}));
  // Random strings over a small alphabet hit the overlapping cases hard.
  const std::vector<std::string> alphabet = {"a", "A", "v", "V", "x", "X", "微", "信", ".", "b",
                                             "加", "原价", "9"};
  uint64_t state = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string t;
    for (int i = 0; i < 12; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      t += alphabet[(state >> 33) % alphabet.size()];
    }
    ASSERT_EQ(a.Find(t), b.Find(t)) << t;
  }
}

TEST(PatternSetTest, FewBadPatternsAmongThousandsAreAllFound) {
  // The search halves the set, so bad patterns at the edges and side by side
  // must all be found, each once, in order.
  std::vector<PatternSpec> specs;
  for (int i = 0; i < 3000; ++i) specs.push_back(Spec("word" + std::to_string(i)));
  const std::vector<size_t> bad = {0, 1499, 1500, 2999};
  for (size_t i : bad) specs[i] = Spec("(bad" + std::to_string(i));
  std::vector<PatternError> errors;
  ASSERT_FALSE(PatternSet::Compile(specs, &errors).ok());
  ASSERT_EQ(errors.size(), bad.size());
  for (size_t i = 0; i < bad.size(); ++i) EXPECT_EQ(errors[i].index, bad[i]);
}

TEST(PatternSetTest, CompileAppendsToExistingErrors) {
  std::vector<PatternError> errors = {{99, "earlier"}};
  StatusOr<std::shared_ptr<const PatternSet>> set =
      PatternSet::Compile({Spec("ok"), Spec("(")}, &errors);
  ASSERT_FALSE(set.ok());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].index, 99u);
  EXPECT_EQ(errors[1].index, 1u);
}

TEST(PatternSetTest, EmptySpecListMatchesNothing) {
  Compiled c({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c.set().size(), 0u);
  EXPECT_FALSE(c.Any("anything at all"));
  EXPECT_THAT(c.Find("anything at all"), ::testing::IsEmpty());
}

TEST(PatternSetTest, EscapeLiteralMatchesOnlyLiterally) {
  EXPECT_EQ(EscapeLiteral("a.b*c("), "a\\x2eb\\x2ac\\x28");
  EXPECT_EQ(EscapeLiteral("私聊_9"), "私聊_9");
  EXPECT_EQ(EscapeLiteral(""), "");
  EXPECT_EQ(EscapeLiteral("\\"), "\\x5c");
  Compiled c({Spec(EscapeLiteral("a.b*c(")), Spec(EscapeLiteral("[x]+{1}|$^ \\")),
              Spec(EscapeLiteral("新粉&每人"))});
  ASSERT_TRUE(c.ok());
  EXPECT_THAT(c.Find("xa.b*c(y"), ::testing::ElementsAre(PatternHit{0, 1, 7}));
  EXPECT_THAT(c.Find("aXbbbc("), ::testing::IsEmpty());
  EXPECT_THAT(c.Find("a.bc("), ::testing::IsEmpty());
  EXPECT_THAT(c.Find("[x]+{1}|$^ \\"), ::testing::ElementsAre(PatternHit{1, 0, 12}));
  EXPECT_THAT(c.Find("x"), ::testing::IsEmpty());
  EXPECT_THAT(c.Find("新粉&每人一件"), ::testing::ElementsAre(PatternHit{2, 0, 13}));
}

TEST(PatternSetTest, ScratchesWorkFromSeveralThreads) {
  Compiled c({Spec("原价\\d+"), Spec("qq\\d{5,}", true)});
  ASSERT_TRUE(c.ok());
  const PatternSet& set = c.set();
  const std::string text = "原价999 QQ123456 原价1";
  std::vector<Hits> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&set, &text, &results, t] {
      StatusOr<std::unique_ptr<PatternSet::Scratch>> scratch = set.NewScratch();
      if (!scratch.ok()) return;
      for (int i = 0; i < 200; ++i) {
        Hits hits;
        if (!set.FindAll(text, kTitleBit, scratch.value().get(), &hits).ok()) return;
        results[t] = hits;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const Hits& hits : results) {
    EXPECT_THAT(hits, ::testing::ElementsAre(PatternHit{0, 0, 9}, PatternHit{1, 10, 18},
                                             PatternHit{0, 19, 26}));
  }
}

}  // namespace
}  // namespace catscan
