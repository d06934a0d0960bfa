#!/usr/bin/env python3
"""End-to-end tests of the verdict outputs, the sweep history and report.html.

  python3 tests/e2e/test_verdicts.py [--bin build/catscan] [unittest options]

Standard library only (csv, json, sqlite3); the report tests also need
chromium-headless-shell (scripts/install-deps.sh --test) and save a screenshot
under $CATSCAN_ARTIFACTS (default: the system temp directory).
"""

import csv
import io
import json
import os
import re
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import DEFAULT_BIN, load_jsonl, parse_cli, Output, TempDirTestCase  # noqa: E402

BIN = DEFAULT_BIN  # replaced by --bin in main()

# Merchant text is hostile: separators, quotes, line breaks, formulas, markup.
TRICKY = [
    ("i,1", "m\"1", "新品,\"限量\" 0元送 大促"),
    ("i2", "m\"1", "第一行\n第二行 免费送\r\n第三行"),
    ("i3", "m,2", "=HYPERLINK(\"x\") 0元送"),
    ("i4", "m,2", "</script><img src=x onerror=alert(1)> 0元送 <b>&amp;</b>"),
    ("i5", "m3", "  leading space 只卖30分钟 trailing  "),
    ("i6", "m3", "普通商品 无违规"),
]


def write_catalog(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for item, merchant, title in rows:
            f.write(json.dumps({"item_id": item, "merchant_id": merchant, "title": title,
                                "price": 10}, ensure_ascii=False) + "\n")


class VerdictTestCase(TempDirTestCase):
    tmp_prefix = "catscan-e2e-verdicts-"
    maxDiff = 2000

    def scan(self, out, inputs, *extra, check=True):
        p = subprocess.run([BIN, "scan", "--quiet", "--out", out, *extra, *inputs],
                           capture_output=True, timeout=600)
        if check:
            self.assertEqual(p.returncode, 0, p.stderr.decode("utf-8", "replace"))
        return p


class TakedownCsvTest(VerdictTestCase):
    def test_tricky_values_round_trip_through_pythons_csv(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        out = self.path("out")
        self.scan(out, [cat])
        o = Output(out)
        jl = load_jsonl(os.path.join(out, "takedowns.jsonl"))
        raw = o.raw("takedowns.csv")
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM")
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        # One row per flagged listing, the same as takedowns.jsonl, in input order.
        self.assertEqual([(r["item_id"], r["merchant_id"]) for r in rows],
                         [(t["item_id"], t["merchant_id"]) for t in jl])
        self.assertEqual([r["item_id"] for r in rows], ["i,1", "i2", "i3", "i4", "i5"])
        titles = {item: title for item, _, title in TRICKY}
        for r, t in zip(rows, jl):
            e = t["evidence"][0]
            title = titles[r["item_id"]]
            # The evidence points into the title; the context holds it, marked.
            self.assertEqual(title.encode()[e["start"]:e["end"]].decode(), e["text"])
            self.assertEqual(r["matched_text"], e["text"])
            # (A formula's leading quote is the CSV's defusing, not the merchant's text.)
            context = r["context"][1:] if r["context"].startswith("'=") else r["context"]
            self.assertEqual(context, e["before"] + "【" + e["text"] + "】" + e["after"])
            self.assertIn(context.replace("【", "").replace("】", ""), title)
            self.assertEqual(r["action"], "takedown_listing")
            self.assertEqual(r["start"], str(e["start"]))
        # The formula is defused with a leading quote, the rest kept verbatim.
        self.assertEqual(rows[2]["context"], "'=HYPERLINK(\"x\") 【0元送】")
        # A line break inside a title survives as a line break inside one field.
        self.assertIn("\n", rows[1]["context"])
        actions = list(csv.DictReader(io.StringIO(o.raw("merchant_actions.csv").decode("utf-8-sig"),
                                                  newline="")))
        self.assertEqual(sorted(a["merchant_id"] for a in actions), ["m\"1", "m,2", "m3"])
        by_id = {a["merchant_id"]: a for a in actions}
        self.assertEqual(by_id["m3"]["listings_scanned"], "2")
        self.assertEqual(by_id["m3"]["listings_violating"], "1")
        self.assertEqual(by_id["m3"]["share_violating"], "0.5000")
        self.assertEqual(by_id["m,2"]["action"], "takedown_listings")
        self.assertIn("violating_listings", by_id["m,2"]["reasons"])

    def test_outputs_are_in_the_manifest_with_hashes(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        out = self.path("out")
        self.scan(out, [cat])
        o = Output(out)
        import hashlib
        listed = {x["name"]: x for x in o.manifest["outputs"]}
        for name in ("takedowns.jsonl", "takedowns.csv", "merchant_actions.csv"):
            self.assertIn(name, listed)
            data = o.raw(name)
            self.assertEqual(listed[name]["bytes"], len(data))
            self.assertEqual(listed[name]["sha256"], hashlib.sha256(data).hexdigest())
        self.assertTrue(o.manifest["policy"]["path"].endswith("patterns/default/policy.yaml"))

    def test_a_bad_policy_fails_before_the_scan_naming_file_and_line(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        pol = self.path("policy.yaml")
        with open(pol, "w") as f:
            f.write("listing:\n  minor: takedown_listing\n  general: takedown_listing\n"
                    "  serious: takedown_listing\n  critical: ban_listing\n"
                    "merchant:\n  - id: x\n    action: shout\n")
        out = self.path("out")
        p = self.scan(out, [cat], "--policy", pol, check=False)
        self.assertEqual(p.returncode, 4)
        self.assertIn(pol + ":8:", p.stderr.decode())
        self.assertFalse(os.path.exists(os.path.join(out, "manifest.json")))

    def test_a_custom_policy_escalates(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        pol = self.path("policy.yaml")
        with open(pol, "w") as f:
            f.write("listing:\n  minor: ban_listing\n  general: ban_listing\n"
                    "  serious: ban_listing\n  critical: ban_listing\n"
                    "merchant:\n  - id: half\n    action: takedown_all_listings\n"
                    "    when: {share: 0.6}\n")
        out = self.path("out")
        self.scan(out, [cat], "--policy", pol)
        jl = load_jsonl(os.path.join(out, "takedowns.jsonl"))
        self.assertEqual({t["action"] for t in jl}, {"ban_listing"})
        actions = list(csv.DictReader(io.StringIO(
            Output(out).raw("merchant_actions.csv").decode("utf-8-sig"), newline="")))
        # m3 has 1 of 2 listings flagged (50% < 60%): no action, so no row.
        self.assertEqual(sorted(a["merchant_id"] for a in actions), ["m\"1", "m,2"])
        self.assertEqual({a["action"] for a in actions}, {"takedown_all_listings"})


def history(db, *args):
    p = subprocess.run([BIN, "history", *args, "--history", db], capture_output=True, timeout=120)
    return p


class HistoryTest(VerdictTestCase):
    def test_diff_merchant_and_repeat_escalation_across_sweeps(self):
        db = self.path("h.db")
        pol = self.path("policy.yaml")
        with open(pol, "w") as f:
            f.write("repeat_window: 3\nlisting: {minor: takedown_listing, general: takedown_listing,"
                    " serious: takedown_listing, critical: ban_listing}\n"
                    "merchant:\n  - id: any\n    action: takedown_listings\n"
                    "  - id: again\n    action: ban_new_products\n    when: {sweeps: 2}\n")
        first = [("a1", "M1", "0元送"), ("a2", "M1", "免费送"), ("b1", "M2", "只卖30分钟")]
        second = [("a2", "M1", "免费送"), ("c1", "M3", "0元送"), ("a3", "M1", "无违规")]
        for n, rows in enumerate((first, second), 1):
            cat = self.path("cat%d.jsonl" % n)
            write_catalog(cat, rows)
            self.scan(self.path("out%d" % n), [cat], "--history", db, "--policy", pol)
        # Sweep 2: M1 was flagged in sweep 1 too (2 of 2 sweeps): escalated; M3 is new.
        acts = {a["merchant_id"]: a for a in csv.DictReader(io.StringIO(
            Output(self.path("out2")).raw("merchant_actions.csv").decode("utf-8-sig"), newline=""))}
        self.assertEqual(acts["M1"]["action"], "ban_new_products")
        self.assertEqual(acts["M1"]["earlier_sweeps"], "1")
        self.assertEqual(acts["M1"]["sweeps_with_violations"], "2")
        self.assertIn("violations in 2 of the last 2 sweeps", acts["M1"]["reasons"])
        self.assertEqual(acts["M3"]["action"], "takedown_listings")
        self.assertEqual(acts["M3"]["earlier_sweeps"], "")

        p = history(db, "sweeps", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        sweeps = json.loads(p.stdout)
        self.assertEqual([s["id"] for s in sweeps], [2, 1])
        self.assertEqual([s["listings_flagged"] for s in sweeps], [2, 3])
        manifest = json.loads(Output(self.path("out2")).raw("manifest.json"))
        self.assertEqual(sweeps[0]["started_at"], manifest["started_at"])
        self.assertEqual(sweeps[0]["finished_at"], manifest["finished_at"])

        p = history(db, "diff", "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual((d["a"], d["b"]), (1, 2))
        self.assertEqual([(x["merchant_id"], x["item_id"]) for x in d["new"]], [("M3", "c1")])
        self.assertEqual([(x["merchant_id"], x["item_id"]) for x in d["resolved"]],
                         [("M1", "a1"), ("M2", "b1")])
        self.assertEqual(d["persisting"], 1)
        p = history(db, "diff", "1", "2")
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"sweep #1 -> #2: 1 new, 2 resolved, 1 persisting", p.stdout)

        p = history(db, "merchant", "M2", "--json")
        rec = json.loads(p.stdout)
        self.assertEqual([(s["sweep"], s["flagged"]) for s in rec["sweeps"]], [(1, True), (2, False)])
        p = history(db, "merchant", "M1")
        self.assertIn(b"flagged in 2 of 2 recorded sweeps", p.stdout)
        self.assertIn(b"ban_new_products", p.stdout)

        # The report shows the trend and what is new.
        html = Output(self.path("out2")).raw("report.html").decode()
        self.assertIn("Trend over the last 2 sweeps", html)
        self.assertIn('<span id="kpi-new">+1</span>', html)
        self.assertIn('"item_id":"c1","merchant_id":"M3"', html)
        self.assertIn(',"new":true}', html)

    def test_history_commands_refuse_a_missing_database(self):
        p = history(self.path("none.db"), "sweeps")
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"none.db", p.stderr)
        self.assertFalse(os.path.exists(self.path("none.db")))

    def test_a_locked_history_fails_cleanly_and_publishes_nothing(self):
        import sqlite3
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        db = self.path("h.db")
        out = self.path("out")
        self.scan(out, [cat], "--history", db)
        before = {n: Output(out).raw(n) for n in os.listdir(out)}
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            p = self.scan(out, [cat], "--history", db, "--history-wait", "0.5", check=False)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertIn(b"another sweep is writing it", p.stderr)
        self.assertIn(db.encode(), p.stderr)
        self.assertEqual({n: Output(out).raw(n) for n in os.listdir(out)}, before)
        p = history(db, "sweeps", "--json")
        self.assertEqual(len(json.loads(p.stdout)), 1)

    def test_two_concurrent_sweeps_both_recorded_nothing_corrupt(self):
        import sqlite3
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY * 200)
        db = self.path("h.db")
        procs = [subprocess.Popen([BIN, "scan", "--quiet", "--out", self.path("o%d" % i),
                                   "--history", db, cat], stderr=subprocess.PIPE)
                 for i in range(2)]
        for p in procs:
            _, err = p.communicate(timeout=300)
            self.assertEqual(p.returncode, 0, err)  # the second waited for the first
        con = sqlite3.connect(db)
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        self.assertEqual([r[0] for r in con.execute("SELECT id FROM sweeps ORDER BY id")], [1, 2])
        counts = [r[0] for r in con.execute(
            "SELECT COUNT(*) FROM listing_results GROUP BY sweep_id ORDER BY sweep_id")]
        self.assertEqual(counts, [5, 5])  # the 5 flagged listings (repeats keep the first)
        con.close()


def chromium():
    for name in ("chromium-headless-shell", "chromium"):
        for d in os.environ.get("PATH", "").split(os.pathsep) + ["/usr/lib/chromium"]:
            p = os.path.join(d, name)
            if os.access(p, os.X_OK):
                return p
    return None


class ReportTest(VerdictTestCase):
    """Renders report.html in headless Chromium and reads the rendered DOM."""

    def setUp(self):
        super().setUp()
        self.chrome = chromium()
        if self.chrome is None:
            self.fail("chromium-headless-shell is not installed (scripts/install-deps.sh --test)")

    def chrome_args(self):
        return [self.chrome, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + self.path("profile", "x")[:-2],
                "--enable-logging=stderr", "--v=0"]

    def dom(self, html_path, fragment=""):
        p = subprocess.run(self.chrome_args() + ["--virtual-time-budget=5000", "--dump-dom",
                                                 "file://" + html_path + fragment],
                           capture_output=True, timeout=300)
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, 0, err[-500:])
        self.assertNotIn("Uncaught", err)
        dom = p.stdout.decode("utf-8", "replace")
        body = re.search(r"<body[^>]*>", dom)
        self.assertIsNotNone(body, "no <body> in the dumped DOM")
        self.assertNotIn("data-report-error", body.group(0), "a script error: " + body.group(0)[:300])
        self.assertIn('data-report-status="ok"', body.group(0), "the report script did not finish")
        return dom

    def screenshot(self, html_path, name, fragment="", height=2400):
        art = os.environ.get("CATSCAN_ARTIFACTS") or self.path("artifacts")
        os.makedirs(art, exist_ok=True)
        shot = os.path.join(art, name)
        p = subprocess.run(self.chrome_args() + ["--virtual-time-budget=5000",
                                                 "--screenshot=" + shot, "--window-size=1280,%d" % height,
                                                 "file://" + html_path + fragment],
                           capture_output=True, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr[-500:])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        sys.stderr.write("\n  screenshot: %s\n" % shot)

    def rows(self, dom, table):
        """The merchant id of every row of a rendered table (its data-merchant)."""
        body = dom.split('id="%s"' % table, 1)[1].split("</tbody>", 1)[0]
        return re.findall(r'<tr [^>]*data-merchant="([^"]*)"', body)

    def test_sample_report_renders_with_totals_top_merchant_and_working_filters(self):
        cat = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                           "data", "sample.jsonl.zst")
        db = self.path("h.db")
        self.scan(self.path("prev"), [cat], "--history", db)
        out = self.path("out")
        self.scan(out, [cat], "--history", db)
        o = Output(out)
        html = os.path.join(out, "report.html")
        dom = self.dom(html)
        top = max(o.merchants, key=lambda m: (m["violations"], [-ord(c) for c in m["merchant_id"]]))
        self.assertIn(top["merchant_id"], dom)
        flagged = len(load_jsonl(os.path.join(out, "takedowns.jsonl")))
        self.assertIn('<span id="kpi-flagged">{:,}</span>'.format(flagged), dom)
        self.assertIn("Showing 1–50 of {:,} flagged listings".format(flagged), dom)
        self.assertEqual(len(self.rows(dom, "listing-table")), 50)
        self.assertIn("<mark>", dom)  # the evidence is highlighted
        # Filtering by the fragment: only the top merchant's listings, its count exact.
        mine = [t for t in load_jsonl(os.path.join(out, "takedowns.jsonl"))
                if t["merchant_id"] == top["merchant_id"]]
        dom = self.dom(html, "#q=" + top["merchant_id"])
        self.assertEqual(set(self.rows(dom, "listing-table")), {top["merchant_id"]})
        self.assertIn("of {:,} flagged listings (filtered from {:,})".format(len(mine), flagged), dom)
        # Paging: page 2 starts at row 51.
        dom = self.dom(html, "#page=2")
        self.assertIn("Showing 51–100 of {:,}".format(flagged), dom)
        dom = self.dom(html, "#sev=serious&page=1")
        serious = sum(1 for t in load_jsonl(os.path.join(out, "takedowns.jsonl")) if t["severity"] == "serious")
        self.assertIn("of {:,} flagged listings".format(serious), dom)
        self.screenshot(html, "report-sample.png", height=3600)

    def test_hostile_merchant_text_is_shown_not_run(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY + [("<img src=x onerror=alert(1)>", "</script><b>m</b>",
                                      "</script><script>alert(1)</script> 0元送")])
        out = self.path("out")
        self.scan(out, [cat])
        html = os.path.join(out, "report.html")
        with open(html, encoding="utf-8") as f:
            raw = f.read()
        self.assertEqual(raw.count("</script>"), 3)  # only the page's own three scripts
        self.assertNotIn("<img src=x", raw)
        dom = self.dom(html)
        # Rendered as text: escaped in the DOM, never as elements.
        self.assertNotIn("<img src=", dom)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt;", dom)
        self.assertIn("&lt;/script&gt;&lt;b&gt;m&lt;/b&gt;", dom)
        self.screenshot(html, "report-hostile.png", height=1600)

    def test_100000_flagged_listings_stay_usable(self):
        cat = self.path("big.jsonl")
        with open(cat, "w", encoding="utf-8") as f:
            for i in range(100000):
                f.write('{"item_id":"I%06d","merchant_id":"M%03d","title":"今晚只卖30分钟 %d号"}\n'
                        % (i, i % 500, i))
        out = self.path("out")
        self.scan(out, [cat])
        html = os.path.join(out, "report.html")
        dom = self.dom(html, "#page=2000")
        self.assertIn("Showing 99,951–100,000 of 100,000 flagged listings", dom)
        self.assertEqual(len(self.rows(dom, "listing-table")), 50)
        self.assertIn('data-item="I099999"', dom)
        dom = self.dom(html, "#q=M007&page=2")
        self.assertIn("Showing 51–100 of 200 flagged listings (filtered from 100,000)", dom)
        self.assertEqual(set(self.rows(dom, "listing-table")), {"M007"})

    def test_a_capped_report_says_so(self):
        cat = self.path("cat.jsonl")
        write_catalog(cat, TRICKY)
        out = self.path("out")
        self.scan(out, [cat], "--report-max-listings", "2")
        dom = self.dom(os.path.join(out, "report.html"))
        self.assertIn("This page holds the first 2 of 5 flagged listings", dom)
        self.assertIn("Showing 1–2 of 2 flagged listings", dom)


def main():
    global BIN
    BIN, argv = parse_cli(sys.argv, [])
    unittest.main(argv=argv)


if __name__ == "__main__":
    main()
