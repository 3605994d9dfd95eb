#!/usr/bin/env bash
# generative_synthetic.sh PCNC SRC - a small generative model with
# memory-based initialization (tests/data/generative_blobs.pcn: free latent
# root, init memory(M), sample clamped at the output) trains on synthetic
# data: the test reconstruction error (test_loss in the JSON Lines log,
# one per epoch) falls by at least a fifth over 6 epochs, and
# --save-images writes a PNG. Then --eval-T (extra evaluations at other
# step counts): the log's test_loss_at_T, --eval-only, pcnc report
# --by-eval-T, and its usage errors.
set -u
PCNC=${1:?usage: generative_synthetic.sh PCNC SRC}
SRC=${2:?usage: generative_synthetic.sh PCNC SRC}
MODEL="$SRC/tests/data/generative_blobs.pcn"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcnc-gen.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=checks.bash
. "$SRC/tests/scripts/checks.bash"

"$PCNC" run "$MODEL" --quiet --log "$TMP/run.jsonl" --save-images "$TMP/recon.png" \
  >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ "$rc" -ne 0 ]; then
  fail "pcnc run exited $rc"
  sed 's/^/  stderr: /' "$TMP/err" | head -5
  exit 1
fi
ok "pcnc run"

# test_loss of every epoch, in order.
losses=$(sed -n 's/.*"test_loss":\([-0-9.eE+]*\).*/\1/p' "$TMP/run.jsonl")
n=$(printf '%s\n' "$losses" | grep -c .)
if [ "$n" -eq 6 ]; then ok "6 epochs logged with test_loss"; else
  fail "want 6 test_loss values in the log, got $n"
fi
first=$(printf '%s\n' "$losses" | head -1)
last=$(printf '%s\n' "$losses" | tail -1)
echo "reconstruction error: epoch 1 $first, epoch 6 $last"
if awk -v a="$first" -v b="$last" 'BEGIN { exit !(b < 0.8 * a) }'; then
  ok "reconstruction error falls ($first -> $last)"
else
  fail "reconstruction error did not fall by a fifth: $first -> $last"
fi

# Eq. 9's loss is logged per memory. Jacobi inference moves z (two edges
# from the clamped x) first at step 2, so with T = 1 the memory's targets
# keep h^(0) and its loss is exactly 0; with the file's T = 5 it is not.
mloss=$(sed -n 's/.*"memory_loss":{"M":\([-0-9.eE+]*\)}.*/\1/p' "$TMP/run.jsonl" | head -1)
if awk -v l="$mloss" 'BEGIN { exit !(l != "" && l > 0) }'; then
  ok "memory_loss logged, > 0 at T = 5 ($mloss)"
else
  fail "memory_loss at T = 5: want > 0, got '$mloss'"
fi
"$PCNC" run "$MODEL" --quiet --set T=1 --epochs 1 --log "$TMP/t1.jsonl" >/dev/null 2>"$TMP/t1.err" ||
  fail "pcnc run --set T=1 failed"
if grep -q '"memory_loss":{"M":0[,}]' "$TMP/t1.jsonl"; then
  ok "memory_loss is 0 when inference never reaches the latent (T = 1)"
else
  fail "memory_loss at T = 1 should be 0: $(head -c 300 "$TMP/t1.jsonl")"
fi
# ... and pcnc run says so when --set makes T that short (the compiler
# warns with the file's own T: tests/diagnostics/warn_memory_unreached).
if grep -q "^pcnc run: warning: .*first moves at inference step 2.*T = 1.*memory 'M' does not learn" \
  "$TMP/t1.err"; then
  ok "pcnc run warns that the memory cannot learn at T = 1"
else
  fail "no memory warning at T = 1: $(head -c 300 "$TMP/t1.err")"
fi
if grep -q "warning" "$TMP/err"; then
  fail "a warning at the file's T = 5: $(head -c 300 "$TMP/err")"
else
  ok "no memory warning at T = 5"
fi

