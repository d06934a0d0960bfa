#!/usr/bin/env python3
"""End-to-end checks of pattern-set tooling: `catscan bench-rules` (hits per rule, the diff of two
packs, its JSON), plain pattern lists (`--literal`, `--skip-bad-patterns`) and the compiled
database cache (`--cache-dir`), on tiny hand-written inputs whose answers are known exactly.

  python3 tests/e2e/test_rulebench.py [--bin build/catscan]
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import Output, TempDirTestCase, parse_cli  # noqa: E402

BIN = None


def read(path):
    with open(path, "rb") as f:
        return f.read()

# (item_id, title, detail_html); every line a readable record except the one "not json".
RECORDS = [
    ("I1", "今天免费送好礼", "<p>质量好</p>"),  # A only: a.free
    ("I2", "加 微信 领优惠", ""),  # B only: line-2
    ("I3", "工厂倒闭清仓", "工厂倒闭最后三天"),  # both: a.factory (2 fields), line-3 (2), line-4 (1)
    ("I4", "普通商品", "<b>好用</b>"),  # neither
]

PACK_A = """rules:
  - id: a.free
    title: free gift
    category: fake_freebie
    clause: "3.2"
    severity: general
    fields: [any]
    patterns:
      - {literal: "免费送"}
  - id: a.factory
    title: factory closing
    category: fake_clearance
    clause: "3.3"
    severity: serious
    fields: [any]
    patterns:
      - {literal: "工厂倒闭"}
  - id: a.never
    title: never hits
    category: fake_clearance
    clause: "3.3"
    severity: minor
    fields: [title]
    patterns:
      - '跳楼价'
