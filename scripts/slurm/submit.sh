#!/usr/bin/env bash
# Submits a sharded catscan sweep to Slurm: a job array of N shard scans and a
# merge job that starts only when all of them succeeded. Prints
# "ARRAY_JOB_ID MERGE_JOB_ID" on stdout. README.md ("Scaling out: shards and Slurm")
# explains the knobs and the cost model.
#
# Usage: scripts/slurm/submit.sh --shards N --partials DIR --out DIR
#            [--cpus-per-task T] [--partition P] [--rules PACK] [--bin CATSCAN]
#            [--time LIMIT] [--sbatch-arg ARG]... INPUT...
# Paths should be on a file system every node sees; they are made absolute.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shards= partials= out= cpus=1 partition= rules= time_limit=
bin="$here/../../build/catscan"
extra=()
usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while (($#)); do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --partials) partials=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cpus-per-task) cpus=$2; shift 2 ;;
    --partition) partition=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --time) time_limit=$2; shift 2 ;;
    --sbatch-arg) extra+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "submit.sh: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ -n "$shards" && -n "$partials" && -n "$out" && $# -gt 0 ]] || usage
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: --shards must be a positive number" >&2; exit 2; }
[[ -x "$bin" ]] || { echo "submit.sh: no catscan binary at $bin (use --bin)" >&2; exit 2; }

abs() { realpath -m -- "$1"; }
inputs=()
for f in "$@"; do inputs+=("$(abs "$f")"); done
mkdir -p "$partials/logs" "$out"
export CATSCAN_BIN CATSCAN_SHARDS CATSCAN_PARTIALS CATSCAN_OUT CATSCAN_RULES
CATSCAN_BIN=$(abs "$bin")
CATSCAN_SHARDS=$shards
CATSCAN_PARTIALS=$(abs "$partials")
CATSCAN_OUT=$(abs "$out")
CATSCAN_RULES=${rules:+$(abs "$rules")}

common=(--parsable --export=ALL "${extra[@]}")
[[ -n "$partition" ]] && common+=(--partition "$partition")
[[ -n "$time_limit" ]] && common+=(--time "$time_limit")

array_id=$(sbatch "${common[@]}" --array="0-$((shards - 1))" --cpus-per-task="$cpus" \
  --output="$CATSCAN_PARTIALS/logs/shard-%a.log" \
  "$here/catscan-shard.sbatch" "${inputs[@]}")
array_id=${array_id%%;*}  # --parsable may append ";cluster"
merge_id=$(sbatch "${common[@]}" --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
  --cpus-per-task=1 --output="$CATSCAN_PARTIALS/logs/merge.log" \
  "$here/catscan-merge.sbatch")
merge_id=${merge_id%%;*}
echo "$array_id $merge_id"
