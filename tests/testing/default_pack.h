// tests/testing/default_pack.h
//
// What the pipeline-level tests share: the default pack (patterns/default in
// the source tree) compiled once per test binary, and writing an input file
// for a sweep into a TempDir.

#ifndef CATSCAN_TESTS_TESTING_DEFAULT_PACK_H_
#define CATSCAN_TESTS_TESTING_DEFAULT_PACK_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"
#include "scanner/source/inputs.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace test {

// The default pack, compiled on first use; nullptr (and a test failure) if
// it does not load or compile.
inline std::shared_ptr<const CompiledPack> DefaultPack() {
  static const std::shared_ptr<const CompiledPack> pack = [] {
    std::vector<RuleDiagnostic> diags;
    StatusOr<RulePack> loaded = LoadRulePack(CATSCAN_SOURCE_PACK_DIR, &diags);
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().message();
      return std::shared_ptr<const CompiledPack>();
    }
    StatusOr<std::shared_ptr<const CompiledPack>> compiled =
        CompiledPack::Compile(std::move(loaded.value()), &diags);
    if (!compiled.ok()) {
      ADD_FAILURE() << compiled.status().message();
      return std::shared_ptr<const CompiledPack>();
    }
    return compiled.value();
  }();
  return pack;
}

// Writes "bytes" to dir/name and describes it as a sweep input.
inline InputFile WriteInput(const TempDir& dir, const std::string& name, const std::string& bytes) {
  InputFile in;
  in.path = dir.File(name);
  EXPECT_TRUE(WriteFile(in.path, bytes));
  in.size = bytes.size();
  return in;
}

}  // namespace test
}  // namespace catscan

#endif  // CATSCAN_TESTS_TESTING_DEFAULT_PACK_H_
