#include "scanner/verdict/policy.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scanner/base/sha256.h"

namespace catscan {
namespace {

namespace fs = std::filesystem;

struct ActionName {
  const char* id;
  const char* zh;
};
// Indexed by Action. The Chinese terms are the seed's (004_*, 4.2).
constexpr ActionName kActionNames[kNumActions] = {
    {"none", "无"},
    {"takedown_listing", "下架"},
    {"ban_listing", "封禁"},
    {"takedown_listings", "下架或封禁违规商品"},
    {"reject_new_listings", "驳回商品申请"},
    {"takedown_all_listings", "下架全量商品"},
    {"ban_new_products", "禁止上新商品"},
    {"freeze_funds", "冻结资金"},
};

const char* const kSeverityChinese[4] = {"轻微", "一般", "严重", "特别严重"};
const char* const kSeverityNames[4] = {"minor", "general", "serious", "critical"};

const std::set<std::string> kTopKeys = {"version", "repeat_window", "listing", "merchant"};
const std::set<std::string> kStepKeys = {"id", "action", "when"};
const std::set<std::string> kWhenKeys = {"severity", "listings", "share", "sweeps"};

int LineOf(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }

// Reads one policy file, reporting every problem into "diags".
class PolicyReader {
 public:
  PolicyReader(std::string file, std::vector<RuleDiagnostic>* diags)
      : file_(std::move(file)), diags_(diags) {}

  void Read(const YAML::Node& root, Policy* policy) {
    if (!root.IsMap()) {
      Error(LineOf(root), "", "a policy file is a map with `listing:` and `merchant:`");
      return;
    }
    int listing_line = LineOf(root);
    for (const auto& kv : root) {
      const std::string key = kv.first.Scalar();
      if (!kTopKeys.count(key)) Error(LineOf(kv.first), "", "unknown key `" + key + "`");
      if (key == "listing") listing_line = LineOf(kv.first);
    }
    if (root["version"]) {
      int version = 0;
      if (!Int(root["version"], "version", &version) || version != 1) {
        Error(LineOf(root["version"]), "", "`version:` must be 1");
      }
    }
    if (root["repeat_window"]) {
      int window = 0;
      if (Int(root["repeat_window"], "repeat_window", &window)) {
        if (window < 1 || window > 1000) {
          Error(LineOf(root["repeat_window"]), "", "`repeat_window:` must be 1..1000");
        } else {
          policy->repeat_window = static_cast<uint32_t>(window);
        }
      }
    }
    ReadListing(root["listing"], listing_line, policy);
    ReadMerchant(root["merchant"], LineOf(root), policy);
  }

 private:
  void Error(int line, const std::string& step, const std::string& message) {
    diags_->push_back({file_, line, step, message, false});
  }

  bool Int(const YAML::Node& n, const std::string& what, int* out, const std::string& step = "") {
    try {
      if (n.IsScalar()) {
        *out = n.as<int>();
        return true;
      }
    } catch (const YAML::Exception&) {
    }
    Error(LineOf(n), step, "`" + what + ":` must be an integer");
    return false;
  }

  // "key_line": the line of `listing:` itself (a block map's mark is its
  // first entry).
  void ReadListing(const YAML::Node& n, int key_line, Policy* policy) {
    if (!n) {
      Error(key_line, "", "missing `listing:` (the action per severity)");
      return;
    }
    if (!n.IsMap()) {
      Error(LineOf(n), "", "`listing:` maps each severity to an action");
      return;
    }
    bool seen[4] = {false, false, false, false};
    for (const auto& kv : n) {
      const std::string sev_name = kv.first.Scalar();
      Severity sev;
      if (!ParseSeverity(sev_name, &sev)) {
        Error(LineOf(kv.first), "", "unknown severity `" + sev_name +
                                        "` (minor, general, serious, critical)");
        continue;
      }
      seen[static_cast<int>(sev)] = true;
      Action a;
      const std::string id = kv.second.IsScalar() ? kv.second.Scalar() : "";
      if (!ParseAction(id, &a) || !IsListingAction(a)) {
        Error(LineOf(kv.second), "", "`listing: " + sev_name + ":` must be takedown_listing or " +
                                         "ban_listing, not `" + id + "`");
        continue;
      }
      policy->listing_action[static_cast<int>(sev)] = a;
    }
    for (int s = 0; s < 4; ++s) {
      if (!seen[s]) {
        Error(key_line, "", std::string("`listing:` has no action for ") + kSeverityNames[s]);
      }
    }
  }

  void ReadMerchant(const YAML::Node& n, int parent_line, Policy* policy) {
    if (!n) {
      Error(parent_line, "", "missing `merchant:` (the escalation ladder)");
      return;
    }
    if (!n.IsSequence()) {
      Error(LineOf(n), "", "`merchant:` is a list of steps");
      return;
    }
    std::set<std::string> ids;
    for (const YAML::Node& s : n) {
      EscalationStep step;
      step.line = LineOf(s);
      if (!s.IsMap()) {
        Error(step.line, "", "a merchant step is a map with id, action, when");
        continue;
      }
      step.id = s["id"] && s["id"].IsScalar() ? s["id"].Scalar() : "";
      if (step.id.empty()) {
        Error(step.line, "", "a merchant step needs an `id:`");
      } else if (!ids.insert(step.id).second) {
        Error(step.line, step.id, "duplicate step id");
      }
      for (const auto& kv : s) {
        const std::string key = kv.first.Scalar();
        if (!kStepKeys.count(key)) Error(LineOf(kv.first), step.id, "unknown key `" + key + "`");
      }
      const std::string action = s["action"] && s["action"].IsScalar() ? s["action"].Scalar() : "";
      if (!ParseAction(action, &step.action) || !IsMerchantAction(step.action)) {
        Error(s["action"] ? LineOf(s["action"]) : step.line, step.id,
              "`action:` must be one of takedown_listings, reject_new_listings, "
              "takedown_all_listings, ban_new_products, freeze_funds (got `" +
                  action + "`)");
      }
      ReadWhen(s["when"], &step);
      if (step.min_sweeps > policy->repeat_window) {
        Error(step.line, step.id,
              "`sweeps: " + std::to_string(step.min_sweeps) +
                  "` can never hold: repeat_window is " + std::to_string(policy->repeat_window));
      }
      policy->merchant_steps.push_back(std::move(step));
    }
  }

