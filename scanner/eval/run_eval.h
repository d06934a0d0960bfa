// scanner/eval/run_eval.h
//
// RunEval measures a rule pack on a labeled set: it loads the labels, runs
// the real sweep (pipeline/sweep.h) over the same files into a private
// temporary directory, so whole-catalog checks take part exactly as in
// `catscan scan`, reads violations.jsonl back, and scores it (score.h). The
// temporary directory is removed on every path.
//
// A labeled record the sweep cannot read (it lands in quarantine.jsonl) is a
// broken labeled set: RunEval fails naming its file, line and reason rather
// than silently scoring fewer records.

#ifndef CATSCAN_EVAL_RUN_EVAL_H_
#define CATSCAN_EVAL_RUN_EVAL_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/eval/score.h"
#include "scanner/rules/evaluator.h"
#include "scanner/source/inputs.h"

namespace catscan {

struct EvalOptions {
  std::vector<InputFile> labels;
  std::shared_ptr<const CompiledPack> pack;
  bool normalize = true;  // false: rules see only the raw text (like scan --no-normalize)
  int threads = 0;        // 0: all cores
  const std::atomic<bool>* cancel = nullptr;
};

StatusOr<EvalScore> RunEval(const EvalOptions& options);

// Parses the lines of a violations.jsonl into "out" (only item_id, rule_id and
// category). Fails (kInternal) on a line that is not a violation object.
Status ParseViolations(std::string_view jsonl, std::vector<FiredRule>* out);

}  // namespace catscan

#endif  // CATSCAN_EVAL_RUN_EVAL_H_
