// The stylesheet and script of report.html (see html_report.h). Kept apart
// from the page builder so each reads as what it is.

#include "scanner/report/html_report.h"

namespace catscan {

const char kReportCss[] = R"CSS(
:root{--bg:#f4f6f9;--card:#fff;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--accent:#2563eb;
--minor:#64748b;--general:#d97706;--serious:#dc2626;--critical:#7e22ce}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
.wrap{max-width:1240px;margin:0 auto;padding:0 20px}
header{background:#0f172a;color:#e2e8f0;padding:14px 0;margin-bottom:18px}
header .wrap{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px}
.brand{font-weight:700;font-size:18px;letter-spacing:.2px}.brand span{font-weight:400;color:#94a3b8}
.meta{display:flex;gap:14px;flex-wrap:wrap;font-size:12px;color:#94a3b8}
.js-error{background:#fee2e2;color:#991b1b;padding:10px 20px;font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin-bottom:14px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.kpi-label{font-size:12px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted)}
.kpi-value{font-size:28px;font-weight:700;margin:2px 0}
.kpi-sub{font-size:12px;color:var(--muted)}
.kpi-alert .kpi-value{color:var(--serious)}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;
margin-bottom:14px;overflow-x:auto}
h2{font-size:16px;margin:0 0 10px}h3{font-size:13px;margin:14px 0 6px;color:var(--muted)}
.zh{color:var(--muted);font-weight:400}
.note{color:var(--muted);margin:0 0 10px;font-size:13px}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:14px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
.grid2 .card{margin-bottom:14px}
.chart{width:100%;height:auto;max-height:250px;display:block}
.chart .lbl{font-size:12px;fill:#334155}.chart .val{font-size:11px;fill:#475569}
.chart .axis{stroke:#cbd5e1}
.ladder{display:grid;grid-template-columns:repeat(5,1fr);gap:8px}
.rung{display:block;text-decoration:none;color:inherit;border:1px solid var(--line);border-radius:8px;
padding:10px 12px;border-top:4px solid #94a3b8}
.rung:hover{background:#f8fafc}
.rung-n{font-size:24px;font-weight:700}.rung-id{font-size:12px;font-family:ui-monospace,Menlo,monospace}
.rung-takedown_listings{border-top-color:#94a3b8}.rung-reject_new_listings{border-top-color:#f59e0b}
.rung-takedown_all_listings{border-top-color:#ef4444}.rung-ban_new_products{border-top-color:#b91c1c}
.rung-freeze_funds{border-top-color:#7e22ce}
.stack{display:flex;height:16px;border-radius:8px;overflow:hidden;background:var(--line)}
.legend{display:flex;flex-wrap:wrap;gap:12px;margin-top:8px;font-size:12px;color:#334155}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
table{width:100%;border-collapse:collapse}
th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);
border-bottom:2px solid var(--line);padding:6px 8px;white-space:nowrap}
td{border-bottom:1px solid var(--line);padding:7px 8px;vertical-align:top}
tbody tr:hover{background:#f8fafc}
.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;white-space:nowrap}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted);font-size:12px}
.why div{font-size:12px;color:#334155}
.empty{color:var(--muted);text-align:center;padding:18px}
.barcell{width:18%}.minibar{height:8px;border-radius:4px}
.sev,.act{display:inline-block;border-radius:999px;padding:1px 8px;font-size:11.5px;font-weight:600;
white-space:nowrap}
.sev .zh,.act .zh{color:inherit;opacity:.75;font-weight:400}
.sev-minor{background:#f1f5f9;color:#475569}.sev-general{background:#fef3c7;color:#92400e}
.sev-serious{background:#fee2e2;color:#991b1b}.sev-critical{background:#f3e8ff;color:#6b21a8}
.act{background:#e2e8f0;color:#1e293b}
.act-reject_new_listings{background:#fef3c7;color:#92400e}
.act-takedown_all_listings{background:#fee2e2;color:#991b1b}
.act-ban_new_products{background:#fecaca;color:#7f1d1d}
.act-freeze_funds{background:#f3e8ff;color:#6b21a8}
.act-ban_listing{background:#fee2e2;color:#991b1b}
.new{display:inline-block;background:#2563eb;color:#fff;border-radius:4px;font-size:10px;
font-weight:700;padding:0 5px;margin-left:6px;vertical-align:1px}
.controls{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin-bottom:10px}
.controls input[type=search]{flex:1;min-width:240px;padding:7px 10px;border:1px solid #cbd5e1;
border-radius:6px;font:inherit}
.controls select{padding:6px 8px;border:1px solid #cbd5e1;border-radius:6px;font:inherit;background:#fff}
.check{font-size:13px;color:#334155}
.count{margin-left:auto;color:var(--muted);font-size:12.5px}
th[data-key]{cursor:pointer;user-select:none}th[data-key]:hover{color:var(--ink)}
th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
.ev{margin:2px 0 6px}.ev-rule{font-family:ui-monospace,Menlo,monospace;font-size:11.5px;color:#475569}
.ev-field{font-size:11px;color:var(--muted);margin-left:6px}
.ev-ctx{display:block;background:#f8fafc;border:1px solid var(--line);border-radius:5px;
padding:3px 7px;margin-top:2px;white-space:pre-wrap;word-break:break-all;font-size:13px}
mark{background:#fde68a;color:#7c2d12;border-radius:2px;padding:0 1px;font-weight:600}
.ev-norm{font-size:11px;color:var(--muted)}
.more{font-size:12px;color:var(--muted)}
.pager{display:flex;gap:6px;align-items:center;justify-content:flex-end;margin-top:10px;font-size:13px}
.pager button{border:1px solid #cbd5e1;background:#fff;border-radius:6px;padding:4px 10px;font:inherit;
cursor:pointer}.pager button:disabled{opacity:.4;cursor:default}
.cap{background:#fff7ed;border:1px solid #fed7aa;color:#9a3412;border-radius:6px;padding:8px 10px}
table.static td.why{min-width:280px}
footer{color:var(--muted);font-size:12px;padding:10px 0 30px}
code{font-family:ui-monospace,Menlo,monospace;font-size:12px}
)CSS";

const char kReportJs[] = R"JS(
(function () {
  'use strict';
  var body = document.body;
  window.addEventListener('error', function (e) {
    var msg = String((e && e.message) || e);
    body.setAttribute('data-report-error', msg);
    var box = document.getElementById('js-error');
    box.hidden = false;
    box.textContent = 'The report script failed: ' + msg;
  });
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var listings = JSON.parse(document.getElementById('listing-data').textContent);
  var SEV = {minor: 0, general: 1, serious: 2, critical: 3};
  var PAGE = 50;
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function badge(kind, id, zh) {
    var b = el('span', kind + ' ' + kind + '-' + id, id + ' ');
    if (zh) b.appendChild(el('span', 'zh', zh));
    return b;
  }
  var SEV_ZH = {minor: '轻微', general: '一般', serious: '严重', critical: '特别严重'};

  // State lives in the URL fragment: #q=..&sev=..&new=1&page=2&sort=..&dir=..&mq=..&maction=..
  var KEYS = ['q', 'sev', 'new', 'page', 'sort', 'dir', 'mq', 'maction', 'mpage', 'msort', 'mdir'];
  var state = {};
  function readState() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    KEYS.forEach(function (k) { state[k] = p.get(k) || ''; });
  }
  function writeState() {
    var p = new URLSearchParams();
    KEYS.forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    var h = p.toString();
    try { history.replaceState(null, '', h ? '#' + h : location.pathname); } catch (e) { /* file: */ }
  }

  // Listings.
  listings.forEach(function (l) {
    var parts = [l.item_id, l.merchant_id].concat(l.rule_ids);
    l.evidence.forEach(function (e) { parts.push(e.text); if (e.normalized) parts.push(e.normalized); });
    l._hay = parts.join('\u0001').toLowerCase();
    l._sev = SEV[l.severity] || 0;
  });
  var lq = document.getElementById('q'), lsev = document.getElementById('sev');
  var lnew = document.getElementById('new');
  var ltbody = document.querySelector('#listing-table tbody');

  function sorter(key, dir, rankKey) {
    var s = dir === 'desc' ? -1 : 1;
    return function (a, b) {
      var x = rankKey && key === rankKey[0] ? a[rankKey[1]] : a[key];
      var y = rankKey && key === rankKey[0] ? b[rankKey[1]] : b[key];
      return x < y ? -s : x > y ? s : 0;
    };
  }
  function markSorted(table, key, dir) {
    table.querySelectorAll('th[data-key]').forEach(function (th) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.getAttribute('data-key') === key) th.classList.add('sorted-' + (dir || 'asc'));
    });
  }
  function pager(div, page, pages, total, onPage) {
    div.textContent = '';
    var prev = el('button', '', '‹ Prev'), next = el('button', '', 'Next ›');
    prev.disabled = page <= 1; next.disabled = page >= pages;
    prev.onclick = function () { onPage(page - 1); };
    next.onclick = function () { onPage(page + 1); };
    div.appendChild(prev);
    div.appendChild(el('span', 'page-of', 'Page ' + fmt(page) + ' of ' + fmt(Math.max(pages, 1))));
    div.appendChild(next);
  }
  function evidenceCell(l) {
    var td = el('td');
    var shown = l.evidence.slice(0, 3);
    shown.forEach(function (e) {
      var d = el('div', 'ev');
      d.appendChild(el('span', 'ev-rule', e.rule_id));
      d.appendChild(el('span', 'ev-field', e.field + (e.start === null ? '' : ' [' + e.start + ':' + e.end + ']')));
      var ctx = el('span', 'ev-ctx');
      if (e.before) ctx.appendChild(document.createTextNode(e.before));
      ctx.appendChild(el('mark', '', e.text));
      if (e.after) ctx.appendChild(document.createTextNode(e.after));
      d.appendChild(ctx);
      if (e.normalized) d.appendChild(el('span', 'ev-norm', 'normalized: ' + e.normalized));
      td.appendChild(d);
    });
    if (l.evidence.length > shown.length) {
      td.appendChild(el('div', 'more', '+ ' + (l.evidence.length - shown.length) + ' more in takedowns.csv'));
    }
    return td;
  }
  function renderListings() {
    var q = state.q.toLowerCase(), sev = state.sev, onlyNew = state['new'] === '1';
    lq.value = state.q; lsev.value = sev; if (lnew) lnew.checked = onlyNew;
    var rows = listings.filter(function (l) {
      return (!q || l._hay.indexOf(q) >= 0) && (!sev || l.severity === sev) && (!onlyNew || l['new']);
    });
    if (state.sort) rows.sort(sorter(state.sort, state.dir, ['severity', '_sev']));
    markSorted(document.getElementById('listing-table'), state.sort, state.dir);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    var page = Math.min(Math.max(parseInt(state.page, 10) || 1, 1), pages);
    var from = (page - 1) * PAGE, to = Math.min(from + PAGE, rows.length);
    ltbody.textContent = '';
    rows.slice(from, to).forEach(function (l) {
      var tr = el('tr');
      tr.setAttribute('data-item', l.item_id);
      tr.setAttribute('data-merchant', l.merchant_id);
      var item = el('td', 'id', l.item_id);
      if (l['new']) item.appendChild(el('span', 'new', 'NEW'));
      tr.appendChild(item);
      var m = el('td', 'id'), a = el('a', '', l.merchant_id);
      a.href = '#q=' + encodeURIComponent(l.merchant_id);
      m.appendChild(a);
      tr.appendChild(m);
      var s = el('td'); s.appendChild(badge('sev', l.severity, SEV_ZH[l.severity])); tr.appendChild(s);
      var ac = el('td'); ac.appendChild(badge('act', l.action, l.action_zh)); tr.appendChild(ac);
      tr.appendChild(evidenceCell(l));
      ltbody.appendChild(tr);
    });
    if (!rows.length) {
      var tr = el('tr'), td = el('td', 'empty', 'No flagged listing matches.');
      td.colSpan = 5; tr.appendChild(td); ltbody.appendChild(tr);
    }
    document.getElementById('listing-count').textContent = rows.length
        ? 'Showing ' + fmt(from + 1) + '–' + fmt(to) + ' of ' + fmt(rows.length) + ' flagged listings' +
          (rows.length < listings.length ? ' (filtered from ' + fmt(listings.length) + ')' : '')
        : '0 of ' + fmt(listings.length) + ' flagged listings';
    pager(document.getElementById('listing-pager'), page, pages, rows.length, function (p) {
      state.page = String(p); writeState(); renderListings();
    });
  }

  // Merchants.
  var merchants = data.merchants.filter(function (m) { return m.action !== 'none'; });
  merchants.forEach(function (m) { m._sev = SEV[m.severity] || 0; m._hay = m.id.toLowerCase(); });
  var mq = document.getElementById('mq'), maction = document.getElementById('maction');
  var mtbody = document.querySelector('#merchant-table tbody');
  function renderMerchants() {
    mq.value = state.mq; maction.value = state.maction;
    var q = state.mq.toLowerCase();
    var rows = merchants.filter(function (m) {
      return (!q || m._hay.indexOf(q) >= 0) && (!state.maction || m.action === state.maction);
    });
    if (state.msort) rows.sort(sorter(state.msort, state.mdir, ['severity', '_sev']));
    markSorted(document.getElementById('merchant-table'), state.msort, state.mdir);
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    var page = Math.min(Math.max(parseInt(state.mpage, 10) || 1, 1), pages);
    var from = (page - 1) * PAGE, to = Math.min(from + PAGE, rows.length);
    mtbody.textContent = '';
    rows.slice(from, to).forEach(function (m) {
      var tr = el('tr');
      tr.setAttribute('data-merchant', m.id);
      var id = el('td', 'id'), a = el('a', '', m.id);
      a.href = '#q=' + encodeURIComponent(m.id);
      id.appendChild(a); tr.appendChild(id);
      var ac = el('td'); ac.appendChild(badge('act', m.action, m.action_zh)); tr.appendChild(ac);
      var s = el('td'); s.appendChild(badge('sev', m.severity, SEV_ZH[m.severity])); tr.appendChild(s);
      tr.appendChild(el('td', 'n', fmt(m.flagged) + ' / ' + fmt(m.scanned)));
      tr.appendChild(el('td', 'n', (100 * m.share).toFixed(1) + '%'));
      tr.appendChild(el('td', 'n', fmt(m.violations)));
      tr.appendChild(el('td', 'n', m.sweeps + ' of ' + m.window));
      var why = el('td', 'why');
      m.reasons.forEach(function (r) { why.appendChild(el('div', '', r)); });
      tr.appendChild(why);
      mtbody.appendChild(tr);
    });
    if (!rows.length) {
      var tr = el('tr'), td = el('td', 'empty', 'No merchant matches.');
      td.colSpan = 8; tr.appendChild(td); mtbody.appendChild(tr);
    }
    document.getElementById('merchant-count').textContent =
        fmt(rows.length) + ' of ' + fmt(merchants.length) + ' merchants with actions';
    pager(document.getElementById('merchant-pager'), page, pages, rows.length, function (p) {
      state.mpage = String(p); writeState(); renderMerchants();
    });
  }

  function onSortClick(table, sortKey, dirKey, render) {
    table.querySelectorAll('th[data-key]').forEach(function (th) {
      th.addEventListener('click', function () {
        var k = th.getAttribute('data-key');
        state[dirKey] = state[sortKey] === k && state[dirKey] !== 'desc' ? 'desc' : 'asc';
        state[sortKey] = k;
        writeState(); render();
      });
    });
  }
  onSortClick(document.getElementById('listing-table'), 'sort', 'dir', renderListings);
  onSortClick(document.getElementById('merchant-table'), 'msort', 'mdir', renderMerchants);
  lq.addEventListener('input', function () { state.q = lq.value; state.page = ''; writeState(); renderListings(); });
  lsev.addEventListener('change', function () { state.sev = lsev.value; state.page = ''; writeState(); renderListings(); });
  if (lnew) lnew.addEventListener('change', function () { state['new'] = lnew.checked ? '1' : ''; state.page = ''; writeState(); renderListings(); });
  mq.addEventListener('input', function () { state.mq = mq.value; state.mpage = ''; writeState(); renderMerchants(); });
  maction.addEventListener('change', function () { state.maction = maction.value; state.mpage = ''; writeState(); renderMerchants(); });
  window.addEventListener('hashchange', function () { readState(); renderListings(); renderMerchants(); });

  readState();
  renderListings();
  renderMerchants();
  body.setAttribute('data-report-status', 'ok');
})();
)JS";

}  // namespace catscan
