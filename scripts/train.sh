#!/usr/bin/env bash
# Builds pcnc and trains the paper's Fashion-MNIST classifier
# (examples/fmnist_fw.pcn). Extra args go to `pcnc run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/compiler/pcnc run examples/fmnist_fw.pcn --log fmnist_fw.jsonl "$@"
