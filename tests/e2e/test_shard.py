"""End-to-end: `catscan scan --shard I/N` + `catscan merge` equal one sweep.

On generated catalogs (several files, zstd and plain, and one single zstd
file that has to be cut), at several shard and thread counts, the merged
outputs must be byte-identical to a single sweep's, and manifest.json may
differ only in the documented fields. Merge must refuse partials that do not
make up one sweep, naming the directories.

Run: python3 tests/e2e/test_shard.py [--bin build/catscan]
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import GEN, TempDirTestCase, output_bytes, parse_cli  # noqa: E402

CATSCAN = None
# Under a sanitizer (scripts/sanitize.sh) each run is several times slower: fewer combinations.
SLOW = bool(os.environ.get("CATSCAN_SANITIZER"))
SHARD_COUNTS = (2, 3) if SLOW else (1, 2, 3, 7)
THREAD_COUNTS = (2,) if SLOW else (1, 2)
# manifest.json fields a merge may write differently from a single sweep.
MANIFEST_MAY_DIFFER = {"started_at", "finished_at", "stage_seconds", "threads", "shards"}


class ShardedSweep(TempDirTestCase):
    tmp_prefix = "catscan-shard-"

    def run_cs(self, *args, ok=True):
        p = subprocess.run([CATSCAN, *args], capture_output=True, text=True)
        if ok:
            self.assertEqual(p.returncode, 0, "catscan %s: %s" % (" ".join(args), p.stderr))
        return p

    def gen(self, name, records, seed, *extra):
        out = self.path("catalogs", name)
        subprocess.run([sys.executable, GEN, "--records", str(records), "--seed", str(seed),
                        "--quiet", "--out", out, *extra], check=True)
        return out

    def read(self, d, name):
        with open(os.path.join(d, name), "rb") as f:
            return f.read()

    def sharded(self, inputs, shards, threads, tag):
        parts = []
        for i in range(1, shards + 1):
            d = self.path("%s-part%d" % (tag, i))
            self.run_cs("scan", "--quiet", "--threads", str(threads), "--shard", "%d/%d" % (i, shards),
                        "--out", d, *inputs)
            parts.append(d)
        merged = self.path(tag + "-merged")
        self.run_cs("merge", "--quiet", "--out", merged, *reversed(parts))
        return parts, merged

    def assert_same_sweep(self, single, merged, shards):
        # Every output a sweep writes (verdicts and reports included), but the manifest.
        self.assertEqual(sorted(os.listdir(single)), sorted(os.listdir(merged)))
        for name in sorted(os.listdir(single)):
            if name == "manifest.json":
                continue
            self.assertTrue(output_bytes(single, name) == output_bytes(merged, name),
                            "%s differs (%d shards)" % (name, shards))
        a = json.loads(self.read(single, "manifest.json"))
        b = json.loads(self.read(merged, "manifest.json"))
        self.assertEqual(b["shards"], shards)
        for m in (a, b):  # report.html's hash covers the time it was written
            for o in m.get("outputs", []):
                if o.get("name") == "report.html":
                    o.pop("sha256", None)
        for key in set(a) | set(b):
            if key not in MANIFEST_MAY_DIFFER:
                self.assertEqual(a.get(key), b.get(key), "manifest field %s" % key)

    def test_many_files_and_one_big_file(self):
        # Four shard files (zstd), a plain file with broken lines, and a tiny file.
        multi = self.gen("multi.jsonl.zst", 3000, 3, "--shards", "4")
        plain = self.gen("plain.jsonl", 800, 4, "--broken", "sample")
        tiny = self.gen("tiny.jsonl", 2, 5)
        one_zst = self.gen("one.jsonl.zst", 2500, 6, "--broken", "sample")
        cases = [([os.path.dirname(multi), plain, tiny], "mixed"), ([one_zst], "onefile")]
        for inputs, tag in cases:
            single = self.path(tag + "-single")
            self.run_cs("scan", "--quiet", "--threads", "2", "--out", single, *inputs)
            self.assertGreater(len(self.read(single, "violations.jsonl")), 1000)
            for shards in SHARD_COUNTS:
                for threads in THREAD_COUNTS:
                    with self.subTest(catalog=tag, shards=shards, threads=threads):
                        _, merged = self.sharded(inputs, shards, threads, "%s-%d-%d" % (tag, shards, threads))
                        self.assert_same_sweep(single, merged, shards)

    def test_refusals_name_the_directories(self):
        cat = self.gen("c.jsonl.zst", 600, 7)
        other = self.gen("d.jsonl", 300, 8)
        parts, _ = self.sharded([cat], 3, 1, "a")
        cases = [
            ([parts[0], parts[1], parts[0]], "are both shard 1/3"),
            ([parts[0], parts[2]], "missing shard(s) 2/3"),
        ]
        foreign = self.path("foreign")
        self.run_cs("scan", "--quiet", "--shard", "2/3", "--out", foreign, other)
        cases.append(([parts[0], foreign, parts[2]], "scanned different inputs"))
        no_norm = self.path("no-norm")
        self.run_cs("scan", "--quiet", "--no-normalize", "--shard", "2/3", "--out", no_norm, cat)
        cases.append(([parts[0], no_norm, parts[2]], "different options"))
        os.makedirs(self.path("unfinished", "x"), exist_ok=True)
        cases.append(([parts[0], self.path("unfinished"), parts[2]], "not a complete shard partial"))
        for dirs, why in cases:
            with self.subTest(why=why):
                out = self.path("refused")
                p = self.run_cs("merge", "--out", out, *dirs, ok=False)
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertIn(why, p.stderr)
                self.assertFalse(os.path.exists(os.path.join(out, "manifest.json")))
        p = self.run_cs("scan", "--shard", "4/3", cat, ok=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        p = subprocess.run([CATSCAN, "scan", "--shard", "1/2", "-"], input=b"{}\n", capture_output=True)
        self.assertEqual(p.returncode, 2, p.stderr)


if __name__ == "__main__":
    CATSCAN, argv = parse_cli(sys.argv, ["zstd"])
    unittest.main(argv=argv, verbosity=2)
