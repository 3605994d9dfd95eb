#!/usr/bin/env bash
# Runs bench_jit several times and prints one line per run: JIT median
# ms/batch, s/epoch, reference ms/batch, the kept products' loop (split
# as the JIT issues them; plain OpenBLAS), the products' share and the
# start to first batch. With VAR=VALUE, runs alternate between the
# default and VAR=VALUE (separate processes: fair for switches that
# change OpenBLAS's threads, unlike bench_jit --ab).
#
#   bench/jit_runs.sh [-b BENCH] [-n RUNS] [VAR=VALUE] [-- bench_jit args]
set -euo pipefail
bench=build-rel/bench/bench_jit
runs=5
alt=""
while [ $# -gt 0 ]; do
  case "$1" in
    -b) bench=$2; shift 2 ;;
    -n) runs=$2; shift 2 ;;
    -h|--help) sed -n 2,9p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    *=*) alt=$1; shift ;;
    *) echo "jit_runs.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$bench" ] || { echo "jit_runs.sh: no $bench (build it: cmake --build build-rel --target bench_jit)" >&2; exit 2; }
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--batches 90 --ref-batches 10)

summarize() {
  awk -v label="$1" '
    /^JIT: /              { jit_mean = $2; ep = $4; jit_med = $(NF-1) }
    /^reference: /        { ref = $2 }
    /products the JIT keeps: / { kept = $(NF); sub(/\)/, "", kept) }
    /plain cblas_sgemm/   { plain = $(NF-1) }
    /^matrix products: /  { share = $0; sub(/.*medians /, "", share); sub(/%.*/, "", share) }
    /^per-batch pairs/    { pair = $0; sub(/.*products /, "", pair); sub(/%.*/, "", pair) }
    /^start to end of first batch/ { first = $(NF-1) }
    END {
      printf "%-28s JIT median %6s ms  %5s s/epoch  ref %6s ms  kept %6s ms  plain %6s ms  share %5s%%  pairs %5s%%  first %s s\n",
             label, jit_med, ep, ref, kept, plain, share, pair, first
    }'
}

for i in $(seq 1 "$runs"); do
  "$bench" "${args[@]}" 2>&1 | summarize "default"
  if [ -n "$alt" ]; then
    env "$alt" "$bench" "${args[@]}" 2>&1 | summarize "$alt"
  fi
done
