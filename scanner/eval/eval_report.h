// scanner/eval/eval_report.h
//
// How `catscan eval` shows an EvalScore: a table for a person (precision and
// recall per category and overall, then every false positive and false
// negative with its item id, title excerpt and rule ids) and the same as one
// JSON object for machines (`--json FILE`). Pure formatting, thread-safe.

#ifndef CATSCAN_EVAL_EVAL_REPORT_H_
#define CATSCAN_EVAL_EVAL_REPORT_H_

#include <string>

#include "scanner/eval/score.h"

namespace catscan {

// What was measured, shown above the table and stored in the JSON.
struct EvalContext {
  std::string labels;     // the --labels arguments, comma-separated
  std::string pack_id;    // name@version
  std::string pack_hash;  // sha256 hex
  bool normalize = true;
};

std::string FormatEvalText(const EvalScore& score, const EvalContext& context);

// One JSON object and a newline:
// {"labels":..,"pack":..,"pack_sha256":..,"normalize":true,"records":N,
//  "labeled_positive":N,"categories":[{"category":..,"tp":..,"fp":..,"fn":..,
//  "precision":..,"recall":..,"false_positives":[{"item_id":..,"title":..,
//  "rule_ids":[..],"file":..,"line":..}],"false_negatives":[..]}],
//  "overall":{"tp":..,"fp":..,"fn":..,"precision":..,"recall":..},
//  "unknown_label_categories":[..]}
std::string FormatEvalJson(const EvalScore& score, const EvalContext& context);

}  // namespace catscan

#endif  // CATSCAN_EVAL_EVAL_REPORT_H_