  void ReadWhen(const YAML::Node& w, EscalationStep* step) {
    if (!w) return;  // no condition: any violating listing
    if (!w.IsMap()) {
      Error(LineOf(w), step->id, "`when:` is a map of severity, listings, share, sweeps");
      return;
    }
    for (const auto& kv : w) {
      const std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      const int line = LineOf(v);
      if (!kWhenKeys.count(key)) {
        Error(LineOf(kv.first), step->id, "unknown condition `" + key + "`");
      } else if (key == "severity") {
        if (!v.IsScalar() || !ParseSeverity(v.Scalar(), &step->min_severity)) {
          Error(line, step->id, "`severity:` must be minor, general, serious or critical");
        }
      } else if (key == "listings") {
        int n = 0;
        if (Int(v, "listings", &n, step->id)) {
          if (n < 1) Error(line, step->id, "`listings:` must be at least 1");
          else step->min_listings = static_cast<uint64_t>(n);
        }
      } else if (key == "sweeps") {
        int n = 0;
        if (Int(v, "sweeps", &n, step->id)) {
          if (n < 1) Error(line, step->id, "`sweeps:` must be at least 1");
          else step->min_sweeps = static_cast<uint32_t>(n);
        }
      } else {  // share
        double d = -1;
        try {
          if (v.IsScalar()) d = v.as<double>();
        } catch (const YAML::Exception&) {
        }
        if (!(d >= 0 && d <= 1) || !std::isfinite(d)) {
          Error(line, step->id, "`share:` must be a number from 0 to 1 (0.5 = half the catalog)");
        } else {
          step->min_share = d;
        }
      }
    }
  }

  std::string file_;
  std::vector<RuleDiagnostic>* diags_;
};

}  // namespace

const char* ActionId(Action a) { return kActionNames[static_cast<int>(a)].id; }
const char* ActionChinese(Action a) { return kActionNames[static_cast<int>(a)].zh; }

bool IsListingAction(Action a) {
  return a == Action::kTakedownListing || a == Action::kBanListing;
}
bool IsMerchantAction(Action a) { return a >= Action::kTakedownListings; }

bool ParseAction(const std::string& id, Action* out) {
  for (int i = 1; i < kNumActions; ++i) {
    if (id == kActionNames[i].id) {
      *out = static_cast<Action>(i);
      return true;
    }
  }
  return false;
}

const char* SeverityChinese(Severity s) { return kSeverityChinese[static_cast<int>(s)]; }

bool ParseSeverity(const std::string& name, Severity* out) {
  for (int i = 0; i < 4; ++i) {
    if (name == kSeverityNames[i]) {
      *out = static_cast<Severity>(i);
      return true;
    }
  }
  return false;
}

Policy Policy::Builtin() {
  Policy p;
  EscalationStep step;
  step.id = "any_violation";
  p.merchant_steps.push_back(step);
  return p;
}

StatusOr<Policy> LoadPolicy(const std::string& path, std::vector<RuleDiagnostic>* diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return RulesError("policy " + path + ": cannot read the file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string bytes = ss.str();
  const size_t errors_before = diags->size();
  Policy policy;
  policy.path = path;
  Sha256 hash;
  hash.Update(bytes);
  policy.sha256 = hash.HexDigest();
  YAML::Node root;
  try {
    root = YAML::Load(bytes);
  } catch (const YAML::Exception& e) {
    diags->push_back({path, e.mark.is_null() ? 0 : e.mark.line + 1, "", "invalid YAML: " + e.msg,
                      false});
    return RulesError("policy " + path + " is invalid");
  }
  PolicyReader(path, diags).Read(root, &policy);
  if (diags->size() > errors_before) {
    return RulesError("policy " + path + ": " + std::to_string(diags->size() - errors_before) +
                      " error(s); first: " + (*diags)[errors_before].ToString());
  }
  return policy;
}

StatusOr<std::shared_ptr<const Policy>> ResolvePolicy(const std::string& flag,
                                                      const RulePack& pack,
                                                      std::vector<RuleDiagnostic>* diags) {
  std::string path = flag;
  if (path.empty()) {
    std::error_code ec;
    const fs::path candidate = fs::path(pack.path) / "policy.yaml";
    if (!pack.path.empty() && fs::is_directory(pack.path, ec) &&
        fs::is_regular_file(candidate, ec)) {
      path = candidate.string();
    }
  }
  if (path.empty()) return std::make_shared<const Policy>(Policy::Builtin());
  StatusOr<Policy> loaded = LoadPolicy(path, diags);
  if (!loaded.ok()) return loaded.status();
  return std::make_shared<const Policy>(std::move(loaded.value()));
}

}  // namespace catscan