# PNG signature: \x89 P N G
if [ "$(head -c 4 "$TMP/recon.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  ok "--save-images wrote a PNG"
else
  fail "--save-images: $TMP/recon.png is not a PNG"
fi

# ---- --eval-T: the test set again at other inference step counts -------
run run "$MODEL" --epochs 2 --set eval_T=2 --eval-T 4,1,2 --log "$TMP/at.jsonl" \
  --save "$TMP/at.ckpt"
expect_rc 0 "run --eval-T 4,1,2"
expect_grep '^evaluation also at eval_T 1, 2, 4 \(--eval-T, alpha 0.1\)$' "$TMP/out" \
  "header lists the extra step counts"
expect_grep '^epoch 2/2 .* test_mse [0-9.]+  mse@T 1:[0-9.]+ 2:[0-9.]+ 4:[0-9.]+  smm' \
  "$TMP/out" "epoch line gives the metric per step count"
n=$(grep -Ec '"test_loss_at_T":\{"1":[0-9.eE+-]+,"2":[0-9.eE+-]+,"4":[0-9.eE+-]+\}' "$TMP/at.jsonl")
[ "$n" -eq 2 ] && ok "test_loss_at_T with keys 1, 2, 4 and finite values in both epochs" ||
  fail "test_loss_at_T in $n of 2 lines: $(head -c 400 "$TMP/at.jsonl")"
# At the main eval_T the extra pass is the same computation: the same
# number, digit for digit.
same=0
while IFS= read -r line; do
  main=$(printf '%s' "$line" | sed -n 's/.*"test_loss":\([-0-9.eE+]*\),.*/\1/p')
  at2=$(printf '%s' "$line" | sed -n 's/.*"test_loss_at_T":{[^}]*"2":\([-0-9.eE+]*\)[,}].*/\1/p')
  [ -n "$main" ] && [ "$main" = "$at2" ] && same=$((same + 1))
done <"$TMP/at.jsonl"
[ "$same" -eq 2 ] && ok "test_loss_at_T at eval_T equals test_loss" ||
  fail "test_loss_at_T[\"2\"] differs from test_loss ($same of 2 equal)"
# More steps, lower error on this model (inference moves z toward the data).
awk -F'"test_loss_at_T":' 'NR == 2 { split($2, a, /[:,}]/); exit !(a[6] < a[2]) }' \
  "$TMP/at.jsonl" && ok "error at T_eval 4 below T_eval 1" ||
  fail "error at T_eval 4 not below T_eval 1: $(tail -1 "$TMP/at.jsonl" | head -c 300)"
# The main evaluation and training are those of a run without --eval-T.
"$PCNC" run "$MODEL" --quiet --epochs 2 --set eval_T=2 --log "$TMP/plain.jsonl" >/dev/null 2>&1
strip() { sed -e 's/"seconds":[^,]*,//' -e 's/"test_loss_at_T":{[^}]*},//' "$1"; }
[ "$(strip "$TMP/at.jsonl")" = "$(strip "$TMP/plain.jsonl")" ] &&
  ok "same log as without --eval-T, apart from test_loss_at_T" ||
  fail "--eval-T changed the rest of the log"

run run "$MODEL" --load "$TMP/at.ckpt" --eval-only --set eval_T=2 --eval-T 1,4 --quiet
expect_rc 0 "--eval-only --eval-T 1,4"
n=$(grep -Ec '^epoch 2 \(loaded\): test mse [0-9.e-]+ \(eval_T [124]\)$' "$TMP/out")
[ "$n" -eq 3 ] && ok "--eval-only prints the main line and one per T" ||
  fail "--eval-only lines: $n of 3"
want4=$(tail -1 "$TMP/at.jsonl" | sed -n 's/.*"4":\([-0-9.eE+]*\)}.*/\1/p')
expect_grep "^epoch 2 \\(loaded\\): test mse $want4 \\(eval_T 4\\)$" "$TMP/out" \
  "--eval-only at T 4 repeats epoch 2's logged value"

run report "$TMP/at.jsonl" --by-eval-T
expect_rc 0 "report --by-eval-T"
expect_grep '^run +T_train +T_eval=1 +T_eval=2 +T_eval=4$' "$TMP/out" "report header"
expect_grep '^at +5 +[0-9.]+ \([12]\) +[0-9.]+ \([12]\) +[0-9.]+ \([12]\)$' "$TMP/out" \
  "report row: T_train 5, best and epoch per T_eval"

# ---- --eval-T usage errors ------------------------------------------------
for bad in "0" "1,1" "a" "2,,3" "1,2,3,4,5,6,7,8,9" ""; do
  run run "$MODEL" --eval-T "$bad"
  expect_rc 2 "--eval-T '$bad' refused"
  expect_grep "^pcnc run: --eval-T: '$bad': " "$TMP/err" "--eval-T '$bad' message"
done
run run "$SRC/examples/quick_blobs.pcn" --eval-T 3,5
expect_rc 2 "--eval-T refused for a forward-pass classifier"
expect_grep "model 'quick' is evaluated by a single forward pass" "$TMP/err" \
  "forward-pass refusal says why"
sed 's/init forward;/init null;/' "$MODEL" >"$TMP/null.pcn"
run run "$TMP/null.pcn" --eval-T 3
expect_rc 2 "--eval-T refused with init null in evaluation"
expect_grep "node 'h' uses init null in evaluation" "$TMP/err" "init null refusal says why"

finish
