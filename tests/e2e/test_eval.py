#!/usr/bin/env python3
"""End-to-end tests of `catscan eval` and of the labeled set data/labeled/.

  python3 tests/e2e/test_eval.py [--bin build/catscan] [unittest options]

Standard library only. EvalCliTest scores small hand-made labeled sets with exact expected counts
and checks the exit statuses. LabeledSetTest checks that data/labeled/ is built from its sources,
big and balanced enough, and that the default pack's precision and recall on it are not below the
figures the README states (the table between the `eval-figures` markers).
"""

import json
import os
import re
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import DEFAULT_BIN, REPO, parse_cli, TempDirTestCase  # noqa: E402

BIN = DEFAULT_BIN  # replaced by --bin in main()
LABELED = os.path.join(REPO, "data", "labeled")
README = os.path.join(REPO, "README.md")


def run(*args):
    p = subprocess.run([BIN] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def listing(item_id, title, labels, **fields):
    rec = {"item_id": item_id, "merchant_id": "M1", "title": title, "detail_html": "<p>%s</p>" % title,
           "price": 39.0, "stock": 100, "labels": labels}
    rec.update(fields)
    return rec


def readme_figures():
    """({category: (precision, recall)}, {uncovered categories}) from the README table between the
    eval-figures markers; a row whose precision is '-' is a label category with no rule yet."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- eval-figures -->(.*?)<!-- /eval-figures -->", text, re.S)
    if not m:
        raise AssertionError("README.md has no <!-- eval-figures --> table")
    figures, uncovered = {}, set()
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0] != "category" and re.match(r"^[a-z_]+$", cells[0]):
            if cells[4] == "-":
                uncovered.add(cells[0])
            else:
                figures[cells[0]] = (float(cells[4]), float(cells[5]))
    return figures, uncovered


def pack_categories():
    code, out, err = run("rules", "list")
    if code != 0:
        raise AssertionError("rules list failed: " + err)
    cats = set()
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 2:
            cats.add(parts[1])
    return cats


class EvalCliTest(TempDirTestCase):
    tmp_prefix = "catscan-e2e-eval-"

    def write(self, name, records):
        path = self.path(name)
        with open(path, "w", encoding="utf-8") as f:
            for r in records:
                f.write((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n")
        return path

    def test_scores_a_small_set_exactly(self):
        labels = self.write("set.jsonl", [
            listing("A1", "今晚只卖30分钟 纯棉T恤", ["fake_time_limit"]),     # TP
            listing("A2", "纯棉T恤 限时折扣", []),                            # TN
            listing("A3", "只賣半小時 真絲襯衫", ["fake_time_limit"]),         # TP through normalization
            listing("A4", "纯棉T恤 加微信领券", []),                           # FP private_traffic (mislabeled on purpose)
            listing("A5", "纯棉T恤", ["fake_freebie"]),                       # FN fake_freebie
            listing("A6", "羽绒服", ["fake_clearance"], price=9.9, original_price=999),  # TP by field check
        ])
        out_json = self.path("eval.json")
        code, out, err = run("eval", "--labels", labels, "--json", out_json)
        self.assertEqual(code, 0, err)
        with open(out_json, encoding="utf-8") as f:
            result = json.load(f)
        cats = {c["category"]: c for c in result["categories"]}
        self.assertEqual(result["records"], 6)
        self.assertEqual(result["labeled_positive"], 4)
        self.assertTrue(result["normalize"])
        self.assertEqual((cats["fake_time_limit"]["tp"], cats["fake_time_limit"]["fp"], cats["fake_time_limit"]["fn"]), (2, 0, 0))
        self.assertEqual((cats["private_traffic"]["tp"], cats["private_traffic"]["fp"], cats["private_traffic"]["fn"]), (0, 1, 0))
        self.assertEqual([m["item_id"] for m in cats["private_traffic"]["false_positives"]], ["A4"])
        self.assertEqual(cats["private_traffic"]["false_positives"][0]["line"], 4)
        self.assertEqual((cats["fake_freebie"]["tp"], cats["fake_freebie"]["fn"]), (0, 1))
        self.assertEqual(cats["fake_freebie"]["recall"], 0)
        self.assertEqual([m["item_id"] for m in cats["fake_freebie"]["false_negatives"]], ["A5"])
        self.assertEqual(cats["fake_clearance"]["tp"], 1)
        self.assertEqual((result["overall"]["tp"], result["overall"]["fp"], result["overall"]["fn"]), (3, 1, 1))
        self.assertIn("false positives (1):", out)
        self.assertIn("A4", out)

        # The CI gate: below a minimum is exit 1 and names the category.
        code, _, err = run("eval", "--labels", labels, "--min-precision", "0.9")
        self.assertEqual(code, 1)
        self.assertIn("private_traffic: precision 0.0000 < 0.9000", err)
        code, _, err = run("eval", "--labels", labels, "--min-recall", "0.5")
        self.assertEqual(code, 1)
        self.assertIn("fake_freebie: recall 0.0000 < 0.5000", err)

        # Without normalization the traditional spelling is missed.
        code, _, err = run("eval", "--labels", labels, "--no-normalize", "--json", out_json)
        self.assertEqual(code, 0, err)
        with open(out_json, encoding="utf-8") as f:
            raw = {c["category"]: c for c in json.load(f)["categories"]}
        self.assertEqual(raw["fake_time_limit"]["fn"], 1)
        self.assertEqual(raw["fake_time_limit"]["false_negatives"][0]["item_id"], "A3")

    def test_directory_of_files(self):
        self.write("d/a.jsonl", [listing("A1", "只卖半小时", ["fake_time_limit"])])
        self.write("d/b.jsonl", [listing("B1", "清仓甩卖", ["fake_clearance"])])
        code, out, err = run("eval", "--labels", self.path("d"))
        self.assertEqual(code, 0, err)
        self.assertIn("2 records, 2 with a label", out)
        # One value per --labels: a PACK after it is the pack, not a second labeled input.
        pack = self.path("p", "only.yaml")
        with open(pack, "w", encoding="utf-8") as f:
            f.write('rules:\n  - id: t.half\n    title: t\n    category: fake_time_limit\n'
                    '    clause: "3.1"\n    severity: general\n    patterns: ["只卖半小时"]\n')
        code, out, err = run("eval", "--labels", self.path("d", "a.jsonl"), "--labels", self.path("d", "b.jsonl"), pack)
        self.assertEqual(code, 0, err)
        self.assertIn("2 records, 2 with a label", out)
        self.assertRegex(out, r"fake_time_limit +1 +0 +0 ")
        self.assertRegex(out, r"fake_clearance +0 +0 +1 ")  # a label category the small pack lacks
        self.assertIn("warning: label category fake_clearance has no rule in the pack", out)
        # A directory without labeled files is an error, not an empty success.
        os.makedirs(self.path("empty"), exist_ok=True)
        code, _, err = run("eval", "--labels", self.path("empty"))
        self.assertEqual(code, 3, err)

    def test_unreadable_labels_fail_with_file_and_line(self):
        code, _, err = run("eval", "--labels", self.path("missing.jsonl"))
        self.assertEqual(code, 3)
        self.assertIn("missing.jsonl", err)

        bad = self.write("bad.jsonl", [listing("A1", "x", []), '{"item_id":"A2","merchant_id":"M1"}'])
        code, _, err = run("eval", "--labels", bad)
        self.assertEqual(code, 3)
        self.assertIn("bad.jsonl:2: missing labels", err)

        dup = self.write("dup.jsonl", [listing("A1", "x", []), listing("A1", "y", [])])
        code, _, err = run("eval", "--labels", dup)
        self.assertEqual(code, 3)
        self.assertIn("dup.jsonl:2: item_id A1 was already used", err)

        # A record the sweep quarantines (a price as a string) must not silently drop out.
        q = self.write("q.jsonl", [listing("A1", "x", []), listing("A2", "y", [], price="19.9")])
        code, _, err = run("eval", "--labels", q)
        self.assertEqual(code, 3)
        self.assertIn("q.jsonl:2:", err)
        self.assertIn("price", err)


class LabeledSetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.json_path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "catscan-e2e-eval-%d.json" % os.getpid())
        code, out, err = run("eval", "--labels", LABELED, "--json", cls.json_path)
        if code != 0:
            raise AssertionError("eval on data/labeled failed (%d): %s" % (code, err))
        with open(cls.json_path, encoding="utf-8") as f:
            cls.result = json.load(f)
        os.unlink(cls.json_path)
        cls.cats = {c["category"]: c for c in cls.result["categories"]}

    def test_jsonl_files_are_built_from_src(self):
        p = subprocess.run([sys.executable, os.path.join(LABELED, "build_labeled.py"), "--check"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def test_size_and_balance(self):
        self.assertGreaterEqual(self.result["records"], 1000)
        share = self.result["labeled_positive"] / self.result["records"]
        self.assertTrue(0.3 <= share <= 0.5, share)
        _, uncovered = readme_figures()
        self.assertEqual(set(self.result["unknown_label_categories"]), uncovered,
                         "label categories without a rule must be the README's '-' rows")
        for cat in pack_categories() | uncovered:
            c = self.cats[cat]
            self.assertGreaterEqual(c["tp"] + c["fn"], 30, "too few positives of " + cat)

    def test_figures_are_not_below_the_readme(self):
        figures, uncovered = readme_figures()
        self.assertEqual(set(figures), pack_categories(), "the README table must list every category of the pack")
        for cat, (precision, recall) in sorted(figures.items()):
            c = self.cats[cat]
            self.assertGreaterEqual(round(c["precision"], 4), precision, "%s precision fell: %r" % (cat, c))
            self.assertGreaterEqual(round(c["recall"], 4), recall, "%s recall fell: %r" % (cat, c))
        # The same gate as CI would run it: the weakest stated figures as --min-*.
        min_p = min(p for p, _ in figures.values())
        min_r = min(r for _, r in figures.values())
        code, _, err = run("eval", "--labels", LABELED, "--min-precision", str(min_p), "--min-recall", str(min_r))
        if not uncovered:
            self.assertEqual(code, 0, err)
        else:
            # A label category without a rule has recall 0: the gate must say so, and only for it.
            self.assertEqual(code, 1, err)
            below = {line.split(": ")[2] for line in err.splitlines() if "below the minimum" in line}
            self.assertEqual(below, uncovered, err)


def main():
    global BIN
    BIN, argv = parse_cli(sys.argv, [])
    unittest.main(argv=argv)


if __name__ == "__main__":
    main()
