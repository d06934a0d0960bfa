// Fuzzes the rule-pack loader and compiler: any rule file must load and
// compile, or be refused with diagnostics, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // Hyperscan compile time grows with pattern size
  static const std::string dir = [] {
    std::string d = "/tmp/catscan-fuzz-pack-" + std::to_string(getpid());
    std::filesystem::create_directories(d);
    return d;
  }();
  FILE* f = std::fopen((dir + "/rules.yaml").c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  std::vector<catscan::RuleDiagnostic> diags;
  catscan::StatusOr<catscan::RulePack> pack = catscan::LoadRulePack(dir, &diags);
  if (!pack.ok()) {
    if (diags.empty()) std::abort();  // a refusal must say why
    return 0;
  }
  auto compiled = catscan::CompiledPack::Compile(pack.value(), &diags);
  if (!compiled.ok() && diags.empty()) std::abort();
  return 0;
}
