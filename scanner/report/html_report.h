// scanner/report/html_report.h
//
// report.html: one self-contained page (inline CSS, JS and SVG; no network)
// that a trust & safety lead reads each morning: the totals, the merchant
// ladder's actions, findings by clause and by rule, how they are spread over
// merchants and severities, the top merchants, every flagged listing with its
// evidence (the matched text marked in its context), and with --history the
// trend over past sweeps and what is new since the last one.
//
// The flagged listings are embedded as JSON (<script type="application/json">,
// takedowns.jsonl's objects, at most max_listings of them, with a note when
// capped) and rendered a page at a time by the inline script, so the page
// stays usable with 100,000 listings. The table state lives in the URL
// fragment (#q=M12&sev=serious&page=2), so a filtered view can be linked.
//
// Merchant text is hostile: everything is escaped for HTML in the static part,
// every '<', '>' and '&' is escaped inside the embedded JSON, and the script
// builds rows with textContent only. The page writes data-report-status="ok"
// on <body> once rendered, or data-report-error="..." on a script error.
//
// WriteHtmlReport only appends to "out"; the caller finishes and publishes.

#ifndef CATSCAN_REPORT_HTML_REPORT_H_
#define CATSCAN_REPORT_HTML_REPORT_H_

#include <string>
#include <string_view>

#include "scanner/base/output_file.h"
#include "scanner/base/status.h"
#include "scanner/history/sweep_recorder.h"
#include "scanner/report/sweep_outputs.h"
#include "scanner/verdict/takedowns.h"

namespace catscan {

struct ReportInput {
  const ManifestInfo* manifest = nullptr;  // counts, inputs, pack (finished_at unset)
  const Policy* policy = nullptr;
  const VerdictTotals* verdicts = nullptr;
  std::string takedowns_path;              // finished takedowns.jsonl, embedded
  const HistoryView* history = nullptr;    // null without --history
  size_t max_listings = 200000;
  std::string generated_at;                // ISO 8601 UTC
};

Status WriteHtmlReport(const ReportInput& input, OutputFile* out);

// Exposed for tests.
void AppendHtmlEscaped(std::string* out, std::string_view text);
// Escapes '<', '>' and '&' in JSON text as \u003c, \u003e, \u0026 so it can
// sit inside a <script> element (they only occur inside JSON strings).
void AppendScriptSafeJson(std::string* out, std::string_view json);

// The page's stylesheet and script (html_assets.cc).
extern const char kReportCss[];
extern const char kReportJs[];

}  // namespace catscan

#endif  // CATSCAN_REPORT_HTML_REPORT_H_
