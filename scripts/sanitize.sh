#!/usr/bin/env bash
# CI stage: the test suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then the parallel pipeline (its unit tests and the end-to-end CLI tests,
# which sweep at 1, 2 and 8 threads) under ThreadSanitizer.
#   bash scripts/sanitize.sh [asan|tsan|all]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
which=${1:-all}
bash "$root/scripts/install-deps.sh" --ci
if [[ $which == asan || $which == all ]]; then
  cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCATSCAN_SANITIZE=ON -DCATSCAN_BUILD_BENCH=OFF >/dev/null
  cmake --build "$root/build-asan"
  CATSCAN_SANITIZER=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --test-dir "$root/build-asan" --output-on-failure -j2
fi
if [[ $which == tsan || $which == all ]]; then
  cmake -S "$root" -B "$root/build-tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCATSCAN_TSAN=ON -DCATSCAN_BUILD_BENCH=OFF >/dev/null
  cmake --build "$root/build-tsan"
  # The threaded code: the pipeline's, the verdicts' and the merge's unit tests, and the CLI
  # end to end at 1, 2 and 8 threads, sharded too. The other e2e suites (report
  # rendering, history, eval, Slurm, bench-rules) add no threading of their own.
  CATSCAN_SANITIZER=1 TSAN_OPTIONS="halt_on_error=1 suppressions=$root/tests/tsan.supp" \
    ctest --test-dir "$root/build-tsan" --output-on-failure -j2 \
    -R '^pipeline\.|^verdict\.|^merge\.|^e2e\.(scan|reliability|shard)$'
fi
