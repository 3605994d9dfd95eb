#!/usr/bin/env bash
# Reproduces the paper's Fashion-MNIST experiments with pcnc (docs/reproduce.md).
#
#   scripts/reproduce.sh table1     # BP, PC-I_fw, PC-I_avg at 100/50/25% data, 3 seeds
#   scripts/reproduce.sh search     # the hyperparameter search (scripts/search/*.list)
#   scripts/reproduce.sh lowT       # PC-I_fw vs PC-I_avg at T = 3 (Fig. 5)
#   scripts/reproduce.sh fig5       # PC-I_fw vs PC-I_avg at T = 2, 4 (Fig. 5)
#   scripts/reproduce.sh inits      # random/zero/null/forward across T (Fig. 2)
#   scripts/reproduce.sh decoder    # Fig. 7: I_mem vs I_0 vs I_N over T_train, T_eval
#   scripts/reproduce.sh fig8       # Fig. 8 grids and Fig. 7's T_eval column
#   scripts/reproduce.sh fig7grid   # Fig. 7 left: every T_train x T_eval cell, best over epochs
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

search() {
  # Stage 1: one setting changed at a time from the files' defaults, seed 0.
  sweep s-avg examples/fmnist_avg.pcn --seeds 0 --list scripts/search/avg.list
  sweep s-fw examples/fmnist_fw.pcn --seeds 0 --list scripts/search/fw.list
  sweep s-bp examples/fmnist_fw.pcn --seeds 0 --set method=bp --list scripts/search/bp.list
  # Stage 2: the best PC-I_avg and BP settings of stage 1 on two more seeds.
  sweep s2-avg examples/fmnist_avg.pcn --seeds 1,2 --list scripts/search/avg-seeds.list
  sweep s2-bp examples/fmnist_fw.pcn --seeds 1,2 --set method=bp --list scripts/search/bp-seeds.list
  "$PCNC" report "$OUT"/s-avg "$OUT"/s-fw "$OUT"/s-bp "$OUT"/s2-avg "$OUT"/s2-bp
}

