#!/usr/bin/env bash
# e2e_run.sh PCNC SRC - `pcnc run` end to end on the synthetic blobs model:
# epoch lines, the JSON Lines log, checkpoints (save, load, refusals),
# --set overrides, determinism, divergence, Ctrl-C, and usage errors.
# Plain grep/awk: python may not be installed where this runs.
set -u
PCNC=${1:?usage: e2e_run.sh PCNC SRC}
SRC=${2:?usage: e2e_run.sh PCNC SRC}
MODEL="$SRC/examples/quick_blobs.pcn"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcnc-e2e-run.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=checks.bash
. "$SRC/tests/scripts/checks.bash"

# ---- a normal run: header, one line per epoch, log, checkpoint ----------
run run "$MODEL" --log "$TMP/a.jsonl" --save "$TMP/a.ckpt"
expect_rc 0 "run quick_blobs"
expect_grep '^model quick ' "$TMP/out" "header names the model"
expect_grep '^data blobs: 2000 train samples, 500 test samples' "$TMP/out" \
  "header gives the sample counts"
expect_grep '^train: T 3, batch 50 shuffled, 40 batches/epoch' "$TMP/out" \
  "header gives T and batch"
expect_grep '^SMMs per update [0-9]+' "$TMP/out" "header gives SMMs per update"
expect_grep '^evaluation: forward pass' "$TMP/out" "header gives the eval mode"
LINE='^epoch [0-9]/3  train_energy [0-9]+\.[0-9]{4}  test_accuracy [0-9]+\.[0-9]{2}%  smm [0-9]\.[0-9]{2}e\+[0-9]+  [0-9]+\.[0-9]s$'
n=$(grep -Ec "$LINE" "$TMP/out")
[ "$n" -eq 3 ] && ok "three epoch lines" || { fail "epoch lines: $n of 3"; cat "$TMP/out"; }
acc=$(awk '/^epoch 3\/3/ { sub("%", "", $6); print $6 + 0 }' "$TMP/out")
awk -v a="${acc:-0}" 'BEGIN { exit !(a >= 90) }' && ok "accuracy $acc% >= 90%" ||
  fail "accuracy ${acc:-none} < 90%"
# SMMs are cumulative: epoch 3 has three times epoch 1's.
awk '/^epoch 1\/3/ { s1 = $8 + 0 } /^epoch 3\/3/ { s3 = $8 + 0 }
     END { exit !(s1 > 0 && s3 == 3 * s1) }' "$TMP/out" &&
  ok "cumulative SMMs" || fail "SMMs not cumulative"

n=$(wc -l <"$TMP/a.jsonl")
[ "$n" -eq 3 ] && ok "three log lines" || fail "log has $n lines, want 3"
for key in epoch train_energy test_accuracy smm seconds node_energy T batch seed interrupted; do
  c=$(grep -c "\"$key\":" "$TMP/a.jsonl")
  [ "$c" -eq 3 ] && ok "log key $key" || fail "log key $key in $c of 3 lines"
done
expect_grep '^\{"epoch":1,.*"node_energy":\{"y":[0-9.e-]+,"h":[0-9.e-]+\},"T":3,"batch":50,"seed":42,"interrupted":false\}$' \
  "$TMP/a.jsonl" "log line shape"
[ "$(head -c 7 "$TMP/a.ckpt")" = "PCNCKPT" ] && ok "checkpoint magic" ||
  fail "checkpoint magic"
[ ! -e "$TMP/a.ckpt.tmp" ] && ok "no temporary file left" || fail "a.ckpt.tmp left"

# ---- determinism: same seed, same log apart from timings -----------------
run run "$MODEL" --log "$TMP/b.jsonl" --quiet
expect_rc 0 "second run"
[ ! -s "$TMP/out" ] && ok "--quiet prints nothing" || fail "--quiet printed"
strip() { sed 's/"seconds":[^,]*,//' "$1"; }
if [ "$(strip "$TMP/a.jsonl")" = "$(strip "$TMP/b.jsonl")" ]; then
  ok "same seed, same log"
else
  fail "same seed gave a different log"
fi
run run "$MODEL" --log "$TMP/c.jsonl" --quiet --seed 43
[ "$(strip "$TMP/a.jsonl")" != "$(strip "$TMP/c.jsonl")" ] &&
  ok "--seed changes the run" || fail "--seed 43 gave the same log"
expect_grep '"seed":43' "$TMP/c.jsonl" "--seed is logged"

