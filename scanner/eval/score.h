// scanner/eval/score.h
//
// Scores what a rule pack found on a labeled set against the labels. A record
// is predicted positive for category C when any rule of category C fired on
// it; it is truly positive when C is among its labels. Per category:
//
//   TP  predicted and labeled      precision = TP / (TP + FP)
//   FP  predicted, not labeled     recall    = TP / (TP + FN)
//   FN  labeled, not predicted
//
// A ratio with a zero denominator is 1 (nothing predicted: no false alarm;
// nothing to find: nothing missed). The overall line sums TP, FP and FN over
// the categories (micro average).
//
// Score is a pure function; the result is a plain value.

#ifndef CATSCAN_EVAL_SCORE_H_
#define CATSCAN_EVAL_SCORE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "scanner/eval/labeled_set.h"

namespace catscan {

// One violation as the sweep reported it (only what scoring needs).
struct FiredRule {
  std::string item_id;
  std::string rule_id;
  std::string category;
};

// A false positive or false negative, for a person to look at.
struct ScoredMiss {
  std::string item_id;
  std::string title;                  // the record's title, cut to kTitleExcerptBytes
  std::vector<std::string> rule_ids;  // FP: the category's rules that fired;
                                      // FN: every rule that fired on the record
  std::string file;
  uint64_t line = 0;
};

struct CategoryScore {
  std::string category;
  size_t tp = 0, fp = 0, fn = 0;
  std::vector<ScoredMiss> false_positives;  // in labeled-set order
  std::vector<ScoredMiss> false_negatives;

  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn); }
};

struct EvalScore {
  size_t records = 0;
  size_t labeled_positive = 0;        // records with at least one label
  std::vector<CategoryScore> categories;  // sorted by name
  CategoryScore overall;                  // category "overall"; no miss lists
  // Label categories no rule of the pack has: every such label is an FN, but
  // a typo is more likely, so the caller warns.
  std::vector<std::string> unknown_label_categories;
};

constexpr size_t kTitleExcerptBytes = 60;

// Scores "fired" against "set". The categories scored are those of
// "pack_categories" and of the labels. Violations on item ids that are not in
// the set are ignored (the sweep only reads the set, so there are none).
EvalScore Score(const LabeledSet& set, const std::vector<FiredRule>& fired,
                const std::vector<std::string>& pack_categories);

// The categories whose precision or recall is below the given minimum
// (each as "category: precision 0.9 < 0.98").
std::vector<std::string> BelowMinimum(const EvalScore& score, double min_precision,
                                      double min_recall);

}  // namespace catscan

#endif  // CATSCAN_EVAL_SCORE_H_
