// scanner/record/record.h
//
// RecordParser reads one catalog line (a JSON object) into a Record with
// simdjson (DOM API, runtime CPU dispatch). The rules, documented in the README:
//   - the line must be exactly one JSON object (trailing content is an error);
//   - item_id and merchant_id are required, a non-empty string or an integer;
//   - title, detail_html, category, status: string or null (null = absent);
//   - price, original_price, stock, min_order_qty, shipping_fee: a finite,
//     non-negative number or null;
//   - a known key given twice is an error (which value would be right?);
//   - unknown keys are ignored; the text must be valid UTF-8.
// Any violation makes the record unreadable; the error text says which field
// and why, for the quarantine.
//
// A Record's string views point into the parser (or, for integer ids, into
// the Record itself): they live until the next Parse() with the same parser.
// A RecordParser is not thread-safe; the pipeline keeps one per worker.

#ifndef CATSCAN_RECORD_RECORD_H_
#define CATSCAN_RECORD_RECORD_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace catscan {

enum class TextField : uint8_t { kTitle = 0, kDetailHtml = 1 };
constexpr int kNumTextFields = 2;
const char* TextFieldName(TextField f);  // "title", "detail_html"

enum class NumberField : uint8_t {
  kPrice = 0,
  kOriginalPrice,
  kStock,
  kMinOrderQty,
  kShippingFee,
};
constexpr int kNumNumberFields = 5;
const char* NumberFieldName(NumberField f);  // "price", ...
// Parses a field name; returns false if "name" is not a number field.
bool ParseNumberField(std::string_view name, NumberField* out);

struct Record {
  std::string_view item_id;
  std::string_view merchant_id;
  std::array<std::string_view, kNumTextFields> text{};
  std::string_view category;
  std::string_view status;
  std::array<double, kNumNumberFields> number{};
  uint8_t number_present = 0;  // bit i set: number[i] was given

  bool has(NumberField f) const { return number_present & (1u << static_cast<int>(f)); }
  double get(NumberField f) const { return number[static_cast<int>(f)]; }

  // Storage for ids given as integers.
  std::string item_id_storage;
  std::string merchant_id_storage;
};

class RecordParser {
 public:
  explicit RecordParser(size_t max_record_bytes);
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  // Parses "line" (without its newline). "capacity" is the number of readable
  // bytes from line.data(), at least line.size() + kChunkPadding. On success
  // returns an empty string; otherwise the reason the record is unreadable.
  std::string Parse(std::string_view line, size_t capacity, Record* record);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace catscan

#endif  // CATSCAN_RECORD_RECORD_H_
