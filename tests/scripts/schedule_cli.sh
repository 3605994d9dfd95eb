#!/usr/bin/env bash
# schedule_cli.sh PCNC SRC - `pcnc schedule`'s "products proven unnecessary"
# (text and --json) on the examples, with bash, grep and awk only:
#   examples/fmnist_fw.pcn (forward init, T read from the file):
#     - one line per run: train_init, step 0 .. T-1, train_learn;
#     - step 0 skips the error product G_v W_uv^T of every hidden v (its
#       error is exactly zero after the forward sweep), with the
#       zero-operand reason, and keeps the output's (g.y);
#     - the kept fraction of GEMM FLOPs never falls and rises from step 0
#       to step T-1;
#     - every skip has one of the two retraced reasons (no "proved");
#     - the SMM totals are those of --no-skips (and 2T + L);
#     - --json has "skips" with one "skipped" array and one
#       "flops_kept_fraction" per run, the same skips as the text, and
#       keeps the existing keys.
#   examples/cyclic.pcn (no forward init): nothing skipped, 100% kept,
#     SMM per update 2T.
# Prints "N passed, M failed"; exits nonzero on any failure.
set -u

if [ $# -lt 2 ]; then
  echo "usage: $0 PCNC SRC" >&2
  exit 2
fi
PCNC=$1
SRC=$2
case $PCNC in /*) ;; *) PCNC=$(pwd)/$PCNC ;; esac
if [ ! -x "$PCNC" ]; then
  echo "schedule_cli: $PCNC is not an executable" >&2
  exit 2
fi
cd "$SRC" || exit 2

pass=0
fail=0
tmpd=$(mktemp -d)
trap 'rm -rf "$tmpd"' EXIT

check() { # check NAME COND-EXIT-STATUS
  if [ "$2" -eq 0 ]; then
    pass=$((pass + 1))
    echo "ok   $1"
  else
    fail=$((fail + 1))
    echo "FAIL $1"
  fi
}

schedule() { # schedule OUT FILE ARGS...: pcnc schedule with fixed samples
  local out=$1 file=$2
  shift 2
  NO_COLOR=1 timeout 60 "$PCNC" schedule "$file" --samples 60000 "$@" >"$out" 2>"$out.err" </dev/null
}

# The section of the text output, and the lines of one run in it.
section() { awk '/^products proven unnecessary/ {on = 1; next} on' "$1"; }
run_lines() { # run_lines FILE HEADER-REGEX: the header line and its skip lines
  section "$1" | awk -v h="$2" '$0 ~ "^  " h {on = 1; print; next} /^  [^ ]/ {on = 0} on'
}

# ---- fmnist_fw ---------------------------------------------------------
F=examples/fmnist_fw.pcn
T=$(awk '/inference steps/ {for (i = 1; i <= NF; i++) if ($i == "steps") {print $(i + 1); exit}}' "$F")
HIDDEN=$(awk '$1 == "node" && /init forward/ {sub(/\[.*/, "", $2); print $2}' "$F")
NH=$(echo "$HIDDEN" | wc -w)
L=$((NH + 1))
echo "fmnist_fw: T = $T, hidden (forward): $(echo $HIDDEN), L = $L"
[ -n "$T" ] && [ "$T" -ge 2 ] && [ "$NH" -ge 2 ]
check "fmnist_fw: T and hidden nodes read from the file" $?

schedule "$tmpd/fw.txt" "$F"
check "fmnist_fw: pcnc schedule exits 0" $?
schedule "$tmpd/fw_noskip.txt" "$F" --no-skips
check "fmnist_fw: pcnc schedule --no-skips exits 0" $?

# One line per run, steps 0 .. T-1 in order.
steps=$(section "$tmpd/fw.txt" | awk '/^  step [0-9]+:/ {sub(":", "", $2); printf "%s ", $2}')
want=$(awk -v T="$T" 'BEGIN {for (t = 0; t < T; t++) printf "%d ", t}')
[ "$steps" = "$want" ]
check "fmnist_fw: one line per step 0..$((T - 1)) (got '$steps')" $?
section "$tmpd/fw.txt" | grep -q '^  train_init: 100.0% of GEMM FLOPs kept' &&
  section "$tmpd/fw.txt" | grep -q '^  train_learn: '
