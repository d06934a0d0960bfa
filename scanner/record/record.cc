#include "scanner/record/record.h"

#include <simdjson.h>

#include <cmath>

#include "scanner/source/chunker.h"

namespace catscan {

static_assert(simdjson::SIMDJSON_PADDING <= kChunkPadding, "chunks must carry simdjson's padding");

namespace {

using simdjson::error_code;
namespace dom = simdjson::dom;
using ElementType = simdjson::dom::element_type;

constexpr const char* kNumberNames[kNumNumberFields] = {"price", "original_price", "stock",
                                                         "min_order_qty", "shipping_fee"};

// Keys the parser knows, as bits for duplicate detection.
enum KeyBit : uint32_t {
  kItemId = 1u << 0,
  kMerchantId = 1u << 1,
  kTitle = 1u << 2,
  kDetail = 1u << 3,
  kCategory = 1u << 4,
  kStatus = 1u << 5,
  kNumber0 = 1u << 6,  // + NumberField index
};

const char* TypeName(ElementType t) {
  switch (t) {
    case ElementType::ARRAY: return "an array";
    case ElementType::OBJECT: return "an object";
    case ElementType::INT64:
    case ElementType::UINT64:
    case ElementType::DOUBLE: return "a number";
    case ElementType::STRING: return "a string";
    case ElementType::BOOL: return "a boolean";
    case ElementType::NULL_VALUE: return "null";
  }
  return "an unknown type";
}

// Reads a required id: a non-empty string or an integer.
std::string ReadId(dom::element v, std::string_view key, std::string_view* out,
                   std::string* storage) {
  switch (v.type()) {
    case ElementType::STRING:
      *out = v.get_string().value_unsafe();
      if (out->empty()) return std::string(key) + " is an empty string";
      return "";
    case ElementType::INT64:
      *storage = std::to_string(v.get_int64().value_unsafe());
      *out = *storage;
      return "";
    case ElementType::UINT64:
      *storage = std::to_string(v.get_uint64().value_unsafe());
      *out = *storage;
      return "";
    case ElementType::DOUBLE:
      return std::string(key) + " must be a string or an integer, got a non-integer number";
    case ElementType::NULL_VALUE:
      return std::string(key) + " is null";
    default:
      return std::string(key) + " must be a string or an integer, got " + TypeName(v.type());
  }
}

std::string ReadText(dom::element v, std::string_view key, std::string_view* out) {
  if (v.type() == ElementType::NULL_VALUE) return "";
  if (v.type() != ElementType::STRING) {
    return std::string(key) + " must be a string, got " + TypeName(v.type());
  }
  *out = v.get_string().value_unsafe();
  return "";
}

std::string ReadNumber(dom::element v, int index, Record* r) {
  const char* key = kNumberNames[index];
  double d;
  switch (v.type()) {
    case ElementType::NULL_VALUE: return "";
    case ElementType::INT64: d = static_cast<double>(v.get_int64().value_unsafe()); break;
    case ElementType::UINT64: d = static_cast<double>(v.get_uint64().value_unsafe()); break;
    case ElementType::DOUBLE: d = v.get_double().value_unsafe(); break;
    default: return std::string(key) + " must be a number, got " + TypeName(v.type());
  }
  if (!std::isfinite(d)) return std::string(key) + " is out of range";
  if (d < 0) return std::string(key) + " is negative (" + std::to_string(d) + ")";
  r->number[index] = d;
  r->number_present |= static_cast<uint8_t>(1u << index);
  return "";
}

}  // namespace

const char* TextFieldName(TextField f) { return f == TextField::kTitle ? "title" : "detail_html"; }

const char* NumberFieldName(NumberField f) { return kNumberNames[static_cast<int>(f)]; }

bool ParseNumberField(std::string_view name, NumberField* out) {
  for (int i = 0; i < kNumNumberFields; ++i) {
    if (name == kNumberNames[i]) {
      *out = static_cast<NumberField>(i);
      return true;
    }
  }
  return false;
}

struct RecordParser::Impl {
  explicit Impl(size_t max_bytes) : parser(max_bytes) {}
  // The DOM API, not On-Demand: in simdjson 3.0 On-Demand is compiled only for
  // the build's baseline CPU (no AVX2 without -march), while the DOM parser
  // picks the best kernel (haswell, westmere, ...) at run time.
  dom::parser parser;
};

RecordParser::RecordParser(size_t max_record_bytes) : impl_(new Impl(max_record_bytes)) {}
RecordParser::~RecordParser() = default;

std::string RecordParser::Parse(std::string_view line, size_t capacity, Record* r) {
  r->item_id = {};
  r->merchant_id = {};
  r->text = {};
  r->category = {};
  r->status = {};
  r->number_present = 0;

  dom::element doc;
  // realloc_if_needed=false: the chunk already carries the padding.
  const bool padded = capacity >= line.size() + simdjson::SIMDJSON_PADDING;
  if (error_code e = impl_->parser.parse(line.data(), line.size(), !padded).get(doc)) {
    if (e == simdjson::NUMBER_ERROR) {
      return "not JSON, or a number catscan cannot read (integers must fit in 64-bit, reals in a "
             "finite double): " + std::string(simdjson::error_message(e));
    }
    return std::string("not JSON: ") + simdjson::error_message(e);
  }
  if (doc.type() != ElementType::OBJECT) {
    return std::string("not a JSON object: got ") + TypeName(doc.type());
  }
  dom::object object;
  if (error_code e = doc.get_object().get(object)) {
    return std::string("not a JSON object: ") + simdjson::error_message(e);
  }
  uint32_t seen = 0;
  for (dom::key_value_pair field : object) {
    const std::string_view key = field.key;
    uint32_t bit = 0;
    std::string err;
    if (key == "item_id") {
      bit = kItemId;
      err = ReadId(field.value, key, &r->item_id, &r->item_id_storage);
    } else if (key == "merchant_id") {
      bit = kMerchantId;
      err = ReadId(field.value, key, &r->merchant_id, &r->merchant_id_storage);
    } else if (key == "title") {
      bit = kTitle;
      err = ReadText(field.value, key, &r->text[0]);
    } else if (key == "detail_html") {
      bit = kDetail;
      err = ReadText(field.value, key, &r->text[1]);
    } else if (key == "category") {
      bit = kCategory;
      err = ReadText(field.value, key, &r->category);
    } else if (key == "status") {
      bit = kStatus;
      err = ReadText(field.value, key, &r->status);
    } else {
      NumberField nf;
      if (ParseNumberField(key, &nf)) {
        bit = kNumber0 << static_cast<int>(nf);
        err = ReadNumber(field.value, static_cast<int>(nf), r);
      }
      // Unknown keys are ignored.
    }
    if (bit != 0) {
      if (seen & bit) return "duplicate key \"" + std::string(key) + "\"";
      seen |= bit;
    }
    if (!err.empty()) return err;
  }
  if (!(seen & kItemId)) return "missing required field item_id";
  if (!(seen & kMerchantId)) return "missing required field merchant_id";
  return "";
}

}  // namespace catscan
