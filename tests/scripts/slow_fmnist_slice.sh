#!/usr/bin/env bash
# slow_fmnist_slice.sh PCNC SRC - trains the paper's Fashion-MNIST model
# (examples/fmnist_fw.pcn: 784-512x4-10, PC with forward initialization)
# on a stratified 10% slice (6000 images) for 4 epochs and requires more
# than 75% test accuracy on the full 10000-image test split. About 20
# seconds on two cores (debug build). Skipped (exit 77, ctest shows "Not Run")
# when Fashion-MNIST is not installed (Debian package dataset-fashion-mnist).
set -u
PCNC=${1:?usage: slow_fmnist_slice.sh PCNC SRC}
SRC=${2:?usage: slow_fmnist_slice.sh PCNC SRC}
DIR=${PCNC_DATA_DIR:-/usr/share/datasets/fashion-mnist}
if [ ! -e "$DIR/train-images-idx3-ubyte.gz" ] && [ ! -e "$DIR/train-images-idx3-ubyte" ]; then
  echo "SKIP: Fashion-MNIST not found in $DIR (install dataset-fashion-mnist)"
  exit 77
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcnc-fmnist.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# beta 1e-3 instead of the file's 3e-4: with 30 batches per epoch the
# paper's rate is still far from converged after 4 epochs.
"$PCNC" run "$SRC/examples/fmnist_fw.pcn" --data-dir "$DIR" \
  --set fraction=0.1 --set epochs=4 --set beta=1e-3 --threads 2 \
  --log "$TMP/log.jsonl" | tee "$TMP/out"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
  echo "FAIL: pcnc run exited $rc"
  exit 1
fi
acc=$(awk '/^epoch 4\/4/ { sub("%", "", $6); print $6 + 0 }' "$TMP/out")
if awk -v a="${acc:-0}" 'BEGIN { exit !(a > 75) }'; then
  echo "ok: test accuracy $acc% > 75%"
else
  echo "FAIL: test accuracy ${acc:-none} <= 75%"
  exit 1
fi
n=$(wc -l <"$TMP/log.jsonl")
[ "$n" -eq 4 ] || { echo "FAIL: log has $n lines, want 4"; exit 1; }
echo "ok: 4 log lines"
