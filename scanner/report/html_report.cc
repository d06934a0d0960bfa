#include "scanner/report/html_report.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>

#include "scanner/base/escape_runs.h"
#include "scanner/base/json_writer.h"

namespace catscan {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kFlushBytes = 1 << 20;
constexpr size_t kTopMerchants = 10;
const char* const kSeverityColors[4] = {"#64748b", "#d97706", "#dc2626", "#7e22ce"};

std::string Esc(std::string_view s) {
  std::string out;
  AppendHtmlEscaped(&out, s);
  return out;
}

// A URL-fragment value: unreserved ASCII kept, every other byte %XX.
std::string Fragment(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// 1234567 -> "1,234,567".
std::string Count(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Pct(double part, double whole, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, whole > 0 ? 100.0 * part / whole : 0.0);
  return buf;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string SeverityBadge(Severity s) {
  return std::string("<span class=\"sev sev-") + SeverityName(s) + "\">" + SeverityName(s) +
         " <span class=\"zh\">" + SeverityChinese(s) + "</span></span>";
}

std::string ActionBadge(Action a) {
  return std::string("<span class=\"act act-") + ActionId(a) + "\">" + ActionId(a) +
         " <span class=\"zh\">" + ActionChinese(a) + "</span></span>";
}

// A horizontal bar chart: one labelled bar per (label, value, color).
struct Bar {
  std::string label;
  uint64_t value;
  std::string color;
};

std::string HorizontalBars(const std::vector<Bar>& bars, const std::string& title,
                           const std::string& unit) {
  const int row = 30, label_w = 210, bar_w = 330, width = label_w + bar_w + 90;
  const int height = static_cast<int>(bars.size()) * row + 10;
  uint64_t max = 1;
  for (const Bar& b : bars) max = std::max(max, b.value);
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"" + Esc(title) +
                    "\"><title>" + Esc(title) + "</title>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const int y = static_cast<int>(i) * row + 5;
    const double w = std::max(2.0, static_cast<double>(b.value) / max * bar_w);
    svg += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 18) +
           "\" text-anchor=\"end\" class=\"lbl\">" + Esc(b.label) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 4) +
           "\" width=\"" + Num(w) + "\" height=\"20\" rx=\"3\" fill=\"" + b.color + "\"><title>" +
           Esc(b.label) + ": " + Count(b.value) + " " + Esc(unit) + "</title></rect>";
    svg += "<text x=\"" + Num(label_w + w + 6) + "\" y=\"" + std::to_string(y + 18) +
           "\" class=\"val\">" + Count(b.value) + "</text>";
  }
  return svg + "</svg>";
}

// Vertical bars with labels under them (the spread over merchants, the trend).
std::string VerticalBars(const std::vector<Bar>& bars, const std::string& title,
                         const std::string& unit) {
  const int width = 640, height = 220, base = 180, top = 20, left = 10;
  const double slot = static_cast<double>(width - 2 * left) / std::max<size_t>(1, bars.size());
  uint64_t max = 1;
  for (const Bar& b : bars) max = std::max(max, b.value);
  std::string svg = "<svg class=\"chart\" viewBox=\"0 0 " + std::to_string(width) + " " +
                    std::to_string(height) + "\" role=\"img\" aria-label=\"" + Esc(title) +
                    "\"><title>" + Esc(title) + "</title>";
  svg += "<line x1=\"0\" x2=\"" + std::to_string(width) + "\" y1=\"" + std::to_string(base) +
         "\" y2=\"" + std::to_string(base) + "\" class=\"axis\"/>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double h = static_cast<double>(b.value) / max * (base - top);
    const double bw = std::min(64.0, slot * 0.7);
    const double x = left + slot * i + (slot - bw) / 2;
    svg += "<rect x=\"" + Num(x) + "\" y=\"" + Num(base - h) + "\" width=\"" + Num(bw) +
           "\" height=\"" + Num(std::max(h, 1.0)) + "\" rx=\"3\" fill=\"" + b.color +
           "\"><title>" + Esc(b.label) + ": " + Count(b.value) + " " + Esc(unit) +
           "</title></rect>";
    svg += "<text x=\"" + Num(x + bw / 2) + "\" y=\"" + Num(base - h - 5) +
           "\" text-anchor=\"middle\" class=\"val\">" + Count(b.value) + "</text>";
    svg += "<text x=\"" + Num(x + bw / 2) + "\" y=\"" + std::to_string(base + 18) +
           "\" text-anchor=\"middle\" class=\"lbl\">" + Esc(b.label) + "</text>";
  }
  return svg + "</svg>";
}

