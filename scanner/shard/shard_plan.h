// scanner/shard/shard_plan.h
//
// The split of one sweep into N shards, so that N processes (a Slurm job
// array) together read every record exactly once and a merge of their
// partial results equals one sweep (scanner/merge/).
//
// The inputs, in the order a single sweep reads them, are laid end to end as
// one stream of decompressed bytes of total size T. Shard k (1-based) owns the
// lines whose first byte lies in [(k-1)T/N, kT/N). So a shard is a run of
// whole files plus, at each end, part of a file cut at a line boundary
// (LineRangeSource), and the shards' records in shard order are the single
// sweep's records in order. A cut that falls inside a small file (under half
// a shard's share) moves to that file's nearer end instead, so catalogs of
// many files are split at file boundaries and no file is opened twice.
//
// The plan depends only on the inputs' decompressed sizes and N, so every
// task of an array computes the same plan on its own. Measuring a plain file
// costs a stat; a zstd file costs reading its frame headers, or one
// decompression when a frame does not record its size (zstd writes the size
// when it compresses a file, not a pipe).
//
// Everything here is a plain function of its arguments; thread-safe.

#ifndef CATSCAN_SHARD_SHARD_PLAN_H_
#define CATSCAN_SHARD_SHARD_PLAN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/base/status.h"
#include "scanner/source/inputs.h"
#include "scanner/source/line_range.h"

namespace catscan {

// Shard "index" of "count", 1-based as on the command line: --shard 2/3.
struct ShardSpec {
  int index = 1;
  int count = 1;

  std::string ToString() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// Parses "I/N" with 1 <= I <= N <= 100000; kUsage otherwise.
StatusOr<ShardSpec> ParseShardSpec(std::string_view text);

// The part of one input a shard reads. Exactly one piece of each input has
// range.end == LineRange::kToEnd (the one that reads the input to its end);
// an empty input has that one piece only.
struct ShardPiece {
  uint32_t input = 0;  // index into the sweep's inputs
  LineRange range;

  bool operator==(const ShardPiece& o) const { return input == o.input && range == o.range; }
};

// The pieces of every shard: result[k] is shard k+1's, in input order.
// "decompressed_sizes" holds one entry per input. "count" >= 1.
std::vector<std::vector<ShardPiece>> PlanShards(const std::vector<uint64_t>& decompressed_sizes,
                                                int count);

// The decompressed size of "input" (see above). Fails (kInput) like a sweep
// would on an unreadable or corrupt input; standard input cannot be measured.
StatusOr<uint64_t> MeasureDecompressedBytes(const InputFile& input);

}  // namespace catscan

#endif  // CATSCAN_SHARD_SHARD_PLAN_H_