# ---- --eval-only: evaluates the loaded model, trains nothing ---------------
cp "$TMP/a.ckpt" "$TMP/e.ckpt"
run run "$MODEL" --load "$TMP/e.ckpt" --eval-only --quiet
expect_rc 0 "--eval-only"
want=$(sed -n 's/.*"epoch":3,.*"test_accuracy":\([0-9.]*\).*/\1/p' "$TMP/a.jsonl")
got=$(sed -n 's/^epoch 3 (loaded): test accuracy \([0-9.]*\)%$/\1/p' "$TMP/out")
awk -v a="$want" -v b="$got" 'BEGIN { exit !(a != "" && b != "" && a - b < 0.006 && b - a < 0.006) }' &&
  ok "--eval-only gives epoch 3's logged accuracy ($got%)" ||
  fail "--eval-only: got '$got', the log has '$want'"
cmp -s "$TMP/a.ckpt" "$TMP/e.ckpt" && ok "--eval-only leaves the checkpoint" ||
  fail "--eval-only changed the checkpoint"
run run "$MODEL" --eval-only
expect_rc 2 "--eval-only without --load"
expect_grep "needs --load FILE" "$TMP/err" "--eval-only without --load: says why"
run run "$MODEL" --load "$TMP/e.ckpt" --eval-only --save "$TMP/x.ckpt"
expect_rc 2 "--eval-only with --save"

# ---- resuming: --load continues the epochs and the log --------------------
run run "$MODEL" --load "$TMP/a.ckpt" --epochs 1 --log "$TMP/a.jsonl"
expect_rc 0 "--load"
expect_grep '^resuming after epoch 3' "$TMP/out" "header says resuming"
expect_grep '^epoch 4/4  ' "$TMP/out" "epochs continue after the checkpoint"
n=$(wc -l <"$TMP/a.jsonl")
[ "$n" -eq 4 ] && ok "resumed run appends to the log" || fail "log has $n lines, want 4"

# ---- overrides ----------------------------------------------------------
run run "$MODEL" --set T=5 --set batch=100 --set epochs=1 --set alpha=0.05 \
  --set beta=1e-3 --set fraction=0.5 --set momentum=0.5 --log "$TMP/o.jsonl"
expect_rc 0 "--set overrides"
expect_grep '^train: T 5, batch 100 shuffled, 10 batches/epoch' "$TMP/out" \
  "T, batch and fraction applied"
expect_grep 'alpha 0.05, beta 0.001' "$TMP/out" "alpha and beta applied"
expect_grep 'x T=5\)' "$TMP/out" "SMM count follows T"
expect_grep '^epoch 1/1  ' "$TMP/out" "epochs applied"
expect_grep '"T":5,"batch":100' "$TMP/o.jsonl" "overrides are logged"
s3=$(awk '/^SMMs per update/ { print $4 }' "$TMP/out")
run run "$MODEL" --set T=1 --set epochs=1 --quiet
run run "$MODEL" --set T=1 --set epochs=1
s1=$(awk '/^SMMs per update/ { print $4 }' "$TMP/out")
[ -n "$s1" ] && [ -n "$s3" ] && [ $((s3 - s1)) -eq 8 ] &&
  ok "4 more steps = 8 more SMMs per update" || fail "SMMs T=5: $s3, T=1: $s1"

# ---- checkpoint refusals -------------------------------------------------
sed 's/node h\[32\]/node h[48]/' "$MODEL" >"$TMP/wide.pcn"
run run "$TMP/wide.pcn" --load "$TMP/a.ckpt" --epochs 1
expect_rc 1 "loading into a wider model"
expect_grep "has edge 'x->h' of 16x32, the model has 16x48" "$TMP/err" \
  "the refusal names the edge and both shapes"
cp "$TMP/a.ckpt" "$TMP/bad.ckpt"
size=$(wc -c <"$TMP/bad.ckpt")
printf '\377' | dd of="$TMP/bad.ckpt" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run run "$MODEL" --load "$TMP/bad.ckpt" --epochs 1
expect_rc 1 "a flipped byte"
expect_grep "CRC mismatch" "$TMP/err" "flipped byte: CRC error"
head -c $((size - 100)) "$TMP/a.ckpt" >"$TMP/short.ckpt"
run run "$MODEL" --load "$TMP/short.ckpt" --epochs 1
expect_rc 1 "a truncated checkpoint"
expect_grep "truncated" "$TMP/err" "truncated checkpoint: says so"
run run "$MODEL" --load "$TMP/none.ckpt"
expect_rc 1 "a missing checkpoint"

