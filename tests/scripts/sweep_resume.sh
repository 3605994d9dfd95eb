#!/usr/bin/env bash
# sweep_resume.sh PCNC SRC - `pcnc sweep` end to end on the synthetic blobs
# model: a 2 x 2 grid (T x seed) with --jobs 2 stopped after 2 runs
# (--max-runs), then resumed: completed runs are not redone (their .done
# and logs keep their bytes and mtimes), a stale incomplete run is redone,
# every run ends complete and the report table is printed. Also: Ctrl-C
# forwarding (no .done for interrupted runs, no child left), a failing run
# (reported, the others go on, exit 1), act= and m=, --list, --dry-run,
# usage errors, --eval-T passed to every run (and the summary's by-eval-T
# table), and `pcnc report` on tests/report/ against its golden files
# (also --by-eval-T).
# Plain grep/awk: python may not be installed where this runs.
set -u
PCNC=${1:?usage: sweep_resume.sh PCNC SRC}
SRC=${2:?usage: sweep_resume.sh PCNC SRC}
MODEL="$SRC/examples/quick_blobs.pcn"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pcnc-sweep.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# shellcheck source=checks.bash
. "$SRC/tests/scripts/checks.bash"

ndone() { ls "$1"/*.done 2>/dev/null | wc -l; }

# Fingerprint of a file: size, checksum and mtime in nanoseconds.
stamp() { echo "$(cksum <"$1") $(stat -c %.Y "$1" 2>/dev/null || stat -c %Y "$1")"; }

OUT="$TMP/s"
SWEEP=(sweep "$MODEL" --grid T=2,3 --seeds 0,1 --set epochs=2 --jobs 2 --out "$OUT")

# ---- dry run: the four runs, named by their settings; nothing written ----
run "${SWEEP[@]}" --dry-run
expect_rc 0 "dry run"
for n in T=2_seed=0 T=2_seed=1 T=3_seed=0 T=3_seed=1; do
  expect_grep "^$n: pcnc run .*--set epochs=2 --set ${n%_*} --set seed=${n#*seed=} --log $OUT/$n.jsonl --quiet$" "$TMP/out" "dry run lists $n"
done
[ -e "$OUT" ] && fail "dry run created $OUT" || ok "dry run wrote nothing"

# ---- first session: stop after 2 runs -------------------------------------
run "${SWEEP[@]}" --max-runs 2
expect_rc 0 "first session (--max-runs 2)"
[ "$(ndone "$OUT")" -eq 2 ] && ok "2 runs complete" ||
  fail "$(ndone "$OUT") runs complete after --max-runs 2, want 2"
expect_grep "2 left: run the same command again to resume" "$TMP/out" "says what is left"
first=$(cd "$OUT" && ls *.done | sed 's/\.done$//' | sort)
declare -A before
for n in $first; do
  before[$n.done]=$(stamp "$OUT/$n.done")
  before[$n.jsonl]=$(stamp "$OUT/$n.jsonl")
  [ "$(grep -c '"interrupted":false' "$OUT/$n.jsonl")" -eq 2 ] &&
    ok "$n: log of 2 whole epochs" || fail "$n: log is not 2 whole epochs"
done

# A run that died half-way: a log without .done must be redone.
stale=$(cd "$OUT" && for n in T=2_seed=0 T=2_seed=1 T=3_seed=0 T=3_seed=1; do
  [ -e "$n.done" ] || { echo "$n"; break; }; done)
echo '{"epoch":1,"test_accuracy":1,"smm":1,"interrupted":true}' >"$OUT/$stale.jsonl"

sleep 1.1 # so that a rewritten file would get another mtime even on 1 s clocks

# ---- second session: resume -------------------------------------------------
run "${SWEEP[@]}"
expect_rc 0 "resumed session"
[ "$(ndone "$OUT")" -eq 4 ] && ok "all 4 runs complete" ||
  fail "$(ndone "$OUT") runs complete after resuming, want 4"
for n in $first; do
  expect_grep "$n: complete, skipped" "$TMP/out" "$n skipped"
  grep -q "$n: started" "$TMP/out" && fail "$n was started again"
  for f in "$n.done" "$n.jsonl"; do
    [ "$(stamp "$OUT/$f")" = "${before[$f]}" ] && ok "$f unchanged" ||
      fail "$f changed on resume"
  done
done
expect_grep "$stale: started" "$TMP/out" "the stale run is redone"
[ "$(grep -c '"interrupted":false' "$OUT/$stale.jsonl")" -eq 2 ] &&
  ok "the stale run's log was rewritten" || fail "the stale run's log was not rewritten"
expect_grep "4 runs, 4 complete \(2 now, 2 before\), 0 failed" "$TMP/out" "final count"
# The summary: one row per T with 2 seeds each, sorted.
expect_grep "^group +n +best \(mean ± std\) +epoch +SMMs +SMMs@0.5% +SMMs@1% +SMMs@2% +SMMs@5%$" "$TMP/out" "summary header"
expect_grep "^T=2 +2 +[0-9.]+ ± [0-9.]+ +[12] +[0-9]+ " "$TMP/out" "summary row T=2"
expect_grep "^T=3 +2 +[0-9.]+ ± [0-9.]+ +[12] +[0-9]+ " "$TMP/out" "summary row T=3"
[ "$(grep -n '^T=2 ' "$TMP/out" | cut -d: -f1)" -lt "$(grep -n '^T=3 ' "$TMP/out" | cut -d: -f1)" ] &&
  ok "groups sorted" || fail "groups not sorted"

# A third session has nothing to do.
run "${SWEEP[@]}"
expect_rc 0 "third session"
grep -q "started" "$TMP/out" && fail "third session started a run" || ok "third session started nothing"

# `pcnc report` over the directory agrees with the sweep's summary.
run report "$OUT"
expect_rc 0 "report over the sweep directory"
expect_grep "^T=3 +2 " "$TMP/out" "report groups the seeds"

# ---- Ctrl-C: children stop, nothing is marked complete ---------------------
INT="$TMP/int"
"$PCNC" sweep "$MODEL" --grid T=2,3 --set epochs=100000 --jobs 2 --out "$INT" \
  >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 100); do # wait until both children have logged an epoch
  [ -s "$INT/T=2.jsonl" ] && [ -s "$INT/T=3.jsonl" ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
rc=$?
expect_rc 130 "Ctrl-C"
[ "$(ndone "$INT")" -eq 0 ] && ok "no run marked complete" || fail "an interrupted run has a .done"
expect_grep "T=2: interrupted \(will be redone\)" "$TMP/out" "T=2 reported interrupted"
grep -q "FAILED" "$TMP/out" && fail "an interrupted child failed" || ok "children stopped gracefully"
pgrep -f -- "--out $INT" >/dev/null && fail "children left running" || ok "no child left"

# ---- a failing run: reported, the others go on, exit 1 --------------------
run sweep "$MODEL" --grid T=2,-1 --set epochs=1 --jobs 2 --out "$TMP/f"
expect_rc 1 "a failing run"
expect_grep "T=-1: FAILED \(exit 2\), see $TMP/f/T=-1.out" "$TMP/out" "failure reported"
expect_grep "T=-1" "$TMP/f/T=-1.out" "the child's error is in its .out"
[ -e "$TMP/f/T=2.done" ] && ok "the other run completed" || fail "T=2 did not complete"
expect_grep "^T=2 +1 " "$TMP/out" "summary of the complete run"

# ---- graph-level keys: act= runs, m= needs aligned batches ------------------
run sweep "$MODEL" --grid act=tanh,relu --set epochs=1 --jobs 2 --out "$TMP/act"
expect_rc 0 "act= sweep"
expect_grep "^act=relu +1 " "$TMP/out" "summary row act=relu"
expect_grep "^act=tanh +1 " "$TMP/out" "summary row act=tanh"
run sweep "$MODEL" --grid m=1 --set epochs=1 --out "$TMP/m"
expect_rc 1 "m= on shuffled batches fails"
expect_grep "stream-aligned" "$TMP/m/m=1.out" "m= error in the run's .out"

# ---- usage errors ----------------------------------------------------------
run sweep "$MODEL" --grid X=1,2 --out "$TMP/u"
expect_rc 2 "unknown key"
expect_grep "unknown key 'X'" "$TMP/err" "unknown key named"
run sweep "$MODEL" --grid T=1,,2 --out "$TMP/u"
expect_rc 2 "empty grid value"
run sweep "$MODEL" --seeds 0,1 --set seed=3 --out "$TMP/u"
expect_rc 2 "--seeds with a seed setting"
run sweep "$MODEL" --grid T=2,2 --out "$TMP/u"
expect_rc 2 "duplicate run names"
run sweep --jobs 2
expect_rc 2 "no input file"
[ -e "$TMP/u" ] && fail "a usage error created the output directory" || ok "usage errors write nothing"

# --list: one run per line, '#' comments, file:line errors.
printf 'T=2 alpha=0.1  # first\n\n# nothing\nT=3 alpha=0.05\n' >"$TMP/list"
run sweep "$MODEL" --list "$TMP/list" --seeds 7 --dry-run --out "$TMP/l"
expect_rc 0 "--list dry run"
expect_grep "^T=2_alpha=0.1_seed=7: " "$TMP/out" "--list line 1"
expect_grep "^T=3_alpha=0.05_seed=7: " "$TMP/out" "--list line 4"
expect_grep "^2 runs" "$TMP/out" "--list: 2 runs"
printf 'T=2\nbogus\n' >"$TMP/list"
run sweep "$MODEL" --list "$TMP/list" --dry-run
expect_rc 2 "--list with a bad line"
expect_grep "$TMP/list:2: expected KEY=VALUE" "$TMP/err" "--list error names file:line"

# --eval-T: passed to every run; the summary adds the by-eval-T table.
run "${SWEEP[@]}" --eval-T 1,2 --dry-run
expect_rc 0 "--eval-T dry run"
expect_grep "^T=2_seed=0( \\(complete\\))?: pcnc run .* --eval-T 1,2 --log $OUT/T=2_seed=0.jsonl --quiet$" \
  "$TMP/out" "--eval-T passed to the run"
run "${SWEEP[@]}" --eval-T 1,0 --dry-run
expect_rc 2 "--eval-T with a bad list"
expect_grep "^pcnc sweep: --eval-T: '1,0': '0' is not an integer" "$TMP/err" \
  "--eval-T bad list message"
run sweep "$SRC/tests/data/generative_blobs.pcn" --grid T=1,3 --set epochs=1 --jobs 1 \
  --eval-T 2,5 --out "$TMP/g"
expect_rc 0 "generative sweep with --eval-T"
n=$(grep -c '"test_loss_at_T":{"2":[0-9.eE+-]*,"5":[0-9.eE+-]*}' "$TMP"/g/*.jsonl | awk -F: '{ s += $2 } END { print s }')
[ "$n" -eq 2 ] && ok "both runs log test_loss_at_T" || fail "test_loss_at_T in $n of 2 logs"
expect_grep '^run +T_train +T_eval=2 +T_eval=5$' "$TMP/out" "summary has the by-eval-T table"
expect_grep '^T=3 +3 +[0-9.]+ \(1\) +[0-9.]+ \(1\)$' "$TMP/out" "by-eval-T row of T=3"

# ---- pcnc report on the fixed logs: the command line gives the golden text ----
run report "$SRC/tests/report/logs"
expect_rc 0 "report over tests/report/logs"
diff -u "$SRC/tests/report/expected.txt" "$TMP/out" >"$TMP/diff" && ok "report equals expected.txt" ||
  { fail "report differs from expected.txt"; head -20 "$TMP/diff"; }
expect_grep "T=5_alpha=0.1_seed=2.jsonl:5:40: malformed line skipped" "$TMP/err" "malformed line named"
run report "$SRC/tests/report/logs" --csv
diff -q "$SRC/tests/report/expected.csv" "$TMP/out" >/dev/null && ok "--csv equals expected.csv" ||
  fail "--csv differs from expected.csv"
run report "$SRC/tests/report/logs" --rel-error 1% --rel-error 0.1
expect_rc 0 "--rel-error"
expect_grep "^group .* SMMs@1% +SMMs@10%$" "$TMP/out" "--rel-error replaces the defaults"
run report "$SRC/tests/report/logs" --rel-error 150%
expect_rc 2 "--rel-error out of range"
E="$SRC/tests/report/eval_T"
run report "$E/T=3_seed=0.jsonl" "$E/T=10_seed=0.jsonl" "$E/plain.jsonl" --by-eval-T
expect_rc 0 "report --by-eval-T"
diff -u "$SRC/tests/report/expected_eval_T.txt" "$TMP/out" >"$TMP/diff" &&
  ok "--by-eval-T equals expected_eval_T.txt" ||
  { fail "--by-eval-T differs from expected_eval_T.txt"; head -20 "$TMP/diff"; }
run report "$E" --by-eval-T --svg "$TMP/x.svg"
expect_rc 2 "--by-eval-T with --svg"
run report "$SRC/tests/report/logs" --by-eval-T
expect_rc 1 "--by-eval-T over logs without test_loss_at_T"
expect_grep "no log has test_loss_at_T" "$TMP/err" "--by-eval-T: no data says so"
run report "$TMP/missing.jsonl"
expect_rc 1 "missing log"
run report
expect_rc 2 "report without logs"

finish
