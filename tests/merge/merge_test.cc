#include "scanner/merge/merge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "scanner/merge/partial.h"
#include "scanner/rules/pattern_list.h"
#include "scanner/pipeline/finish.h"
#include "scanner/pipeline/sweep.h"
#include "scanner/shard/shard_plan.h"
#include "tests/testing/default_pack.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::Exists;
using test::DefaultPack;
using test::ReadFile;
using test::TempDir;
using test::WriteFile;
using ::testing::HasSubstr;

// An output's bytes; report.html names the time it was written, masked here.
std::string OutputBytes(const std::string& path) {
  const std::string bytes = ReadFile(path);
  if (std::filesystem::path(path).filename() != "report.html") return bytes;
  static const std::regex kTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
  return std::regex_replace(bytes, kTime, "<time>");
}

// A small catalog: violations, unreadable lines, merchants spread over files.
std::string Catalog(int seed) {
  std::string s;
  for (int i = 0; i < 60; ++i) {
    const std::string m = "m" + std::to_string((i * 7 + seed) % 9);
    if (i % 17 == 5) {
      s += "{\"item_id\":\"broken-" + std::to_string(i) + "\",\n";
      continue;
    }
    s += "{\"item_id\":\"" + std::to_string(seed) + "-" + std::to_string(i) +
         "\",\"merchant_id\":\"" + m + "\",\"title\":\"" +
         (i % 3 == 0 ? "今晚只卖30分钟" : i % 4 == 0 ? "加微信有优惠" : "新款连衣裙") +
         "\",\"price\":" + std::to_string(i % 5 == 0 ? 1 : 50) +
         ",\"original_price\":" + std::to_string(i % 5 == 0 ? 199 : 60) + "}\n";
  }
  return s;
}

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pack_ = DefaultPack();
    for (int f = 0; f < 3; ++f) {
      const std::string path = dir_.File("cat" + std::to_string(f) + ".jsonl");
      const std::string text = Catalog(f);
      ASSERT_TRUE(WriteFile(path, text));
      inputs_.push_back({path, text.size(), false});
    }
  }

  SweepOptions Options(const std::string& out) {
    SweepOptions o;
    o.inputs = inputs_;
    o.pack = pack_;
    o.out_dir = out;
    o.threads = 2;
    o.chunk_bytes = 512;
    o.progress = false;
    return o;
  }

  // Scans shard "index" of "count" into "out" as `catscan scan --shard` does.
  void ScanShard(int index, int count, const std::string& out, SweepOptions opt) {
    ShardRun run;
    run.shard = {index, count};
    std::vector<uint64_t> sizes;
    for (const InputFile& in : opt.inputs) {
      sizes.push_back(in.size);
      run.plan.push_back({in.path, in.size, in.size});
    }
    run.pieces = PlanShards(sizes, count)[static_cast<size_t>(index - 1)];
    opt.pieces = run.pieces;
    opt.out_dir = out;
    run.pack_source = {false, CATSCAN_SOURCE_PACK_DIR, CATSCAN_SOURCE_PACK_DIR};
    StatusOr<ScanOutcome> outcome = ScanCatalog(opt);
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    StatusOr<std::vector<std::string>> written = WritePartial(std::move(outcome.value()), run);
    ASSERT_TRUE(written.ok()) << written.status().message();
  }

  std::vector<std::string> ScanAll(int count, const std::string& prefix) {
    std::vector<std::string> dirs;
    for (int i = 1; i <= count; ++i) {
      dirs.push_back(dir_.File(prefix + std::to_string(i)));
      ScanShard(i, count, dirs.back(), Options(""));
    }
    return dirs;
  }

  Status MergeError(std::vector<std::string> dirs) {
    MergeOptions m;
    m.partial_dirs = std::move(dirs);
    m.out_dir = dir_.File("refused");
    StatusOr<ScanOutcome> merged = MergePartials(m);
    EXPECT_FALSE(merged.ok());
    EXPECT_FALSE(Exists(dir_.File("refused/violations.jsonl")));
    return merged.status();
  }

  TempDir dir_;
  std::shared_ptr<const CompiledPack> pack_;
  std::vector<InputFile> inputs_;
};

TEST_F(MergeTest, MergedOutputsEqualASingleSweep) {
  StatusOr<SweepResult> single = RunSweep(Options(dir_.File("single")));
  ASSERT_TRUE(single.ok()) << single.status().message();
  ASSERT_GT(single->manifest.counts.violations, 10u);
  ASSERT_GT(single->manifest.counts.records_quarantined, 0u);
  for (int count : {1, 2, 3, 5}) {
    SCOPED_TRACE(std::to_string(count) + " shards");
    std::vector<std::string> dirs = ScanAll(count, "n" + std::to_string(count) + "-");
    std::reverse(dirs.begin(), dirs.end());  // any order on the command line
    MergeOptions m;
    m.partial_dirs = dirs;
    m.out_dir = dir_.File("merged" + std::to_string(count));
    StatusOr<ScanOutcome> merged = MergePartials(m);
    ASSERT_TRUE(merged.ok()) << merged.status().message();
    StatusOr<SweepResult> result = FinishSweep(std::move(merged.value()));
    ASSERT_TRUE(result.ok()) << result.status().message();
    // Every output FinishSweep writes, whatever it writes, but the manifest.
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_.File("single"))) {
      names.push_back(e.path().filename().string());
    }
    for (const auto& e : std::filesystem::directory_iterator(m.out_dir)) {
      EXPECT_TRUE(Exists(dir_.File("single/") + e.path().filename().string())) << e.path();
    }
    ASSERT_GE(names.size(), 4u);
    for (const std::string& name : names) {
      if (name == "manifest.json") continue;
      EXPECT_EQ(OutputBytes(m.out_dir + "/" + name), OutputBytes(dir_.File("single/") + name))
          << name;
    }
    const ManifestInfo &a = single->manifest, &b = result->manifest;
    EXPECT_EQ(b.shards, count);
    EXPECT_EQ(b.counts.records_read, a.counts.records_read);
    EXPECT_EQ(b.counts.by_rule, a.counts.by_rule);
    EXPECT_EQ(b.merchants_scanned, a.merchants_scanned);
    ASSERT_EQ(b.inputs.size(), a.inputs.size());
    for (size_t i = 0; i < a.inputs.size(); ++i) {
      EXPECT_EQ(b.inputs[i].path, a.inputs[i].path);
      EXPECT_EQ(b.inputs[i].bytes, a.inputs[i].bytes);
      EXPECT_EQ(b.inputs[i].decompressed_bytes, a.inputs[i].decompressed_bytes);
      EXPECT_EQ(b.inputs[i].lines, a.inputs[i].lines);
    }
  }
}

