#!/usr/bin/env bash
# Reproduces the paper's Fashion-MNIST experiments with pcnc (docs/reproduce.md).
#
#   scripts/reproduce.sh table1     # BP, PC-I_fw, PC-I_avg at 100/50/25% data, 3 seeds
#   scripts/reproduce.sh lowT       # PC-I_fw vs PC-I_avg at T = 3 (Fig. 5)
#   scripts/reproduce.sh inits      # random/zero/null/forward across T (Fig. 2)
#   scripts/reproduce.sh decoder    # Fig. 7: I_mem vs I_0 vs I_N, T_train = T_eval
#   scripts/reproduce.sh all
#
# Every experiment is a resumable `pcnc sweep` (interrupt and rerun freely)
# writing JSON Lines logs under $OUT (default: runs/); `pcnc report` prints
# the tables. These are long: on 2 cores each 16-epoch run of the paper's
# classifier takes a few minutes. JOBS (default 2) runs at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-runs}
JOBS=${JOBS:-2}
SEEDS=${SEEDS:-0,1,2}
PCNC=build/compiler/pcnc
[ -x "$PCNC" ] || scripts/build.sh
mkdir -p "$OUT"

sweep() { # sweep OUTDIR MODEL [sweep args...]
  local dir=$1 model=$2
  shift 2
  "$PCNC" sweep "$model" --jobs "$JOBS" --out "$OUT/$dir" "$@"
}

table1() {
  for frac in 1.0 0.5 0.25; do
    sweep "table1-fw-$frac" examples/fmnist_fw.pcn --seeds "$SEEDS" --set fraction=$frac
    sweep "table1-bp-$frac" examples/fmnist_fw.pcn --seeds "$SEEDS" --set fraction=$frac --set method=bp
    sweep "table1-avg-$frac" examples/fmnist_avg.pcn --seeds "$SEEDS" --set fraction=$frac
  done
  "$PCNC" report "$OUT"/table1-*-1.0 --rel-error 0.01 --rel-error 0.02 --svg "$OUT/table1.svg"
}

lowT() {
  sweep lowT-fw examples/fmnist_fw.pcn --seeds "$SEEDS" --grid T=3
  sweep lowT-avg examples/fmnist_avg.pcn --seeds "$SEEDS" --grid T=3
  "$PCNC" report "$OUT"/lowT-* --svg "$OUT/lowT.svg"
}

inits() {
  # The same file with one word changed per initializer (Fig. 2).
  for init in random zero null; do
    sed "s/init forward;/init $init;/" examples/fmnist_fw.pcn >"$OUT/fmnist_$init.pcn"
    sweep "inits-$init" "$OUT/fmnist_$init.pcn" -I stdlib --seeds 0 --grid T=5,10,25 --set epochs=4
  done
  sweep inits-forward examples/fmnist_fw.pcn --seeds 0 --grid T=5,10,25 --set epochs=4
  "$PCNC" report "$OUT"/inits-* --svg "$OUT/inits.svg"
}

decoder() {
  sed 's/init memory(M);/init zero;/' examples/fmnist_decoder_mem.pcn >"$OUT/decoder_zero.pcn"
  sed 's/init memory(M);/init random(0, 1);/' examples/fmnist_decoder_mem.pcn >"$OUT/decoder_random.pcn"
  sweep decoder-mem examples/fmnist_decoder_mem.pcn --seeds 0 --grid T=3 --set eval_T=3
  sweep decoder-zero "$OUT/decoder_zero.pcn" -I stdlib --seeds 0 --list <(printf 'T=3 eval_T=3\nT=20 eval_T=20\n')
  sweep decoder-random "$OUT/decoder_random.pcn" -I stdlib --seeds 0 --grid T=3 --set eval_T=3
  "$PCNC" report "$OUT"/decoder-* --svg "$OUT/decoder.svg"
}

case "${1:-all}" in
table1) table1 ;;
lowT) lowT ;;
inits) inits ;;
decoder) decoder ;;
all) table1; lowT; inits; decoder ;;
*) echo "usage: $0 table1|lowT|inits|decoder|all" >&2; exit 2 ;;
esac
