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


def main():
    global BIN
    BIN, argv = parse_cli(sys.argv, [])
    unittest.main(argv=argv)


if __name__ == "__main__":
    main()
