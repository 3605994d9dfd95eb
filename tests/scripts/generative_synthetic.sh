#!/usr/bin/env bash
# generative_synthetic.sh PCNC SRC - a small generative model with
# memory-based initialization (tests/data/generative_blobs.pcn: free latent
# root, init memory(M), sample clamped at the output) trains on synthetic
# data: the test reconstruction error (test_loss in the JSON Lines log,
# one per epoch) falls by at least a fifth over 6 epochs, and
# --save-images writes a PNG.
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
"$PCNC" run "$MODEL" --quiet --set T=1 --epochs 1 --log "$TMP/t1.jsonl" >/dev/null 2>&1 ||
  fail "pcnc run --set T=1 failed"
if grep -q '"memory_loss":{"M":0[,}]' "$TMP/t1.jsonl"; then
  ok "memory_loss is 0 when inference never reaches the latent (T = 1)"
else
  fail "memory_loss at T = 1 should be 0: $(head -c 300 "$TMP/t1.jsonl")"
fi

# PNG signature: \x89 P N G
if [ "$(head -c 4 "$TMP/recon.png" | od -An -c | tr -d ' ')" = "211PNG" ]; then
  ok "--save-images wrote a PNG"
else
  fail "--save-images: $TMP/recon.png is not a PNG"
fi

finish
