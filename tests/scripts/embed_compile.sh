#!/bin/bash
# embed_compile.sh PCNC SRC - `pcnc compile` an example model to an object
# file and a header, build examples/embed/main.c against them with cc
# (OpenBLAS and libm only, no LLVM, no pcn runtime) and check its output
# against values computed by hand for the fixed weights in main.c.
set -u
PCNC=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*"; exit 1; }

"$PCNC" compile "$SRC/examples/embed/tiny.pcn" -o "$TMP/tiny.o" --header "$TMP/model.h" \
  --prefix tiny_ --emit-llvm "$TMP/tiny.ll" || fail "pcnc compile failed"
grep -q 'int32_t tiny_eval_init(PcnJitState \*st, int32_t n);' "$TMP/model.h" ||
  fail "the header does not declare tiny_eval_init"
grep -q 'define i32 @pcn_eval_init' "$TMP/tiny.ll" || fail "--emit-llvm wrote no IR"
cc -std=c11 -Wall -Wextra -Werror -I"$TMP" "$SRC/examples/embed/main.c" "$TMP/tiny.o" \
  -o "$TMP/embed" -lopenblas -lm || fail "cc could not build the embedding program"
"$TMP/embed" >"$TMP/out" || { cat "$TMP/out"; fail "the embedding program failed"; }
cat "$TMP/out"
# y = W2^T tanh(W1^T x + b1) + b2, computed independently (python, double).
grep -q '^y\[0\] = 3.40493[12] -0.471396 ' "$TMP/out" || fail "y[0] is wrong"
grep -q '^y\[1\] = 0.938950 1.081955 ' "$TMP/out" || fail "y[1] is wrong"
grep -q '^ok$' "$TMP/out" || fail "main.c saw a mismatch"

# Usage errors exit 2, bad programs 1.
"$PCNC" compile >/dev/null 2>&1; [ $? -eq 2 ] || fail "no input file should exit 2"
"$PCNC" compile "$SRC/examples/embed/tiny.pcn" -o >/dev/null 2>&1
[ $? -eq 2 ] || fail "-o without a file should exit 2"
echo 'model broken { node a[2]; a -> b; }' >"$TMP/bad.pcn"
"$PCNC" compile "$TMP/bad.pcn" -o "$TMP/bad.o" >/dev/null 2>&1
[ $? -eq 1 ] || fail "a program with errors should exit 1"
echo "embed_compile: ok"
