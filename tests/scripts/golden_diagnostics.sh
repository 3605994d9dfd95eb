#!/usr/bin/env bash
# golden_diagnostics.sh PCNC SRC - the golden diagnostics suite.
#
# For every tests/diagnostics/NAME.pcn, runs (from tests/diagnostics/)
#     NO_COLOR=1 PCNC check NAME.pcn
# and compares what it prints on stderr with NAME.err, byte for byte.
# The exit status must be 1 (errors in the program); a test whose first
# line contains `expect-exit: N` expects N instead (2 = usage error,
# e.g. an unreadable file). Helper files in subdirectories (include/) are
# not tests.
#
#     UPDATE=1 golden_diagnostics.sh PCNC SRC    # rewrite every NAME.err
#     golden_diagnostics.sh PCNC SRC NAME...     # run only these tests
#
# Blessing: after UPDATE=1, read each changed .err (git diff) and judge it
# before committing: a wrong message or location is a bug to report, not a
# new golden file.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 PCNC SRC [NAME...]" >&2
  exit 2
fi
PCNC=$1
SRC=$2
shift 2
case $PCNC in /*) ;; *) PCNC=$(pwd)/$PCNC ;; esac
DIR=$SRC/tests/diagnostics

if [ ! -x "$PCNC" ]; then
  echo "golden_diagnostics: $PCNC is not an executable" >&2
  exit 2
fi
cd "$DIR" || exit 2

if [ $# -gt 0 ]; then
  tests=()
  for n in "$@"; do tests+=("${n%.pcn}.pcn"); done
else
  tests=(*.pcn)
fi

pass=0
fail=0
failed=()
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

for f in "${tests[@]}"; do
  name=${f%.pcn}
  want_rc=1
  rc_line=$(head -n 1 "$f" | grep -o 'expect-exit: *[0-9]*' || true)
  if [ -n "$rc_line" ]; then want_rc=${rc_line##*[: ]}; fi

  # stderr to the file, stdout discarded; never a terminal, color off.
  NO_COLOR=1 timeout 60 "$PCNC" check "$f" 2>"$tmp" >/dev/null </dev/null
  rc=$?

  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$tmp" "$name.err"
  fi

  ok=1
  why=""
  if [ "$rc" -ne "$want_rc" ]; then
    ok=0
    why="exit status $rc, expected $want_rc"
  fi
  if [ ! -f "$name.err" ]; then
    ok=0
    why="${why:+$why; }missing $name.err (run with UPDATE=1)"
  elif ! cmp -s "$tmp" "$name.err"; then
    ok=0
    why="${why:+$why; }stderr differs from $name.err"
  fi

  if [ $ok = 1 ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    failed+=("$name")
    echo "FAIL $name: $why"
    if [ -f "$name.err" ]; then
      diff -u "$name.err" "$tmp" | head -n 40 | sed 's/^/    /'
    else
      sed 's/^/    /' "$tmp" | head -n 40
    fi
  fi
done

echo "$pass passed, $fail failed"
if [ $fail -ne 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
exit 0