// One stacked bar of the listings by severity.
std::string SeverityStack(const std::array<uint64_t, 4>& by_sev, uint64_t total) {
  std::string html = "<div class=\"stack\">";
  for (int s = 0; s < 4; ++s) {
    if (by_sev[s] == 0) continue;
    html += "<div style=\"flex:" + std::to_string(by_sev[s]) + ";background:" +
            kSeverityColors[s] + "\" title=\"" + SeverityName(static_cast<Severity>(s)) + ": " +
            Count(by_sev[s]) + "\"></div>";
  }
  html += "</div><div class=\"legend\">";
  for (int s = 0; s < 4; ++s) {
    html += "<span><i style=\"background:" + std::string(kSeverityColors[s]) + "\"></i>" +
            SeverityName(static_cast<Severity>(s)) + " " +
            SeverityChinese(static_cast<Severity>(s)) + " <b>" + Count(by_sev[s]) + "</b> (" +
            Pct(by_sev[s], total) + ")</span>";
  }
  return html + "</div>";
}

std::string Kpi(const std::string& label, const std::string& value, const std::string& sub,
                const std::string& cls = "") {
  return "<div class=\"kpi " + cls + "\"><div class=\"kpi-label\">" + label +
         "</div><div class=\"kpi-value\">" + value + "</div><div class=\"kpi-sub\">" + sub +
         "</div></div>";
}

// The merchants as JSON for the script.
void AppendMerchantsJson(JsonWriter& w, const std::vector<MerchantVerdict>& merchants) {
  w.BeginArray();
  for (const MerchantVerdict& v : merchants) {
    w.BeginObject()
        .Key("id").String(v.merchant_id)
        .Key("action").String(ActionId(v.action))
        .Key("action_zh").String(ActionChinese(v.action))
        .Key("rank").Int(static_cast<int>(v.action))
        .Key("severity").String(SeverityName(v.severity))
        .Key("scanned").Uint(v.items_scanned)
        .Key("flagged").Uint(v.listings_violating)
        .Key("share").Double(v.share)
        .Key("violations").Uint(v.violations)
        .Key("sweeps").Uint(v.sweeps_with_violations)
        .Key("window").Uint(v.window_sweeps);
    w.Key("reasons").BeginArray();
    for (const std::string& r : v.reasons) w.String(r);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

// Copies takedowns.jsonl into a JSON array, marking the listings new since
// the previous sweep. Returns how many were embedded. The file is read in
// big blocks: it can be tens of MB, and this runs on one thread.
StatusOr<uint64_t> AppendListings(const ReportInput& in, OutputFile* out, std::string* buf) {
  constexpr size_t kReadBytes = 1 << 20;
  std::ifstream file(in.takedowns_path, std::ios::binary);
  if (!file) return InternalError("cannot read back " + in.takedowns_path);
  dom::parser parser;
  std::string pending;  // read, not yet embedded: pending[pos..]
  size_t pos = 0;
  bool eof = false;
  std::string marked;   // a line with ,"new":true, padded for simdjson
  uint64_t n = 0;
  buf->push_back('[');
  while (n < in.max_listings) {
    const char* start = pending.data() + pos;
    const char* nl =
        static_cast<const char*>(std::memchr(start, '\n', pending.size() - pos));
    if (nl == nullptr && !eof) {
      pending.erase(0, pos);
      pos = 0;
      const size_t kept = pending.size();
      pending.resize(kept + kReadBytes);
      file.read(pending.data() + kept, static_cast<std::streamsize>(kReadBytes));
      pending.resize(kept + static_cast<size_t>(file.gcount()));
      // A read error must not pass for the end: the report would embed a
      // shorter takedown list and say nothing.
      if (file.bad()) return InternalError("error reading back " + in.takedowns_path);
      eof = file.gcount() == 0;
      continue;
    }
    if (nl == nullptr && pos == pending.size()) break;  // the end
    const size_t len = nl ? static_cast<size_t>(nl - start) : pending.size() - pos;
    std::string_view line(start, len);
    pos += len + (nl ? 1 : 0);
    if (line.empty() || line.back() != '}') {
      return InternalError(in.takedowns_path + ": line " + std::to_string(n + 1) +
                           " is not a JSON object");
    }
    if (n > 0) buf->push_back(',');
    if (in.history && !in.history->new_listings.empty()) {
      marked.assign(line);
      marked.reserve(marked.size() + simdjson::SIMDJSON_PADDING);
      dom::element doc;
      std::string_view item, merchant;
      if (parser.parse(marked).get(doc) || doc["item_id"].get_string().get(item) ||
          doc["merchant_id"].get_string().get(merchant)) {
        return InternalError(in.takedowns_path + ": line " + std::to_string(n + 1) +
                             " is not a takedown line");
      }
      if (in.history->new_listings.count(ListingKey(std::string(merchant), std::string(item)))) {
        marked.pop_back();
        marked += ",\"new\":true}";
        line = marked;
      }
    }
    AppendScriptSafeJson(buf, line);
    ++n;
    if (buf->size() >= kFlushBytes) {
      if (Status s = out->Append(*buf); !s.ok()) return s;
      buf->clear();
    }
  }
  buf->push_back(']');
  return n;
}

}  // namespace

void AppendHtmlEscaped(std::string* out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out->append("&amp;"); break;
      case '<': out->append("&lt;"); break;
      case '>': out->append("&gt;"); break;
      case '"': out->append("&quot;"); break;
      case '\'': out->append("&#39;"); break;
      default: out->push_back(c);
    }
  }
}

