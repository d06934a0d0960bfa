#include "scanner/verdict/verdicts.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace catscan {
namespace {

namespace dom = simdjson::dom;

// Reads one required string key of a violation line.
std::string ReadString(const dom::object& o, const char* key, std::string* out) {
  std::string_view v;
  if (o[key].get_string().get(v)) return std::string("missing or non-string `") + key + "`";
  out->assign(v.data(), v.size());
  return "";
}

// Parses one line of violations.jsonl into "e" and the listing's ids. At
// least SIMDJSON_PADDING bytes after the line must be readable.
std::string ParseViolationLine(dom::parser& parser, std::string_view line, std::string* item,
                               std::string* merchant, Evidence* e) {
  dom::element doc;
  if (auto err = parser.parse(line.data(), line.size(), false).get(doc)) {
    return std::string("not JSON: ") + simdjson::error_message(err);
  }
  dom::object o;
  if (doc.get_object().get(o)) return "not a JSON object";
  std::string err, severity;
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"item_id", item},
                                 {"merchant_id", merchant},
                                 {"rule_id", &e->rule_id},
                                 {"clause", &e->clause},
                                 {"severity", &severity},
                                 {"field", &e->field},
                                 {"text", &e->text}}) {
    if (err = ReadString(o, key, out); !err.empty()) return err;
  }
  if (!ParseSeverity(severity, &e->severity)) return "unknown severity `" + severity + "`";
  uint64_t start = 0, end = 0;
  e->has_offsets = !o["start"].get_uint64().get(start) && !o["end"].get_uint64().get(end);
  e->start = e->has_offsets ? start : 0;
  e->end = e->has_offsets ? end : 0;
  e->normalized.clear();
  e->before.clear();
  e->after.clear();
  std::string_view v;
  if (!o["normalized"].get_string().get(v)) e->normalized.assign(v.data(), v.size());
  if (!o["before"].get_string().get(v)) e->before.assign(v.data(), v.size());
  if (!o["after"].get_string().get(v)) e->after.assign(v.data(), v.size());
  return "";
}

// The listing ids of a violation line, for cutting blocks; false if the line
// does not parse (its block's parse reports why).
bool ListingIds(dom::parser& parser, const std::string& line, std::string* item,
                std::string* merchant) {
  dom::object o;
  return !parser.parse(line).get_object().get(o) && ReadString(o, "item_id", item).empty() &&
         ReadString(o, "merchant_id", merchant).empty();
}

// A listing being filled in a slot of ParseFlaggedListings' output. The
// slot's vectors may hold elements of an earlier block: the first "used" are
// this listing's, the rest are spare storage to assign into, so steady-state
// parsing allocates next to nothing.
struct ListingFill {
  FlaggedListing* listing = nullptr;
  size_t clauses = 0, rule_ids = 0, evidence = 0;  // elements used

  static void AddDistinct(std::vector<std::string>* v, size_t* used, const std::string& s) {
    const auto end = v->begin() + static_cast<std::ptrdiff_t>(*used);
    if (std::find(v->begin(), end, s) != end) return;
    if (*used == v->size()) {
      v->push_back(s);
    } else {
      (*v)[*used] = s;  // keeps the spare string's capacity
    }
    ++*used;
  }

  void Start(FlaggedListing* slot, const std::string& item, const std::string& merchant) {
    listing = slot;
    listing->item_id = item;
    listing->merchant_id = merchant;
    listing->severity = Severity::kMinor;
    clauses = rule_ids = evidence = 0;
  }

  // Takes "e"'s content; "e" is left with spare storage for the next line.
  void Add(Evidence* e) {
    listing->severity = std::max(listing->severity, e->severity);
    AddDistinct(&listing->clauses, &clauses, e->clause);
    AddDistinct(&listing->rule_ids, &rule_ids, e->rule_id);
    if (evidence == listing->evidence.size()) listing->evidence.emplace_back();
    std::swap(listing->evidence[evidence++], *e);
  }

  void Finish() {
    listing->clauses.resize(clauses);
    listing->rule_ids.resize(rule_ids);
    listing->evidence.resize(evidence);
    std::sort(listing->clauses.begin(), listing->clauses.end());
    std::sort(listing->rule_ids.begin(), listing->rule_ids.end());
  }
};

std::string Percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  return buf;
}

std::string SweepList(const std::vector<int64_t>& ids) {
  std::string s;
  for (int64_t id : ids) s += (s.empty() ? "#" : ", #") + std::to_string(id);
  return s;
}

}  // namespace

