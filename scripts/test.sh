#!/usr/bin/env bash
# Installs what is missing (test tools included), builds everything, and runs
# the whole test suite: GoogleTest unit tests per stage and the end-to-end
# tests of the CLI.   bash scripts/test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --test
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build"
ctest --test-dir "$root/build" --output-on-failure -j2
