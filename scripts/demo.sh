#!/usr/bin/env bash
# Installs what is missing, builds catscan, and sweeps the sample catalog.
#   bash scripts/demo.sh [OUT_DIR]      (default OUT_DIR: catscan-out)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-catscan-out}
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/build" --target catscan
echo
"$root/build/catscan" scan --out "$out" "$root"/data/sample.jsonl.zst
echo
echo "Outputs are in $(cd "$out" && pwd)/ (manifest.json, violations.jsonl, merchants.jsonl, quarantine.jsonl)"
