#include "scanner/source/inputs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::TempDir;
using test::WriteFile;
using ::testing::HasSubstr;

TEST(IsCatalogFileNameTest, AcceptsCatalogExtensions) {
  for (const char* name : {"a.jsonl", "a.ndjson", "a.json", "a.jsonl.zst", "a.jsonl.zstd",
                           "a.ndjson.zst", "a.json.zstd", "2026-11-23.part-001.jsonl.zst"}) {
    EXPECT_TRUE(IsCatalogFileName(name)) << name;
  }
}

TEST(IsCatalogFileNameTest, RejectsOtherNames) {
  for (const char* name : {"", ".hidden.jsonl", ".jsonl", "a.txt", "a.zst", "a.jsonl.gz",
                           "a.jsonl.bak", "README.md", "a.yaml", "jsonl"}) {
    EXPECT_FALSE(IsCatalogFileName(name)) << name;
  }
}

class ResolveInputsTest : public ::testing::Test {
 protected:
  void Touch(const std::string& name, const std::string& bytes) {
    ASSERT_TRUE(WriteFile(dir_.File(name), bytes));
  }
  TempDir dir_;
};

TEST_F(ResolveInputsTest, DirectoryExpandsToCatalogFilesSortedByName) {
  Touch("b.jsonl", "bb");
  Touch("a.jsonl.zst", "a");
  Touch("c.ndjson", "ccc");
  Touch("d.json", "dddd");
  Touch("e.json.zstd", "eeeee");
  Touch("B.jsonl", "B");  // bytes order: uppercase first
  Touch(".hidden.jsonl", "hidden");
  Touch("notes.txt", "not a catalog");
  Touch("archive.jsonl.gz", "not a catalog either");
  ASSERT_TRUE(std::filesystem::create_directory(dir_.File("sub.jsonl")));  // a directory
  Touch("sub.jsonl/inner.jsonl", "not expanded recursively");

  StatusOr<std::vector<InputFile>> r = ResolveInputs({dir_.path()});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::vector<InputFile>& in = r.value();
  ASSERT_EQ(in.size(), 6u);
  const std::vector<std::pair<std::string, uint64_t>> expected = {
      {"B.jsonl", 1},  {"a.jsonl.zst", 1}, {"b.jsonl", 2},
      {"c.ndjson", 3}, {"d.json", 4},      {"e.json.zstd", 5}};
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(in[i].path, dir_.File(expected[i].first)) << i;
    EXPECT_EQ(in[i].size, expected[i].second) << i;
    EXPECT_FALSE(in[i].is_stdin) << i;
  }
}

TEST_F(ResolveInputsTest, FilesKeepTheirOrderAndAnyName) {
  Touch("z.jsonl", "12345");
  const std::string txt = "given explicitly, so taken whatever its name";
  Touch("catalog.txt", txt);
  StatusOr<std::vector<InputFile>> r =
      ResolveInputs({dir_.File("z.jsonl"), "-", dir_.File("catalog.txt")});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ(r.value()[0].path, dir_.File("z.jsonl"));
  EXPECT_EQ(r.value()[0].size, 5u);
  EXPECT_FALSE(r.value()[0].is_stdin);
  EXPECT_EQ(r.value()[1].path, "-");
  EXPECT_EQ(r.value()[1].size, 0u);
  EXPECT_TRUE(r.value()[1].is_stdin);
  EXPECT_EQ(r.value()[2].path, dir_.File("catalog.txt"));
  EXPECT_EQ(r.value()[2].size, txt.size());
}

TEST_F(ResolveInputsTest, DashIsStdin) {
  StatusOr<std::vector<InputFile>> r = ResolveInputs({"-"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r.value()[0].path, "-");
  EXPECT_TRUE(r.value()[0].is_stdin);
  EXPECT_EQ(r.value()[0].size, 0u);
}

TEST_F(ResolveInputsTest, DashTwiceIsRejected) {
  StatusOr<std::vector<InputFile>> r = ResolveInputs({"-", "-"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr("-"));
}

TEST_F(ResolveInputsTest, MissingPathIsNamed) {
  Touch("a.jsonl", "x");
  const std::string missing = dir_.File("missing.jsonl");
  StatusOr<std::vector<InputFile>> r = ResolveInputs({dir_.File("a.jsonl"), missing});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr(missing));
}

TEST_F(ResolveInputsTest, DirectoryWithoutCatalogFilesIsAnError) {
  Touch("notes.txt", "x");
  Touch(".hidden.jsonl", "x");
  StatusOr<std::vector<InputFile>> r = ResolveInputs({dir_.path()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr(dir_.path()));
}

TEST_F(ResolveInputsTest, NoArgumentsIsAUsageError) {
  StatusOr<std::vector<InputFile>> r = ResolveInputs({});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUsage);
}

TEST_F(ResolveInputsTest, UnreadableFileIsAnErrorWhenNotRoot) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  Touch("secret.jsonl", "x");
  std::filesystem::permissions(dir_.File("secret.jsonl"), std::filesystem::perms::none);
  StatusOr<std::vector<InputFile>> r = ResolveInputs({dir_.File("secret.jsonl")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInput);
  EXPECT_THAT(r.status().message(), HasSubstr("secret.jsonl"));
}

}  // namespace
}  // namespace catscan
