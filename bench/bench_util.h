// bench/bench_util.h
//
// What the benchmarks in catscan_bench share: the catalog they run on (its
// decompressed JSONL, read once), the default rule pack compiled once, and
// dying loudly when either is missing. Single-threaded set-up, then read-only.

#ifndef CATSCAN_BENCH_BENCH_UTIL_H_
#define CATSCAN_BENCH_BENCH_UTIL_H_

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "scanner/rules/evaluator.h"
#include "scanner/rules/rule_pack.h"
#include "scanner/source/byte_source.h"
#include "scanner/source/chunker.h"

#ifndef CATSCAN_SAMPLE_CATALOG
#define CATSCAN_SAMPLE_CATALOG "data/sample.jsonl.zst"
#endif

namespace catscan {
namespace bench {

[[noreturn]] inline void Die(const std::string& why) {
  std::cerr << "catscan_bench: " << why << "\n";
  std::exit(1);
}

// $CATSCAN_BENCH_CATALOG, else the committed sample.
inline std::string CatalogPath() {
  const char* env = std::getenv("CATSCAN_BENCH_CATALOG");
  return env ? env : CATSCAN_SAMPLE_CATALOG;
}

// The catalog's JSONL, decompressed if it is zstd.
inline std::string ReadCatalog() {
  StatusOr<std::unique_ptr<ByteSource>> src = ByteSource::Open({CatalogPath(), 0, false});
  if (!src.ok()) Die(src.status().message());
  std::string jsonl;
  std::vector<char> buf(1 << 20);
  for (;;) {
    StatusOr<size_t> n = src.value()->Read(buf.data(), buf.size());
    if (!n.ok()) Die(n.status().message());
    if (n.value() == 0) break;
    jsonl.append(buf.data(), n.value());
  }
  return jsonl;
}

// The default pack, compiled once.
inline std::shared_ptr<const CompiledPack> DefaultPack() {
  static const std::shared_ptr<const CompiledPack> pack = [] {
    std::vector<RuleDiagnostic> diags;
    StatusOr<RulePack> p = LoadRulePack(CATSCAN_SOURCE_PACK_DIR, &diags);
    if (!p.ok()) Die(p.status().message());
    StatusOr<std::shared_ptr<const CompiledPack>> c = CompiledPack::Compile(p.value(), &diags);
    if (!c.ok()) Die(c.status().message());
    return c.value();
  }();
  return pack;
}

// Calls fn(std::string&& line) for each line of "jsonl", the line copied
// with kChunkPadding spare bytes, as the record parser needs.
template <typename Fn>
void ForEachPaddedLine(const std::string& jsonl, Fn fn) {
  for (size_t pos = 0; pos < jsonl.size();) {
    size_t nl = jsonl.find('\n', pos);
    if (nl == std::string::npos) nl = jsonl.size();
    std::string line = jsonl.substr(pos, nl - pos);
    pos = nl + 1;
    line.reserve(line.size() + kChunkPadding);
    fn(std::move(line));
  }
}

}  // namespace bench
}  // namespace catscan

#endif  // CATSCAN_BENCH_BENCH_UTIL_H_
