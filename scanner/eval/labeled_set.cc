#include "scanner/eval/labeled_set.h"

#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "scanner/source/byte_source.h"

namespace catscan {
namespace dom = simdjson::dom;

namespace {

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\v\f") == std::string_view::npos;
}

// The ids a sweep writes: a string as is, an integer as its digits.
std::string ReadId(dom::element e, std::string* out) {
  std::string_view s;
  if (!e.get_string().get(s)) {
    if (s.empty()) return "item_id is empty";
    *out = std::string(s);
    return "";
  }
  int64_t i;
  if (!e.get_int64().get(i)) {
    *out = std::to_string(i);
    return "";
  }
  uint64_t u;
  if (!e.get_uint64().get(u)) {
    *out = std::to_string(u);
    return "";
  }
  return "item_id must be a string or an integer";
}

}  // namespace

std::string ParseLabeledLine(std::string_view line, LabeledRecord* out) {
  // One parser per call keeps this free function thread-safe; labeled sets
  // are small.
  dom::parser parser;
  dom::element doc;
  if (auto e = parser.parse(line.data(), line.size(), true).get(doc)) {
    return std::string("not JSON: ") + simdjson::error_message(e);
  }
  dom::object object;
  if (doc.get_object().get(object)) return "not a JSON object";
  bool have_id = false, have_labels = false;
  out->title.clear();
  out->labels.clear();
  for (dom::key_value_pair field : object) {
    if (field.key == "item_id") {
      std::string err = ReadId(field.value, &out->item_id);
      if (!err.empty()) return err;
      have_id = true;
    } else if (field.key == "title") {
      std::string_view s;
      if (!field.value.get_string().get(s)) out->title = std::string(s);
    } else if (field.key == "labels") {
      dom::array array;
      if (field.value.get_array().get(array)) return "labels must be an array of category names";
      for (dom::element label : array) {
        std::string_view s;
        if (label.get_string().get(s) || s.empty()) {
          return "labels must be an array of non-empty category names";
        }
        out->labels.emplace_back(s);
      }
      have_labels = true;
    }
  }
  if (!have_id) return "missing item_id";
  if (!have_labels) return "missing labels (use [] for a clean listing)";
  std::sort(out->labels.begin(), out->labels.end());
  out->labels.erase(std::unique(out->labels.begin(), out->labels.end()), out->labels.end());
  return "";
}

StatusOr<LabeledSet> LoadLabeledSet(const std::vector<InputFile>& inputs) {
  LabeledSet set;
  std::unordered_map<std::string, size_t> seen;  // item_id -> index in set.records
  for (const InputFile& input : inputs) {
    if (input.is_stdin) {
      return UsageError("a labeled set cannot be read from standard input: give a file");
    }
    StatusOr<std::unique_ptr<ByteSource>> source = ByteSource::Open(input);
    if (!source.ok()) return source.status();
    std::string text;
    std::string buf(1 << 16, '\0');
    for (;;) {
      StatusOr<size_t> n = source.value()->Read(buf.data(), buf.size());
      if (!n.ok()) return n.status();
      if (n.value() == 0) break;
      text.append(buf.data(), n.value());
    }
    uint64_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
      if (IsBlank(line)) continue;
      LabeledRecord r;
      const std::string err = ParseLabeledLine(line, &r);
      const std::string where = input.path + ":" + std::to_string(line_no) + ": ";
      if (!err.empty()) return InputError(where + err);
      auto [it, inserted] = seen.emplace(r.item_id, set.records.size());
      if (!inserted) {
        const LabeledRecord& first = set.records[it->second];
        return InputError(where + "item_id " + r.item_id + " was already used at " + first.file +
                          ":" + std::to_string(first.line));
      }
      r.file = input.path;
      r.line = line_no;
      set.records.push_back(std::move(r));
    }
  }
  return set;
}

}  // namespace catscan
