// scanner/eval/labeled_set.h
//
// A labeled set is a catalog whose records also say which rule categories
// they truly violate:
//
//   {"item_id":"L1", ..., "labels":["fake_time_limit"], "note":"只卖半小时"}
//   {"item_id":"L2", ..., "labels":[]}                  (a clean listing)
//
// The listing fields are the ones a sweep reads (record/record.h); `labels`
// is required on every line, `note` is optional. LoadLabeledSet reads only
// what scoring needs (id, title, labels); the sweep reads the same files for
// everything else, so both see the same records.
//
// A LabeledSet is a plain value.

#ifndef CATSCAN_EVAL_LABELED_SET_H_
#define CATSCAN_EVAL_LABELED_SET_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/source/inputs.h"

namespace catscan {

struct LabeledRecord {
  std::string item_id;              // an integer id as its decimal digits
  std::string title;                // empty when absent or null
  std::vector<std::string> labels;  // sorted, no duplicates; empty: clean
  std::string file;
  uint64_t line = 0;
};

struct LabeledSet {
  std::vector<LabeledRecord> records;  // in file order, then line order
};

// Reads every input (plain or zstd JSONL; blank lines skipped). Fails with
// kInput naming the file and line when a file cannot be read, a line is not a
// JSON object, item_id is missing, `labels` is missing or not an array of
// non-empty strings, or an item_id appears twice (results are keyed by it).
// Standard input is refused: the sweep must read the files a second time.
StatusOr<LabeledSet> LoadLabeledSet(const std::vector<InputFile>& inputs);

// Parses one line of a labeled set into "out" (file and line left as they
// are). Returns an empty string on success, else the reason.
std::string ParseLabeledLine(std::string_view line, LabeledRecord* out);

}  // namespace catscan

#endif  // CATSCAN_EVAL_LABELED_SET_H_