ViolationBlockReader::ViolationBlockReader(std::string path, size_t block_bytes)
    : path_(std::move(path)), block_bytes_(block_bytes), in_(path_, std::ios::binary) {}

StatusOr<std::unique_ptr<ViolationBlockReader>> ViolationBlockReader::Open(
    const std::string& violations_path, size_t block_bytes) {
  std::unique_ptr<ViolationBlockReader> r(new ViolationBlockReader(violations_path, block_bytes));
  if (!r->in_) return InternalError("cannot read back " + violations_path);
  return r;
}

StatusOr<bool> ViolationBlockReader::Next(std::string* lines, uint64_t* first_line) {
  lines->clear();
  *first_line = next_line_;
  if (have_ahead_) {
    have_ahead_ = false;
    lines->append(ahead_).push_back('\n');
  }
  if (const size_t have = lines->size(); have < block_bytes_ && in_) {
    lines->resize(block_bytes_);
    in_.read(lines->data() + have, static_cast<std::streamsize>(block_bytes_ - have));
    lines->resize(have + static_cast<size_t>(in_.gcount()));
  }
  if (in_.bad()) return InternalError("error reading back " + path_);
  if (lines->empty()) return false;
  std::string line, last_item, last_merchant, item, merchant;
  if (lines->back() != '\n') {  // the bulk read stopped inside a line
    if (std::getline(in_, line)) lines->append(line);
    lines->push_back('\n');
  }
  // The last line, without its '\n'.
  const size_t last_end = lines->size() - 1;
  const size_t last_start = last_end == 0 ? 0 : lines->rfind('\n', last_end - 1) + 1;  // npos + 1 = 0
  line.assign(*lines, last_start, last_end - last_start);
  // Extend the block to its last listing's end, so no listing is split.
  dom::parser parser;
  if (ListingIds(parser, line, &last_item, &last_merchant)) {
    while (std::getline(in_, ahead_)) {
      if (!ListingIds(parser, ahead_, &item, &merchant) || item != last_item ||
          merchant != last_merchant) {
        have_ahead_ = true;
        break;
      }
      lines->append(ahead_).push_back('\n');
    }
  }
  if (in_.bad()) return InternalError("error reading back " + path_);
  next_line_ += static_cast<uint64_t>(std::count(lines->begin(), lines->end(), '\n'));
  return true;
}

Status ParseFlaggedListings(std::string_view lines, const std::string& path, uint64_t first_line,
                            std::vector<FlaggedListing>* out) {
  dom::parser parser;
  std::string item, merchant, padded;
  Evidence e;
  ListingFill fill;
  size_t used = 0;  // slots of *out filled
  uint64_t line_no = first_line;
  for (size_t pos = 0; pos < lines.size(); ++line_no) {
    size_t nl = lines.find('\n', pos);
    if (nl == std::string_view::npos) nl = lines.size();
    std::string_view line = lines.substr(pos, nl - pos);
    pos = nl + 1;
    // simdjson reads up to SIMDJSON_PADDING bytes past a line: the lines
    // after it, or a padded copy near the block's end.
    if (lines.size() - (line.data() - lines.data()) - line.size() < simdjson::SIMDJSON_PADDING) {
      padded.reserve(line.size() + simdjson::SIMDJSON_PADDING);
      padded.assign(line);
      line = padded;
    }
    if (std::string err = ParseViolationLine(parser, line, &item, &merchant, &e); !err.empty()) {
      out->clear();
      return InternalError(path + ":" + std::to_string(line_no) + ": not a violation line: " + err);
    }
    if (fill.listing == nullptr || item != fill.listing->item_id ||
        merchant != fill.listing->merchant_id) {
      if (fill.listing != nullptr) fill.Finish();
      if (used == out->size()) out->emplace_back();
      fill.Start(&(*out)[used++], item, merchant);
    }
    fill.Add(&e);
  }
  if (fill.listing != nullptr) fill.Finish();
  out->resize(used);
  return Status::OK();
}

Status ReadFlaggedListings(const std::string& path,
                           const std::function<Status(const FlaggedListing&)>& on_listing) {
  StatusOr<std::unique_ptr<ViolationBlockReader>> reader = ViolationBlockReader::Open(path);
  if (!reader.ok()) return reader.status();
  std::string lines;
  uint64_t first_line = 0;
  std::vector<FlaggedListing> listings;
  for (;;) {
    StatusOr<bool> more = reader.value()->Next(&lines, &first_line);
    if (!more.ok()) return more.status();
    if (!more.value()) return Status::OK();
    if (Status s = ParseFlaggedListings(lines, path, first_line, &listings); !s.ok()) return s;
    for (const FlaggedListing& l : listings) {
      if (Status s = on_listing(l); !s.ok()) return s;
    }
  }
}

