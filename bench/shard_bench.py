#!/usr/bin/env python3
"""Shard overhead: one sweep vs N shard scans (+ merge) of the same catalog.

Runs the shards one after another on this machine, so each shard's wall time
is what it would take on its own node. Checks first (merged outputs must equal
the single sweep's byte for byte), then times (best of --repeat).

  python3 bench/shard_bench.py --shards 3 --threads 1 CATALOG...

Reports: single-sweep wall; each shard's wall; the slowest shard (the
array's wall time with one node per shard); the sum of shard walls (total
node time) and its overhead over the single sweep; the merge's wall.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(args):
    t = time.perf_counter()
    p = subprocess.run(args, capture_output=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(args), p.stderr.decode()))
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "catscan"))
    ap.add_argument("--shards", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("catalog", nargs="+")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="catscan-shard-bench-")
    try:
        cs, th = a.bin, ["--quiet", "--threads", str(a.threads)]
        single = os.path.join(tmp, "single")
        parts = [os.path.join(tmp, "part%d" % i) for i in range(1, a.shards + 1)]
        merged = os.path.join(tmp, "merged")
        best = {}

        def keep(key, s):
            best[key] = min(best.get(key, s), s)

        for _ in range(a.repeat):
            keep("single", timed([cs, "scan", *th, "--out", single, *a.catalog]))
            for i, d in enumerate(parts, 1):
                keep(i, timed([cs, "scan", *th, "--shard", "%d/%d" % (i, a.shards), "--out", d, *a.catalog]))
            keep("merge", timed([cs, "merge", "--quiet", "--out", merged, *parts]))
        for name in ("violations.jsonl", "quarantine.jsonl", "merchants.jsonl"):
            with open(os.path.join(single, name), "rb") as x, open(os.path.join(merged, name), "rb") as y:
                if x.read() != y.read():
                    sys.exit("merged %s differs from the single sweep: not timing a wrong result" % name)
        shard_s = [best[i] for i in range(1, a.shards + 1)]
        print("catalog: %s; %d shards, %d thread(s) per process, best of %d" %
              (" ".join(os.path.basename(c) for c in a.catalog), a.shards, a.threads, a.repeat))
        print("single sweep          %7.2f s" % best["single"])
        for i, s in enumerate(shard_s, 1):
            print("shard %d/%d             %7.2f s" % (i, a.shards, s))
        print("slowest shard         %7.2f s  (speed-up %.2fx on %d nodes)" %
              (max(shard_s), best["single"] / max(shard_s), a.shards))
        print("sum of shards         %7.2f s  (overhead %+.0f%% node time)" %
              (sum(shard_s), 100 * (sum(shard_s) / best["single"] - 1)))
        print("merge                 %7.2f s" % best["merge"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
