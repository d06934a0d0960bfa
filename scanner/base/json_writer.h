// scanner/base/json_writer.h
//
// JsonWriter appends JSON text to a std::string. It is the one place that
// escapes strings, so every output line is valid JSON and valid UTF-8: bytes
// that are not valid UTF-8 become U+FFFD, control characters are escaped.
// Numbers are written in the shortest form that reads back to the same double,
// so outputs are byte-identical from run to run.
//
// A JsonWriter is a cheap stack object; it is not thread-safe (one per thread).

#ifndef CATSCAN_BASE_JSON_WRITER_H_
#define CATSCAN_BASE_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace catscan {

// Appends s as a quoted JSON string.
void AppendJsonString(std::string* out, std::string_view s);

// Appends v in the shortest round-trip form; non-finite values become null.
void AppendJsonNumber(std::string* out, double v);

// True when s is entirely valid UTF-8.
bool IsValidUtf8(std::string_view s);

// Longest prefix of s no longer than max_bytes that does not split a UTF-8
// sequence.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();

 private:
  void Separate();

  std::string* out_;
  // One entry per open container: true once it holds an element.
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

}  // namespace catscan

#endif  // CATSCAN_BASE_JSON_WRITER_H_