void MerchantFindings::Add(const FlaggedListing& listing) {
  ++listings_by_severity[static_cast<int>(listing.severity)];
  violations += listing.evidence.size();
  for (const std::string& rule : listing.rule_ids) ++listings_by_rule[rule];
}

uint64_t MerchantFindings::ListingsAtLeast(Severity s) const {
  uint64_t n = 0;
  for (int i = static_cast<int>(s); i < 4; ++i) n += listings_by_severity[i];
  return n;
}

MerchantVerdict DecideMerchant(const Policy& policy, const std::string& merchant_id,
                               uint64_t items_scanned, const MerchantFindings& f,
                               const RepeatHistory& history) {
  MerchantVerdict v;
  v.merchant_id = merchant_id;
  v.items_scanned = items_scanned;
  v.listings_violating = f.listings();
  v.listings_by_severity = f.listings_by_severity;
  v.violations = f.violations;
  for (int s = 3; s >= 0; --s) {
    if (f.listings_by_severity[s] > 0) {
      v.severity = static_cast<Severity>(s);
      break;
    }
  }
  v.share = items_scanned > 0 ? static_cast<double>(v.listings_violating) / items_scanned : 0;
  // This sweep counts (the merchant is flagged in it) plus the earlier ones.
  const size_t earlier_window =
      std::min<size_t>(history.window_sweep_ids.size(), policy.repeat_window - 1);
  v.window_sweeps = static_cast<uint32_t>(earlier_window + 1);
  if (auto it = history.violating_sweeps.find(merchant_id); it != history.violating_sweeps.end()) {
    for (int64_t id : it->second) {
      const auto end = history.window_sweep_ids.begin() + earlier_window;
      if (std::find(history.window_sweep_ids.begin(), end, id) != end)
        v.earlier_sweeps.push_back(id);
    }
  }
  v.sweeps_with_violations = static_cast<uint32_t>(v.earlier_sweeps.size() + 1);
  std::map<std::string, uint64_t> rules(f.listings_by_rule.begin(), f.listings_by_rule.end());
  v.rules.assign(rules.begin(), rules.end());

  for (const EscalationStep& step : policy.merchant_steps) {
    const uint64_t listings = f.ListingsAtLeast(step.min_severity);
    const double share = items_scanned > 0 ? static_cast<double>(listings) / items_scanned : 0;
    if (listings == 0 || listings < step.min_listings || share < step.min_share ||
        v.sweeps_with_violations < step.min_sweeps) {
      continue;
    }
    std::string why = step.id + " → " + ActionId(step.action) + " (" +
                      ActionChinese(step.action) + "): " + std::to_string(listings) + " listing" +
                      (listings == 1 ? "" : "s") + " at " + SeverityName(step.min_severity) +
                      " or above";
    if (step.min_listings > 1) why += " (≥ " + std::to_string(step.min_listings) + ")";
    if (step.min_share > 0) {
      why += ", " + Percent(share) + " of " + std::to_string(items_scanned) +
             " scanned (≥ " + Percent(step.min_share) + ")";
    }
    if (step.min_sweeps > 1) {
      why += ", violations in " + std::to_string(v.sweeps_with_violations) + " of the last " +
             std::to_string(v.window_sweeps) + " sweeps (≥ " + std::to_string(step.min_sweeps) +
             "; earlier: " + SweepList(v.earlier_sweeps) + ")";
    }
    v.reasons.push_back(std::move(why));
    v.steps.push_back(step.id);
    if (std::find(v.actions.begin(), v.actions.end(), step.action) == v.actions.end()) {
      v.actions.push_back(step.action);
    }
    v.action = std::max(v.action, step.action);
  }
  std::sort(v.actions.begin(), v.actions.end());
  return v;
}

bool VerdictOrder(const MerchantVerdict& a, const MerchantVerdict& b) {
  if (a.action != b.action) return a.action > b.action;
  if (a.listings_violating != b.listings_violating) {
    return a.listings_violating > b.listings_violating;
  }
  return a.merchant_id < b.merchant_id;
}

}  // namespace catscan
