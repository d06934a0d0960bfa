#!/usr/bin/env python3
"""End-to-end tests of `catscan scan` on catalogs made by data/gen_catalog.py.

  python3 tests/e2e/test_scan.py [--bin build/catscan] [unittest options, e.g. -v or a test name]

Standard library only. Every test works in a fresh temporary directory (kept
when CATSCAN_E2E_KEEP=1), generates small catalogs with fixed seeds, runs the
CLI and compares its outputs with exact values derived from the generator's
truth file and from the catalog itself. The rule pack is patterns/default.
"""

import collections
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import DEFAULT_BIN, GEN, PACK_DIR, REPO, ZSTD_MAGIC, first_diff, load_jsonl, parse_cli, Output, TempDirTestCase  # noqa: E402

BIN = DEFAULT_BIN  # replaced by --bin in main()

sys.path.insert(0, os.path.join(REPO, "data"))
import gen_catalog  # noqa: E402  (the pack reader and Python reading of the patterns)

PACK = gen_catalog.Pack(PACK_DIR)
OUTPUTS = ("merchants.jsonl", "violations.jsonl", "quarantine.jsonl")

# Kinds of evasive spelling (gen_catalog.EVASION_KINDS) that the scanner is expected
# to see through: all of them, since the default pack's rules match the normalized
# text (scanner/normalize/). Their injections count as expected hits everywhere below,
# with evidence offsets into the original (evasive) spelling.
EVASION_KINDS_DETECTED = frozenset(gen_catalog.EVASION_KINDS)


def evasive_expected(ev):
    """True if the scanner should report this evasive injection (see above)."""
    return ev["kind"] in EVASION_KINDS_DETECTED


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def norm_id(x):
    """Item ids compare as strings: the catalog has a few integer ids."""
    return None if x is None else str(x)


def read_bytes(path):
    """The decompressed bytes of a catalog file (zstd detected by magic bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] == ZSTD_MAGIC:
        p = subprocess.run(["zstd", "-dc", "-q"], input=data, capture_output=True, check=True)
        data = p.stdout
    return data


def physical_lines(data):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines



class Truth(object):
    """The generator's truth file: injected records and broken lines."""

    def __init__(self, path):
        self.records, self.broken = [], []
        for row in load_jsonl(path):
            (self.broken if "line" in row else self.records).append(row)
        self.by_item = {norm_id(t["item_id"]): t for t in self.records}

    def expected_pairs(self):
        pairs = set()
        for t in self.records:
            for r in t["rules"]:
                pairs.add((norm_id(t["item_id"]), r))
            for ev in t["evasive"]:
                if evasive_expected(ev):
                    pairs.add((norm_id(t["item_id"]), ev["rule_id"]))
        return pairs

    def quarantined(self):
        return sorted((b["file"], b["line"]) for b in self.broken if b["quarantine"])


class Catalog(object):
    """The records of the given input files, in input order; broken lines excluded via the truth."""

    def __init__(self, paths, truth=None):
        bad = set()
        if truth is not None:
            bad = {(b["file"], b["line"]) for b in truth.broken}
        self.lines = {}            # basename -> [bytes]
        self.nonblank = 0
        self.records = []          # parsed dicts of readable records, in order
        self.by_item = {}          # item id -> (position, record)
        for p in paths:
            base = os.path.basename(p)
            lines = physical_lines(read_bytes(p))
            self.lines[base] = lines
            for n, line in enumerate(lines, 1):
                if line.strip():
                    self.nonblank += 1
                if (base, n) in bad or not line.strip():
                    continue
                d = json.loads(line)
                key = norm_id(d["item_id"])
                assert key not in self.by_item, "generator bug: duplicate item id %s" % key
                self.by_item[key] = (len(self.records), d)
                self.records.append(d)


def set_diff(got, want):
    extra, missing = sorted(got - want), sorted(want - got)
    return "%d unexpected (first: %s), %d missing (first: %s)" % (
        len(extra), extra[:3], len(missing), missing[:3])