void AppendScriptSafeJson(std::string* out, std::string_view json) {
  // A report embeds tens of MB, with one special byte per ~80 (HTML in the
  // evidence context).
  AppendWithEscapes(
      out, json, [](unsigned char c) { return c == '<' || c == '>' || c == '&'; },
      [](__m128i v) {
        return _mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('>'))),
            _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))));
      },
      [](std::string* o, unsigned char c) {
        o->append(c == '<' ? "\\u003c" : c == '>' ? "\\u003e" : "\\u0026");
      });
}

Status WriteHtmlReport(const ReportInput& in, OutputFile* out) {
  const ManifestInfo& m = *in.manifest;
  const VerdictTotals& v = *in.verdicts;
  const RulePack& pack = *m.pack;
  const SweepCounts& c = m.counts;
  std::string h;
  h.reserve(1 << 16);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
       "<title>catscan sweep report · " + Esc(in.generated_at) + "</title><style>";
  h += kReportCss;
  h += "</style></head><body>\n";
  h += "<div id=\"js-error\" class=\"js-error\" hidden></div>";

  // Header.
  h += "<header><div class=\"wrap\"><div class=\"brand\">catscan <span>sweep report</span></div>"
       "<div class=\"meta\"><span>" + Esc(in.generated_at) + "</span><span>rules " +
       Esc(pack.id()) + "</span><span>policy " +
       Esc(in.policy->path.empty() ? "built-in" : in.policy->path) + "</span>";
  if (in.history) h += "<span>history sweep #" + std::to_string(in.history->sweep_id) + "</span>";
  h += "</div></div></header><main class=\"wrap\">\n";

  // Totals.
  uint64_t escalated = 0;
  for (int a = static_cast<int>(Action::kRejectNewListings); a < kNumActions; ++a) {
    escalated += v.merchants_by_action[a];
  }
  h += "<section class=\"kpis\" id=\"totals\">";
  h += Kpi("Listings scanned", Count(c.records_scanned),
           Count(c.records_quarantined) + " unreadable record" +
               (c.records_quarantined == 1 ? "" : "s") + " quarantined");
  h += Kpi("Flagged listings", "<span id=\"kpi-flagged\">" + Count(v.listings) + "</span>",
           Pct(v.listings, c.records_scanned) + " of scanned · " + Count(c.violations) +
               " violations",
           v.listings > 0 ? "kpi-alert" : "");
  h += Kpi("Merchants flagged", Count(m.merchants_violating),
           "of " + Count(m.merchants_scanned) + " scanned (" +
               Pct(m.merchants_violating, m.merchants_scanned) + ")");
  h += Kpi("Merchants escalated", Count(escalated),
           "beyond per-listing takedown", escalated > 0 ? "kpi-alert" : "");
  if (in.history && in.history->previous_id > 0) {
    h += Kpi("New since sweep #" + std::to_string(in.history->previous_id),
             "<span id=\"kpi-new\">+" + Count(in.history->added) + "</span>",
             Count(in.history->resolved) + " resolved · " + Count(in.history->persisting) +
                 " persisting");
  } else if (in.history) {
    h += Kpi("History", "first sweep", "nothing to compare yet");
  }
  h += "</section>\n";

  // The ladder.
  h += "<section class=\"card\"><h2>Merchant actions <span class=\"zh\">商家处罚</span></h2>"
       "<p class=\"note\">The penalty ladder of the seed policy (4.2), harshest on the right. "
       "A merchant's verdict is the harshest step of the policy that holds; every flagged "
       "listing is also taken down (下架).</p><div class=\"ladder\">";
  for (int a = static_cast<int>(Action::kTakedownListings); a < kNumActions; ++a) {
    const Action act = static_cast<Action>(a);
    h += "<a class=\"rung rung-" + std::string(ActionId(act)) + "\" href=\"#maction=" +
         ActionId(act) + "\"><div class=\"rung-n\">" + Count(v.merchants_by_action[a]) +
         "</div><div class=\"rung-id\">" + ActionId(act) + "</div><div class=\"zh\">" +
         ActionChinese(act) + "</div></a>";
  }
  h += "</div></section>\n";

  // Charts.
  std::map<std::string, std::string> clause_label;
  std::map<std::string, Severity> clause_sev;
  for (const Rule& r : pack.rules) {
    clause_label.emplace(r.clause, r.category);
    auto [it, fresh] = clause_sev.emplace(r.clause, r.severity);
    if (!fresh) it->second = std::max(it->second, r.severity);
  }
  std::vector<Bar> clause_bars;
  for (const auto& [clause, n] : v.listings_by_clause) {
    const auto sev = clause_sev.count(clause) ? clause_sev[clause] : Severity::kGeneral;
    clause_bars.push_back({clause + " " + clause_label[clause], n,
                           kSeverityColors[static_cast<int>(sev)]});
  }
  // The spread over merchants: how many merchants have 1, 2-4, ... flagged listings.
  const uint64_t edges[] = {1, 2, 5, 10, 20, 50, UINT64_MAX};
  const char* const edge_labels[] = {"1", "2–4", "5–9", "10–19", "20–49", "50+"};
  std::vector<Bar> spread;
  for (int b = 0; b < 6; ++b) {
    uint64_t n = 0;
    for (const MerchantVerdict& mv : v.merchants) {
      n += mv.listings_violating >= edges[b] && mv.listings_violating < edges[b + 1];
    }
    spread.push_back({edge_labels[b], n, "#2563eb"});
  }
  std::vector<uint64_t> per_merchant;
  for (const MerchantVerdict& mv : v.merchants) per_merchant.push_back(mv.listings_violating);
  std::sort(per_merchant.rbegin(), per_merchant.rend());
  const size_t top_tenth = std::max<size_t>(1, (per_merchant.size() + 9) / 10);
  uint64_t top_sum = 0;
  for (size_t i = 0; i < std::min(top_tenth, per_merchant.size()); ++i) top_sum += per_merchant[i];

  h += "<div class=\"grid2\"><section class=\"card\"><h2>Flagged listings by clause</h2>";
  h += clause_bars.empty() ? "<p class=\"empty\">No findings.</p>"
                           : HorizontalBars(clause_bars, "Flagged listings by clause", "listings");
  h += "<h3>By severity</h3>" + SeverityStack(v.listings_by_severity, v.listings);
  h += "</section><section class=\"card\"><h2>How findings are spread</h2>"
       "<p class=\"note\">Merchants by their number of flagged listings.";
  if (!per_merchant.empty()) {
    h += " The top " + Count(top_tenth) + " merchant" +
         (top_tenth == 1 ? " (10%) holds" : "s (10%) hold") + " <b>" + Pct(top_sum, v.listings) +
         "</b> of all flagged listings.";
  }
  h += "</p>";
  h += VerticalBars(spread, "Merchants by flagged listings", "merchants");
  h += "</section></div>\n";

  // Trend.
  if (in.history) {
    h += "<section class=\"card\" id=\"trend\"><h2>Trend over the last " +
         std::to_string(in.history->trend.size()) + " sweep" +
         (in.history->trend.size() == 1 ? "" : "s") + "</h2>";
    std::vector<Bar> trend;
    for (const SweepRow& s : in.history->trend) {
      trend.push_back({"#" + std::to_string(s.id) + " " + s.started_at.substr(5, 5),
                       s.listings_flagged, s.id == in.history->sweep_id ? "#dc2626" : "#94a3b8"});
    }
    h += VerticalBars(trend, "Flagged listings per sweep", "flagged listings");
    h += "<table class=\"static\"><thead><tr><th>sweep</th><th>started</th><th class=\"n\">scanned"
         "</th><th class=\"n\">flagged listings</th><th class=\"n\">merchants flagged</th>"
         "</tr></thead><tbody>";
    for (auto it = in.history->trend.rbegin();
         it != in.history->trend.rend() && it - in.history->trend.rbegin() < 5; ++it) {
      h += "<tr><td>#" + std::to_string(it->id) + "</td><td>" + Esc(it->started_at) +
           "</td><td class=\"n\">" + Count(it->records_scanned) + "</td><td class=\"n\">" +
           Count(it->listings_flagged) + "</td><td class=\"n\">" +
           Count(it->merchants_violating) + "</td></tr>";
    }
    h += "</tbody></table>";
    if (in.history->previous_id > 0) {
      h += "<p class=\"note\">Since sweep #" + std::to_string(in.history->previous_id) + ": <b>" +
           Count(in.history->added) + "</b> new flagged listings (<a href=\"#new=1\">show them"
           "</a>), <b>" + Count(in.history->resolved) + "</b> resolved, <b>" +
           Count(in.history->persisting) + "</b> still flagged.</p>";
    }
    h += "</section>\n";
  }

  // Top merchants (static, so they are there even without the script).
  std::vector<const MerchantVerdict*> top;
  for (const MerchantVerdict& mv : v.merchants) top.push_back(&mv);
  std::sort(top.begin(), top.end(), [](const MerchantVerdict* a, const MerchantVerdict* b) {
    if (a->violations != b->violations) return a->violations > b->violations;
    return a->merchant_id < b->merchant_id;
  });
  if (top.size() > kTopMerchants) top.resize(kTopMerchants);
  h += "<section class=\"card\" id=\"top-merchants\"><h2>Top merchants by violations</h2>"
       "<table class=\"static\"><thead><tr><th>merchant</th><th>action</th><th>severity</th>"
       "<th class=\"n\">flagged / scanned</th><th class=\"n\">violations</th>"
       "<th class=\"n\">sweeps</th><th>why</th></tr></thead><tbody>";
  for (const MerchantVerdict* mv : top) {
    h += "<tr><td class=\"id\"><a href=\"#q=" + Fragment(mv->merchant_id) + "\">" +
         Esc(mv->merchant_id) + "</a></td><td>" + ActionBadge(mv->action) + "</td><td>" +
         SeverityBadge(mv->severity) + "</td><td class=\"n\">" + Count(mv->listings_violating) +
         " / " + Count(mv->items_scanned) + " <span class=\"muted\">(" +
         Pct(mv->listings_violating, mv->items_scanned, 0) + ")</span></td><td class=\"n\">" +
         Count(mv->violations) + "</td><td class=\"n\">" +
         std::to_string(mv->sweeps_with_violations) + " of " + std::to_string(mv->window_sweeps) +
         "</td><td class=\"why\">";
    for (const std::string& r : mv->reasons) h += "<div>" + Esc(r) + "</div>";
    h += "</td></tr>";
  }
  if (top.empty()) h += "<tr><td colspan=\"7\" class=\"empty\">No merchant was flagged.</td></tr>";
  h += "</tbody></table></section>\n";

  // Rules.
  h += "<section class=\"card\" id=\"rules\"><h2>Violations by rule</h2><table class=\"static\">"
       "<thead><tr><th>rule</th><th>clause</th><th>severity</th><th class=\"n\">listings</th>"
       "<th class=\"n\">violations</th><th></th></tr></thead><tbody>";
  std::vector<std::pair<uint64_t, uint32_t>> rules;
  for (const auto& [rule, n] : c.by_rule) rules.push_back({n, rule});
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const uint64_t max_rule = rules.empty() ? 1 : rules.front().first;
  for (const auto& [n, idx] : rules) {
    const Rule& r = pack.rules[idx];
    const auto it = v.listings_by_rule.find(r.id);
    h += "<tr><td><a href=\"#q=" + Fragment(r.id) + "\" class=\"id\">" + Esc(r.id) +
         "</a><div class=\"muted\">" + Esc(r.title) + "</div></td><td>" + Esc(r.clause) +
         "</td><td>" + SeverityBadge(r.severity) + "</td><td class=\"n\">" +
         Count(it == v.listings_by_rule.end() ? 0 : it->second) + "</td><td class=\"n\">" +
         Count(n) + "</td><td class=\"barcell\"><div class=\"minibar\" style=\"width:" +
         Num(100.0 * n / max_rule) + "%;background:" +
         kSeverityColors[static_cast<int>(r.severity)] + "\"></div></td></tr>";
  }
  if (rules.empty()) h += "<tr><td colspan=\"6\" class=\"empty\">No violations.</td></tr>";
  h += "</tbody></table></section>\n";

  // The interactive tables, filled by the script.
  h += "<section class=\"card\" id=\"merchants\"><h2>Merchants with actions</h2>"
       "<div class=\"controls\"><input id=\"mq\" type=\"search\" placeholder=\"Filter merchants…\">"
       "<select id=\"maction\"><option value=\"\">any action</option>";
  for (int a = static_cast<int>(Action::kTakedownListings); a < kNumActions; ++a) {
    h += "<option value=\"" + std::string(ActionId(static_cast<Action>(a))) + "\">" +
         ActionId(static_cast<Action>(a)) + " " + ActionChinese(static_cast<Action>(a)) +
         "</option>";
  }
  h += "</select><span id=\"merchant-count\" class=\"count\"></span></div>"
       "<table class=\"data\" id=\"merchant-table\"><thead><tr>"
       "<th data-key=\"id\">merchant</th><th data-key=\"rank\">action</th>"
       "<th data-key=\"severity\">severity</th><th data-key=\"flagged\" class=\"n\">flagged</th>"
       "<th data-key=\"share\" class=\"n\">share</th><th data-key=\"violations\" class=\"n\">"
       "violations</th><th data-key=\"sweeps\" class=\"n\">sweeps</th><th>reasons</th>"
       "</tr></thead><tbody></tbody></table><div class=\"pager\" id=\"merchant-pager\"></div>"
       "</section>\n";
  h += "<section class=\"card\" id=\"listings\"><h2>Flagged listings <span class=\"zh\">下架清单"
       "</span></h2><div class=\"controls\"><input id=\"q\" type=\"search\" "
       "placeholder=\"Filter by item, merchant, rule or matched text…\"><select id=\"sev\">"
       "<option value=\"\">any severity</option><option>minor</option><option>general</option>"
       "<option>serious</option><option>critical</option></select>";
  if (in.history && in.history->previous_id > 0) {
    h += "<label class=\"check\"><input type=\"checkbox\" id=\"new\"> new since #" +
         std::to_string(in.history->previous_id) + "</label>";
  }
  h += "<span id=\"listing-count\" class=\"count\"></span></div>";

  std::string data;
  JsonWriter w(&data);
  w.BeginObject()
      .Key("generated_at").String(in.generated_at)
      .Key("listings_total").Uint(v.listings)
      .Key("has_history").Bool(in.history != nullptr)
      .Key("previous_sweep").Int(in.history ? in.history->previous_id : 0)
      .Key("merchants");
  AppendMerchantsJson(w, v.merchants);
  w.EndObject();
  const uint64_t embedded = std::min<uint64_t>(v.listings, in.max_listings);
  if (embedded < v.listings) {
    h += "<p class=\"cap\">This page holds the first " + Count(embedded) + " of " +
         Count(v.listings) + " flagged listings (the report's cap). Every listing is in "
         "takedowns.csv and takedowns.jsonl.</p>";
  }
  h += "<table class=\"data\" id=\"listing-table\"><thead><tr>"
       "<th data-key=\"item_id\">item</th><th data-key=\"merchant_id\">merchant</th>"
       "<th data-key=\"severity\">severity</th><th data-key=\"action\">action</th>"
       "<th data-key=\"rules\">rules · evidence (matched text marked in its context)</th>"
       "</tr></thead><tbody></tbody></table><div class=\"pager\" id=\"listing-pager\"></div>"
       "</section>\n";
  h += "<footer>Generated by catscan " + Esc(m.tool_version) + " from " +
       Count(m.inputs.size()) + " input file" + (m.inputs.size() == 1 ? "" : "s") +
       ". Act on <code>takedowns.csv</code> and <code>merchant_actions.csv</code> in the same "
       "directory; <code>manifest.json</code> pins the inputs, rules and policy.</footer>";
  h += "</main>\n<script type=\"application/json\" id=\"report-data\">";
  AppendScriptSafeJson(&h, data);
  h += "</script>\n<script type=\"application/json\" id=\"listing-data\">";
  if (Status s = out->Append(h); !s.ok()) return s;
  h.clear();
  StatusOr<uint64_t> n = AppendListings(in, out, &h);
  if (!n.ok()) return n.status();
  h += "</script>\n<script>";
  h += kReportJs;
  h += "</script>\n</body></html>\n";
  return out->Append(h);
}

}  // namespace catscan