TEST_F(MergeTest, RefusesDuplicatedAndMissingShards) {
  const std::vector<std::string> dirs = ScanAll(3, "p");
  Status dup = MergeError({dirs[0], dirs[1], dirs[0]});
  EXPECT_EQ(dup.code(), StatusCode::kInput);
  EXPECT_THAT(dup.message(), HasSubstr(dirs[0] + " and " + dirs[0] + " are both shard 1/3"));
  Status gap = MergeError({dirs[0], dirs[2]});
  EXPECT_EQ(gap.code(), StatusCode::kInput);
  EXPECT_THAT(gap.message(), HasSubstr("missing shard(s) 2/3"));
}

TEST_F(MergeTest, RefusesIncompleteAndForeignDirectories) {
  const std::vector<std::string> dirs = ScanAll(2, "p");
  std::filesystem::create_directories(dir_.File("empty"));
  Status none = MergeError({dirs[0], dir_.File("empty")});
  EXPECT_EQ(none.code(), StatusCode::kInput);
  EXPECT_THAT(none.message(), HasSubstr(dir_.File("empty") + ": not a complete shard partial"));
  ASSERT_TRUE(RunSweep(Options(dir_.File("single"))).ok());
  Status sweep = MergeError({dirs[0], dir_.File("single")});
  EXPECT_THAT(sweep.message(), HasSubstr("holds a finished sweep"));
}

TEST_F(MergeTest, RefusesPartialsOfDifferentSweeps) {
  const std::vector<std::string> dirs = ScanAll(2, "p");
  // Another split of the same inputs.
  ScanShard(2, 3, dir_.File("other-count"), Options(""));
  EXPECT_THAT(MergeError({dirs[0], dir_.File("other-count")}).message(),
              HasSubstr("belong to different splits"));
  // Other options.
  SweepOptions raw = Options("");
  raw.normalize = false;
  ScanShard(2, 2, dir_.File("raw"), raw);
  EXPECT_THAT(MergeError({dirs[0], dir_.File("raw")}).message(),
              HasSubstr("ran with different options"));
  // Other inputs.
  SweepOptions fewer = Options("");
  fewer.inputs.pop_back();
  ScanShard(2, 2, dir_.File("fewer"), fewer);
  Status inputs = MergeError({dirs[0], dir_.File("fewer")});
  EXPECT_EQ(inputs.code(), StatusCode::kInput);
  EXPECT_THAT(inputs.message(), HasSubstr(dirs[0] + " and " + dir_.File("fewer") +
                                          " scanned different inputs"));
  // Another rule pack.
  std::vector<RuleDiagnostic> diags;
  ASSERT_TRUE(WriteFile(dir_.File("patterns.txt"), "加微信\n"));
  StatusOr<RulePack> other = LoadPatternList(dir_.File("patterns.txt"), {}, &diags);
  ASSERT_TRUE(other.ok());
  SweepOptions other_pack = Options("");
  other_pack.pack = CompiledPack::Compile(std::move(other.value()), &diags).value();
  ScanShard(2, 2, dir_.File("other-pack"), other_pack);
  EXPECT_THAT(MergeError({dirs[0], dir_.File("other-pack")}).message(),
              HasSubstr("ran different rule packs"));
}

TEST_F(MergeTest, RefusesADamagedPartialAndAChangedPack) {
  const std::vector<std::string> dirs = ScanAll(2, "p");
  const std::string v = dirs[1] + "/violations.jsonl";
  ASSERT_TRUE(WriteFile(v, ReadFile(v) + "{}\n"));
  Status damaged = MergeError(dirs);
  EXPECT_EQ(damaged.code(), StatusCode::kInput);
  EXPECT_THAT(damaged.message(), HasSubstr(v + ": does not match"));

  const std::vector<std::string> fresh = ScanAll(2, "q");
  ASSERT_TRUE(WriteFile(dir_.File("patterns.txt"), "加微信\n"));
  MergeOptions m;
  m.partial_dirs = fresh;
  m.out_dir = dir_.File("refused");
  m.rules = dir_.File("patterns.txt");  // not the pack the shards ran
  StatusOr<ScanOutcome> merged = MergePartials(m);
  ASSERT_FALSE(merged.ok());
  EXPECT_EQ(merged.status().code(), StatusCode::kRules);
}

}  // namespace
}  // namespace catscan
