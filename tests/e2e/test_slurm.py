"""End-to-end: a sharded sweep on a real single-node Slurm cluster.

Starts munged, slurmctld and slurmd under a temporary directory
(slurm_cluster.py), submits scripts/slurm/submit.sh (a job array of shard
scans plus a merge job that depends on it) over a generated multi-file
catalog, waits, and compares the merged outputs with a local single-process
sweep byte for byte. If the daemons cannot start, the test fails with their
logs: it never skips.

Run: python3 tests/e2e/test_slurm.py [--bin build/catscan]
"""
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import GEN, REPO, TempDirTestCase, output_bytes, parse_cli  # noqa: E402
from slurm_cluster import ClusterError, SlurmCluster  # noqa: E402

CATSCAN = None
SUBMIT = os.path.join(REPO, "scripts", "slurm", "submit.sh")


class SlurmShardedSweep(TempDirTestCase):
    tmp_prefix = "catscan-slurm-"

    def setUp(self):
        super().setUp()
        # munged needs its socket's path searchable by everyone.
        os.chmod(self.tmp, 0o755)
        root = os.path.join(self.tmp, "cluster")
        os.makedirs(root)
        self.cluster = SlurmCluster(root)
        self.addCleanup(self.cluster.stop)  # runs even when start() fails half-way
        try:
            self.cluster.start()
        except (ClusterError, OSError) as e:
            self.fail("Slurm did not start: %s\n%s" % (e, self.cluster.logs()))
        # Several files, zstd and plain, one of them big enough to be cut.
        cat = self.path("catalog", "part.jsonl.zst")
        subprocess.run([sys.executable, GEN, "--records", "4000", "--seed", "10", "--shards", "3",
                        "--broken", "sample", "--quiet", "--out", cat], check=True)
        subprocess.run([sys.executable, GEN, "--records", "1500", "--seed", "11", "--quiet",
                        "--out", self.path("catalog", "tail.jsonl")], check=True)
        self.catalog = os.path.dirname(cat)

    def submit(self, shards, out, inputs, cpus=1):
        p = subprocess.run([SUBMIT, "--bin", CATSCAN, "--shards", str(shards), "--cpus-per-task",
                            str(cpus), "--partition", "e2e", "--partials", self.path(out + "-partials"),
                            "--out", self.path(out), *inputs],
                           env=self.cluster.env, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, "submit.sh failed: %s\n%s" % (p.stderr, self.cluster.logs()))
        array_id, merge_id = p.stdout.split()
        return array_id, merge_id

    def wait(self, ids):
        try:
            return self.cluster.wait_for(ids, timeout=90)
        except ClusterError as e:
            self.fail("%s\n%s" % (e, self.cluster.logs()))

    def test_array_and_merge_equal_a_single_sweep(self):
        single = self.path("single")
        p = subprocess.run([CATSCAN, "scan", "--quiet", "--threads", "2", "--out", single, self.catalog],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)

        t0 = time.time()
        array_id, merge_id = self.submit(4, "merged", [self.catalog])
        states = self.wait([array_id, merge_id])
        round_trip = time.time() - t0
        sys.stderr.write("\n  Slurm round trip (4-task array + merge): %.1f s\n" % round_trip)
        self.assertEqual(set(states.values()), {"COMPLETED"},
                         "%s\n%s" % (states, self.cluster.logs()))
        self.assertEqual(len(states), 5, states)  # 4 array tasks and the merge

        merged = self.path("merged")
        self.assertEqual(sorted(os.listdir(merged)), sorted(os.listdir(single)))
        for name in sorted(n for n in os.listdir(single) if n != "manifest.json"):
            self.assertTrue(output_bytes(single, name) == output_bytes(merged, name),
                            name + " differs between single and merged")
        # Sanity: the catalog really has findings to compare.
        self.assertGreater(os.path.getsize(os.path.join(single, "violations.jsonl")), 1000)
        self.assertGreater(os.path.getsize(os.path.join(single, "quarantine.jsonl")), 0)

    def test_failed_array_cancels_the_merge(self):
        # A shard that cannot read its input fails; the merge must not run (and
        # must not hang PENDING: kill_invalid_depend).
        missing = os.path.join(self.tmp, "no-such.jsonl")
        array_id, merge_id = self.submit(2, "failed", [missing])
        states = self.wait([array_id, merge_id])
        self.assertEqual(states[merge_id], "CANCELLED", states)
        self.assertNotIn("COMPLETED", [s for j, s in states.items() if j != merge_id])
        self.assertFalse(os.path.exists(os.path.join(self.path("failed"), "manifest.json")))


if __name__ == "__main__":
    CATSCAN, argv = parse_cli(sys.argv, ["zstd"])
    unittest.main(argv=argv, verbosity=2)
