# checks.bash - shared helpers of the script tests (sourced, not a test:
# CMake registers only *.sh). The sourcing script sets PCNC and TMP first.
#
#   ok WHAT / fail WHAT      count a passed / failed check
#   run ARGS...              pcnc ARGS: stdout in $TMP/out, stderr in
#                            $TMP/err, exit status in $rc
#   expect_rc WANT WHAT      the last run exited WANT
#   expect_grep RE FILE WHAT FILE matches the extended regex RE
#   finish                   prints the tally; exits 1 when a check failed
# Plain grep/sed: python may not be installed where the tests run.

fails=0

ok() { echo "ok: $*"; }

fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

run() {
  "$PCNC" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
}

expect_rc() {
  if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"; else
    fail "$2: exit $rc, want $1"
    sed 's/^/  stdout: /' "$TMP/out" | head -20
    sed 's/^/  stderr: /' "$TMP/err" | head -10
  fi
}

expect_grep() {
  if grep -Eq -- "$1" "$2"; then ok "$3"; else
    fail "$3: no /$1/ in $(basename "$2")"
    sed 's/^/  | /' "$2" | head -20
  fi
}

finish() {
  if [ "$fails" -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
