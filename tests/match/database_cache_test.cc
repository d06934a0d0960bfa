#include "scanner/match/database_cache.h"

#include <gtest/gtest.h>
#include <hs.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "scanner/base/sha256.h"
#include "scanner/match/pattern_set.h"
#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

namespace fs = std::filesystem;

std::vector<PatternSpec> Specs() {
  std::vector<PatternSpec> specs(3);
  specs[0].expression = "免费送";
  specs[1].expression = "加 *(微信|vx)";
  specs[2].expression = "qq *[0-9]{5,}";
  specs[2].caseless = true;
  return specs;
}

std::shared_ptr<const PatternSet> Build(const DatabaseCache* cache,
                                        const std::vector<PatternSpec>& specs = Specs()) {
  std::vector<PatternError> errors;
  StatusOr<std::shared_ptr<const PatternSet>> set = PatternSet::Compile(specs, &errors, cache);
  EXPECT_TRUE(set.ok()) << set.status().message();
  return set.ok() ? set.value() : nullptr;
}

// The hits of a fixed text, so a set loaded from the cache is shown to match
// exactly like a freshly compiled one.
std::vector<PatternHit> Hits(const PatternSet& set) {
  std::unique_ptr<PatternSet::Scratch> scratch = std::move(set.NewScratch().value());
  std::vector<PatternHit> hits;
  EXPECT_TRUE(set.FindAll("今天免费送，加vx，QQ 123456", ~0u, scratch.get(), &hits).ok());
  return hits;
}

std::vector<std::string> CacheFiles(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(DatabaseCacheTest, MissCompilesAndStoresThenHitLoads) {
  test::TempDir tmp;
  const DatabaseCache cache(tmp.File("cache"));
  std::shared_ptr<const PatternSet> first = Build(&cache);
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->build_info().from_cache);
  EXPECT_EQ(first->build_info().cache_error, "");
  // One file per database (fast and start-of-match), no temporaries left.
  const std::vector<std::string> files = CacheFiles(cache.dir());
  ASSERT_EQ(files.size(), 2u);
  for (const std::string& f : files) EXPECT_EQ(fs::path(f).extension(), ".hsdb") << f;

  std::shared_ptr<const PatternSet> second = Build(&cache);
  ASSERT_NE(second, nullptr);
  EXPECT_TRUE(second->build_info().from_cache);
  EXPECT_EQ(second->build_info().database_bytes, first->build_info().database_bytes);
  const std::vector<PatternHit> expected = {{0, 6, 15}, {1, 18, 23}, {2, 26, 35}};
  EXPECT_EQ(Hits(*first), expected);
  EXPECT_EQ(Hits(*second), expected);
}

TEST(DatabaseCacheTest, ChangedPatternsAreAnotherKey) {
  test::TempDir tmp;
  const DatabaseCache cache(tmp.File("cache"));
  ASSERT_NE(Build(&cache), nullptr);
  std::vector<PatternSpec> changed = Specs();
  changed[2].caseless = false;  // same expressions, other flags
  std::shared_ptr<const PatternSet> set = Build(&cache, changed);
  ASSERT_NE(set, nullptr);
  EXPECT_FALSE(set->build_info().from_cache);
  EXPECT_EQ(CacheFiles(cache.dir()).size(), 4u);
  // The caseless pattern no longer matches "QQ".
  EXPECT_EQ(Hits(*set).size(), 2u);
}

TEST(DatabaseCacheTest, KeyDependsOnEveryInput) {
  const std::string base = DatabaseKey({"ab", "c"}, {1, 2}, {0, 1}, HS_MODE_BLOCK);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, DatabaseKey({"ab", "c"}, {1, 2}, {0, 1}, HS_MODE_BLOCK));
  EXPECT_NE(base, DatabaseKey({"a", "bc"}, {1, 2}, {0, 1}, HS_MODE_BLOCK));
  EXPECT_NE(base, DatabaseKey({"ab", "c"}, {1, 3}, {0, 1}, HS_MODE_BLOCK));
  EXPECT_NE(base, DatabaseKey({"ab", "c"}, {1, 2}, {1, 0}, HS_MODE_BLOCK));
  EXPECT_NE(base, DatabaseKey({"ab", "c"}, {1, 2}, {0, 1}, HS_MODE_STREAM));
}

