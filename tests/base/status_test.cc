#include "scanner/base/status.h"

#include <gtest/gtest.h>

#include <string>

namespace catscan {
namespace {

TEST(StatusTest, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_TRUE(Status::OK().ok());
}

TEST(StatusTest, HelpersSetTheCode) {
  EXPECT_EQ(UsageError("u").code(), StatusCode::kUsage);
  EXPECT_EQ(InputError("i").code(), StatusCode::kInput);
  EXPECT_EQ(RulesError("r").code(), StatusCode::kRules);
  EXPECT_EQ(OutputError("o").code(), StatusCode::kOutput);
  EXPECT_EQ(InternalError("x").code(), StatusCode::kInternal);
  EXPECT_EQ(InputError("file.jsonl: truncated").message(), "file.jsonl: truncated");
  EXPECT_FALSE(InputError("i").ok());
}

TEST(StatusTest, ExitCodes) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(StatusCode::kUsage), 2);
  EXPECT_EQ(ExitCodeFor(StatusCode::kInput), 3);
  EXPECT_EQ(ExitCodeFor(StatusCode::kRules), 4);
  EXPECT_EQ(ExitCodeFor(StatusCode::kOutput), 5);
  EXPECT_EQ(ExitCodeFor(StatusCode::kCancelled), 130);
}

TEST(StatusOrTest, HoldsAValueOrAStatus) {
  StatusOr<std::string> v(std::string("value"));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.value(), "value");
  EXPECT_EQ(v->size(), 5u);

  StatusOr<std::string> e(InputError("missing"));
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInput);
  EXPECT_EQ(e.status().message(), "missing");
}

}  // namespace
}  // namespace catscan