def is_int(x):
    return isinstance(x, int) and not isinstance(x, bool)


def expected_merchants(catalog, violations):
    """merchants.jsonl as computed from the catalog and violations.jsonl."""
    scanned = collections.Counter(d["merchant_id"] for d in catalog.records)
    per = {}
    for v in violations:
        m = v["merchant_id"]
        e = per.setdefault(m, {"items": set(), "violations": 0, "by_category": collections.Counter(),
                               "by_rule": collections.Counter()})
        e["items"].add(norm_id(v["item_id"]))
        e["violations"] += 1
        e["by_category"][v["category"]] += 1
        e["by_rule"][v["rule_id"]] += 1
    rows = []
    for m in sorted(per, key=lambda s: s.encode("utf-8")):
        e = per[m]
        rows.append({"merchant_id": m, "items_scanned": scanned[m], "items_violating": len(e["items"]),
                     "violations": e["violations"], "by_category": dict(e["by_category"]),
                     "by_rule": dict(e["by_rule"])})
    return rows


MERCHANT_KEYS = ("merchant_id", "items_scanned", "items_violating", "violations", "by_category", "by_rule")


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

class ScanTest(TempDirTestCase):
    maxDiff = 4000
    tmp_prefix = "catscan-e2e-"

    # ---- running things ----

    def gen(self, out, records, seed, *extra, truth=True):
        """Runs the generator; returns the Truth (or None)."""
        tpath = out + ".truth" if truth else None
        cmd = [sys.executable, GEN, "--quiet", "--records", str(records), "--seed", str(seed), "--out", out]
        if tpath:
            cmd += ["--truth", tpath]
        p = subprocess.run(cmd + list(extra), capture_output=True, timeout=120)
        if p.returncode != 0:
            self.fail("generator failed (%d): %s" % (p.returncode, p.stderr.decode("utf-8", "replace")[-2000:]))
        return Truth(tpath) if tpath else None

    def run_cli(self, args, stdin_bytes=None):
        return subprocess.run([BIN] + args, input=stdin_bytes, capture_output=True, timeout=120, cwd=self.tmp)

    def scan(self, name, inputs, *flags, stdin_bytes=None):
        """Runs `catscan scan` into tmp/<name>; fails the test on a non-zero exit."""
        out = os.path.join(self.tmp, name)
        args = ["scan", "--rules", PACK_DIR, "--quiet", "--out", out] + list(flags) + list(inputs)
        p = self.run_cli(args, stdin_bytes)
        if p.returncode != 0:
            self.fail("catscan %s\nexited %d; stderr:\n%s" % (" ".join(args), p.returncode,
                                                              p.stderr.decode("utf-8", "replace")[-3000:]))
        return Output(out)

    # ---- shared checks ----

    def assert_same_files(self, a, b, names=OUTPUTS, what=""):
        for n in names:
            x, y = a.raw(n), b.raw(n)
            if x != y:
                self.fail("%s: %s differs between %s and %s; %s" % (
                    what, n, a.dir, b.dir, first_diff(x.split(b"\n"), y.split(b"\n"))))

    def assert_counts(self, out, catalog, truth, threads=None):
        m = out.manifest
        for k in ("records_read", "records_scanned", "records_quarantined", "records_violating", "violations"):
            self.assertTrue(is_int(m.get(k)), "manifest %s is %r, want an integer" % (k, m.get(k)))
        self.assertEqual(m["records_read"], catalog.nonblank, "records_read != non-blank input lines")
        self.assertEqual(m["records_read"], m["records_scanned"] + m["records_quarantined"],
                         "records_read != scanned + quarantined")
        self.assertEqual(m["records_scanned"], len(catalog.records), "records_scanned != readable records")
        self.assertEqual(m["records_quarantined"], len(truth.quarantined()), "records_quarantined")
        self.assertEqual(m["records_quarantined"], len(out.quarantine), "records_quarantined != quarantine.jsonl lines")
        want_violating = len({i for i, _ in truth.expected_pairs()})
        self.assertEqual(m["records_violating"], want_violating, "records_violating != truth records with rules")
        self.assertEqual(m["violations"], len(out.violations), "manifest violations != violations.jsonl lines")
        if threads is not None:
            self.assertEqual(m.get("threads"), threads, "manifest threads")

    def assert_manifest_shape(self, out, inputs, compressed):
        m = out.manifest
        self.assertIsInstance(m.get("inputs"), list, "manifest inputs")
        self.assertEqual([os.path.basename(i.get("path", "")) for i in m["inputs"]],
                         [os.path.basename(p) for p in inputs], "manifest input paths")
        for i, p, c in zip(m["inputs"], inputs, compressed):
            self.assertIs(i.get("compressed"), c, "manifest compressed for %s" % p)
            self.assertEqual(i.get("bytes"), os.path.getsize(p), "manifest bytes (size on disk) for %s" % p)
        rp = m.get("rule_pack") or {}
        self.assertEqual(rp.get("name"), PACK.name, "rule_pack.name")
        self.assertEqual(rp.get("version"), PACK.version, "rule_pack.version")
        self.assertTrue(isinstance(rp.get("hash"), str) and rp["hash"], "rule_pack.hash: %r" % rp.get("hash"))
        for k in ("tool_version", "started_at", "finished_at"):
            self.assertTrue(isinstance(m.get(k), str) and m[k], "manifest %s: %r" % (k, m.get(k)))
        self.assertIsInstance(m.get("stage_seconds"), dict, "manifest stage_seconds")
        for k, v in m["stage_seconds"].items():
            self.assertTrue(isinstance(v, (int, float)) and v >= 0, "stage_seconds.%s = %r" % (k, v))

    def assert_violations(self, out, catalog, truth):
        """Exact (item, rule) pairs, evidence offsets, rule metadata, input order, no evasive hit."""
        got = {(norm_id(v.get("item_id")), v.get("rule_id")) for v in out.violations}
        want = truth.expected_pairs()
        if got != want:
            self.fail("(item_id, rule_id) pairs differ from the truth: " + set_diff(got, want))
        last_pos = -1
        hits_by_item_field = collections.defaultdict(list)
        for n, v in enumerate(out.violations, 1):
            where = "violations.jsonl line %d %r" % (n, v)
            for k in ("item_id", "merchant_id", "rule_id", "category", "clause", "severity", "field", "start", "end",
                      "text"):
                self.assertIn(k, v, where)
            pos, rec = catalog.by_item[norm_id(v["item_id"])]
            self.assertGreaterEqual(pos, last_pos, "violations not in input order at " + where)
            last_pos = pos
            self.assertEqual(v["merchant_id"], rec["merchant_id"], "merchant_id of " + where)
            rule = PACK.by_id[v["rule_id"]]
            self.assertEqual((v["category"], v["clause"], v["severity"]), (rule.category, rule.clause, rule.severity),
                             "rule metadata of " + where)
            if rule.check and not rule.regexes:   # a field check; a check on a text hit reports the hit
                self.assertEqual(v["field"], rule.check_fields[0], "field of a check hit, " + where)
                self.assertIsNone(v["start"], where)
                self.assertIsNone(v["end"], where)
                self.assertTrue(isinstance(v["text"], str) and v["text"], "check hit text, " + where)
                continue
            self.assertIn(v["field"], ("title", "detail_html"), where)
            self.assertTrue(is_int(v["start"]) and is_int(v["end"]), where)
            field = rec.get(v["field"])
            self.assertIsInstance(field, str, where)
            b = field.encode("utf-8")
            self.assertTrue(0 <= v["start"] < v["end"] <= len(b), "offsets out of range, " + where)
            self.assertEqual(b[v["start"]:v["end"]], v["text"].encode("utf-8"),
                             "field bytes [start,end) != text, " + where)
            # Rules match the normalized text: "normalized" is given when it differs
            # from the original spelling in "text".
            if "normalized" in v:
                self.assertNotEqual(v["normalized"], v["text"], "normalized given but equal, " + where)
            matched = v.get("normalized", v["text"])
            self.assertTrue(any(rx.search(matched) for rx in rule.regexes),
                            "hit text matches none of the rule's patterns (Python re), " + where)
            hits_by_item_field[(norm_id(v["item_id"]), v["field"])].append((v["start"], v["end"], n))
        # Evasive spellings: the raw pack must not report them (see EVASION_KINDS_DETECTED).
        for t in truth.records:
            iid = norm_id(t["item_id"])
            for ev in t["evasive"]:
                if evasive_expected(ev):
                    continue
                text = catalog.by_item[iid][1][ev["field"]]
                at = text.find(ev["text"])
                self.assertGreaterEqual(at, 0, "generator bug: evasive text not in its field: %r" % ev)
                s = len(text[:at].encode("utf-8"))
                e = s + len(ev["text"].encode("utf-8"))
                for hs, he, n in hits_by_item_field[(iid, ev["field"])]:
                    self.assertFalse(hs < e and s < he, "violations.jsonl line %d overlaps the evasive %s spelling "
                                     "%r of %s in item %s (the raw pack does not yet see through evasion)"
                                     % (n, ev["kind"], ev["text"], ev["rule_id"], iid))

    def assert_merchants(self, out, catalog, truth=None):
        got = [{k: r.get(k) for k in MERCHANT_KEYS} for r in out.merchants]
        want = expected_merchants(catalog, out.violations)
        if got != want:
            self.fail("merchants.jsonl differs from catalog + violations.jsonl: " + first_diff(got, want))
        if truth is not None:
            per = collections.Counter()
            for t in truth.records:
                if t["rules"] or any(evasive_expected(e) for e in t["evasive"]):
                    per[t["merchant_id"]] += 1
            got_iv = {r["merchant_id"]: r["items_violating"] for r in out.merchants}
            self.assertEqual(got_iv, dict(per), "items_violating per merchant != truth")

    def assert_quarantine(self, out, catalog, truth, file_for=None):
        got = []
        for n, q in enumerate(out.quarantine, 1):
            where = "quarantine.jsonl line %d %r" % (n, q)
            for k in ("file", "line", "reason", "raw"):
                self.assertIn(k, q, where)
            self.assertTrue(isinstance(q["reason"], str) and q["reason"].strip(), "empty reason, " + where)
            base = os.path.basename(q["file"])
            if file_for is not None:
                self.assertEqual(q["file"], file_for[base], "file as given on the command line, " + where)
            got.append((base, q["line"]))
            lines = catalog.lines.get(base)
            self.assertIsNotNone(lines, "unknown file, " + where)
            self.assertTrue(is_int(q["line"]) and 1 <= q["line"] <= len(lines), "bad line number, " + where)
            line = lines[q["line"] - 1].decode("utf-8", "replace")
            self.assertIsInstance(q["raw"], str, where)
            self.assertTrue(line.startswith(q["raw"]), "raw is not a prefix of input line %d (%r), %s"
                            % (q["line"], line[:120], where))
            if len(line.encode("utf-8")) < 1000:
                self.assertEqual(q["raw"], line, "a short line must be kept whole, " + where)
        self.assertEqual(sorted(got), truth.quarantined(), "quarantined (file, line) != the broken lines")
        self.assertEqual(got, sorted(got, key=lambda x: (list(catalog.lines).index(x[0]), x[1])),
                         "quarantine.jsonl not in input order")

    # ---- 1. truth ----

    def test_01_truth(self):
        cat = self.path("cat.jsonl")
        truth = self.gen(cat, 4000, 7)
        catalog = Catalog([cat], truth)
        self.assertEqual(len(catalog.records), 4000)
        out = self.scan("out", [cat], "--threads", "2")
        self.assert_counts(out, catalog, truth, threads=2)
        self.assert_manifest_shape(out, [cat], [False])
        self.assert_violations(out, catalog, truth)
        self.assertEqual(out.quarantine, [])

    # ---- 2. merchants ----

    def test_02_merchants(self):
        cat = self.path("cat.jsonl")
        truth = self.gen(cat, 4000, 7)
        catalog = Catalog([cat], truth)
        out = self.scan("out", [cat])
        self.assert_merchants(out, catalog, truth)
        ids = [r["merchant_id"] for r in out.merchants]
        self.assertEqual(len(ids), len(set(ids)), "a merchant appears twice")

    # ---- 3. determinism across thread counts ----

    def test_03_threads_byte_identical(self):
        cat = self.path("cat.jsonl")
        truth = self.gen(cat, 5000, 13, "--broken")
        catalog = Catalog([cat], truth)
        one = self.scan("t1", [cat], "--threads", "1")
        two = self.scan("t2", [cat], "--threads", "2")
        self.assert_same_files(one, two, what="--threads 1 vs 2")
        self.assertTrue(one.raw("quarantine.jsonl"), "the --broken catalog must quarantine something")
        for out, n in ((one, 1), (two, 2)):
            self.assert_counts(out, catalog, truth, threads=n)

    # ---- 4. shards ----

    def test_04_shards(self):
        single = self.path("single", "cat.jsonl")
        truth = self.gen(single, 4000, 21)
        sharded = self.path("shards", "cat.jsonl")
        self.gen(sharded, 4000, 21, "--shards", "3", truth=False)
        parts = [os.path.join(self.tmp, "shards", "cat-%05d-of-00003.jsonl" % i) for i in (1, 2, 3)]
        self.assertEqual(sorted(os.listdir(os.path.dirname(sharded))), [os.path.basename(p) for p in parts])
        self.assertEqual(b"".join(read_bytes(p) for p in parts), read_bytes(single),
                         "generator bug: shards do not concatenate to the single file")
        one = self.scan("one", [single])
        files = self.scan("files", parts)
        folder = self.scan("dir", [os.path.dirname(sharded)])
        self.assert_same_files(one, files, ("merchants.jsonl", "violations.jsonl"), "single file vs 3 shard files")
        self.assert_same_files(one, folder, ("merchants.jsonl", "violations.jsonl"), "single file vs shard directory")
        self.assert_violations(files, Catalog(parts), truth)
        self.assert_manifest_shape(files, parts, [False] * 3)
        self.assert_manifest_shape(folder, parts, [False] * 3)
        for out in (files, folder):
            self.assertEqual(out.manifest["records_read"], 4000)

    # ---- 5. zstd ----

    def test_05_zstd_same_as_plain(self):
        plain, packed = self.path("p", "cat.jsonl"), self.path("z", "cat.jsonl.zst")
        truth = self.gen(plain, 3000, 5)
        self.gen(packed, 3000, 5, truth=False)
        with open(packed, "rb") as f:
            self.assertEqual(f.read(4), ZSTD_MAGIC)
        self.assertEqual(read_bytes(packed), read_bytes(plain), "generator bug: .zst content != .jsonl")
        a = self.scan("plain", [plain])
        b = self.scan("zst", [packed])
        self.assert_same_files(a, b, what=".jsonl vs .jsonl.zst")
        self.assert_manifest_shape(a, [plain], [False])
        self.assert_manifest_shape(b, [packed], [True])
        self.assert_violations(b, Catalog([packed]), truth)
        renamed = self.path("r", "looks-plain.jsonl")
        shutil.copyfile(packed, renamed)
        c = self.scan("renamed", [renamed])
        self.assert_same_files(a, c, what=".jsonl vs zstd bytes named .jsonl")
        self.assert_manifest_shape(c, [renamed], [True])

    def test_05b_zstd_multi_frame_at_line_end(self):
        plain = self.path("p", "cat.jsonl")
        self.gen(plain, 3000, 6, truth=False)
        self.gen(self.path("z", "cat.jsonl.zst"), 3000, 6, "--shards", "2", truth=False)
        parts = [os.path.join(self.tmp, "z", "cat-%05d-of-00002.jsonl.zst" % i) for i in (1, 2)]
        multi = self.path("m", "multi.jsonl.zst")
        with open(multi, "wb") as f:
            for p in parts:
                with open(p, "rb") as g:
                    f.write(g.read())
        self.assertEqual(read_bytes(multi), read_bytes(plain), "test bug: two frames != the plain file")
        a = self.scan("plain", [plain])
        b = self.scan("multi", [multi])
        self.assertEqual(b.manifest["records_read"], 3000, "records_read of a two-frame file")
        self.assert_same_files(a, b, ("merchants.jsonl", "violations.jsonl"), "plain vs two zstd frames")

    def test_05c_zstd_frame_boundary_inside_a_line(self):
        plain = self.path("p", "cat.jsonl")
        self.gen(plain, 3000, 6, truth=False)
        data = read_bytes(plain)
        cut = data.index(b"\n", len(data) // 2) - 17   # mid-record, not at a line end
        multi = self.path("m", "split.jsonl.zst")
        with open(multi, "wb") as f:
            for piece in (data[:cut], data[cut:]):
                f.write(subprocess.run(["zstd", "-q", "-3", "-c"], input=piece, capture_output=True,
                                       check=True).stdout)
        self.assertEqual(read_bytes(multi), data)
        a = self.scan("plain", [plain])
        b = self.scan("multi", [multi])
        self.assertEqual(b.manifest["records_read"], 3000, "records_read with a frame boundary inside a line")
        self.assert_same_files(a, b, ("merchants.jsonl", "violations.jsonl"), "plain vs frames split mid-line")

    # ---- 6. stdin ----

    def test_06_stdin_plain(self):
        cat = self.path("cat.jsonl")
        self.gen(cat, 3000, 8, truth=False)
        a = self.scan("file", [cat])
        with open(cat, "rb") as f:
            b = self.scan("stdin", ["-"], stdin_bytes=f.read())
        self.assert_same_files(a, b, ("merchants.jsonl", "violations.jsonl"), "file vs stdin")
        self.assertEqual(b.manifest["records_read"], a.manifest["records_read"])

    def test_06b_stdin_zstd(self):
        cat, packed = self.path("cat.jsonl"), self.path("cat.jsonl.zst")
        self.gen(cat, 3000, 8, truth=False)
        self.gen(packed, 3000, 8, truth=False)
        a = self.scan("file", [cat])
        with open(packed, "rb") as f:
            b = self.scan("stdin", ["-"], stdin_bytes=f.read())
        self.assert_same_files(a, b, ("merchants.jsonl", "violations.jsonl"), "file vs zstd on stdin")

    # ---- 7. quarantine ----

    def test_07_quarantine(self):
        scenarios = (("cat.jsonl", ["--broken"], None),
                     ("cat.jsonl.zst", ["--broken"], None),
                     ("sharded.jsonl", ["--broken", "--shards", "2"], ["sharded-00001-of-00002.jsonl",
                                                                      "sharded-00002-of-00002.jsonl"]),
                     ("sampleset.jsonl", ["--broken", "sample"], None))
        for name, extra, shard_names in scenarios:
            with self.subTest(catalog=name, flags=extra):
                path = self.path(name.replace(".", "_"), name)
                truth = self.gen(path, 3000, 11, *extra)
                inputs = [os.path.join(os.path.dirname(path), n) for n in (shard_names or [name])]
                self.assertEqual(len(truth.quarantined()), 7, "generator: 7 broken lines expected")
                catalog = Catalog(inputs, truth)
                self.assertEqual(len(catalog.records), 3000)
                out = self.scan("out_" + name, inputs)
                self.assert_quarantine(out, catalog, truth, file_for={os.path.basename(p): p for p in inputs})
                self.assert_counts(out, catalog, truth)
                self.assert_violations(out, catalog, truth)
                self.assert_merchants(out, catalog, truth)

    # ---- the committed sample ----

    def test_09_committed_sample(self):
        """data/sample.jsonl.zst is what its documented command makes, and scans to its truth."""
        sample = os.path.join(REPO, "data", "sample.jsonl.zst")
        truth_path = os.path.join(REPO, "data", "truth", "sample.jsonl")
        regen = self.path("sample.jsonl.zst")
        cmd = ("python3 data/gen_catalog.py --records 3000 --seed 1 --merchants 60 --broken sample "
               "--out data/sample.jsonl.zst --truth data/truth/sample.jsonl")
        self.gen(regen, 3000, 1, "--merchants", "60", "--broken", "sample")
        self.assertEqual(read_bytes(regen), read_bytes(sample),
                         "data/sample.jsonl.zst is stale; regenerate it with: " + cmd)
        with open(regen + ".truth", "rb") as a, open(truth_path, "rb") as b:
            self.assertEqual(a.read(), b.read(), "data/truth/sample.jsonl is stale; regenerate it with: " + cmd)
        truth = Truth(truth_path)
        catalog = Catalog([sample], truth)
        out = self.scan("out", [sample], "--threads", "2")
        self.assert_counts(out, catalog, truth, threads=2)
        self.assert_violations(out, catalog, truth)
        self.assert_merchants(out, catalog, truth)
        self.assert_quarantine(out, catalog, truth, file_for={"sample.jsonl.zst": sample})

    # ---- 8. bad invocations ----

    def test_08_missing_input(self):
        missing = os.path.join(self.tmp, "no-such-catalog.jsonl")
        p = self.run_cli(["scan", "--rules", PACK_DIR, "--quiet", "--out", os.path.join(self.tmp, "o"), missing])
        self.assertTrue(0 < p.returncode < 128, "exit %d for a missing input (want 1..127)" % p.returncode)
        err = p.stderr.decode("utf-8", "replace")
        self.assertIn("no-such-catalog.jsonl", err, "stderr does not name the missing file: %r" % err[-500:])

    def test_08b_missing_input_among_good_ones(self):
        cat = self.path("cat.jsonl")
        self.gen(cat, 2000, 9, truth=False)
        missing = os.path.join(self.tmp, "gone.jsonl.zst")
        p = self.run_cli(["scan", "--rules", PACK_DIR, "--quiet", "--out", os.path.join(self.tmp, "o"), cat, missing])
        self.assertTrue(0 < p.returncode < 128, "exit %d with one missing input (want 1..127)" % p.returncode)
        self.assertIn("gone.jsonl.zst", p.stderr.decode("utf-8", "replace"))

    def test_08c_help(self):
        for args in (["--help"], ["scan", "--help"]):
            with self.subTest(args=args):
                p = self.run_cli(args)
                self.assertEqual(p.returncode, 0, "%s exits %d" % (args, p.returncode))
                self.assertTrue((p.stdout + p.stderr).strip(), "%s prints nothing" % args)

    def test_08d_unknown_flag(self):
        p = self.run_cli(["scan", "--no-such-flag", os.path.join(self.tmp, "x.jsonl")])
        self.assertTrue(0 < p.returncode < 128, "exit %d for an unknown flag (want 1..127)" % p.returncode)


def main():
    global BIN
    BIN, argv = parse_cli(sys.argv, ("zstd",))
    unittest.main(argv=argv)


if __name__ == "__main__":
    main()
