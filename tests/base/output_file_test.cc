#include "scanner/base/output_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/testing/temp_dir.h"

namespace catscan {
namespace {

using test::Exists;
using test::ReadFile;
using test::TempDir;
using test::WriteFile;

// Names in "dir", sorted.
std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::unique_ptr<OutputFile> MustCreate(const std::string& path) {
  StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(path);
  EXPECT_TRUE(f.ok()) << f.status().message();
  return f.ok() ? std::move(f.value()) : nullptr;
}

TEST(OutputFileTest, NothingUnderTheRealNameBeforePublish) {
  TempDir dir;
  const std::string target = dir.File("out.jsonl");
  std::unique_ptr<OutputFile> f = MustCreate(target);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->path(), target);

  ASSERT_TRUE(f->Append("hello\n").ok());
  EXPECT_FALSE(Exists(target));
  ASSERT_TRUE(f->Append("world\n").ok());
  ASSERT_TRUE(f->Finish().ok());
  EXPECT_FALSE(Exists(target));
  EXPECT_EQ(f->bytes_written(), 12u);

  // The bytes sit in one hidden temporary beside the target.
  const std::vector<std::string> before = ListDir(dir.path());
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0][0], '.') << before[0];
  EXPECT_EQ(ReadFile(dir.File(before[0])), "hello\nworld\n");

  ASSERT_TRUE(f->Publish().ok());
  EXPECT_EQ(ReadFile(target), "hello\nworld\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"out.jsonl"});

  f.reset();  // a published file survives its writer
  EXPECT_EQ(ReadFile(target), "hello\nworld\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"out.jsonl"});
}

TEST(OutputFileTest, PublishReplacesThePreviousFile) {
  TempDir dir;
  const std::string target = dir.File("manifest.json");
  ASSERT_TRUE(WriteFile(target, "old contents that are longer\n"));
  std::unique_ptr<OutputFile> f = MustCreate(target);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->Append("new\n").ok());
  ASSERT_TRUE(f->Finish().ok());
  EXPECT_EQ(ReadFile(target), "old contents that are longer\n");
  ASSERT_TRUE(f->Publish().ok());
  EXPECT_EQ(ReadFile(target), "new\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"manifest.json"});
}

TEST(OutputFileTest, EmptyFileIsPublished) {
  TempDir dir;
  const std::string target = dir.File("quarantine.jsonl");
  std::unique_ptr<OutputFile> f = MustCreate(target);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->Finish().ok());
  ASSERT_TRUE(f->Publish().ok());
  EXPECT_TRUE(Exists(target));
  EXPECT_EQ(ReadFile(target), "");
  EXPECT_EQ(f->bytes_written(), 0u);
}

TEST(OutputFileTest, DestructorWithoutPublishLeavesNothing) {
  TempDir dir;
  const std::string target = dir.File("violations.jsonl");
  {
    std::unique_ptr<OutputFile> f = MustCreate(target);
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(f->Append("abandoned\n").ok());
  }
  EXPECT_TRUE(ListDir(dir.path()).empty());
  {
    std::unique_ptr<OutputFile> f = MustCreate(target);
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(f->Append("finished but not published\n").ok());
    ASSERT_TRUE(f->Finish().ok());
  }
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(OutputFileTest, ExistingTargetSurvivesAnAbandonedWrite) {
  TempDir dir;
  const std::string target = dir.File("merchants.jsonl");
  ASSERT_TRUE(WriteFile(target, "{\"previous\":true}\n"));
  {
    std::unique_ptr<OutputFile> f = MustCreate(target);
    ASSERT_NE(f, nullptr);
    ASSERT_TRUE(f->Append(std::string(3 << 20, 'x')).ok());  // past the buffer: real writes
    ASSERT_TRUE(f->Finish().ok());
  }
  EXPECT_EQ(ReadFile(target), "{\"previous\":true}\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"merchants.jsonl"});
}

TEST(OutputFileTest, LargeAppendsAreWrittenExactly) {
  TempDir dir;
  const std::string target = dir.File("big.jsonl");
  std::string expected;
  std::unique_ptr<OutputFile> f = MustCreate(target);
  ASSERT_NE(f, nullptr);
  for (int i = 0; i < 3000; ++i) {
    const std::string line = "{\"n\":" + std::to_string(i) + ",\"pad\":\"" +
                             std::string(static_cast<size_t>(i % 997), 'p') + "\"}\n";
    expected += line;
    ASSERT_TRUE(f->Append(line).ok());
  }
  ASSERT_TRUE(f->Finish().ok());
  EXPECT_EQ(f->bytes_written(), expected.size());
  ASSERT_TRUE(f->Publish().ok());
  EXPECT_EQ(ReadFile(target), expected);
}

TEST(OutputFileTest, PublishBeforeFinishIsRefused) {
  TempDir dir;
  const std::string target = dir.File("out.jsonl");
  std::unique_ptr<OutputFile> f = MustCreate(target);
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(f->Append("x\n").ok());
  const Status s = f->Publish();
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_FALSE(Exists(target));
}

TEST(OutputFileTest, CreateInMissingDirectoryFails) {
  TempDir dir;
  StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(dir.File("no/such/dir/out.jsonl"));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kOutput);
  EXPECT_NE(f.status().message().find("no/such/dir"), std::string::npos) << f.status().message();
}

TEST(OutputFileTest, CreateUnderARegularFileFails) {
  // Works even as root, where a read-only directory would not stop writes.
  TempDir dir;
  const std::string file = dir.File("plain_file");
  ASSERT_TRUE(WriteFile(file, "not a directory"));
  StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(file + "/x");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kOutput);
  EXPECT_NE(f.status().message().find("plain_file"), std::string::npos) << f.status().message();
  EXPECT_EQ(ReadFile(file), "not a directory");
}

