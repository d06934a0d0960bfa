// scanner/base/csv_writer.h
//
// CSV for spreadsheets (RFC 4180): fields separated by commas, rows ended by
// CRLF, and a field quoted when it holds a comma, a quote, CR or LF (quotes
// doubled inside), or starts or ends with a space. Files start with a UTF-8
// BOM (kCsvBom) so Excel reads the Chinese as UTF-8. Bytes that are not
// valid UTF-8 become U+FFFD, as in the JSON outputs.
//
// A field that starts with = + - @ (or a tab/CR) would be run as a formula by
// a spreadsheet; such a field is prefixed with a single quote, OWASP's advice
// against CSV injection, since merchant text is hostile.
//
// Pure functions; thread-safe.

#ifndef CATSCAN_BASE_CSV_WRITER_H_
#define CATSCAN_BASE_CSV_WRITER_H_

#include <initializer_list>
#include <string>
#include <string_view>

namespace catscan {

constexpr std::string_view kCsvBom = "\xEF\xBB\xBF";

// Appends one field (without a separator).
void AppendCsvField(std::string* out, std::string_view field);

// Appends a whole row: the fields joined by commas, then CRLF.
void AppendCsvRow(std::string* out, std::initializer_list<std::string_view> fields);

}  // namespace catscan

#endif  // CATSCAN_BASE_CSV_WRITER_H_
