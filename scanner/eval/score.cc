#include "scanner/eval/score.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "scanner/base/json_writer.h"

namespace catscan {

namespace {

std::string Ratio(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

EvalScore Score(const LabeledSet& set, const std::vector<FiredRule>& fired,
                const std::vector<std::string>& pack_categories) {
  // item_id -> category -> rule ids (sorted, unique).
  std::unordered_map<std::string, std::map<std::string, std::set<std::string>>> by_item;
  for (const FiredRule& f : fired) by_item[f.item_id][f.category].insert(f.rule_id);

  std::set<std::string> pack_set(pack_categories.begin(), pack_categories.end());
  std::set<std::string> categories = pack_set;
  EvalScore score;
  for (const LabeledRecord& r : set.records) {
    categories.insert(r.labels.begin(), r.labels.end());
    if (!r.labels.empty()) ++score.labeled_positive;
    for (const std::string& l : r.labels) {
      if (!pack_set.count(l)) score.unknown_label_categories.push_back(l);
    }
  }
  std::sort(score.unknown_label_categories.begin(), score.unknown_label_categories.end());
  score.unknown_label_categories.erase(
      std::unique(score.unknown_label_categories.begin(), score.unknown_label_categories.end()),
      score.unknown_label_categories.end());
  score.records = set.records.size();

  std::map<std::string, CategoryScore> scores;
  for (const std::string& c : categories) scores[c].category = c;
  static const std::map<std::string, std::set<std::string>> kNone;
  for (const LabeledRecord& r : set.records) {
    auto hit = by_item.find(r.item_id);
    const auto& found = hit == by_item.end() ? kNone : hit->second;
    for (auto& [c, cs] : scores) {
      const bool labeled = std::find(r.labels.begin(), r.labels.end(), c) != r.labels.end();
      auto f = found.find(c);
      const bool predicted = f != found.end();
      if (labeled && predicted) {
        ++cs.tp;
        continue;
      }
      if (!labeled && !predicted) continue;
      ScoredMiss miss;
      miss.item_id = r.item_id;
      miss.title = std::string(Utf8Prefix(r.title, kTitleExcerptBytes));
      miss.file = r.file;
      miss.line = r.line;
      if (predicted) {
        ++cs.fp;
        miss.rule_ids.assign(f->second.begin(), f->second.end());
        cs.false_positives.push_back(std::move(miss));
      } else {
        ++cs.fn;
        for (const auto& [other, rules] : found) {
          miss.rule_ids.insert(miss.rule_ids.end(), rules.begin(), rules.end());
        }
        cs.false_negatives.push_back(std::move(miss));
      }
    }
  }
  score.overall.category = "overall";
  for (auto& [c, cs] : scores) {
    score.overall.tp += cs.tp;
    score.overall.fp += cs.fp;
    score.overall.fn += cs.fn;
    score.categories.push_back(std::move(cs));
  }
  return score;
}

std::vector<std::string> BelowMinimum(const EvalScore& score, double min_precision,
                                      double min_recall) {
  std::vector<std::string> below;
  for (const CategoryScore& c : score.categories) {
    if (c.precision() < min_precision) {
      below.push_back(c.category + ": precision " + Ratio(c.precision()) + " < " +
                      Ratio(min_precision));
    }
    if (c.recall() < min_recall) {
      below.push_back(c.category + ": recall " + Ratio(c.recall()) + " < " + Ratio(min_recall));
    }
  }
  return below;
}

}  // namespace catscan
