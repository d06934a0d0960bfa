"""Helpers shared by the end-to-end suites (test_scan.py, test_reliability.py)."""
import json
import re
import os
import shutil
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEN = os.path.join(REPO, "data", "gen_catalog.py")
PACK_DIR = os.path.join(REPO, "patterns", "default")
DEFAULT_BIN = os.path.join(REPO, "build", "catscan")
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def load_jsonl(path):
    """Every line of a JSONL output, parsed; a line that is not JSON fails the test."""
    rows = []
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                raise AssertionError("%s line %d is not valid JSON (%s): %r" % (path, n, e, line[:200]))
    return rows


# report.html names the time it was written; everything else in a sweep's
# outputs but the manifest must be the same bytes for the same input.
_REPORT_TIME = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def output_bytes(out_dir, name):
    """The bytes of one sweep output, with report.html's write time masked."""
    with open(os.path.join(out_dir, name), "rb") as f:
        data = f.read()
    return _REPORT_TIME.sub(b"<time>", data) if name == "report.html" else data


def first_diff(a, b):
    """Index and values of the first difference of two sequences."""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "first difference at item %d:\n  got:  %r\n  want: %r" % (i + 1, x, y)
    if len(a) != len(b):
        return "lengths differ: got %d, want %d; first extra: %r" % (
            len(a), len(b), (a[len(b)] if len(a) > len(b) else b[len(a)]))
    return "equal"


def parse_cli(argv, tools):
    """Takes --bin PATH (or --bin=PATH) out of argv; returns (absolute binary, unittest argv).

    Exits with a message if the binary is not executable or a needed command is missing.
    """
    binary, rest, args, i = DEFAULT_BIN, [argv[0]], argv[1:], 0
    while i < len(args):
        a = args[i]
        if a == "--bin" and i + 1 < len(args):
            binary = args[i + 1]
            i += 2
            continue
        if a.startswith("--bin="):
            binary = a[len("--bin="):]
        else:
            rest.append(a)
        i += 1
    binary = os.path.abspath(binary)
    if not os.access(binary, os.X_OK):
        sys.exit("no executable %s: build first, or pass --bin PATH" % binary)
    for tool in tools:
        if shutil.which(tool) is None:
            sys.exit("the %s command is needed" % tool)
    return binary, rest


class TempDirTestCase(unittest.TestCase):
    """A test case with a fresh temporary directory (kept when CATSCAN_E2E_KEEP=1)."""
    tmp_prefix = "catscan-e2e-"

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix=self.tmp_prefix)

    def tearDown(self):
        if os.environ.get("CATSCAN_E2E_KEEP") == "1":
            sys.stderr.write("\n  kept %s\n" % self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        """A path under the test's directory, its parent directories created."""
        p = os.path.join(self.tmp, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p


class Output(object):
    """The outputs of one sweep, every JSONL line parsed."""

    def __init__(self, out_dir):
        self.dir = out_dir
        with open(os.path.join(out_dir, "manifest.json"), "rb") as f:
            self.manifest = json.loads(f.read())
        self.violations = load_jsonl(os.path.join(out_dir, "violations.jsonl"))
        self.merchants = load_jsonl(os.path.join(out_dir, "merchants.jsonl"))
        self.quarantine = load_jsonl(os.path.join(out_dir, "quarantine.jsonl"))

    def raw(self, name):
        with open(os.path.join(self.dir, name), "rb") as f:
            return f.read()

    def counts(self):
        m = self.manifest
        return (m["records_read"], m["records_scanned"], m["records_quarantined"])
