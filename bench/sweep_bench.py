#!/usr/bin/env python3
"""End-to-end sweep benchmark: the whole `catscan scan` on one generated catalog.

  python3 bench/sweep_bench.py [--records N] [--bin build/catscan] [--repeat 3]

Generates (once, cached under /tmp/catscan-bench/) a zstd catalog with data/gen_catalog.py,
then in one run times, on the same input:
  - `zstd -dc > /dev/null`: decompression alone, the floor of any sweep;
  - `catscan scan --no-normalize` at 1 and 2 threads: rules on the raw text;
  - `catscan scan` at 1 and 2 threads: the full sweep with normalization;
and prints a Markdown table (wall seconds = best of --repeat, GB/s of decompressed JSONL,
peak RSS) plus the ratios the issues set targets for. Ratios measured in one run are what
to compare on a shared, noisy machine; absolute figures vary from run to run.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_timed(argv, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS (MB) of one child process."""
    code = ("import resource,subprocess,sys,time;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
            "w=time.perf_counter()-t;"
            "print(r.returncode,w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + argv, capture_output=True, check=True).stdout.split()
    if out[0] != b"0":
        sys.exit("failed: %s" % " ".join(argv))
    return float(out[1]), int(out[2]) / 1024.0


def best_of(n, argv):
    runs = [run_timed(argv) for _ in range(n)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=300000)
    ap.add_argument("--bin", default=os.path.join(REPO, "build", "catscan"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", default="/tmp/catscan-bench")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    cat = os.path.join(a.workdir, "cat-%d.jsonl.zst" % a.records)
    if not os.path.exists(cat):
        subprocess.run([sys.executable, os.path.join(REPO, "data", "gen_catalog.py"), "--records", str(a.records),
                        "--seed", "11", "--out", cat], check=True)
    jsonl_bytes = int(subprocess.run("zstd -dc %s | wc -c" % cat, shell=True, capture_output=True,
                                     check=True).stdout)
    out = tempfile.mkdtemp(prefix="catscan-bench-out-")
    scan = [a.bin, "scan", "--quiet", "--out", out]
    variants = [
        ("zstd -dc (decompression alone)", ["zstd", "-dcq", cat, "-o", "/dev/null", "-f"]),
        ("catscan scan --no-normalize, 1 thread", scan + ["--no-normalize", "--threads", "1", cat]),
        ("catscan scan --no-normalize, 2 threads", scan + ["--no-normalize", "--threads", "2", cat]),
        ("catscan scan, 1 thread", scan + ["--threads", "1", cat]),
        ("catscan scan, 2 threads", scan + ["--threads", "2", cat]),
    ]
    results = {}
    for name, argv in variants:
        results[name] = best_of(a.repeat, argv)
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    gbps = {k: jsonl_bytes / 1e9 / v[0] for k, v in results.items()}
    print("Catalog: %d records, %.1f MB JSONL (%.1f MB zstd), %d violations; best of %d runs."
          % (a.records, jsonl_bytes / 1e6, os.path.getsize(cat) / 1e6, manifest["violations"], a.repeat))
    print()
    print("| run | wall s | GB/s (JSONL) | peak RSS MB |")
    print("|---|---:|---:|---:|")
    for name, _ in variants:
        print("| %s | %.2f | %.3f | %.0f |" % (name, results[name][0], gbps[name], results[name][1]))
    print()
    n1, n2 = "catscan scan, 1 thread", "catscan scan, 2 threads"
    r1, r2 = "catscan scan --no-normalize, 1 thread", "catscan scan --no-normalize, 2 threads"
    print("| ratio | value | target |")
    print("|---|---:|---:|")
    print("| normalized sweep / raw sweep, 1 thread | %.2f | >= 0.7 |" % (gbps[n1] / gbps[r1]))
    print("| normalized sweep / raw sweep, 2 threads | %.2f | >= 0.7 |" % (gbps[n2] / gbps[r2]))
    print("| 2 threads / 1 thread (full sweep) | %.2f | >= 1.8 |" % (gbps[n2] / gbps[n1]))
    print("| full sweep 1 thread / zstd -dc | %.2f | |" % (gbps[n1] / gbps["zstd -dc (decompression alone)"]))
    subprocess.run(["rm", "-rf", out])


if __name__ == "__main__":
    main()
