#!/usr/bin/env bash
# examples_check.sh PCNC SRC - every examples/*.pcn must pass `pcnc check`:
# exit status 0 and no "error:" in its output (warnings are allowed but
# printed). Prints "N passed, M failed" and exits nonzero on any failure.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 PCNC SRC" >&2
  exit 2
fi
PCNC=$1
SRC=$2
case $PCNC in /*) ;; *) PCNC=$(pwd)/$PCNC ;; esac
if [ ! -x "$PCNC" ]; then
  echo "examples_check: $PCNC is not an executable" >&2
  exit 2
fi
cd "$SRC" || exit 2

pass=0
fail=0
failed=()
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for f in examples/*.pcn; do
  NO_COLOR=1 timeout 60 "$PCNC" check "$f" >"$tmp" 2>&1 </dev/null
  rc=$?
  if [ $rc -eq 0 ] && ! grep -q 'error:' "$tmp"; then
    pass=$((pass + 1))
    if grep -q 'warning:' "$tmp"; then
      echo "ok   $f (with warnings)"
      sed 's/^/    /' "$tmp" | grep -A3 'warning:' | head -n 20
    fi
  else
    fail=$((fail + 1))
    failed+=("$f")
    echo "FAIL $f (exit status $rc)"
    sed 's/^/    /' "$tmp" | head -n 40
  fi
done

echo "$pass passed, $fail failed"
if [ $fail -ne 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
exit 0
