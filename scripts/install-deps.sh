#!/usr/bin/env bash
# Installs the Debian 12 packages pcnc needs to build, test and train.
# Idempotent: packages already present are left alone. Run as root (or with sudo).
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config
  flex bison
  llvm-14-dev llvm-dev
  libopenblas-dev liblapacke-dev
  libcunit1-dev
  zlib1g-dev libpng-dev
  dataset-fashion-mnist
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