# ---- divergence keeps the last good checkpoint ----------------------------
cp "$TMP/a.ckpt" "$TMP/div.ckpt"
run run "$MODEL" --load "$TMP/div.ckpt" --save "$TMP/div.ckpt" --set alpha=1e30
expect_rc 1 "absurd alpha"
expect_grep "diverged: energy of node '[a-z]+' is (NaN|Inf) at epoch 4, batch [0-9]+; lower the learning rates" \
  "$TMP/err" "divergence message"
cmp -s "$TMP/a.ckpt" "$TMP/div.ckpt" && ok "checkpoint untouched" ||
  fail "diverged run changed the checkpoint"

# ---- Ctrl-C: stop after the batch, log and save the partial epoch ----------
"$PCNC" run "$MODEL" --epochs 100000 --log "$TMP/int.jsonl" \
  --save "$TMP/int.ckpt" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 50); do
  [ -s "$TMP/int.jsonl" ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
expect_rc 0 "SIGINT"
# The signal lands inside an epoch (usually) or between two epochs (the JIT
# makes this model's epochs a few milliseconds long). Inside: the partial
# epoch is logged last and marked. Between: the log holds whole epochs only.
# Either way the run says it was interrupted and keeps a checkpoint.
if [ "$(tail -n 1 "$TMP/int.jsonl" | grep -c '"interrupted":true')" -eq 1 ]; then
  ok "the interrupted epoch is the last line"
  expect_grep '\(interrupted\)$' "$TMP/out" "interrupted epoch line"
else
  [ "$(grep -c '"interrupted":true' "$TMP/int.jsonl")" -eq 0 ] &&
    ok "stopped between epochs: whole epochs logged" ||
    fail "an interrupted line that is not the last"
fi
expect_grep '^interrupted' "$TMP/out" "the run says it was interrupted"
[ -s "$TMP/int.ckpt" ] && ok "checkpoint written on interrupt" ||
  fail "no checkpoint after interrupt"

# ---- --set method / sampling: the checks an override can break -------------
run run "$MODEL" --set method=bp --quiet --log "$TMP/bp.jsonl"
expect_rc 0 "--set method=bp"
# quick_blobs is x -> h -> y: L = 2, so BP costs 2L - 1 = 3 SMMs per update.
first_smm=$(head -n 1 "$TMP/bp.jsonl" | sed 's/.*"smm":\([0-9]*\).*/\1/')
[ "$first_smm" -eq $((3 * 40)) ] && ok "bp counts 2L-1 SMMs per update" ||
  fail "bp smm after one epoch is $first_smm, expected 120"
run run "$SRC/examples/cyclic.pcn" --set method=bp
expect_rc 2 "--set method=bp on a cyclic model"
expect_grep "method bp needs an acyclic model" "$TMP/err" "bp on a cycle: says why"
run run "$SRC/examples/fmnist_avg.pcn" --set sampling=shuffled
expect_rc 2 "--set sampling=shuffled with init average"
expect_grep "needs aligned batches" "$TMP/err" "average without aligned batches: says why"

# ---- a model without a train block -----------------------------------------
cat >"$TMP/notrain.pcn" <<'EOF'
import "std/datasets.pcn";
model m { input x[16]; target y[4]; node h[8] init forward; x -> h -> y; }
evaluate m { data blobs.test; }
EOF
run run "$TMP/notrain.pcn"
expect_rc 1 "no train block"
expect_grep "no train block" "$TMP/err" "says there is no train block"

# ---- usage errors ---------------------------------------------------------
for args in "--set foo=1" "--set T=-1" "--set T=x" "--set alpha=0" \
  "--set fraction=1.5" "--set momentum=1" "--set batch=0" "--set noequals" \
  "--epochs 0" "--bogus" "--backend nope" "--threads 0" "--log"; do
  # shellcheck disable=SC2086
  run run "$MODEL" $args
  expect_rc 2 "usage error: $args"
done
run run
expect_rc 2 "no file"
run run "$MODEL" --set foo=1
expect_grep "T, alpha, beta, batch, fraction, seed, epochs, eval_T, momentum" \
  "$TMP/err" "unknown key lists the keys"
run run --help
expect_rc 0 "--help"
expect_grep '^usage: pcnc run FILE' "$TMP/out" "--help prints usage"

finish
