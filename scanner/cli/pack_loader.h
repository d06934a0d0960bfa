// scanner/cli/pack_loader.h
//
// Loads and compiles what a command line names: a rule pack, or a plain
// pattern list (regexes or, with "literal", words), optionally through the
// database cache. Every diagnostic is printed to stderr as it is found.
//
// With skip_bad_patterns (benchmarking real, messy lists), a pattern-list
// line that is not valid UTF-8 or that Hyperscan rejects is reported as a
// warning naming its line and left out, and the rest is compiled; without it
// the load fails listing every bad line. Rule packs are never trimmed: a bad
// pattern in a pack is always an error.

#ifndef CATSCAN_CLI_PACK_LOADER_H_
#define CATSCAN_CLI_PACK_LOADER_H_

#include <memory>
#include <string>

#include "scanner/base/status.h"
#include "scanner/match/database_cache.h"
#include "scanner/rules/evaluator.h"

namespace catscan {

struct PackRequest {
  std::string rules;     // pack directory or rule file; empty: the default pack
  std::string patterns;  // a pattern list instead of a pack
  bool literal = false;  // the list holds words, not regexes
  bool skip_bad_patterns = false;
  const DatabaseCache* cache = nullptr;
};

// "warnings", if given, receives the number of warnings printed.
StatusOr<std::shared_ptr<const CompiledPack>> LoadCompiledPack(const PackRequest& request,
                                                               size_t* warnings = nullptr);

// The cache a command should use: none with "disabled", else "dir" or the
// default directory (none if there is no default either).
std::unique_ptr<DatabaseCache> MakeCache(const std::string& dir, bool disabled);

}  // namespace catscan

#endif  // CATSCAN_CLI_PACK_LOADER_H_