TEST(OutputFileTest, CreateInReadOnlyDirectoryFailsWhenNotRoot) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  TempDir dir;
  const std::string ro = dir.File("ro");
  ASSERT_TRUE(std::filesystem::create_directory(ro));
  std::filesystem::permissions(
      ro, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(ro + "/out.jsonl");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kOutput);
}

// Exit codes of the child below: which check failed.
enum ChildExit {
  kChildOk = 0,
  kCreateFailed = 10,
  kSmallAppendFailed,
  kFinishNotOutputError,
  kStickyErrorMissing,
  kPublishNotRefused,
  kBigAppendNotOutputError,
  kSetrlimitFailed,
};

// In a child process with a 64 KiB file-size limit (SIGXFSZ ignored, so
// write() fails with EFBIG), writes more than the limit in two ways and checks
// the errors. Returns the child's exit code.
int RunOverLimitChild(const std::string& target) {
  signal(SIGXFSZ, SIG_IGN);
  const rlimit limit{64 << 10, 64 << 10};
  if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return kSetrlimitFailed;
  {
    // Below the buffer size: the error shows up in Finish().
    StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(target);
    if (!f.ok()) return kCreateFailed;
    if (!f.value()->Append(std::string(200 << 10, 'a')).ok()) return kSmallAppendFailed;
    const Status finish = f.value()->Finish();
    if (finish.code() != StatusCode::kOutput) return kFinishNotOutputError;
    // The first error sticks.
    if (f.value()->Append("more").code() != StatusCode::kOutput) return kStickyErrorMissing;
    if (f.value()->Publish().ok()) return kPublishNotRefused;
  }
  {
    // Past the buffer size: Append itself writes and fails.
    StatusOr<std::unique_ptr<OutputFile>> f = OutputFile::Create(target);
    if (!f.ok()) return kCreateFailed;
    if (f.value()->Append(std::string(3 << 20, 'b')).code() != StatusCode::kOutput) {
      return kBigAppendNotOutputError;
    }
    if (f.value()->Finish().code() != StatusCode::kOutput) return kFinishNotOutputError;
  }
  return kChildOk;
}

TEST(OutputFileTest, FileSizeLimitFailsWithOutputErrorAndKeepsThePreviousFile) {
  TempDir dir;
  const std::string target = dir.File("violations.jsonl");
  ASSERT_TRUE(WriteFile(target, "previous run\n"));
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) _exit(RunOverLimitChild(target));
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus)) << "child died with signal " << WTERMSIG(wstatus);
  EXPECT_EQ(WEXITSTATUS(wstatus), kChildOk);
  EXPECT_EQ(ReadFile(target), "previous run\n");
  EXPECT_EQ(ListDir(dir.path()), std::vector<std::string>{"violations.jsonl"});
}

TEST(MakeDirectoriesTest, CreatesParentsAndAcceptsExisting) {
  TempDir dir;
  const std::string nested = dir.File("a/b/c");
  ASSERT_TRUE(MakeDirectories(nested).ok());
  EXPECT_TRUE(std::filesystem::is_directory(nested));
  EXPECT_TRUE(MakeDirectories(nested).ok());
}

TEST(MakeDirectoriesTest, FailsUnderARegularFile) {
  TempDir dir;
  const std::string file = dir.File("f");
  ASSERT_TRUE(WriteFile(file, "x"));
  const Status s = MakeDirectories(file + "/sub");
  EXPECT_EQ(s.code(), StatusCode::kOutput);
}

}  // namespace
}  // namespace catscan
