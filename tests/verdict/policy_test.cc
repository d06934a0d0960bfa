#include "scanner/verdict/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;

using ::testing::HasSubstr;

TEST(PolicyTest, DefaultPackPolicyLoads) {
  std::vector<RuleDiagnostic> diags;
  StatusOr<Policy> p = LoadPolicy(std::string(CATSCAN_SOURCE_PACK_DIR) + "/policy.yaml", &diags);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(p->repeat_window, 5u);
  EXPECT_EQ(p->listing_action[static_cast<int>(Severity::kGeneral)], Action::kTakedownListing);
  EXPECT_EQ(p->listing_action[static_cast<int>(Severity::kCritical)], Action::kBanListing);
  ASSERT_GE(p->merchant_steps.size(), 5u);
  EXPECT_EQ(p->merchant_steps[0].id, "violating_listings");
  EXPECT_EQ(p->merchant_steps[0].action, Action::kTakedownListings);
  EXPECT_EQ(p->merchant_steps[1].min_listings, 10u);
  EXPECT_EQ(p->sha256.size(), 64u);
  // Every merchant action of the seed is reachable in the default ladder.
  for (Action a : {Action::kTakedownListings, Action::kRejectNewListings,
                   Action::kTakedownAllListings, Action::kBanNewProducts, Action::kFreezeFunds}) {
    bool found = false;
    for (const EscalationStep& s : p->merchant_steps) found |= s.action == a;
    EXPECT_TRUE(found) << ActionId(a);
  }
}

TEST(PolicyTest, EveryErrorNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("policy.yaml");
  ASSERT_TRUE(WriteFile(path,
                        "version: 1\n"                         // 1
                        "repeat_window: 3\n"                   // 2
                        "listing:\n"                           // 3
                        "  minor: takedown_listing\n"          // 4
                        "  general: freeze_funds\n"            // 5
                        "  serious: takedown_listing\n"        // 6
                        "merchant:\n"                          // 7
                        "  - id: a\n"                          // 8
                        "    action: jail\n"                   // 9
                        "  - id: b\n"                          // 10
                        "    action: freeze_funds\n"           // 11
                        "    when: {share: 1.5, sweeps: 4, colour: red}\n"  // 12
                        "  - id: a\n"                          // 13
                        "    action: takedown_listings\n"));   // 14
  std::vector<RuleDiagnostic> diags;
  StatusOr<Policy> p = LoadPolicy(path, &diags);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kRules);
  std::vector<std::string> lines;
  for (const RuleDiagnostic& d : diags) lines.push_back(d.ToString());
  const std::string all = ::testing::PrintToString(lines);
  EXPECT_THAT(all, HasSubstr(path + ":5: error: `listing: general:` must be takedown_listing"));
  EXPECT_THAT(all, HasSubstr(path + ":3: error: `listing:` has no action for critical"));
  EXPECT_THAT(all, HasSubstr(path + ":9: rule a: error: `action:` must be one of"));
  EXPECT_THAT(all, HasSubstr(path + ":12: rule b: error: `share:` must be a number from 0 to 1"));
  EXPECT_THAT(all, HasSubstr(path + ":12: rule b: error: unknown condition `colour`"));
  EXPECT_THAT(all, HasSubstr(path + ":10: rule b: error: `sweeps: 4` can never hold"));
  EXPECT_THAT(all, HasSubstr(path + ":13: rule a: error: duplicate step id"));
  EXPECT_EQ(diags.size(), 7u) << all;
}

TEST(PolicyTest, BadYamlNamesTheLine) {
  TempDir dir;
  const std::string path = dir.File("p.yaml");
  ASSERT_TRUE(WriteFile(path, "listing:\n  minor: [unclosed\n"));
  std::vector<RuleDiagnostic> diags;
  EXPECT_FALSE(LoadPolicy(path, &diags).ok());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_THAT(diags[0].ToString(), HasSubstr(path + ":"));
  EXPECT_THAT(diags[0].message, HasSubstr("invalid YAML"));
}

TEST(PolicyTest, ResolveFallsBackToBuiltin) {
  RulePack pack;
  pack.path = "/nonexistent/pack";
  std::vector<RuleDiagnostic> diags;
  StatusOr<std::shared_ptr<const Policy>> p = ResolvePolicy("", pack, &diags);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value()->path, "");
  ASSERT_EQ(p.value()->merchant_steps.size(), 1u);
  EXPECT_EQ(p.value()->merchant_steps[0].action, Action::kTakedownListings);
  pack.path = CATSCAN_SOURCE_PACK_DIR;
  p = ResolvePolicy("", pack, &diags);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value()->path, std::string(CATSCAN_SOURCE_PACK_DIR) + "/policy.yaml");
  EXPECT_FALSE(ResolvePolicy("/nonexistent/policy.yaml", pack, &diags).ok());
}

TEST(PolicyTest, ActionNamesRoundTrip) {
  for (int i = 1; i < kNumActions; ++i) {
    Action a;
    ASSERT_TRUE(ParseAction(ActionId(static_cast<Action>(i)), &a));
    EXPECT_EQ(static_cast<int>(a), i);
  }
  EXPECT_STREQ(ActionChinese(Action::kFreezeFunds), "冻结资金");
  EXPECT_STREQ(ActionChinese(Action::kRejectNewListings), "驳回商品申请");
  EXPECT_STREQ(SeverityChinese(Severity::kCritical), "特别严重");
}

}  // namespace
}  // namespace catscan
