#!/usr/bin/env bash
# CI stage: builds the libFuzzer targets with clang (ASan + UBSan) and runs
# each for a bounded time on its seed corpus in tests/fuzz/corpus/.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 60)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
bash "$root/scripts/install-deps.sh" --ci
cmake -S "$root" -B "$root/build-fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCATSCAN_FUZZ=ON -DCATSCAN_BUILD_TESTS=OFF \
  -DCATSCAN_BUILD_BENCH=OFF >/dev/null
cmake --build "$root/build-fuzz"
for target in "$root"/tests/fuzz/*_fuzz.cc; do
  name=$(basename "$target" .cc)
  corpus="$root/tests/fuzz/corpus/${name%_fuzz}"
  work=$(mktemp -d)   # new inputs go here; the committed corpus stays as it is
  echo "== fuzzing $name for ${secs}s"
  # A crash leaves its input in build-fuzz/crashes/ (the log shows it as Base64 too).
  mkdir -p "$root/build-fuzz/crashes"
  "$root/build-fuzz/tests/fuzz/$name" -max_total_time="$secs" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$root/build-fuzz/crashes/" \
    "$work" "$corpus" 2>&1 | tail -n 12
  rm -rf "$work"
done
