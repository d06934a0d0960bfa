#!/usr/bin/env bash
# Installs the Debian packages catscan needs to build, run and test.
# Idempotent and quick when everything is present: apt is only touched when a
# package is missing. Usage: scripts/install-deps.sh [--test|--ci]
#   --test  also installs what only the test suite and benchmarks use;
#   --ci    also what CI's sanitizer and fuzzing stages use (clang, libFuzzer).
set -euo pipefail

build_pkgs=(
  cmake ninja-build g++ pkg-config
  libhyperscan-dev libsimdjson-dev libtbb-dev libzstd-dev zstd
  libyaml-cpp-dev libcli11-dev libssl-dev libsqlite3-dev libxxhash-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3
)
# chromium-headless-shell renders report.html in tests/e2e/test_verdicts.py; the CJK font makes
# the Chinese evidence readable in its screenshots.
# slurmd/slurmctld/slurm-client/munge: e2e.slurm starts a one-node cluster.
test_pkgs=(ripgrep grep chromium-headless-shell fonts-wqy-microhei slurmd slurmctld slurm-client munge)
ci_pkgs=(clang libclang-rt-14-dev)

want=("${build_pkgs[@]}")
case "${1:-}" in
  --test) want+=("${test_pkgs[@]}") ;;
  --ci) want+=("${test_pkgs[@]}" "${ci_pkgs[@]}") ;;
esac

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
# The lock timeout: other apt runs (unattended upgrades, a parallel job) may hold it.
$SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}"