check "fmnist_fw: train_init (run in full) and train_learn lines" $?

# Step 0: the error product of every hidden node is skipped, because its
# gated error g.v is all zero; the output's error product is kept.
run_lines "$tmpd/fw.txt" "step 0:" >"$tmpd/step0"
ok=0
for v in $HIDDEN; do
  # every error product reading g.v in the step's program must be a skip
  # line of step 0 with the zero-operand reason
  n_prog=$(awk -v v="$v" '/^train_step:/ {on = 1; next} /^[a-z_]+:/ {on = 0}
    on && index($0, "gemm dh.") && index($0, "= -1 * g." v " x ") {n++} END {print n + 0}' "$tmpd/fw.txt")
  n_skip=$(grep -c "^    skip [0-9]*\.[0-9]* gemm dh\.[^ ]* = -1 \* g\.$v x .* -- g\.$v is all zero: $v equals its prediction" "$tmpd/step0")
  if [ "$n_prog" -ne "$n_skip" ]; then
    echo "    $v: $n_prog error products in train_step, $n_skip skipped as zero in step 0"
    ok=1
  fi
done
n_zero=$(grep -c -- '-- g\.[^ ]* is all zero' "$tmpd/step0")
[ "$n_zero" -eq $((NH - 1)) ] || { echo "    $n_zero zero-operand skips in step 0, want $((NH - 1))"; ok=1; }
check "fmnist_fw: step 0 skips the error products of the zero-error hidden nodes" $ok
! grep -q 'skip .* = -1 \* g\.y x ' "$tmpd/step0"
check "fmnist_fw: step 0 keeps the output's error product (g.y)" $?

# The hidden predictions of step 0 are recomputations of the sweep's.
n_unch=$(grep -c -- '-- inputs unchanged: .* computed in train_init' "$tmpd/step0")
[ "$n_unch" -eq "$NH" ]
check "fmnist_fw: step 0 skips the $NH hidden predictions as unchanged since train_init (got $n_unch)" $?

# Kept fraction per step: never falls, and rises from step 0 to step T-1.
section "$tmpd/fw.txt" | awk '/^  step [0-9]+:/ {sub("%", "", $3); print $3}' >"$tmpd/fractions"
echo "    kept per step: $(tr '\n' ' ' <"$tmpd/fractions")"
awk 'NR > 1 && $1 + 0 < prev + 0 {bad = 1} NR == 1 {first = $1} {prev = $1}
     END {exit !(NR > 1 && !bad && prev + 0 > first + 0)}' "$tmpd/fractions"
check "fmnist_fw: the kept fraction rises over the steps" $?
awk 'NR == 1 {exit !($1 + 0 < 5)}' "$tmpd/fractions"
check "fmnist_fw: step 0 keeps under 5% of the GEMM FLOPs" $?

# Every skip explained by a zero operand or unchanged inputs.
nskip=$(section "$tmpd/fw.txt" | grep -c '^    skip ')
nexpl=$(section "$tmpd/fw.txt" | grep -c -e '^    skip .* -- g\.[^ ]* is all zero' \
  -e '^    skip .* -- .* is all zero' -e '^    skip .* -- inputs unchanged: ')
[ "$nskip" -gt 0 ] && [ "$nskip" -eq "$nexpl" ]
check "fmnist_fw: every skip ($nskip) has a zero-operand or unchanged-inputs reason" $?

# SMM totals: the section changes nothing above it, and they are 2T + L.
awk '/^products proven unnecessary/ {exit} {print}' "$tmpd/fw.txt" | sed '$d' >"$tmpd/fw_head.txt"
cmp -s "$tmpd/fw_head.txt" "$tmpd/fw_noskip.txt"
check "fmnist_fw: everything before the section equals --no-skips" $?
grep -q "^SMM per update: $((2 * T + L)) = init $L (forward sweep incl. its frontier) + 2 x T $T\$" "$tmpd/fw.txt"
check "fmnist_fw: SMM per update = 2T + L = $((2 * T + L))" $?
section "$tmpd/fw.txt" | grep -q "SMM per update stays $((2 * T + L)) (the paper's count)"
check "fmnist_fw: the section says the SMM count stays $((2 * T + L))" $?

# JSON.
schedule "$tmpd/fw.json" "$F" --json
check "fmnist_fw: --json exits 0" $?
schedule "$tmpd/fw_noskip.json" "$F" --json --no-skips
for k in smm_per_update smm_per_epoch smm_init smm_per_step T batches_per_epoch stages buffers critical_path skips; do
  grep -q "\"$k\": " "$tmpd/fw.json" || { echo "    missing key $k"; false; } || break
done
check "fmnist_fw: --json keeps the existing keys and adds skips" $?
grep -q "\"smm_per_update\": $((2 * T + L))," "$tmpd/fw.json" &&
  grep -q "\"smm_per_update\": $((2 * T + L))," "$tmpd/fw_noskip.json" &&
  ! grep -q '"skips"' "$tmpd/fw_noskip.json"
check "fmnist_fw: --json smm_per_update $((2 * T + L)) with and without skips" $?
nruns=$(grep -c '^    {"program": "train_[a-z]*", "step": ' "$tmpd/fw.json")
nskarr=$(grep -o '"skipped": \[' "$tmpd/fw.json" | wc -l)
nfrac=$(grep -o '"flops_kept_fraction": ' "$tmpd/fw.json" | wc -l)
[ "$nruns" -eq $((T + 2)) ] && [ "$nskarr" -eq $((T + 2)) ] && [ "$nfrac" -eq $((T + 3)) ]
check "fmnist_fw: --json has T + 2 runs with skipped and flops_kept_fraction (runs $nruns, arrays $nskarr, fractions $nfrac)" $?
njson=$(grep -c '"why": "\(zero_operand\|unchanged\)"' "$tmpd/fw.json")
[ "$njson" -eq "$nskip" ] && ! grep -q '"why": "proved"' "$tmpd/fw.json"
check "fmnist_fw: --json lists the text's $nskip skips (got $njson)" $?
# Step 0's kept fraction in JSON agrees with the text (to the printed digit).
jf=$(awk '/"program": "train_step", "step": 0,/ {match($0, /"flops_kept_fraction": [0-9.]+/);
  s = substr($0, RSTART, RLENGTH); sub(/.*: /, "", s); printf "%.1f", 100 * s}' "$tmpd/fw.json")
tf=$(head -n 1 "$tmpd/fractions")
[ "$jf" = "$tf" ]
check "fmnist_fw: step 0 kept fraction, JSON $jf% = text $tf%" $?

# ---- cyclic: no forward init --------------------------------------------
C=examples/cyclic.pcn
TC=$(awk '/inference steps/ {for (i = 1; i <= NF; i++) if ($i == "steps") {print $(i + 1); exit}}' "$C")
schedule "$tmpd/cy.txt" "$C"
check "cyclic: pcnc schedule exits 0" $?
! section "$tmpd/cy.txt" | grep -q '^    skip '
check "cyclic: nothing skipped" $?
! section "$tmpd/cy.txt" | grep -E '^  (step|steps|train_)' | grep -v 'no GEMMs' | grep -qv ': 100.0% of GEMM FLOPs kept'
check "cyclic: every run keeps 100% of its GEMM FLOPs" $?
grep -q "^SMM per update: $((2 * TC)) = init 0 " "$tmpd/cy.txt"
check "cyclic: SMM per update = 2T = $((2 * TC))" $?
schedule "$tmpd/cy.json" "$C" --json
! grep -q '"why": ' "$tmpd/cy.json" && grep -q '"flops_kept_fraction": 1.000000, "steps"' "$tmpd/cy.json"
check "cyclic: --json skips nothing" $?

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
