// scanner/verdict/policy.h
//
// A Policy is the seed's penalty ladder (../shared/seeds/004_*, section 4.2
// 商家处罚) as data: which action each flagged listing gets by its severity,
// and which escalating actions a merchant gets by the severity and scale of
// its violations and by how often it offended in recent sweeps. It lives in
// the pack as policy.yaml (patterns/default/policy.yaml documents every key)
// or comes from `scan --policy FILE`.
//
// The actions are the seed's, with its Chinese terms kept beside the ids:
//   listing:  takedown_listing 下架 (take the listing down), ban_listing 封禁
//   merchant: takedown_listings 下架或封禁违规商品 < reject_new_listings
//             驳回商品申请 < takedown_all_listings 下架全量商品 <
//             ban_new_products 禁止上新商品 < freeze_funds 冻结资金
// in the seed's order, which is the ladder's order (a higher rank is harsher).
//
// A loaded Policy is an immutable value, safe to share between threads.

#ifndef CATSCAN_VERDICT_POLICY_H_
#define CATSCAN_VERDICT_POLICY_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/rules/rule_pack.h"

namespace catscan {

enum class Action : uint8_t {
  kNone = 0,
  // Per listing.
  kTakedownListing,
  kBanListing,
  // Per merchant, in ladder order.
  kTakedownListings,
  kRejectNewListings,
  kTakedownAllListings,
  kBanNewProducts,
  kFreezeFunds,
};
constexpr int kNumActions = 8;

const char* ActionId(Action a);       // "takedown_listing", ...
const char* ActionChinese(Action a);  // "下架", ...
bool IsListingAction(Action a);
bool IsMerchantAction(Action a);
// Parses an id; false if unknown.
bool ParseAction(const std::string& id, Action* out);

// 轻微/一般/严重/特别严重 for minor/general/serious/critical.
const char* SeverityChinese(Severity s);
bool ParseSeverity(const std::string& name, Severity* out);

// One rung of the merchant ladder. A merchant matches it when every
// condition holds, counting only its listings at `min_severity` or above.
struct EscalationStep {
  std::string id;
  Action action = Action::kTakedownListings;
  Severity min_severity = Severity::kMinor;
  uint64_t min_listings = 1;    // violating listings (at min_severity or above)
  double min_share = 0;         // of the merchant's scanned listings, 0..1
  uint32_t min_sweeps = 1;      // sweeps with violations among the last repeat_window
  int line = 0;                 // in the policy file
};

struct Policy {
  std::string path;    // "" for the built-in policy
  std::string sha256;  // of the file's bytes ("" for the built-in one)
  // How many sweeps (this one included) count for repeat offences.
  uint32_t repeat_window = 5;
  // Action for a flagged listing, by its highest severity.
  std::array<Action, 4> listing_action = {Action::kTakedownListing, Action::kTakedownListing,
                                          Action::kTakedownListing, Action::kTakedownListing};
  std::vector<EscalationStep> merchant_steps;  // in file order

  // Every violating listing taken down, every violating merchant's listings
  // taken down; no escalation. Used when a pack has no policy.yaml.
  static Policy Builtin();
};

// Parses and validates "path". Every problem is appended to "diagnostics"
// (file, line, step id); returns kRules if any.
StatusOr<Policy> LoadPolicy(const std::string& path, std::vector<RuleDiagnostic>* diagnostics);

// The policy for a sweep: "flag" if given, else <pack dir>/policy.yaml if the
// pack is a directory holding one, else Policy::Builtin().
StatusOr<std::shared_ptr<const Policy>> ResolvePolicy(const std::string& flag,
                                                      const RulePack& pack,
                                                      std::vector<RuleDiagnostic>* diagnostics);

}  // namespace catscan

#endif  // CATSCAN_VERDICT_POLICY_H_