// Damages every cache file with "damage", then checks that the next Compile
// rejects them (the reason says why), compiles, matches correctly and
// rewrites valid files.
void ExpectRebuiltAfter(void (*damage)(const std::string& path), const std::string& reason) {
  test::TempDir tmp;
  const DatabaseCache cache(tmp.File("cache"));
  ASSERT_NE(Build(&cache), nullptr);
  std::vector<std::string> keys;
  for (const std::string& f : CacheFiles(cache.dir())) {
    keys.push_back(fs::path(f).stem().string());
    damage(cache.PathFor(keys.back()));
  }
  for (const std::string& key : keys) {
    std::string why;
    EXPECT_EQ(cache.Load(key, &why), nullptr);
    EXPECT_EQ(why, reason);
  }
  std::shared_ptr<const PatternSet> set = Build(&cache);
  ASSERT_NE(set, nullptr);
  EXPECT_FALSE(set->build_info().from_cache);
  EXPECT_EQ(Hits(*set).size(), 3u);
  for (const std::string& key : keys) {
    std::string why;
    hs_database_t* db = cache.Load(key, &why);
    EXPECT_NE(db, nullptr) << why;
    hs_free_database(db);
  }
  EXPECT_TRUE(Build(&cache)->build_info().from_cache);
}

TEST(DatabaseCacheTest, FlippedPayloadByteIsRejected) {
  ExpectRebuiltAfter(
      [](const std::string& path) {
        std::string bytes = Slurp(path);
        bytes[bytes.size() - 100] ^= 0x5a;
        ASSERT_TRUE(test::WriteFile(path, bytes));
      },
      "checksum mismatch");
}

TEST(DatabaseCacheTest, TruncatedFileIsRejected) {
  ExpectRebuiltAfter(
      [](const std::string& path) { fs::resize_file(path, fs::file_size(path) - 1); },
      "truncated or padded cache file");
}

TEST(DatabaseCacheTest, TruncatedHeaderIsRejected) {
  ExpectRebuiltAfter([](const std::string& path) { fs::resize_file(path, 20); },
                     "not a catscan database cache file (or truncated header)");
}

TEST(DatabaseCacheTest, GarbageIsRejected) {
  ExpectRebuiltAfter(
      [](const std::string& path) { ASSERT_TRUE(test::WriteFile(path, std::string(4096, 'x'))); },
      "not a catscan database cache file (or truncated header)");
}

// A file stored for one key found under another name (a stale or copied file)
// must not be used, even though it is intact.
TEST(DatabaseCacheTest, FileOfAnotherKeyIsRejected) {
  test::TempDir tmp;
  const DatabaseCache cache(tmp.File("cache"));
  ASSERT_NE(Build(&cache), nullptr);
  const std::vector<std::string> files = CacheFiles(cache.dir());
  ASSERT_EQ(files.size(), 2u);
  const std::string other_key(64, 'a');
  fs::copy_file(fs::path(cache.dir()) / files[0], cache.PathFor(other_key));
  std::string why;
  EXPECT_EQ(cache.Load(other_key, &why), nullptr);
  EXPECT_EQ(why, "the file was stored for another key");
}

// A valid header and checksum around bytes Hyperscan cannot read: the last
// line of defence is hs_deserialize_database's own check.
TEST(DatabaseCacheTest, PayloadHyperscanRefusesIsRejected) {
  test::TempDir tmp;
  const DatabaseCache cache(tmp.File("cache"));
  const std::string key(64, 'b');
  const std::string payload(512, '\x01');
  Sha256 sha;
  sha.Update(payload);
  char len_hex[17];
  std::snprintf(len_hex, sizeof(len_hex), "%016zx", payload.size());
  ASSERT_TRUE(fs::create_directories(cache.dir()));
  ASSERT_TRUE(test::WriteFile(cache.PathFor(key),
                              "catscan-hsdb-1\n" + key + len_hex + sha.HexDigest() + payload));
  std::string why;
  EXPECT_EQ(cache.Load(key, &why), nullptr);
  EXPECT_EQ(why.rfind("Hyperscan cannot load it (error ", 0), 0u) << why;
}

TEST(DatabaseCacheTest, UnwritableDirectoryFallsBackToCompiling) {
  test::TempDir tmp;
  ASSERT_TRUE(test::WriteFile(tmp.File("file"), "not a directory"));
  const DatabaseCache cache(tmp.File("file") + "/cache");
  std::shared_ptr<const PatternSet> set = Build(&cache);
  ASSERT_NE(set, nullptr);
  EXPECT_FALSE(set->build_info().from_cache);
  EXPECT_NE(set->build_info().cache_error.find("cannot create"), std::string::npos)
      << set->build_info().cache_error;
  EXPECT_EQ(Hits(*set).size(), 3u);
}

TEST(DatabaseCacheTest, DefaultDirFollowsXdgThenHome) {
  const char* old_xdg = std::getenv("XDG_CACHE_HOME");
  const char* old_home = std::getenv("HOME");
  const std::string saved_xdg = old_xdg ? old_xdg : "", saved_home = old_home ? old_home : "";
  setenv("XDG_CACHE_HOME", "/x/cache", 1);
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DatabaseCache::DefaultDir(), "/x/cache/catscan");
  unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(DatabaseCache::DefaultDir(), "/home/u/.cache/catscan");
  if (old_xdg) setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
  if (old_home) setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace catscan