"""

PATTERNS_B = "# pack B\n加 *微信\n工厂倒闭\n清仓\n"


class RuleBenchTest(TempDirTestCase):
    def setUp(self):
        super().setUp()
        self.sample = self.path("sample.jsonl")
        with open(self.sample, "w", encoding="utf-8") as f:
            for item, title, detail in RECORDS:
                f.write(json.dumps({"item_id": item, "merchant_id": "M1", "title": title,
                                    "detail_html": detail, "price": 9.9}, ensure_ascii=False) + "\n")
            f.write("not json\n")
        with open(self.path("packA", "rules.yaml"), "w", encoding="utf-8") as f:
            f.write(PACK_A)
        with open(self.path("packA", "pack.yaml"), "w", encoding="utf-8") as f:
            f.write("name: a\nversion: 3\n")
        self.patterns_b = self.path("b.txt")
        with open(self.patterns_b, "w", encoding="utf-8") as f:
            f.write(PATTERNS_B)

    def run_cli(self, args, code=0):
        env = dict(os.environ, XDG_CACHE_HOME=self.path("xdg"))
        p = subprocess.run([BIN] + args, capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, code, "exit %d for %s\nstdout: %s\nstderr: %s" % (
            p.returncode, args, p.stdout[-2000:], p.stderr[-2000:]))
        return p

    def test_bench_rules_two_packs(self):
        out = self.path("bench.json")
        p = self.run_cli(["bench-rules", "--input", self.sample, "--json", out,
                          self.path("packA"), self.patterns_b])
        with open(out, encoding="utf-8") as f:
            j = json.load(f)
        self.assertEqual(j["sample"]["records"], 4)
        a, b = j["packs"]
        self.assertEqual(a["id"], "a@3")
        self.assertEqual((a["rules"], a["patterns"], b["rules"], b["patterns"]), (3, 3, 3, 3))
        self.assertEqual(a["hits_per_rule"], {"a.free": {"listings": 1, "violations": 1},
                                              "a.factory": {"listings": 1, "violations": 2}})
        self.assertEqual(a["rules_without_hits"], 1)
        self.assertEqual(b["hits_per_rule"], {"line-2": {"listings": 1, "violations": 1},
                                              "line-3": {"listings": 1, "violations": 2},
                                              "line-4": {"listings": 1, "violations": 1}})
        self.assertEqual((a["listings_hit"], a["violations"], b["listings_hit"], b["violations"]),
                         (2, 3, 2, 4))
        self.assertEqual(j["diff"], {
            "only_a": {"listings": 1, "examples": [{"item_id": "I1", "title": "今天免费送好礼",
                                                    "rules": ["a.free"]}]},
            "only_b": {"listings": 1, "examples": [{"item_id": "I2", "title": "加 微信 领优惠",
                                                    "rules": ["line-2"]}]}})
        for pack in (a, b):
            self.assertTrue(pack["profiled"])
            self.assertEqual(len(pack["expensive_rules"]), 3)
            self.assertAlmostEqual(sum(r["share"] for r in pack["expensive_rules"]), 1.0, places=6)
            self.assertGreater(pack["database_bytes"], 0)
            self.assertGreater(pack["scratch_bytes"], 0)
            self.assertGreater(pack["jsonl_gb_per_s"], 0)
        self.assertIn("listings hit only by A: 1", p.stdout)
        self.assertIn("I2", p.stdout)

    def test_literal_list_and_bad_lines(self):
        words = self.path("words.txt")
        with open(words, "wb") as f:  # '#' starts a word here; line 3 is not UTF-8
            f.write("免费送\n#热卖\n".encode() + b"\xff\xfe\n" + "工厂倒闭\n".encode())
        self.run_cli(["scan", "--quiet", "--out", self.path("o1"), "--patterns", words,
                      "--literal", self.sample], code=4)
        p = self.run_cli(["scan", "--quiet", "--out", self.path("o1"), "--patterns", words,
                          "--literal", "--skip-bad-patterns", self.sample])
        self.assertIn("words.txt:3: rule line-3: warning: the pattern is not valid UTF-8; skipped",
                      p.stderr)
        rules = sorted((v["item_id"], v["rule_id"], v["field"]) for v in Output(self.path("o1")).violations)
        self.assertEqual(rules, [("I1", "line-1", "title"), ("I3", "line-4", "detail_html"),
                                 ("I3", "line-4", "title")])

        regexes = self.path("regexes.txt")
        with open(regexes, "w", encoding="utf-8") as f:
            f.write("(?<=加)微信\n清仓\n[\\u4e00-\\u9fa5\n")  # lookbehind; JS escapes, unclosed class
        p = self.run_cli(["scan", "--quiet", "--out", self.path("o2"), "--patterns", regexes,
                          self.sample], code=4)
        self.assertIn("regexes.txt:1: rule line-1: error:", p.stderr)
        self.assertIn("regexes.txt:3: rule line-3: error:", p.stderr)
        p = self.run_cli(["scan", "--quiet", "--out", self.path("o2"), "--patterns", regexes,
                          "--skip-bad-patterns", self.sample])
        self.assertIn("skipped 2 pattern(s)", p.stderr)
        rules = sorted((v["item_id"], v["rule_id"]) for v in Output(self.path("o2")).violations)
        self.assertEqual(rules, [("I3", "line-2")])

    def test_cache_hit_corrupt_and_disabled(self):
        cache = os.path.join(self.tmp, "cache")  # created by catscan
        args = ["scan", "--quiet", "--cache-dir", cache, "--patterns", self.patterns_b]
        self.run_cli(args + ["--out", self.path("c1"), self.sample])
        files = sorted(os.listdir(cache))
        self.assertEqual(len(files), 2, files)
        self.assertTrue(all(f.endswith(".hsdb") for f in files), files)
        want = Output(self.path("c1")).raw("violations.jsonl")
        # Corrupt one file: the sweep must not trust it, must give the same answer, and rewrites it.
        victim = os.path.join(cache, files[0])
        good = read(victim)
        with open(victim, "r+b") as f:
            f.seek(len(good) - 50)
            f.write(b"\x00" * 10)
        self.run_cli(args + ["--out", self.path("c2"), self.sample])
        self.assertEqual(Output(self.path("c2")).raw("violations.jsonl"), want)
        self.assertEqual(read(victim), good)
        self.assertEqual(sorted(os.listdir(cache)), files)
        # --no-cache writes nothing, also not to $XDG_CACHE_HOME.
        self.run_cli(["scan", "--quiet", "--no-cache", "--patterns", self.patterns_b, "--out",
                      self.path("c3"), self.sample])
        self.assertFalse(os.path.exists(self.path("xdg", "catscan")))
        # The default directory is $XDG_CACHE_HOME/catscan.
        self.run_cli(["scan", "--quiet", "--patterns", self.patterns_b, "--out", self.path("c4"),
                      self.sample])
        self.assertEqual(sorted(os.listdir(self.path("xdg", "catscan"))), files)


def main():
    global BIN
    BIN, argv = parse_cli(sys.argv, ())
    import unittest
    unittest.main(argv=argv)


if __name__ == "__main__":
    main()
