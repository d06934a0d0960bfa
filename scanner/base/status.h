// scanner/base/status.h
//
// Status is how every stage reports failure: a code and a message that names
// the culprit (file, line, rule id). Stages never throw across their
// boundaries; they return a Status or a StatusOr<T>. The code decides the
// process exit status (see ExitCodeFor), the message is shown to a person.
//
// Status and StatusOr are plain values: copy them, return them, keep them.

#ifndef CATSCAN_BASE_STATUS_H_
#define CATSCAN_BASE_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace catscan {

enum class StatusCode {
  kOk = 0,
  kUsage,      // bad command line
  kInput,      // an input cannot be read: missing file, corrupt zstd, I/O error
  kRules,      // the rule pack is invalid or does not compile
  kOutput,     // an output cannot be written: permissions, disk full
  kCancelled,  // SIGINT/SIGTERM
  kInternal,   // a bug or an engine failure
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status UsageError(std::string m) { return {StatusCode::kUsage, std::move(m)}; }
inline Status InputError(std::string m) { return {StatusCode::kInput, std::move(m)}; }
inline Status RulesError(std::string m) { return {StatusCode::kRules, std::move(m)}; }
inline Status OutputError(std::string m) { return {StatusCode::kOutput, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// The documented process exit status for a code:
// 0 ok, 2 usage, 3 input, 4 rules, 5 output, 1 internal, 130 cancelled.
int ExitCodeFor(StatusCode code);

// A value or the Status that explains why there is none.
template <typename T>
class StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  StatusOr(T value) : value_(std::move(value)) {}          // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace catscan

#endif  // CATSCAN_BASE_STATUS_H_
