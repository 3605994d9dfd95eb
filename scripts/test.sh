#!/usr/bin/env bash
# Builds pcnc and runs every test twice: a normal build (warnings as
# errors), then a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (tests labelled "slow", the long end-to-end training runs, run only in the
# first pass). Exits nonzero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== build (Release, -Werror) =="
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPCNC_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests =="
(cd build && ctest --output-on-failure -j"$jobs")

echo "== build (ASan + UBSan) =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPCNC_SANITIZE=ON -DPCNC_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "== tests under sanitizers =="
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
(cd build-asan && ctest --output-on-failure -j"$jobs" -LE slow)