fig5() {
  sweep fig5-fw examples/fmnist_fw.pcn --seeds 0 --grid T=2,4
  sweep fig5-avg examples/fmnist_avg.pcn --seeds 0 --grid T=2,4
  "$PCNC" report "$OUT"/fig5-* "$OUT"/lowT-*
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

decoder_files() {
  sed 's/init memory(M);/init zero;/' examples/fmnist_decoder_mem.pcn >"$OUT/decoder_zero.pcn"
  sed 's/init memory(M);/init random(0, 1);/' examples/fmnist_decoder_mem.pcn >"$OUT/decoder_random.pcn"
}

decoder() {
  decoder_files
  # The files' alpha 0.1 at T_train = T_eval = 3 and 20 ...
  sweep decoder-mem examples/fmnist_decoder_mem.pcn --seeds 0 --grid T=3 --set eval_T=3
  sweep decoder-zero "$OUT/decoder_zero.pcn" -I stdlib --seeds 0 --list <(printf 'T=3 eval_T=3\nT=20 eval_T=20\n')
  sweep decoder-random "$OUT/decoder_random.pcn" -I stdlib --seeds 0 --grid T=3 --set eval_T=3
  # ... and the rest of the diagonal, alpha 0.5 and 0.05 at T = 3, and
  # PC-I_mem trained at T > 3 and evaluated at T_eval = 3.
  sweep f7-mem examples/fmnist_decoder_mem.pcn --seeds 0 --list scripts/search/decoder-mem.list
  sweep f7-zero "$OUT/decoder_zero.pcn" -I stdlib --seeds 0 --list scripts/search/decoder-zero.list
  sweep f7-random "$OUT/decoder_random.pcn" -I stdlib --seeds 0 --list scripts/search/decoder-random.list
  # The acceptance comparison on two more seeds: PC-I_mem at T = 3 (its best
  # alpha) against PC-I_0 at T = 20.
  sweep f7s-mem examples/fmnist_decoder_mem.pcn --seeds 1,2 --set T=3 --set eval_T=3 \
    --set alpha=0.02 --set eval_alpha=0.02
  sweep f7s-zero "$OUT/decoder_zero.pcn" -I stdlib --seeds 1,2 --set T=20 --set eval_T=20
  "$PCNC" report "$OUT"/decoder-* "$OUT"/f7-* "$OUT"/f7s-* --svg "$OUT/decoder.svg"
}

fig8() {
  # Reconstruction grids (16 test images beside their reconstructions) and
  # each final model evaluated at T_eval = 3, 5, 10, 20.
  decoder_files
  local name file T
  for run in mem:examples/fmnist_decoder_mem.pcn:3 zero:$OUT/decoder_zero.pcn:3 \
             zero:$OUT/decoder_zero.pcn:20; do
    IFS=: read -r name file T <<<"$run"
    "$PCNC" run "$file" -I stdlib --set T=$T --set eval_T=$T --quiet \
      --save-images "$OUT/fig8_${name}_T$T.png" --save "$OUT/ck_${name}_T$T.ckpt"
    for te in 3 5 10 20; do
      "$PCNC" run "$file" -I stdlib --load "$OUT/ck_${name}_T$T.ckpt" --eval-only --set eval_T=$te --quiet
    done | tee "$OUT/evalgrid_${name}_T$T.txt"
  done
}

fig7grid() {
  # Fig. 7 (left): each T_train in {3, 5, 10, 20} trained once per
  # initializer and evaluated after every epoch at each T_eval in
  # {3, 5, 10, 20} (--eval-T), alpha 0.05 for training and evaluation;
  # pcnc report --by-eval-T gives the best of each cell over the epochs.
  # Then the acceptance pair's settings: activation and beta for PC-I_mem
  # at T = 3 and PC-I_0 at T = 20, and delta for PC-I_mem at T_train = 5.
  decoder_files
  local grid="--seeds 0 --set alpha=0.05 --set eval_alpha=0.05 --set eval_T=3 --eval-T 3,5,10,20"
  sweep grid-mem examples/fmnist_decoder_mem.pcn $grid --grid T=3,5,10,20
  sweep grid-zero "$OUT/decoder_zero.pcn" -I stdlib $grid --grid T=3,5,10,20
  sweep grid-random "$OUT/decoder_random.pcn" -I stdlib $grid --grid T=3,20
  "$PCNC" report "$OUT"/grid-{mem,zero,random}/*.jsonl --by-eval-T
  sweep search-mem-T3 examples/fmnist_decoder_mem.pcn --seeds 0 --list scripts/search/decoder-act-beta.list \
    --set T=3 --set eval_T=3 --set alpha=0.05 --set eval_alpha=0.05
  sweep search-zero-T20 "$OUT/decoder_zero.pcn" -I stdlib --seeds 0 --list scripts/search/decoder-act-beta.list \
    --set T=20 --set eval_T=20 --set alpha=0.1 --set eval_alpha=0.1
  local d
  for d in 1 10 50 500; do
    sed "s/delta 200;/delta $d;/" examples/fmnist_decoder_mem.pcn >"$OUT/decoder_mem_d$d.pcn"
    sweep "delta-$d" "$OUT/decoder_mem_d$d.pcn" -I stdlib --seeds 0 --grid alpha=0.05,0.1 \
      --set T=5 --set eval_T=3 --set eval_alpha=0.05
  done
  # delta 200 at alpha 0.05 is the grid's T_train = 5 cell above.
  sweep delta-200 examples/fmnist_decoder_mem.pcn --seeds 0 --grid alpha=0.1 \
    --set T=5 --set eval_T=3 --set eval_alpha=0.05
  # The acceptance pair with delta 1: PC-I_mem at T = 3 against PC-I_0 at
  # T = 20 around its best setting, then both best settings on seeds 1, 2.
  sweep accept-mem-d1 "$OUT/decoder_mem_d1.pcn" -I stdlib --seeds 0 \
    --list scripts/search/decoder-mem-d1-T3.list --set T=3 --set eval_T=3
  sweep accept-zero "$OUT/decoder_zero.pcn" -I stdlib --seeds 0 \
    --list scripts/search/decoder-zero-T20.list --set T=20 --set eval_T=20
  sweep accept-mem-d1-seeds "$OUT/decoder_mem_d1.pcn" -I stdlib --seeds 1,2 --set T=3 \
    --set eval_T=3 --list <(printf 'alpha=0.05 eval_alpha=0.05 beta=5e-4\nalpha=0.05 eval_alpha=0.05 beta=1e-3\n')
  sweep accept-zero-seeds "$OUT/decoder_zero.pcn" -I stdlib --seeds 1,2 --set T=20 --set eval_T=20 \
    --set alpha=0.1 --set eval_alpha=0.1 --set beta=5e-4
  "$PCNC" report "$OUT"/accept-*/*.jsonl
}

case "${1:-all}" in
table1) table1 ;;
search) search ;;
fig5) fig5 ;;
fig8) fig8 ;;
lowT) lowT ;;
inits) inits ;;
decoder) decoder ;;
fig7grid) fig7grid ;;
all) table1; search; lowT; fig5; inits; decoder; fig8; fig7grid ;;
*) echo "usage: $0 table1|search|lowT|fig5|inits|decoder|fig8|fig7grid|all" >&2; exit 2 ;;
esac
