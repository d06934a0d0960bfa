// `catscan eval`: the CLI side of eval/ (flags in, table and exit status out).

#include <iostream>

#include "scanner/base/output_file.h"
#include "scanner/cli/commands.h"
#include "scanner/eval/eval_report.h"
#include "scanner/eval/run_eval.h"
#include "scanner/source/inputs.h"

namespace catscan {

namespace {

int Fail(const Status& s) {
  std::cerr << "catscan: " << s.message() << "\n";
  return ExitCodeFor(s.code());
}

Status WriteFile(const std::string& path, const std::string& bytes) {
  StatusOr<std::unique_ptr<OutputFile>> out = OutputFile::Create(path);
  if (!out.ok()) return out.status();
  Status s = out.value()->Append(bytes);
  if (s.ok()) s = out.value()->Finish();
  if (s.ok()) s = out.value()->Publish();
  return s;
}

}  // namespace

int RunEvalCommand(const EvalFlags& flags, const std::atomic<bool>* cancel) {
  StatusOr<std::vector<InputFile>> labels = ResolveInputs(flags.labels);
  if (!labels.ok()) return Fail(labels.status());
  if (labels.value().empty()) return Fail(InputError("no labeled files in the --labels arguments"));
  std::vector<RuleDiagnostic> diags;
  StatusOr<RulePack> pack = LoadRulePack(flags.pack.empty() ? DefaultPackPath() : flags.pack, &diags);
  StatusOr<std::shared_ptr<const CompiledPack>> compiled =
      pack.ok() ? CompiledPack::Compile(std::move(pack.value()), &diags)
                : StatusOr<std::shared_ptr<const CompiledPack>>(pack.status());
  for (const RuleDiagnostic& d : diags) {
    if (!d.warning) std::cerr << d.ToString() << "\n";  // lint warnings belong to `rules check`
  }
  if (!compiled.ok()) return Fail(compiled.status());

  EvalOptions opt;
  opt.labels = labels.value();
  opt.pack = compiled.value();
  opt.normalize = !flags.no_normalize;
  opt.threads = flags.threads;
  opt.cancel = cancel;
  StatusOr<EvalScore> score = RunEval(opt);
  if (!score.ok()) return Fail(score.status());

  EvalContext context;
  for (const std::string& l : flags.labels) context.labels += (context.labels.empty() ? "" : ",") + l;
  context.pack_id = opt.pack->pack().id();
  context.pack_hash = opt.pack->pack().hash;
  context.normalize = opt.normalize;
  std::cout << FormatEvalText(score.value(), context);
  if (!flags.json_out.empty()) {
    Status s = WriteFile(flags.json_out, FormatEvalJson(score.value(), context));
    if (!s.ok()) return Fail(s);
  }
  const std::vector<std::string> below =
      BelowMinimum(score.value(), flags.min_precision, flags.min_recall);
  for (const std::string& b : below) std::cerr << "catscan: below the minimum: " << b << "\n";
  return below.empty() ? 0 : 1;
}

}  // namespace catscan
